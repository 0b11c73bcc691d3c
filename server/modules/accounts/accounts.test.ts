import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { assignAccount, createAccount, createContact, createStaff, signIn, TEST_PASSWORD } from '../../test/factories.js';

describe('accounts list', () => {
  let t: TestApp;
  let adminCookie: string;
  beforeAll(async () => {
    t = await buildTestApp();
    const admin = await createStaff(t.ctx, { role: 64 });
    adminCookie = (await signIn(t.app, admin.username)).cookie;
    await createAccount(t.ctx, { name: 'Acme Manufacturing', siteId: 'ACME-NYC-01', apps: ['vm', 'was'] });
    await createAccount(t.ctx, { name: 'Globex Retail', siteId: 'GLBX-01', notes: 'Escalate to the 24x7 desk', apps: ['cs'] });
    await createAccount(t.ctx, { name: 'Initech Bank', siteId: 'INI-LDN-02', apps: ['vm'] });
  });
  afterAll(() => t.close());

  const list = async (cookie: string, query = '') => t.app.inject({ method: 'GET', url: `/api/accounts${query}`, headers: { cookie } });

  it('shows Administrators every account, sorted by name, with licences', async () => {
    const body = (await list(adminCookie)).json();
    expect(body.total).toBe(3);
    expect(body.items.map((item: { name: string }) => item.name)).toEqual(['Acme Manufacturing', 'Globex Retail', 'Initech Bank']);
    expect(body.items[0].licenses.map((license: { app: string }) => license.app)).toEqual(['vm', 'was']);
  });

  it('searches name, site identifier, notes and licensed apps case-insensitively, and pages', async () => {
    const names = async (query: string) => (await list(adminCookie, query)).json().items.map((item: { name: string }) => item.name);
    expect(await names('?search=acme')).toEqual(['Acme Manufacturing']);
    expect(await names('?search=ldn')).toEqual(['Initech Bank']);
    expect(await names('?search=24X7')).toEqual(['Globex Retail']);
    expect(await names('?search=cs')).toEqual(['Globex Retail']);
    expect(await names('?search=%25')).toEqual([]);
    expect(await names('?pageSize=2&page=2')).toEqual(['Initech Bank']);
    expect(await names('?sort=siteId&order=desc')).toEqual(['Initech Bank', 'Globex Retail', 'Acme Manufacturing']);
    expect((await list(adminCookie, '?pageSize=1000')).statusCode).toBe(400);
  });

  it("shows other staff only their assigned accounts; another customer's account is not listed (cross-tenant)", async () => {
    const analyst = await createStaff(t.ctx, { role: 32 });
    const mine = await createAccount(t.ctx, { name: 'Umbrella Health' });
    await assignAccount(t.ctx, analyst.id, mine.id);
    const { cookie } = await signIn(t.app, analyst.username);
    const body = (await list(cookie)).json();
    expect(body.items.map((item: { name: string }) => item.name)).toEqual(['Umbrella Health']);
    expect(body.total).toBe(1);
    const unassigned = await createStaff(t.ctx, { role: 16 });
    expect((await list((await signIn(t.app, unassigned.username)).cookie)).json()).toMatchObject({ items: [], total: 0 });
  });

  it('shows every write on the next request: the in-memory directory follows the data version', async () => {
    const names = async (query: string) => (await list(adminCookie, query)).json().items.map((item: { name: string }) => item.name);
    // Warm the directory, then change the data underneath it through every table it reads.
    expect(await names('?search=hooli')).toEqual([]);
    const hooli = await createAccount(t.ctx, { name: 'Hooli Media', siteId: 'HOOL-01', apps: ['vm'] });
    expect(await names('?search=hooli')).toEqual(['Hooli Media']);
    await t.database.db.updateTable('customer_accounts').set({ custom_name: 'Hooli XYZ' }).where('id', '=', hooli.id).execute();
    expect(await names('?search=xyz')).toEqual(['Hooli Media']);
    await t.database.db.updateTable('account_licenses').set({ asset_limit: 77 }).where('account_id', '=', hooli.id).execute();
    const row = (await list(adminCookie, '?search=hool-01')).json().items[0];
    expect(row.licenses[0].assetLimit).toBe(77);
    const logo = await t.database.db
      .insertInto('logos')
      .values({ name: 'Hooli', file_name: 'hooli.png', storage_key: 'logos/hooli', width: 1, height: 1, size_bytes: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.database.db.updateTable('customer_accounts').set({ logo_id: logo.id }).where('id', '=', hooli.id).execute();
    expect((await list(adminCookie, '?search=hool-01')).json().items[0].logoId).toBe(logo.id);
    await t.database.db.deleteFrom('logos').where('id', '=', logo.id).execute();
    expect((await list(adminCookie, '?search=hool-01')).json().items[0].logoId).toBeNull();
    await t.database.db.deleteFrom('customer_accounts').where('id', '=', hooli.id).execute();
    expect(await names('?search=hooli')).toEqual([]);
  });

  it("follows a staff user's assignments as they change", async () => {
    const analyst = await createStaff(t.ctx, { role: 16 });
    const first = await createAccount(t.ctx, { name: 'Vandelay Imports' });
    const second = await createAccount(t.ctx, { name: 'Wonka Foods' });
    const { cookie } = await signIn(t.app, analyst.username);
    await assignAccount(t.ctx, analyst.id, first.id);
    expect((await list(cookie)).json().items.map((item: { name: string }) => item.name)).toEqual(['Vandelay Imports']);
    await assignAccount(t.ctx, analyst.id, second.id);
    expect((await list(cookie)).json().items.map((item: { name: string }) => item.name)).toEqual(['Vandelay Imports', 'Wonka Foods']);
    await t.database.db
      .deleteFrom('staff_account_assignments')
      .where('user_id', '=', analyst.id)
      .where('account_id', '=', first.id)
      .execute();
    expect((await list(cookie)).json()).toMatchObject({ total: 1, items: [{ name: 'Wonka Foods' }] });
  });

  it('refuses contacts and anonymous callers (role test)', async () => {
    const account = await createAccount(t.ctx);
    const contact = await createContact(t.ctx, account.id, { role: 64 });
    expect((await list((await signIn(t.app, contact.username)).cookie)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/accounts' })).statusCode).toBe(401);
  });
});

describe('creating, reading and editing accounts', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;
  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signIn(t.app, (await createStaff(t.ctx, { role: 64 })).username);
  });
  afterAll(() => t.close());

  const newAccount = {
    name: 'Stark Industries',
    siteId: 'STARK-01',
    region: 'EU',
    notes: 'Weekly scans',
    isFedramp: true,
    companyName: 'Stark Industries Ltd',
    postalAddress: '10880 Malibu Point',
    contactEmail: 'it@stark.example',
    licenses: [
      { app: 'vm', assetLimit: 500, expiresOn: '2027-06-30' },
      { app: 'was', assetLimit: 20 },
    ],
    subscriptions: [{ product: 'Tenable Vulnerability Management', serviceLevel: 'Gold', startsOn: '2026-01-01', endsOn: '2027-06-30' }],
  };

  it('creates an account whose id is its container UUID, with licences and subscriptions, and audits it', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/accounts', headers: admin.writeHeaders, payload: newAccount });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({ name: 'Stark Industries', siteId: 'STARK-01', isFedramp: true, isActive: true, logoId: null });
    expect(body.containerUuid).toBe(body.id);
    // Licensed assets are counted from the instance (none yet), never typed in.
    expect(body.licenses).toEqual([
      { app: 'vm', assetLimit: 500, licensedAssets: 0, expiresOn: '2027-06-30' },
      { app: 'was', assetLimit: 20, licensedAssets: 0, expiresOn: null },
    ]);
    expect(body.subscriptions[0]).toMatchObject({ product: 'Tenable Vulnerability Management', serviceLevel: 'Gold' });
    const details = await t.app.inject({ method: 'GET', url: `/api/accounts/${body.id}`, headers: { cookie: admin.cookie } });
    expect(details.json().companyName).toBe('Stark Industries Ltd');
    const audit = await t.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'account.created').execute();
    expect(audit.map((event) => event.target_id)).toContain(body.id);
  });

  it('refuses bad input and changes nothing', async () => {
    const before = await t.ctx.db.selectFrom('customer_accounts').select('id').execute();
    for (const payload of [
      { ...newAccount, name: '' },
      {
        ...newAccount,
        licenses: [
          { app: 'vm', assetLimit: 1 },
          { app: 'vm', assetLimit: 2 },
        ],
      },
      { ...newAccount, licenses: [{ app: 'xx', assetLimit: 1 }] },
      { ...newAccount, subscriptions: [{ product: 'P', serviceLevel: 'S', startsOn: '2027-01-01', endsOn: '2026-01-01' }] },
      { ...newAccount, contactEmail: 'not-an-email' },
    ]) {
      const response = await t.app.inject({ method: 'POST', url: '/api/accounts', headers: admin.writeHeaders, payload });
      expect(response.statusCode).toBe(400);
    }
    expect(await t.ctx.db.selectFrom('customer_accounts').select('id').execute()).toHaveLength(before.length);
  });

  it('records every custom name change in the history, newest first, and saves notes', async () => {
    const account = await createAccount(t.ctx, { name: 'Wayne Enterprises' });
    const patch = (payload: object) =>
      t.app.inject({ method: 'PATCH', url: `/api/accounts/${account.id}`, headers: admin.writeHeaders, payload });
    expect((await patch({ customName: 'Wayne Corp', notes: 'Night shift' })).statusCode).toBe(200);
    expect((await patch({ customName: 'Wayne Tech' })).statusCode).toBe(200);
    const unchanged = await patch({ customName: 'Wayne Tech', notes: 'Night shift only' });
    const body = unchanged.json();
    expect(body).toMatchObject({ customName: 'Wayne Tech', notes: 'Night shift only' });
    expect(body.customNameHistory.map((entry: { oldValue: string | null; newValue: string }) => [entry.oldValue, entry.newValue])).toEqual([
      ['Wayne Corp', 'Wayne Tech'],
      [null, 'Wayne Corp'],
    ]);
    expect(body.customNameHistory[0].changedByUsername).toBe(admin.session.user.username);
    const cleared = (await patch({ customName: '' })).json();
    expect(cleared.customName).toBeNull();
    expect(cleared.customNameHistory[0]).toMatchObject({ oldValue: 'Wayne Tech', newValue: null });
    const actions = await t.ctx.db.selectFrom('audit_events').select('action').where('target_id', '=', account.id).execute();
    expect(actions.filter((row) => row.action === 'account.custom_name_changed')).toHaveLength(3);
    expect(actions.some((row) => row.action === 'account.edited')).toBe(true);
  });

  it('lets an Administrator edit everything set at creation: licences and subscriptions replaced together, changes audited', async () => {
    const created = (await t.app.inject({ method: 'POST', url: '/api/accounts', headers: admin.writeHeaders, payload: newAccount })).json();
    const patch = (payload: object) =>
      t.app.inject({ method: 'PATCH', url: `/api/accounts/${created.id}`, headers: admin.writeHeaders, payload });
    const response = await patch({
      name: 'Stark Industries Europe',
      siteId: 'STARK-EU-01',
      region: 'EU',
      isFedramp: false,
      companyName: 'Stark Europe GmbH',
      postalAddress: '1 Industriestrasse, Berlin',
      contactEmail: 'eu-it@stark.example',
      licenses: [
        { app: 'vm', assetLimit: 800, expiresOn: '2028-01-31' },
        { app: 'cs', assetLimit: 5, expiresOn: null },
      ],
      subscriptions: [
        { product: 'Tenable Vulnerability Management', serviceLevel: 'Platinum', startsOn: '2026-01-01', endsOn: '2028-01-31' },
        { product: 'Tenable Container Security', serviceLevel: 'Silver', startsOn: '2026-03-01', endsOn: '2026-03-01' },
      ],
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      name: 'Stark Industries Europe',
      siteId: 'STARK-EU-01',
      isFedramp: false,
      companyName: 'Stark Europe GmbH',
      postalAddress: '1 Industriestrasse, Berlin',
      contactEmail: 'eu-it@stark.example',
      notes: 'Weekly scans',
    });
    expect(body.licenses).toEqual([
      { app: 'cs', assetLimit: 5, licensedAssets: 0, expiresOn: null },
      { app: 'vm', assetLimit: 800, licensedAssets: 0, expiresOn: '2028-01-31' },
    ]);
    expect(body.subscriptions.map((entry: { serviceLevel: string }) => entry.serviceLevel)).toEqual(['Platinum', 'Silver']);
    const edits = async () =>
      (
        await t.ctx.db
          .selectFrom('audit_events')
          .select('details')
          .where('target_id', '=', created.id)
          .where('action', '=', 'account.edited')
          .orderBy('at')
          .execute()
      ).map((row) => (row.details as { fields: string[] }).fields);
    expect(await edits()).toEqual([
      ['name', 'siteId', 'isFedramp', 'companyName', 'postalAddress', 'contactEmail', 'licenses', 'subscriptions'],
    ]);
    // Sending the same values again changes nothing worth auditing; removing every licence and subscription is an edit.
    expect((await patch({ region: 'EU', licenses: body.licenses, subscriptions: body.subscriptions.slice().reverse() })).statusCode).toBe(
      200,
    );
    expect(await edits()).toHaveLength(1);
    const cleared = (await patch({ licenses: [], subscriptions: [], contactEmail: '' })).json();
    expect(cleared).toMatchObject({ licenses: [], subscriptions: [], contactEmail: null });
    expect((await edits())[1]).toEqual(['contactEmail', 'licenses', 'subscriptions']);
  });

  it('refuses bad edits with 400 and changes nothing', async () => {
    const created = (await t.app.inject({ method: 'POST', url: '/api/accounts', headers: admin.writeHeaders, payload: newAccount })).json();
    const subscription = { product: 'P', serviceLevel: 'S', startsOn: '2026-01-01', endsOn: '2026-12-31' };
    for (const payload of [
      { name: 'Renamed', subscriptions: [{ ...subscription, startsOn: '2027-01-01', endsOn: '2026-01-01' }] },
      { name: 'Renamed', licenses: [{ app: 'xx', assetLimit: 1 }] },
      { name: 'Renamed', licenses: [{ app: 'vm', assetLimit: -1 }] },
      { name: 'Renamed', licenses: [{ app: 'vm', assetLimit: 10, expiresOn: 'soon' }] },
      {
        name: 'Renamed',
        licenses: [
          { app: 'vm', assetLimit: 1 },
          { app: 'vm', assetLimit: 2 },
        ],
      },
      { name: 'Renamed', subscriptions: [{ ...subscription, product: '' }] },
      { name: '', licenses: [] },
      { contactEmail: 'not-an-email', subscriptions: [] },
    ]) {
      const response = await t.app.inject({ method: 'PATCH', url: `/api/accounts/${created.id}`, headers: admin.writeHeaders, payload });
      expect(response.statusCode).toBe(400);
    }
    const after = (await t.app.inject({ method: 'GET', url: `/api/accounts/${created.id}`, headers: { cookie: admin.cookie } })).json();
    expect(after).toMatchObject({ name: created.name, contactEmail: created.contactEmail, licenses: created.licenses });
    expect(after.subscriptions).toEqual(created.subscriptions);
    const edits = await t.ctx.db
      .selectFrom('audit_events')
      .select('id')
      .where('target_id', '=', created.id)
      .where('action', '=', 'account.edited')
      .execute();
    expect(edits).toHaveLength(0);
  });

  it('shows other staff the details of their accounts only; another account answers 404 (cross-tenant)', async () => {
    const analyst = await createStaff(t.ctx, { role: 40 });
    const mine = await createAccount(t.ctx, { name: 'Assigned Co' });
    const other = await createAccount(t.ctx, { name: 'Other Co' });
    await assignAccount(t.ctx, analyst.id, mine.id);
    const { cookie, writeHeaders } = await signIn(t.app, analyst.username);
    expect((await t.app.inject({ method: 'GET', url: `/api/accounts/${mine.id}`, headers: { cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/accounts/${other.id}`, headers: { cookie } })).statusCode).toBe(404);
    const missing = crypto.randomUUID();
    expect((await t.app.inject({ method: 'GET', url: `/api/accounts/${missing}`, headers: { cookie: admin.cookie } })).statusCode).toBe(
      404,
    );
    expect(
      (await t.app.inject({ method: 'PATCH', url: `/api/accounts/${missing}`, headers: admin.writeHeaders, payload: { notes: 'x' } }))
        .statusCode,
    ).toBe(404);
    // Role test: only Administrators create, edit or deactivate accounts.
    expect((await t.app.inject({ method: 'POST', url: '/api/accounts', headers: writeHeaders, payload: newAccount })).statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: 'PATCH', url: `/api/accounts/${mine.id}`, headers: writeHeaders, payload: { notes: 'x' } })).statusCode,
    ).toBe(403);
    const licencesEdit = { licenses: [{ app: 'vm', assetLimit: 9 }], subscriptions: [] };
    expect(
      (await t.app.inject({ method: 'PATCH', url: `/api/accounts/${mine.id}`, headers: writeHeaders, payload: licencesEdit })).statusCode,
    ).toBe(403);
    expect(
      (await t.app.inject({ method: 'PATCH', url: `/api/accounts/${missing}`, headers: admin.writeHeaders, payload: licencesEdit }))
        .statusCode,
    ).toBe(404);
    const mineAfter = (await t.app.inject({ method: 'GET', url: `/api/accounts/${mine.id}`, headers: { cookie: admin.cookie } })).json();
    expect(mineAfter.licenses.map((license: { assetLimit: number }) => license.assetLimit)).not.toContain(9);
    expect((await t.app.inject({ method: 'POST', url: `/api/accounts/${mine.id}/deactivate`, headers: writeHeaders })).statusCode).toBe(
      403,
    );
  });

  it("deactivation keeps the data, refuses its contacts' sign-in and ends their sessions; reactivation restores sign-in", async () => {
    const account = await createAccount(t.ctx, { name: 'Cyberdyne' });
    const contact = await createContact(t.ctx, account.id);
    const session = await signIn(t.app, contact.username);
    const me = () => t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: session.cookie } });
    expect((await me()).statusCode).toBe(200);
    const deactivated = await t.app.inject({ method: 'POST', url: `/api/accounts/${account.id}/deactivate`, headers: admin.writeHeaders });
    expect(deactivated.json()).toMatchObject({ isActive: false, name: 'Cyberdyne' });
    expect((await me()).statusCode).toBe(401);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: contact.username, password: TEST_PASSWORD },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toEqual({
      code: 'account_disabled',
      message: 'This customer account is deactivated. Contact your service provider.',
    });
    const wrongPassword = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: contact.username, password: 'Wrong-Horse-42!' },
    });
    expect(wrongPassword.statusCode).toBe(401);
    const list = (await t.app.inject({ method: 'GET', url: '/api/accounts?search=cyberdyne', headers: { cookie: admin.cookie } })).json();
    expect(list.items[0].isActive).toBe(false);
    await t.app.inject({ method: 'POST', url: `/api/accounts/${account.id}/reactivate`, headers: admin.writeHeaders });
    expect((await signIn(t.app, contact.username)).session.user.username).toBe(contact.username);
    const actions = await t.ctx.db.selectFrom('audit_events').select('action').where('target_id', '=', account.id).execute();
    expect(actions.map((row) => row.action)).toEqual(expect.arrayContaining(['account.deactivated', 'account.reactivated']));
  });
});
