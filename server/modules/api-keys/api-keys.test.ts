import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createAccount, createContact, createStaff, signIn, type SignedIn } from '../../test/factories.js';
import { authenticateApiKeys, parseApiKeysHeader } from './api-keys.service.js';

const AK = 'a'.repeat(64);
const SK = 'b'.repeat(64);

describe('parseApiKeysHeader (tenable-api.md 1.2)', () => {
  it.each([
    ['pyTenable 1.9.1', `accessKey=${AK}; secretKey=${SK}`],
    ['Elastic CEL', `accessKey=${AK};secretKey=${SK}`],
    ['Elastic httpjson (trailing semicolon)', `accessKey=${AK}; secretKey=${SK};`],
    ['Tenable docs', `accessKey=${AK}; secretKey=${SK};`],
    ['surrounding spaces and empty parts', `  ;accessKey = ${AK} ;; secretKey=${SK} ;  `],
    ['reversed order', `secretKey=${SK}; accessKey=${AK}`],
  ])('accepts %s', (_name, header) => {
    expect(parseApiKeysHeader(header)).toEqual({ accessKey: AK, secretKey: SK });
  });

  it.each([
    ['missing header', undefined],
    ['empty', ''],
    ['only semicolons', ';;'],
    ['no secret key', `accessKey=${AK}`],
    ['no access key', `secretKey=${SK}`],
    ['empty secret', `accessKey=${AK}; secretKey=`],
    ['wrong case of the key names', `accesskey=${AK}; secretkey=${SK}`],
    ['a part without =', `accessKey=${AK}; ${SK}`],
    ['a key given twice', `accessKey=${AK}; secretKey=${SK}; secretKey=${SK}`],
    ['comma separated', `accessKey=${AK}, secretKey=${SK}`],
  ])('refuses %s', (_name, header) => {
    expect(parseApiKeysHeader(header)).toBeNull();
  });
});

describe('API keys', () => {
  let t: TestApp;
  let admin: SignedIn;
  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signIn(t.app, (await createStaff(t.ctx, { role: 64 })).username);
  });
  afterAll(() => t.close());

  const header = (keys: { accessKey: string; secretKey: string }) => `accessKey=${keys.accessKey}; secretKey=${keys.secretKey}`;

  it('generates your own pair (64 lowercase hex each), stores only a hash of the secret, and authenticates with it', async () => {
    const staff = await createStaff(t.ctx, { role: 16 });
    const session = await signIn(t.app, staff.username);
    expect((await t.app.inject({ method: 'GET', url: '/api/me/api-keys', headers: { cookie: session.cookie } })).json()).toEqual({
      hasKeys: false,
      createdAt: null,
      lastUsedAt: null,
    });
    const response = await t.app.inject({ method: 'POST', url: '/api/me/api-keys', headers: session.writeHeaders });
    expect(response.statusCode).toBe(201);
    const keys = response.json();
    expect(keys.accessKey).toMatch(/^[0-9a-f]{64}$/);
    expect(keys.secretKey).toMatch(/^[0-9a-f]{64}$/);
    const row = await t.ctx.db.selectFrom('api_keys').selectAll().where('user_id', '=', staff.id).executeTakeFirstOrThrow();
    expect(row.access_key).toBe(keys.accessKey);
    expect(row.secret_hash).not.toContain(keys.secretKey);
    expect(JSON.stringify(row)).not.toContain(keys.secretKey);

    const actor = await authenticateApiKeys(t.ctx, header(keys));
    expect(actor).toMatchObject({ userId: staff.id, role: 16, kind: 'staff' });
    const status = (await t.app.inject({ method: 'GET', url: '/api/me/api-keys', headers: { cookie: session.cookie } })).json();
    expect(status.hasKeys).toBe(true);
    expect(status.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(status)).not.toContain(keys.secretKey);

    const event = await t.ctx.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'api_keys.generated')
      .where('target_id', '=', staff.id)
      .executeTakeFirstOrThrow();
    expect(event.details).toEqual({ forUserId: staff.id, forUsername: staff.username, byUserId: staff.id, byUsername: staff.username });
    expect(JSON.stringify(event.details)).not.toContain(keys.secretKey);
  });

  it('refuses a wrong secret, an unknown access key, a malformed header, the replaced pair and a disabled user', async () => {
    const staff = await createStaff(t.ctx, { role: 32 });
    const first = (
      await t.app.inject({ method: 'POST', url: `/api/admin/users/${staff.id}/api-keys`, headers: admin.writeHeaders })
    ).json();
    expect(await authenticateApiKeys(t.ctx, header(first))).not.toBeNull();
    expect(await authenticateApiKeys(t.ctx, header({ ...first, secretKey: SK }))).toBeNull();
    expect(await authenticateApiKeys(t.ctx, header({ ...first, accessKey: AK }))).toBeNull();
    expect(await authenticateApiKeys(t.ctx, `accessKey=${first.accessKey}`)).toBeNull();

    const second = (
      await t.app.inject({ method: 'POST', url: `/api/admin/users/${staff.id}/api-keys`, headers: admin.writeHeaders })
    ).json();
    expect(await authenticateApiKeys(t.ctx, header(first))).toBeNull();
    expect(await authenticateApiKeys(t.ctx, header(second))).not.toBeNull();
    expect(await t.ctx.db.selectFrom('api_keys').select('id').where('user_id', '=', staff.id).execute()).toHaveLength(1);

    await t.app.inject({ method: 'POST', url: `/api/admin/users/${staff.id}/disable`, headers: admin.writeHeaders });
    expect(await authenticateApiKeys(t.ctx, header(second))).toBeNull();
    await t.app.inject({ method: 'POST', url: `/api/admin/users/${staff.id}/enable`, headers: admin.writeHeaders });
    expect(await authenticateApiKeys(t.ctx, header(second))).not.toBeNull();

    const event = await t.ctx.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'api_keys.generated')
      .where('target_id', '=', staff.id)
      .executeTakeFirstOrThrow();
    expect(event.details).toMatchObject({ forUserId: staff.id, byUserId: admin.session.user.id });
  });

  it('records the last use at most once a minute', async () => {
    const staff = await createStaff(t.ctx, { role: 16 });
    const keys = (await t.app.inject({ method: 'POST', url: `/api/admin/users/${staff.id}/api-keys`, headers: admin.writeHeaders })).json();
    await authenticateApiKeys(t.ctx, header(keys));
    const lastUsed = async () =>
      (await t.ctx.db.selectFrom('api_keys').select('last_used_at').where('user_id', '=', staff.id).executeTakeFirstOrThrow()).last_used_at;
    const first = await lastUsed();
    await authenticateApiKeys(t.ctx, header(keys));
    expect(await lastUsed()).toEqual(first);
    await t.ctx.db
      .updateTable('api_keys')
      .set({ last_used_at: new Date(Date.now() - 61_000) })
      .where('user_id', '=', staff.id)
      .execute();
    await authenticateApiKeys(t.ctx, header(keys));
    expect((await lastUsed())!.getTime()).toBeGreaterThan(Date.now() - 5_000);
  });

  it("answers 404 for a contact's or an unknown user's keys from the admin route (visibility)", async () => {
    const contact = await createContact(t.ctx, (await createAccount(t.ctx)).id);
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/admin/users/${contact.id}/api-keys`, headers: admin.writeHeaders })).statusCode,
    ).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/admin/users/00000000-0000-4000-8000-000000000000/api-keys',
          headers: admin.writeHeaders,
        })
      ).statusCode,
    ).toBe(404);
  });

  it("refuses other staff generating someone else's keys, and anonymous callers (role test)", async () => {
    const staff = await createStaff(t.ctx, { role: 40 });
    const session = await signIn(t.app, staff.username);
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/admin/users/${staff.id}/api-keys`, headers: session.writeHeaders })).statusCode,
    ).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/me/api-keys' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/me/api-keys', headers: { cookie: session.cookie } })).statusCode).toBe(403);
  });
});
