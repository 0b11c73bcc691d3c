import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, type TestApp } from '../../test/build-test-app.js';
import { createInstanceCaller } from '../../test/instance-api.js';
import { consumeApiRequest, setAccountApiLimit } from './rate-limit.js';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Requests spread over a minute boundary would be counted in two windows: start early in one. */
async function startOfAFreshMinuteIfLate(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 50));
}

async function rateLimitAudits(userId: string) {
  return t.ctx.db
    .selectFrom('audit_events')
    .select(['details', 'account_id'])
    .where('action', '=', 'api.rate_limited')
    .where('target_id', '=', userId)
    .execute();
}

describe('consumeApiRequest', () => {
  it('allows the configured default per user per minute, then refuses until the window ends, auditing the first refusal', async () => {
    const caller = await createInstanceCaller(t);
    const ctx = { ...t.ctx, config: { ...t.ctx.config, apiRateLimit: { requestsPerMinute: 2 } } };
    const input = { userId: caller.userId, accountId: caller.accountId };
    const windowStart = Date.UTC(2030, 0, 1, 12, 0, 0);
    const at = (ms: number) => ({ ...input, now: new Date(windowStart + ms) });
    expect(await consumeApiRequest(ctx, at(0))).toEqual({ isAllowed: true });
    expect(await consumeApiRequest(ctx, at(1_000))).toEqual({ isAllowed: true });
    expect(await consumeApiRequest(ctx, at(20_300))).toEqual({ isAllowed: false, retryAfterSeconds: 40 });
    expect(await consumeApiRequest(ctx, at(59_999))).toEqual({ isAllowed: false, retryAfterSeconds: 1 });
    expect(await consumeApiRequest(ctx, at(60_000))).toEqual({ isAllowed: true });
    const audits = await rateLimitAudits(caller.userId);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ account_id: caller.accountId, details: { limitPerMinute: 2, retryAfterSeconds: 40 } });
  });

  it("uses the account's own limit over the default, counts each user apart, and clears finished windows", async () => {
    const first = await createInstanceCaller(t);
    const second = await createInstanceCaller(t, { accountId: first.accountId });
    await setAccountApiLimit(t.ctx, first.accountId, 1);
    const now = new Date(Date.UTC(2030, 0, 2, 0, 0, 30));
    expect(await consumeApiRequest(t.ctx, { userId: first.userId, accountId: first.accountId, now })).toEqual({ isAllowed: true });
    expect(await consumeApiRequest(t.ctx, { userId: second.userId, accountId: first.accountId, now })).toEqual({ isAllowed: true });
    expect((await consumeApiRequest(t.ctx, { userId: first.userId, accountId: first.accountId, now })).isAllowed).toBe(false);
    const later = new Date(now.getTime() + 5 * 60_000);
    expect(await consumeApiRequest(t.ctx, { userId: first.userId, accountId: first.accountId, now: later })).toEqual({ isAllowed: true });
    const windows = await t.ctx.db.selectFrom('api_request_counts').select('window_start').where('user_id', '=', first.userId).execute();
    expect(windows.map((row) => row.window_start.getTime())).toEqual([Date.UTC(2030, 0, 2, 0, 5, 0)]);
  });

  it('refuses a limit outside 1 to 1000000', async () => {
    const caller = await createInstanceCaller(t);
    await expect(setAccountApiLimit(t.ctx, caller.accountId, 0)).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(setAccountApiLimit(t.ctx, caller.accountId, 2.5)).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('the instance API over its limit', () => {
  it('answers 429 with an integer Retry-After and changes nothing', async () => {
    const caller = await createInstanceCaller(t, { role: 64 });
    await setAccountApiLimit(t.ctx, caller.accountId, 3);
    await startOfAFreshMinuteIfLate();
    for (let index = 0; index < 3; index += 1) {
      expect((await t.app.inject({ method: 'GET', url: '/users', headers: caller.headers })).statusCode).toBe(200);
    }
    const refused = await t.app.inject({
      method: 'PUT',
      url: '/session',
      headers: caller.headers,
      payload: { name: 'Changed While Limited' },
    });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    const user = await t.ctx.db.selectFrom('users').select('name').where('id', '=', caller.userId).executeTakeFirstOrThrow();
    expect(user.name).not.toBe('Changed While Limited');
    expect(await rateLimitAudits(caller.userId)).toHaveLength(1);
  });
});

// Two nodes need one PostgreSQL; PGlite is single-process.
describe.skipIf(!process.env.DATABASE_URL)('two nodes against one PostgreSQL', () => {
  it('share the counter', async () => {
    const shared = await createTestDatabase();
    const secrets = { SESSION_SECRET: 'shared-session-secret-for-two-nodes-0123456789', MASTER_KEY: 'cd'.repeat(32) };
    const nodeA = await buildTestApp(secrets, { database: shared.database });
    const nodeB = await buildTestApp(secrets, { database: shared.database });
    try {
      const caller = await createInstanceCaller(nodeA, { role: 16 });
      await setAccountApiLimit(nodeA.ctx, caller.accountId, 2);
      await startOfAFreshMinuteIfLate();
      expect((await nodeA.app.inject({ method: 'GET', url: '/session', headers: caller.headers })).statusCode).toBe(200);
      expect((await nodeB.app.inject({ method: 'GET', url: '/session', headers: caller.headers })).statusCode).toBe(200);
      expect((await nodeA.app.inject({ method: 'GET', url: '/session', headers: caller.headers })).statusCode).toBe(429);
      expect((await nodeB.app.inject({ method: 'GET', url: '/session', headers: caller.headers })).statusCode).toBe(429);
    } finally {
      await nodeA.close();
      await nodeB.close();
      await shared.drop();
    }
  });
});
