import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { assignAccount, createAccount, createContact, createStaff, signIn } from '../../test/factories.js';

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

  it('refuses contacts and anonymous callers (role test)', async () => {
    const account = await createAccount(t.ctx);
    const contact = await createContact(t.ctx, account.id, { role: 64 });
    expect((await list((await signIn(t.app, contact.username)).cookie)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/accounts' })).statusCode).toBe(401);
  });
});
