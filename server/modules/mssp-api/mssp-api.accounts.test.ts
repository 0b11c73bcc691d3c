import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRow } from '../../db/schema.js';
import { assignAccount, createAccount, createAssets, createContact, createStaff, signIn } from '../../test/factories.js';
import { apiKeysHeaderFor, call, startListeningApp, type ListeningApp } from './mssp-api.test-support.js';

const UNAUTHORIZED = { statusCode: 401, error: 'Unauthorized', message: 'Invalid credentials.' };
const FORBIDDEN = { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope' };
const NOT_FOUND = { statusCode: 404, error: 'Not Found', message: 'Not Found' };

type Account = Record<string, unknown> & { uuid: string };

let testApp: ListeningApp;
let admin: UserRow;
let adminKeys: string;
let staffKeys: string;
let contactKeys: string;
let acme: { id: string };
let globex: { id: string };
let initech: { id: string };

beforeAll(async () => {
  testApp = await startListeningApp();
  const { ctx } = testApp;
  admin = await createStaff(ctx, { role: 64 });
  const staff = await createStaff(ctx, { role: 32 });
  acme = await createAccount(ctx, { name: 'Acme Corp', siteId: 'acme-1', notes: 'Quarterly scans of the factory' });
  globex = await createAccount(ctx, { name: 'Globex', siteId: 'glx-7', notes: 'Weekly', apps: ['vm', 'was'] });
  initech = await createAccount(ctx, { name: 'Initech', siteId: 'ini-3', apps: [] });
  await ctx.db.updateTable('customer_accounts').set({ region: 'EU', custom_name: 'Globex (EU)' }).where('id', '=', globex.id).execute();
  await ctx.db
    .updateTable('account_licenses')
    .set({ asset_limit: 40, expires_on: '2027-06-30' })
    .where('account_id', '=', globex.id)
    .where('app', '=', 'was')
    .execute();
  // Licensed asset counts come from the instances' assets (issue 5): 10 hosts each, and 30 web applications for Globex.
  await createAssets(ctx, acme.id, 'host', 10);
  await createAssets(ctx, globex.id, 'host', 10);
  await createAssets(ctx, globex.id, 'webapp', 30);
  await assignAccount(ctx, staff.id, acme.id);
  adminKeys = await apiKeysHeaderFor(testApp, admin);
  staffKeys = await apiKeysHeaderFor(testApp, await refreshed(staff.id));
  contactKeys = await apiKeysHeaderFor(testApp, await createContact(ctx, acme.id));
});

afterAll(async () => {
  await testApp.close();
});

async function refreshed(id: string): Promise<UserRow> {
  return testApp.ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

function accountsOf(body: Record<string, unknown>): Account[] {
  return body.accounts as Account[];
}

describe('X-ApiKeys authentication', () => {
  it('answers 401 with the Tenable body when the header is missing, malformed or wrong', async () => {
    const [accessPart] = adminKeys.split(';');
    const wrongSecret = `${accessPart}; secretKey=${'0'.repeat(64)}`;
    for (const keys of [undefined, 'garbage', 'accessKey=; secretKey=', accessPart ?? '', wrongSecret]) {
      const response = await call(testApp, 'GET', '/mssp/accounts', { keys });
      expect(response.status, String(keys)).toBe(401);
      expect(response.json).toEqual(UNAUTHORIZED);
      expect(response.contentType).toMatch(/^application\/json/);
    }
  });

  it('accepts the header variants real clients send, in any header-name case', async () => {
    const [, access, secret] = /accessKey=(\w+); secretKey=(\w+)/.exec(adminKeys) ?? [];
    const variants = [
      `accessKey=${access}; secretKey=${secret}`,
      `accessKey=${access};secretKey=${secret}`,
      `accessKey=${access}; secretKey=${secret};`,
      ` accessKey=${access} ;  secretKey=${secret} ; `,
    ];
    for (const [index, value] of variants.entries()) {
      const headerName = ['X-APIKeys', 'X-ApiKeys', 'x-apikeys', 'X-APIKEYS'][index] ?? 'X-ApiKeys';
      const response = await call(testApp, 'GET', '/mssp/accounts', { headers: { [headerName]: value } });
      expect(response.status, value).toBe(200);
    }
  });

  it("refuses a disabled user's keys with 401, and works again once enabled", async () => {
    const user = await createStaff(testApp.ctx, { role: 64 });
    const keys = await apiKeysHeaderFor(testApp, user);
    await testApp.ctx.db.updateTable('users').set({ is_disabled: true }).where('id', '=', user.id).execute();
    expect((await call(testApp, 'GET', '/mssp/accounts', { keys })).json).toEqual(UNAUTHORIZED);
    await testApp.ctx.db.updateTable('users').set({ is_disabled: false }).where('id', '=', user.id).execute();
    expect((await call(testApp, 'GET', '/mssp/accounts', { keys })).status).toBe(200);
  });

  it('does not let a session cookie stand in for keys', async () => {
    const signedIn = await signIn(testApp.app, admin.username);
    const response = await call(testApp, 'GET', '/mssp/accounts', { headers: { cookie: signedIn.cookie } });
    expect(response.status).toBe(401);
    expect(response.json).toEqual(UNAUTHORIZED);
  });

  // /users is not in the list: with a contact's keys it is their instance's users (instance-users-api).
  it("refuses a contact's keys on the portal API with 403 Insufficient scope", async () => {
    for (const path of ['/mssp/accounts', `/mssp/accounts/${acme.id}`, '/filters/mssp/accounts', '/mssp/logos']) {
      const response = await call(testApp, 'GET', path, { keys: contactKeys });
      expect(response.status, path).toBe(403);
      expect(response.json).toEqual(FORBIDDEN);
    }
  });

  it('answers the JSON 404 for unknown Tenable paths, with or without keys', async () => {
    for (const keys of [undefined, adminKeys]) {
      const response = await call(testApp, 'GET', '/mssp/no-such-thing', { keys });
      expect(response.status).toBe(404);
      expect(response.json).toEqual(NOT_FOUND);
    }
  });

  it('records the last use of the keys', async () => {
    const row = await testApp.ctx.db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('user_id', '=', admin.id)
      .executeTakeFirstOrThrow();
    expect(row.last_used_at).not.toBeNull();
  });
});

describe('GET /mssp/accounts', () => {
  it('lists every account for an Administrator, in the Tenable shape', async () => {
    const response = await call(testApp, 'GET', '/mssp/accounts', { keys: adminKeys });
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^application\/json/);
    const accounts = accountsOf(response.json);
    expect(accounts.map((account) => account.uuid).sort()).toEqual([acme.id, globex.id, initech.id].sort());
    const globexAccount = accounts.find((account) => account.uuid === globex.id);
    expect(globexAccount).toEqual({
      uuid: globex.id,
      container_name: 'Globex',
      custom_name: 'Globex (EU)',
      region: 'EU',
      site_id: 'glx-7',
      licensed_assets: 40,
      licensed_assets_limit: 140,
      license_utilization: 0.2857,
      // The earliest expiry (2027-06-30) in epoch seconds.
      license_expiration_date: Date.UTC(2027, 5, 30) / 1000,
      licensed_apps: ['vm', 'was'],
      notes: 'Weekly',
      domains: [],
      created: expect.any(String),
      modified: expect.any(String),
    });
    expect(globexAccount).not.toHaveProperty('logo_uuid');
    const initechAccount = accounts.find((account) => account.uuid === initech.id);
    expect(initechAccount).toMatchObject({
      licensed_assets: 0,
      licensed_assets_limit: 0,
      license_utilization: 0,
      license_expiration_date: null,
    });
  });

  it('lists only the assigned accounts for other staff', async () => {
    const response = await call(testApp, 'GET', '/mssp/accounts', { keys: staffKeys });
    expect(accountsOf(response.json).map((account) => account.uuid)).toEqual([acme.id]);
  });

  it('filters with f (repeatable), ft, w and wf', async () => {
    const uuidsOf = async (query: string, keys = adminKeys) => {
      const response = await call(testApp, 'GET', `/mssp/accounts?${query}`, { keys });
      expect(response.status, query).toBe(200);
      return accountsOf(response.json)
        .map((account) => account.uuid)
        .sort();
    };
    expect(await uuidsOf('f=container_name:eq:globex')).toEqual([globex.id]);
    expect(await uuidsOf('f=container_name:match:c')).toEqual([acme.id, initech.id].sort());
    expect(await uuidsOf('f=licensed_apps:eq:was')).toEqual([globex.id]);
    expect(await uuidsOf('f=region:eq:EU&f=licensed_assets:gt:20')).toEqual([globex.id]);
    expect(await uuidsOf('f=region:eq:EU&f=container_name:eq:Acme%20Corp')).toEqual([]);
    expect(await uuidsOf('f=region:eq:EU&f=container_name:eq:Acme%20Corp&ft=or')).toEqual([acme.id, globex.id].sort());
    expect(await uuidsOf('f=license_utilization:lt:0.2')).toEqual([acme.id, initech.id].sort());
    expect(await uuidsOf('f=uuid:eq:' + initech.id)).toEqual([initech.id]);
    expect(await uuidsOf('w=FACTORY')).toEqual([acme.id]);
    expect(await uuidsOf('w=factory&wf=container_name,region')).toEqual([]);
    expect(await uuidsOf('w=eu&wf=region')).toEqual([globex.id]);
    expect(await uuidsOf('w=globex&wf=custom_name')).toEqual([globex.id]);
    // Filters never widen what a staff user may see.
    expect(await uuidsOf('f=container_name:match:e', staffKeys)).toEqual([acme.id]);
  });

  it('filters license_expiration_date in days from now', async () => {
    const daysTo = Math.floor((Date.UTC(2027, 5, 30) - Date.now()) / 86_400_000);
    const response = await call(testApp, 'GET', `/mssp/accounts?f=license_expiration_date:lte:${daysTo}`, { keys: adminKeys });
    expect(accountsOf(response.json).map((account) => account.uuid)).toEqual([globex.id]);
  });

  it('answers 400 {"error"} for a bad filter', async () => {
    for (const query of ['f=nope:eq:1', 'f=region:gt:1', 'f=licensed_assets:gt:many', 'f=region', 'w=x&wf=site_id']) {
      const response = await call(testApp, 'GET', `/mssp/accounts?${query}`, { keys: adminKeys });
      expect(response.status, query).toBe(400);
      expect(response.json, query).toEqual({ error: expect.any(String) });
      expect(response.contentType).toMatch(/^application\/json/);
    }
  });
});

describe('GET /mssp/accounts/{uuid}', () => {
  it('answers one account', async () => {
    const response = await call(testApp, 'GET', `/mssp/accounts/${acme.id}`, { keys: staffKeys });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ uuid: acme.id, container_name: 'Acme Corp', site_id: 'acme-1', licensed_apps: ['vm'] });
  });

  it('answers 404 for an account the staff user is not assigned to, a missing one and a malformed id', async () => {
    for (const [keys, id] of [
      [staffKeys, globex.id],
      [adminKeys, '00000000-0000-4000-8000-000000000000'],
      [adminKeys, '1234'],
    ] as const) {
      const response = await call(testApp, 'GET', `/mssp/accounts/${id}`, { keys });
      expect(response.status, id).toBe(404);
      expect(response.json).toEqual(NOT_FOUND);
    }
  });
});

describe('GET /filters/mssp/accounts', () => {
  it('describes the wildcard fields and filters', async () => {
    const response = await call(testApp, 'GET', '/filters/mssp/accounts', { keys: staffKeys });
    expect(response.status).toBe(200);
    const body = response.json as {
      wildcard_fields: string[];
      filters: { name: string; control: { type: string }; operators: string[] }[];
    };
    expect(body.wildcard_fields).toEqual(['container_name', 'custom_name', 'licensed_apps', 'region', 'notes']);
    expect(body.filters.map((filter) => filter.name)).toEqual([
      'container_name',
      'uuid',
      'licensed_assets',
      'license_utilization',
      'license_expiration_date',
      'licensed_apps',
      'region',
    ]);
    expect(body.filters.find((filter) => filter.name === 'licensed_apps')).toMatchObject({
      control: { type: 'dropdown', list: ['vm', 'was', 'cs'] },
      operators: expect.arrayContaining(['eq']),
    });
  });
});
