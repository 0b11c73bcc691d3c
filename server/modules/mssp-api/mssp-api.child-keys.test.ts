import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { assignAccount, createAccount } from '../../test/factories.js';
import { createInstanceCaller, createPortalCaller } from '../../test/instance-api.js';

const FORBIDDEN = { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope' };
const NOT_FOUND = { statusCode: 404, error: 'Not Found', message: 'Not Found' };

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

async function requestChildKeys(headers: Record<string, string>, payload: Record<string, unknown>) {
  const response = await t.app.inject({ method: 'POST', url: '/mssp/accounts/mssp-child-keys', headers, payload });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
}

describe('POST /mssp/accounts/mssp-child-keys', () => {
  it("answers Tenable's shape, with keys that reach that one instance with the staff user's role", async () => {
    const portal = await createPortalCaller(t, 32);
    const account = await createAccount(t.ctx, { siteId: 'site-7' });
    await assignAccount(t.ctx, portal.staff.id, account.id);
    const before = Math.floor(Date.now() / 1000);
    const response = await requestChildKeys(portal.headers, { child_container_uuid: account.id, keys_validity_duration_seconds: 90 });
    expect(response.status).toBe(200);
    const body = response.body as Record<string, string | number | boolean>;
    expect(body).toMatchObject({
      child_container_uuid: account.id,
      child_container_site: 'site-7',
      keys_user_uuid: portal.staff.id,
      remote: false,
    });
    expect(body.parent_container_uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.access_key).toMatch(/^[0-9a-f]{64}$/);
    expect(body.secret_key).toMatch(/^[0-9a-f]{64}$/);
    const expires = Number(body.keys_expiration_epoch_seconds);
    expect(expires - before).toBeGreaterThanOrEqual(90);
    expect(expires - before).toBeLessThanOrEqual(92);
    expect(body._validity_info).toMatch(new RegExp(`^${expires} 90s PT1M30S \\d{4}-\\d\\d-\\d\\dT`));

    const headers = { 'x-apikeys': `accessKey=${body.access_key}; secretKey=${body.secret_key}` };
    const session = await t.app.inject({ method: 'GET', url: '/session', headers });
    expect(session.json()).toMatchObject({ uuid: portal.staff.id, container_uuid: account.id, permissions: 32 });
    // Child keys never reach the portal's API.
    expect((await t.app.inject({ method: 'GET', url: '/mssp/accounts', headers })).json()).toEqual(FORBIDDEN);

    const stored = await t.ctx.db
      .selectFrom('child_api_keys')
      .select(['access_key', 'secret_hash'])
      .where('user_id', '=', portal.staff.id)
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.secret_hash).not.toContain(String(body.secret_key));

    const audit = await t.ctx.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'account_id', 'details'])
      .where('action', '=', 'api_keys.child_keys_generated')
      .where('target_id', '=', account.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: portal.staff.id, account_id: account.id, details: { validitySeconds: 90 } });
    expect(JSON.stringify(audit[0]?.details)).not.toContain(String(body.secret_key));
  });

  it('defaults to 1800 seconds', async () => {
    const portal = await createPortalCaller(t, 64);
    const account = await createAccount(t.ctx);
    const response = await requestChildKeys(portal.headers, { child_container_uuid: account.id });
    expect(response.status).toBe(200);
    expect(response.body._validity_info).toMatch(/ 1800s PT30M /);
  });

  it.each([0, 3601, -5, 1.5])('refuses a validity of %s seconds with 400 and stores nothing', async (seconds) => {
    const portal = await createPortalCaller(t, 64);
    const account = await createAccount(t.ctx);
    const response = await requestChildKeys(portal.headers, { child_container_uuid: account.id, keys_validity_duration_seconds: seconds });
    expect(response.status).toBe(400);
    const stored = await t.ctx.db.selectFrom('child_api_keys').select('id').where('user_id', '=', portal.staff.id).execute();
    expect(stored).toEqual([]);
  });

  it('answers 404 for an account the staff user may not see, a missing one and a malformed id', async () => {
    const portal = await createPortalCaller(t, 40);
    const unassigned = await createAccount(t.ctx);
    for (const id of [unassigned.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const response = await requestChildKeys(portal.headers, { child_container_uuid: id });
      expect(response.status, id).toBe(404);
      expect(response.body).toEqual(NOT_FOUND);
    }
  });

  it("refuses a contact's keys and child keys themselves with 403", async () => {
    const contact = await createInstanceCaller(t, { role: 64 });
    expect((await requestChildKeys(contact.headers, { child_container_uuid: contact.accountId })).body).toEqual(FORBIDDEN);
    const portalKeys = await createPortalCaller(t, 64);
    const first = await requestChildKeys(portalKeys.headers, { child_container_uuid: contact.accountId });
    const childHeaders = { 'x-apikeys': `accessKey=${first.body.access_key}; secretKey=${first.body.secret_key}` };
    const second = await requestChildKeys(childHeaders, { child_container_uuid: contact.accountId });
    expect(second.status).toBe(403);
    expect(second.body).toEqual(FORBIDDEN);
  });
});
