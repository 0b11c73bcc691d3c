import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoleValue } from '../../../common/permissions.js';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { assignAccount, createAccount, createStaff, TEST_PASSWORD } from '../../test/factories.js';
import { createChildKeys, createInstanceCaller, createPortalCaller, type InstanceCaller } from '../../test/instance-api.js';
import { insertApprovedDomain } from '../users/users.repository.js';
import { integerIdOf } from './instance-users.presenters.js';

const UNAUTHORIZED = { statusCode: 401, error: 'Unauthorized', message: 'Invalid credentials.' };
const FORBIDDEN = { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope' };
const NOT_FOUND = { statusCode: 404, error: 'Not Found', message: 'Not Found' };

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
  await insertApprovedDomain(t.ctx.db, 'customer.example');
});
afterAll(async () => {
  await t.close();
});

async function send(
  caller: { headers: Record<string, string> } | null,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
) {
  const response = await t.app.inject({ method, url, headers: caller?.headers ?? {}, ...(payload === undefined ? {} : { payload }) });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: response.body ? (response.json() as Record<string, unknown>) : undefined,
  };
}

async function newUserBody(overrides: Record<string, unknown> = {}) {
  return {
    username: `made-${Math.random().toString(16).slice(2, 10)}@customer.example`,
    password: TEST_PASSWORD,
    permissions: 32,
    name: 'Made By Script',
    type: 'local',
    ...overrides,
  };
}

async function auditCount(action: string, targetId: string) {
  const rows = await t.ctx.db
    .selectFrom('audit_events')
    .select('id')
    .where('action', '=', action)
    .where('target_id', '=', targetId)
    .execute();
  return rows.length;
}

describe('the instance gate', () => {
  it("refuses portal keys on an instance's paths with 403 Insufficient scope", async () => {
    const portal = await createPortalCaller(t, 64);
    for (const url of ['/session', '/server/properties']) {
      const response = await send(portal, 'GET', url);
      expect(response.status, url).toBe(403);
      expect(response.body).toEqual(FORBIDDEN);
    }
  });

  it("answers a contact's keys with the contact's own instance", async () => {
    const caller = await createInstanceCaller(t, { role: 16 });
    const response = await send(caller, 'GET', '/session');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toMatchObject({
      uuid: caller.userId,
      container_uuid: caller.accountId,
      permissions: 16,
      id: integerIdOf(caller.userId),
    });
  });

  it("answers child keys with their account's instance and the staff user's role", async () => {
    const staff = await createStaff(t.ctx, { role: 40 });
    const account = await createAccount(t.ctx);
    await assignAccount(t.ctx, staff.id, account.id);
    const child = await createChildKeys(t, staff, account.id);
    const response = await send(child, 'GET', '/session');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ uuid: staff.id, container_uuid: account.id, permissions: 40 });
  });

  it('refuses expired child keys with 401', async () => {
    const staff = await createStaff(t.ctx, { role: 64 });
    const account = await createAccount(t.ctx);
    const child = await createChildKeys(t, staff, account.id, 1);
    await t.ctx.db
      .updateTable('child_api_keys')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', staff.id)
      .execute();
    const response = await send(child, 'GET', '/session');
    expect(response.status).toBe(401);
    expect(response.body).toEqual(UNAUTHORIZED);
  });

  it('refuses child keys of a staff user no longer assigned to the account with 403', async () => {
    const staff = await createStaff(t.ctx, { role: 32 });
    const account = await createAccount(t.ctx);
    await assignAccount(t.ctx, staff.id, account.id);
    const child = await createChildKeys(t, staff, account.id);
    expect((await send(child, 'GET', '/users')).status).toBe(200);
    await t.ctx.db.deleteFrom('staff_account_assignments').where('user_id', '=', staff.id).execute();
    const response = await send(child, 'GET', '/users');
    expect(response.status).toBe(403);
    expect(response.body).toEqual(FORBIDDEN);
  });

  it("answers a deactivated account's instance with 403 and the reason", async () => {
    const caller = await createInstanceCaller(t);
    await t.ctx.db.updateTable('customer_accounts').set({ is_active: false }).where('id', '=', caller.accountId).execute();
    const response = await send(caller, 'GET', '/users');
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    expect(response.body?.message).not.toBe('Insufficient scope');
  });

  it('parses X-ApiKeys as leniently as real clients send it, and refuses malformed values with 401', async () => {
    const caller = await createInstanceCaller(t, { role: 16 });
    const [accessPart, secretPart] = caller.apiKeys.split('; ');
    const accepted = [
      `${accessPart}; ${secretPart}`,
      `${accessPart};${secretPart}`,
      `${accessPart}; ${secretPart};`,
      ` ${accessPart} ;  ${secretPart} ; `,
      `${secretPart}; ${accessPart}`,
    ];
    for (const value of accepted) expect((await send({ headers: { 'X-APIKeys': value } }, 'GET', '/session')).status, value).toBe(200);
    const refused = [
      '',
      `${accessPart}`,
      `${accessPart}; secretKey=`,
      `${accessPart}; ${secretPart}; ${secretPart}`,
      'garbage',
      `${accessPart}; secretKey=${'0'.repeat(64)}`,
    ];
    for (const value of refused) {
      const response = await send({ headers: { 'x-apikeys': value } }, 'GET', '/session');
      expect(response.status, value).toBe(401);
      expect(response.body).toEqual(UNAUTHORIZED);
    }
  });
});

describe('/server', () => {
  it('answers /server/status without keys', async () => {
    const response = await send(null, 'GET', '/server/status');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ code: 200, status: 'ready' });
  });

  it("answers /server/properties with Bulwark's version and the instance's licences", async () => {
    const caller = await createInstanceCaller(t, { role: 16 });
    const response = await send(caller, 'GET', '/server/properties');
    expect(response.status).toBe(200);
    const { VERSION } = await import('../../version.js');
    expect(response.body).toMatchObject({ server_version: VERSION, nessus_type: 'Nessus Cloud', msp: false, region: 'US' });
    expect(response.body?.license).toEqual({
      apps: { vm: { type: 'standard', expiration_date: Date.parse('2027-12-31T00:00:00Z') / 1000 } },
    });
  });
});

describe("/users with an instance's keys", () => {
  let admin: InstanceCaller;
  beforeAll(async () => {
    admin = await createInstanceCaller(t, { role: 64 });
  });

  it("lists only the instance's users, in Tenable's shape with an integer id", async () => {
    const colleague = await createInstanceCaller(t, { accountId: admin.accountId, role: 16 });
    await createInstanceCaller(t, { role: 64 });
    const response = await send(colleague, 'GET', '/users');
    expect(response.status).toBe(200);
    const users = (response.body as { users: Record<string, unknown>[] }).users;
    expect(users.every((user) => user.container_uuid === admin.accountId)).toBe(true);
    expect(users.map((user) => user.uuid)).toEqual(expect.arrayContaining([admin.userId, colleague.userId]));
    expect(users.find((user) => user.uuid === admin.userId)).toMatchObject({
      id: integerIdOf(admin.userId),
      uuid_id: admin.userId,
      username: admin.username,
      user_name: admin.username,
      type: 'local',
      permissions: 64,
      enabled: true,
      login_fail_count: 0,
      aggregate: true,
    });
    expect(Number.isSafeInteger(users[0]?.id)).toBe(true);
  });

  it('creates, reads (by integer id and by uuid), edits, disables and deletes a user, auditing each change', async () => {
    const created = await send(admin, 'POST', '/users', await newUserBody({ email: 'made@customer.example' }));
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const user = created.body as { id: number; uuid: string; username: string };
    expect(created.body).toMatchObject({ permissions: 32, email: 'made@customer.example', container_uuid: admin.accountId, enabled: true });

    expect((await send(admin, 'GET', `/users/${user.id}`)).body).toMatchObject({ uuid: user.uuid });
    expect((await send(admin, 'GET', `/users/${user.uuid}`)).body).toMatchObject({ id: user.id });

    // pyTenable's users.edit sends all four fields, merged with what it read.
    const edited = await send(admin, 'PUT', `/users/${user.id}`, { permissions: 40, name: 'Renamed', email: null, enabled: true });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ permissions: 40, name: 'Renamed', email: null });

    const disabled = await send(admin, 'PUT', `/users/${user.id}/enabled`, { enabled: false });
    expect(disabled.body).toMatchObject({ enabled: false });

    const deleted = await send(admin, 'DELETE', `/users/${user.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({});
    expect((await send(admin, 'GET', `/users/${user.uuid}`)).status).toBe(404);

    expect(await auditCount('instance_user.created', user.uuid)).toBe(1);
    expect(await auditCount('instance_user.edited', user.uuid)).toBe(2);
    expect(await auditCount('instance_user.deleted', user.uuid)).toBe(1);
  });

  it("gives a deleted user's scans to the successor", async () => {
    const leaving = await createInstanceCaller(t, { accountId: admin.accountId, role: 24 });
    const scan = await t.ctx.db
      .insertInto('scans')
      .values({
        account_id: admin.accountId,
        name: 'weekly.nessus',
        file_name: 'weekly.nessus',
        file_size: 1,
        owner_user_id: leaving.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect((await send(admin, 'DELETE', `/users/${leaving.userId}`)).status).toBe(200);
    const owner = await t.ctx.db.selectFrom('scans').select('owner_user_id').where('id', '=', scan.id).executeTakeFirstOrThrow();
    expect(owner.owner_user_id).toBe(admin.userId);
  });

  it('refuses to disable or delete yourself, or change your own role, with 409 and changes nothing', async () => {
    for (const [method, url, payload] of [
      ['PUT', `/users/${admin.userId}/enabled`, { enabled: false }],
      ['PUT', `/users/${admin.userId}`, { enabled: false }],
      ['PUT', `/users/${admin.userId}`, { permissions: 16 }],
      ['DELETE', `/users/${admin.userId}`, undefined],
    ] as const) {
      const response = await send(admin, method, url, payload);
      expect(response.status, `${method} ${url}`).toBe(409);
      expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    }
    expect((await send(admin, 'GET', '/session')).body).toMatchObject({ enabled: true, permissions: 64 });
  });

  it("refuses bad input with Tenable's bodies and creates nothing", async () => {
    const outside = await send(admin, 'POST', '/users', await newUserBody({ username: 'someone@unapproved.example' }));
    expect(outside.status).toBe(400);
    expect(outside.body).toEqual({ error: "The username provided is not a part of the current Container's approved domains." });
    const weak = await send(admin, 'POST', '/users', await newUserBody({ password: 'short' }));
    expect(weak.status).toBe(400);
    const badRole = await send(admin, 'POST', '/users', await newUserBody({ permissions: 50 }));
    expect(badRole.status).toBe(400);
    const duplicate = await send(admin, 'POST', '/users', await newUserBody({ username: admin.username }));
    expect(duplicate.status).toBe(409);
    const users = await t.ctx.db.selectFrom('users').select('username').where('account_id', '=', admin.accountId).execute();
    expect(users.some((user) => user.username.includes('unapproved'))).toBe(false);
  });

  it("answers another instance's user with 404 for every call, and changes nothing", async () => {
    const other = await createInstanceCaller(t, { role: 64 });
    const calls = [
      ['GET', `/users/${other.userId}`, undefined],
      ['GET', `/users/${integerIdOf(other.userId)}`, undefined],
      ['PUT', `/users/${other.userId}`, { name: 'Hijacked' }],
      ['PUT', `/users/${other.userId}/enabled`, { enabled: false }],
      ['PUT', `/users/${other.userId}/keys`, undefined],
      ['PUT', `/users/${other.userId}/chpasswd`, { password: 'Another-Horse-43!' }],
      ['DELETE', `/users/${other.userId}`, undefined],
      ['GET', '/users/not-an-id', undefined],
    ] as const;
    for (const [method, url, payload] of calls) {
      const response = await send(admin, method, url, payload);
      expect(response.status, `${method} ${url}`).toBe(404);
      expect(response.body).toEqual(NOT_FOUND);
    }
    expect((await send(other, 'GET', '/session')).body).toMatchObject({ name: 'Customer Contact', enabled: true });
  });

  it.each([16, 24, 32, 40] as RoleValue[])('refuses user management to role %i with 403 Insufficient scope', async (role) => {
    const caller = await createInstanceCaller(t, { accountId: admin.accountId, role });
    expect((await send(caller, 'GET', '/users')).status).toBe(200);
    for (const [method, url, payload] of [
      ['POST', '/users', await newUserBody()],
      ['PUT', `/users/${admin.userId}`, { name: 'Nope' }],
      ['PUT', `/users/${admin.userId}/keys`, undefined],
      ['DELETE', `/users/${admin.userId}`, undefined],
    ] as const) {
      const response = await send(caller, method, url, payload);
      expect(response.status, `${method} ${url}`).toBe(403);
      expect(response.body).toEqual(FORBIDDEN);
    }
  });

  it("replaces a user's key pair: the old pair answers 401, the new one works", async () => {
    const user = await createInstanceCaller(t, { accountId: admin.accountId, role: 16 });
    const response = await send(admin, 'PUT', `/users/${integerIdOf(user.userId)}/keys`);
    expect(response.status).toBe(200);
    const keys = response.body as { accessKey: string; secretKey: string };
    expect(keys.accessKey).toMatch(/^[0-9a-f]{64}$/);
    expect(keys.secretKey).toMatch(/^[0-9a-f]{64}$/);
    expect((await send(user, 'GET', '/session')).status).toBe(401);
    const fresh = { headers: { 'x-apikeys': `accessKey=${keys.accessKey}; secretKey=${keys.secretKey}` } };
    expect((await send(fresh, 'GET', '/session')).body).toMatchObject({ uuid: user.userId });
    expect(await auditCount('api_keys.generated', user.userId)).toBe(2);
  });

  it("changes passwords: your own with the current one, another user's as an Administrator", async () => {
    const user = await createInstanceCaller(t, { accountId: admin.accountId, role: 16 });
    const wrong = await send(user, 'PUT', `/users/${user.userId}/chpasswd`, { password: 'Another-Horse-43!', current_password: 'wrong' });
    expect(wrong.status).toBe(400);
    const own = await send(user, 'PUT', `/users/${user.userId}/chpasswd`, {
      password: 'Another-Horse-43!',
      current_password: TEST_PASSWORD,
    });
    expect(own.status).toBe(200);
    expect(own.body).toEqual({});
    expect((await send(user, 'PUT', `/users/${admin.userId}/chpasswd`, { password: 'Third-Horse-44!' })).status).toBe(403);
    expect((await send(admin, 'PUT', `/users/${user.userId}/chpasswd`, { password: 'Third-Horse-44!' })).status).toBe(200);
  });
});

describe('/users with portal keys', () => {
  it("still answers the portal's staff users", async () => {
    const portal = await createPortalCaller(t, 64);
    const response = await send(portal, 'GET', '/users');
    expect(response.status).toBe(200);
    const users = (response.body as { users: { uuid: string; id: unknown }[] }).users;
    expect(users.find((user) => user.uuid === portal.staff.id)?.id).toBe(portal.staff.id);
  });
});

describe('/session', () => {
  it('lets a user edit their own name and email and replace their own keys', async () => {
    const user = await createInstanceCaller(t, { role: 16 });
    const edited = await send(user, 'PUT', '/session', { name: 'New Name', email: 'new@customer.example' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: 'New Name', email: 'new@customer.example' });
    const keys = await send(user, 'PUT', '/session/keys');
    expect(keys.status).toBe(200);
    expect((await send(user, 'GET', '/session')).status).toBe(401);
  });

  it('refuses child keys a lasting key pair or a profile change in the instance', async () => {
    const staff = await createStaff(t.ctx, { role: 64 });
    const account = await createAccount(t.ctx);
    const child = await createChildKeys(t, staff, account.id);
    expect((await send(child, 'PUT', '/session/keys')).status).toBe(403);
    expect((await send(child, 'PUT', '/session', { name: 'Nope' })).status).toBe(403);
    const portalKeys = await t.ctx.db.selectFrom('api_keys').select('id').where('user_id', '=', staff.id).execute();
    expect(portalKeys).toEqual([]);
  });
});
