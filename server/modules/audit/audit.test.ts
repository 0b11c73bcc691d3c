import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createAccount, createContact, createStaff, signIn } from '../../test/factories.js';

describe('audit log', () => {
  let t: TestApp;
  let adminCookie: string;
  let adminUsername: string;
  beforeAll(async () => {
    t = await buildTestApp();
    const admin = await createStaff(t.ctx, { role: 64, username: 'auditor@mssp.example' });
    adminUsername = admin.username;
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: 'intruder@mssp.example', password: 'Wrong-Password-1!' },
    });
    adminCookie = (await signIn(t.app, admin.username)).cookie;
  });
  afterAll(() => t.close());

  it('lists events newest first with who, what, from where', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/audit-events', headers: { cookie: adminCookie } });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.total).toBe(2);
    expect(body.items.map((item: { action: string }) => item.action)).toEqual(['auth.sign_in', 'auth.sign_in_failed']);
    expect(body.items[0]).toMatchObject({ actorUsername: adminUsername, outcome: 'success', ip: '127.0.0.1' });
    expect(body.items[1]).toMatchObject({ actorUsername: 'intruder@mssp.example', outcome: 'failure', actorUserId: null });
  });

  it('filters by user, action and date', async () => {
    const get = async (query: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/audit-events?${query}`, headers: { cookie: adminCookie } })).json();
    expect((await get('user=INTRUDER')).items).toHaveLength(1);
    expect((await get('action=auth.sign_in')).items.map((item: { actorUsername: string }) => item.actorUsername)).toEqual([adminUsername]);
    expect((await get(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).total).toBe(0);
    expect((await get(`to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).total).toBeGreaterThanOrEqual(2);
    expect((await get('user=%25')).total).toBe(0);
    const invalid = await t.app.inject({ method: 'GET', url: '/api/audit-events?action=drop.tables', headers: { cookie: adminCookie } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.issues[0].path).toBe('querystring.action');
  });

  it('is for Administrators only (role test)', async () => {
    for (const role of [16, 24, 32, 40] as const) {
      const staff = await createStaff(t.ctx, { role });
      const { cookie } = await signIn(t.app, staff.username);
      const response = await t.app.inject({ method: 'GET', url: '/api/audit-events', headers: { cookie } });
      expect(response.statusCode, `role ${role}`).toBe(403);
    }
    const account = await createAccount(t.ctx);
    const contact = await createContact(t.ctx, account.id, { role: 64 });
    const { cookie } = await signIn(t.app, contact.username);
    expect((await t.app.inject({ method: 'GET', url: '/api/audit-events', headers: { cookie } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/audit-events' })).statusCode).toBe(401);
  });
});
