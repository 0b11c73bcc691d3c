import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createStaff, signIn, type SignedIn } from '../../test/factories.js';

describe('approved domains', () => {
  let t: TestApp;
  let admin: SignedIn;
  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signIn(t.app, (await createStaff(t.ctx, { role: 64, username: 'ada@domains-test.example' })).username);
  });
  afterAll(() => t.close());

  const list = async (who: SignedIn = admin) => t.app.inject({ method: 'GET', url: '/api/admin/domains', headers: { cookie: who.cookie } });
  const add = (domain: string, who: SignedIn = admin) =>
    t.app.inject({ method: 'POST', url: '/api/admin/domains', payload: { domain }, headers: who.writeHeaders });
  const remove = (domain: string, who: SignedIn = admin) =>
    t.app.inject({ method: 'DELETE', url: `/api/admin/domains/${encodeURIComponent(domain)}`, headers: who.writeHeaders });

  it('lists domains with how many users are in each', async () => {
    const body = (await list()).json();
    expect(body.items).toEqual([expect.objectContaining({ domain: 'domains-test.example', userCount: 1 })]);
  });

  it('adds a domain in lowercase, refuses a duplicate and bad syntax, and records the audit event', async () => {
    const added = await add(' Contoso-MSSP.Example ');
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ domain: 'contoso-mssp.example', userCount: 0 });
    expect((await add('contoso-mssp.example')).statusCode).toBe(409);
    for (const bad of ['nodot', 'has space.example', '-start.example', 'a..b.example', 'under_score.example', '@x.example', '']) {
      expect((await add(bad)).statusCode, bad).toBe(400);
    }
    const event = await t.ctx.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'domain.added')
      .executeTakeFirstOrThrow();
    expect(event.details).toEqual({ domain: 'contoso-mssp.example' });
  });

  it('removes an unused domain, refuses one in use naming how many users use it, and 404s an unknown one', async () => {
    await add('spare.example');
    expect((await remove('spare.example')).statusCode).toBe(204);
    expect((await list()).json().items.map((item: { domain: string }) => item.domain)).not.toContain('spare.example');
    expect(await t.ctx.db.selectFrom('audit_events').select('id').where('action', '=', 'domain.removed').execute()).toHaveLength(1);

    await createStaff(t.ctx, { username: 'bob@domains-test.example' });
    const inUse = await remove('domains-test.example');
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().error.message).toBe('domains-test.example cannot be removed: 2 users have usernames in it.');
    expect((await remove('unknown.example')).statusCode).toBe(404);
  });

  it('refuses non-administrators and anonymous callers (role test)', async () => {
    const manager = await signIn(t.app, (await createStaff(t.ctx, { role: 40 })).username);
    expect((await list(manager)).statusCode).toBe(403);
    expect((await add('x.example', manager)).statusCode).toBe(403);
    expect((await remove('domains-test.example', manager)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/domains' })).statusCode).toBe(401);
  });
});
