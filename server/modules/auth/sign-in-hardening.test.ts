import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createStaff, TEST_PASSWORD } from '../../test/factories.js';
import { findUserById } from '../users/users.repository.js';
import { assertNotThrottled, registerFailedSignIn, SIGN_IN_LOCKED_MESSAGE, signIn } from './auth.service.js';

const WRONG = 'Wrong-Password-1!';

/** Records the SQL text (never the values) of every statement run through the database it is plugged into. */
function recordStatements(t: TestApp) {
  const statements: string[] = [];
  const executor = t.database.db.getExecutor();
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      statements.push(executor.compileQuery(args.node, args.queryId).sql);
      return args.node;
    },
    transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => args.result,
  };
  return { db: t.database.db.withPlugin(plugin), statements };
}

describe('sign-in lockout over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  const attempt = (username: string, password: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/sign-in', remoteAddress, payload: { username, password } });

  it('locks a username after 5 failures with "try again later", and answers an unknown username exactly the same', async () => {
    const user = await createStaff(t.ctx, { username: 'locked.out@mssp.example' });
    const unknown = 'no.such.user@mssp.example';
    const answers: Record<'known' | 'unknown', Array<{ status: number; body: unknown }>> = { known: [], unknown: [] };
    // Each from its own address, so the per-IP throttle plays no part.
    for (let attempt_ = 0; attempt_ < 5; attempt_ += 1) {
      const known = await attempt(user.username, WRONG, `10.2.0.${attempt_}`);
      const ghost = await attempt(unknown, WRONG, `10.3.0.${attempt_}`);
      answers.known.push({ status: known.statusCode, body: known.json() });
      answers.unknown.push({ status: ghost.statusCode, body: ghost.json() });
    }
    expect(answers.known.every((answer) => answer.status === 401)).toBe(true);
    expect(answers.known[0]?.body).toEqual({ error: { code: 'invalid_credentials', message: 'Invalid username or password.' } });
    expect(answers.unknown).toEqual(answers.known);

    // The right password does not help while the lock lasts.
    const knownLocked = await attempt(user.username.toUpperCase(), TEST_PASSWORD, '10.2.1.1');
    const unknownLocked = await attempt(unknown, TEST_PASSWORD, '10.3.1.1');
    expect(knownLocked.statusCode).toBe(429);
    expect(knownLocked.json()).toEqual({ error: { code: 'rate_limited', message: SIGN_IN_LOCKED_MESSAGE } });
    expect(SIGN_IN_LOCKED_MESSAGE).toBe('Too many failed sign-in attempts. Try again later.');
    expect(unknownLocked.statusCode).toBe(knownLocked.statusCode);
    expect(unknownLocked.json()).toEqual(knownLocked.json());
    expect(Number(knownLocked.headers['retry-after'])).toBeGreaterThan(50);
    expect(Number(knownLocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(Math.abs(Number(unknownLocked.headers['retry-after']) - Number(knownLocked.headers['retry-after']))).toBeLessThanOrEqual(2);
    expect(knownLocked.headers['set-cookie']).toBeUndefined();

    // The users table keeps the counters; the audit log has the lock and its end.
    const row = await findUserById(t.database.db, user.id);
    expect(row?.failed_login_count).toBe(5);
    expect(row?.last_failed_login_at).toBeInstanceOf(Date);
    const locks = await t.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'auth.sign_in_locked')
      .where('actor_username', 'in', [user.username, unknown])
      .execute();
    expect(locks.map((event) => event.actor_username).sort()).toEqual([user.username, unknown].sort());
    for (const lock of locks) {
      expect(lock.details).toMatchObject({ minutes: 1, lockNumber: 1 });
      const until = new Date(String(lock.details.until)).getTime();
      expect(until - lock.at.getTime()).toBeGreaterThan(55_000);
      expect(until - lock.at.getTime()).toBeLessThanOrEqual(61_000);
    }
    const refused = await t.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'auth.sign_in_throttled')
      .where('actor_username', '=', user.username.toUpperCase())
      .executeTakeFirstOrThrow();
    expect(refused.details).toMatchObject({ reason: 'locked' });
  });

  it('a successful sign-in forgets earlier failures, and last login is recorded', async () => {
    const user = await createStaff(t.ctx);
    for (let i = 0; i < 4; i += 1) expect((await attempt(user.username, WRONG, `10.4.0.${i}`)).statusCode).toBe(401);
    expect((await attempt(user.username, TEST_PASSWORD, '10.4.1.0')).statusCode).toBe(200);
    for (let i = 0; i < 4; i += 1) expect((await attempt(user.username, WRONG, `10.4.2.${i}`)).statusCode).toBe(401);
    expect((await attempt(user.username, TEST_PASSWORD, '10.4.3.0')).statusCode).toBe(200);
    const row = await findUserById(t.database.db, user.id);
    expect(row?.last_login_at).toBeInstanceOf(Date);
    // The seed's total number of failed attempts is kept, not reset.
    expect(row?.failed_login_count).toBe(8);
  });
});

describe('sign-in lockout periods with a controllable clock', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ SIGN_IN_MAX_FAILURES_PER_USER: '3', SIGN_IN_LOCKOUT_MINUTES: '1,5,15' });
  });
  afterAll(() => t.close());

  it('locks for 1, then 5, then 15, then 30 minutes, each lock ending exactly on time', async () => {
    const username = 'clocked@mssp.example';
    let now = new Date('2026-11-22T09:00:00Z');
    const at = (ms: number) => new Date(now.getTime() + ms);
    for (const minutes of [1, 5, 15, 30]) {
      for (let i = 0; i < 3; i += 1) {
        const { lockedUntil } = await registerFailedSignIn(t.ctx, username, null, now);
        expect(lockedUntil?.getTime() ?? null).toBe(i === 2 ? at(minutes * 60_000).getTime() : null);
      }
      await expect(assertNotThrottled(t.ctx, username, at(minutes * 60_000 - 1000))).rejects.toMatchObject({
        code: 'rate_limited',
        message: SIGN_IN_LOCKED_MESSAGE,
        details: { retryAfterSeconds: 1 },
      });
      await expect(assertNotThrottled(t.ctx, username, at(minutes * 60_000))).resolves.toBeUndefined();
      now = at(minutes * 60_000);
    }
  });
});

describe('an unknown username takes the same path as a real one', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  async function statementsOf(username: string, password: string, remoteAddress: string) {
    const recording = recordStatements(t);
    const ctx = { ...t.ctx, db: recording.db, origin: { ip: remoteAddress, userAgent: 'test' } };
    const outcome = await signIn(ctx, { username, password, rememberMe: false }).then(
      () => ({ code: 'signed_in', message: '' }),
      (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
    );
    return { outcome, statements: recording.statements };
  }

  it('runs the very same statements for a wrong password and for an unknown username, locked or not', async () => {
    const user = await createStaff(t.ctx, { username: 'same.path@mssp.example' });
    const known = await statementsOf(user.username, WRONG, '10.5.0.1');
    const unknown = await statementsOf('not.there@mssp.example', WRONG, '10.5.0.2');
    expect(known.outcome).toEqual({ code: 'invalid_credentials', message: 'Invalid username or password.' });
    expect(unknown.outcome).toEqual(known.outcome);
    expect(known.statements.length).toBeGreaterThan(4);
    expect(unknown.statements).toEqual(known.statements);

    for (let i = 0; i < 4; i += 1) {
      await statementsOf(user.username, WRONG, `10.5.1.${i}`);
      await statementsOf('not.there@mssp.example', WRONG, `10.5.2.${i}`);
    }
    const knownLocked = await statementsOf(user.username, TEST_PASSWORD, '10.5.3.1');
    const unknownLocked = await statementsOf('not.there@mssp.example', TEST_PASSWORD, '10.5.3.2');
    expect(knownLocked.outcome).toEqual({ code: 'rate_limited', message: SIGN_IN_LOCKED_MESSAGE });
    expect(unknownLocked.outcome).toEqual(knownLocked.outcome);
    expect(unknownLocked.statements).toEqual(knownLocked.statements);
    // A locked username is refused without looking it up among the users.
    expect(knownLocked.statements.some((statement) => /from "users"/.test(statement))).toBe(false);
  });
});
