import type { LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { REFUSED_WHILE_ASSISTING_MESSAGE } from '../../lib/assist-guard.js';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { assignAccount, createAccount, createContact, createStaff, signIn, type SignedIn } from '../../test/factories.js';
import { startTestSmtpServer, type TestSmtpServer } from '../../test/smtp.js';
import { recordAudit } from '../audit/audit.service.js';
import { buildActor } from '../users/users.service.js';
import { ASSIST_COOKIE } from './assist.cookie.js';
import {
  ADMINISTRATOR_CANNOT_BE_ASSISTED_MESSAGE,
  ALREADY_ASSISTING_MESSAGE,
  DISABLED_USER_MESSAGE,
  resolveAssist,
  startAssist,
} from './assist.service.js';

const REASON = 'Ticket 4711: cannot find the Acme account';

/** The assist cookie a response set ('' when it cleared it), or undefined when it did not touch it. */
function assistCookieOf(response: LightMyRequestResponse): string | undefined {
  const header = response.headers['set-cookie'];
  const all = Array.isArray(header) ? header : header ? [header] : [];
  const found = all.find((value) => value.startsWith(`${ASSIST_COOKIE}=`));
  return found === undefined ? undefined : (found.split(';')[0] ?? '').slice(ASSIST_COOKIE.length + 1);
}

describe('user assist', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  /** An Administrator signed in, a Basic user assigned to two of three accounts, signed in on their own too. */
  async function arrange(options: { rememberMe?: boolean } = {}) {
    const adminRow = await createStaff(t.ctx, { role: 64 });
    const admin = await signIn(t.app, adminRow.username, undefined, options.rememberMe ?? false);
    const basicRow = await createStaff(t.ctx, { role: 16 });
    const accounts = [await createAccount(t.ctx), await createAccount(t.ctx), await createAccount(t.ctx)];
    await assignAccount(t.ctx, basicRow.id, accounts[0]!.id);
    await assignAccount(t.ctx, basicRow.id, accounts[1]!.id);
    const basic = await signIn(t.app, basicRow.username);
    return { adminRow, admin, basicRow, basic, accounts };
  }

  const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
  const post = (url: string, who: SignedIn, payload?: object, extraCookie = '') =>
    t.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { ...who.writeHeaders, cookie: `${who.cookie}${extraCookie}` },
    });

  async function start(admin: SignedIn, userId: string, reason = REASON) {
    const response = await post('/api/assist', admin, { userId, reason });
    expect(response.statusCode, response.body).toBe(201);
    const token = assistCookieOf(response);
    expect(token).toBeTruthy();
    return { response, cookie: `${admin.cookie}; ${ASSIST_COOKIE}=${token}`, assistPart: `; ${ASSIST_COOKIE}=${token}`, token: token! };
  }

  const countGrants = async () =>
    (
      await t.ctx.db
        .selectFrom('assist_grants')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  it('shows the Basic user with exactly their accounts, keeps both own sessions untouched, and stops back to the Administrator', async () => {
    const { adminRow, admin, basicRow, basic, accounts } = await arrange();
    const { response, cookie, assistPart, token } = await start(admin, basicRow.id);
    expect(response.json()).toMatchObject({ assistedUser: { id: basicRow.id, username: basicRow.username, role: 16 } });
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    // The Administrator's session cookie is not replaced.
    expect(setCookie).not.toContain('bulwark_session=');

    const session = (await get('/api/auth/session', cookie)).json();
    expect(session.user).toMatchObject({ id: basicRow.id, username: basicRow.username, role: 16 });
    expect(session.assisting).toMatchObject({ by: { id: adminRow.id, username: adminRow.username }, reason: REASON });
    expect(new Date(session.assisting.endsAt).getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    // Same session, so the same CSRF token keeps working.
    expect(session.csrfToken).toBe(admin.csrfToken);

    const seen = (await get('/api/accounts', cookie)).json().items.map((item: { id: string }) => item.id);
    expect(seen.sort()).toEqual([accounts[0]!.id, accounts[1]!.id].sort());
    expect((await get(`/api/accounts/${accounts[2]!.id}`, cookie)).statusCode).toBe(404);
    // User management is the Administrator's, not the assisted user's.
    expect((await get('/api/admin/users', cookie)).statusCode).toBe(403);

    // The assisted user's own session is unaffected and knows nothing of the assist.
    const own = (await get('/api/auth/session', basic.cookie)).json();
    expect(own.user.id).toBe(basicRow.id);
    expect(own.assisting ?? null).toBeNull();

    // The token is stored only as a keyed hash.
    const grant = await t.ctx.db
      .selectFrom('assist_grants')
      .selectAll()
      .where('assisted_user_id', '=', basicRow.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(grant)).not.toContain(token);
    expect(grant).toMatchObject({ administrator_user_id: adminRow.id, reason: REASON, ended_at: null });

    const stopped = await post('/api/assist/stop', admin, undefined, assistPart);
    expect(stopped.statusCode).toBe(204);
    expect(assistCookieOf(stopped)).toBe('');

    // Back to the Administrator on the same session; the old assist cookie no longer works.
    const after = await get('/api/auth/session', cookie);
    expect(after.json().user.id).toBe(adminRow.id);
    expect(after.json().assisting ?? null).toBeNull();
    expect(assistCookieOf(after)).toBe('');
    expect((await get('/api/admin/users', admin.cookie)).statusCode).toBe(200);
    expect((await get('/api/auth/session', basic.cookie)).json().user.id).toBe(basicRow.id);

    const ended = await t.ctx.db.selectFrom('assist_grants').selectAll().where('id', '=', grant.id).executeTakeFirstOrThrow();
    expect(ended.end_reason).toBe('stopped');
    const events = await t.ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('target_id', '=', basicRow.id)
      .where('action', 'in', ['assist.started', 'assist.stopped'])
      .orderBy('at')
      .execute();
    expect(events.map((event) => [event.action, event.actor_user_id, event.on_behalf_of_user_id])).toEqual([
      ['assist.started', adminRow.id, basicRow.id],
      ['assist.stopped', adminRow.id, basicRow.id],
    ]);
    expect(events[0]!.details).toMatchObject({ reason: REASON, onBehalfOfUsername: basicRow.username });
    expect(events[1]!.details).toMatchObject({ reason: REASON, endedBy: 'administrator' });
  });

  it('refuses an Administrator, a disabled user, a contact, an unknown user and a missing or short reason, changing nothing', async () => {
    const { admin, basicRow } = await arrange();
    const otherAdmin = await createStaff(t.ctx, { role: 64 });
    const disabled = await createStaff(t.ctx, { role: 32, isDisabled: true });
    const contact = await createContact(t.ctx, (await createAccount(t.ctx)).id);
    const before = await countGrants();

    const cases: Array<[object, number, string]> = [
      [{ userId: otherAdmin.id, reason: REASON }, 403, ADMINISTRATOR_CANNOT_BE_ASSISTED_MESSAGE],
      [{ userId: admin.session.user.id, reason: REASON }, 403, ADMINISTRATOR_CANNOT_BE_ASSISTED_MESSAGE],
      [{ userId: disabled.id, reason: REASON }, 409, DISABLED_USER_MESSAGE],
      [{ userId: contact.id, reason: REASON }, 404, 'User not found.'],
      [{ userId: '00000000-0000-4000-8000-000000000000', reason: REASON }, 404, 'User not found.'],
      [{ userId: basicRow.id, reason: '  ab ' }, 400, 'Give a reason of at least 3 characters.'],
      [{ userId: basicRow.id, reason: 'x'.repeat(501) }, 400, 'Keep the reason under 501 characters.'],
      [{ userId: basicRow.id }, 400, 'reason'],
      [{ userId: 'not-a-uuid', reason: REASON }, 400, 'userId'],
    ];
    for (const [payload, status, message] of cases) {
      const response = await post('/api/assist', admin, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(status);
      expect(response.json().error.message).toContain(message);
      expect(assistCookieOf(response)).toBeUndefined();
    }
    expect(await countGrants()).toBe(before);
    const refused = await t.ctx.db
      .selectFrom('audit_events')
      .select(['details', 'outcome'])
      .where('action', '=', 'assist.started')
      .where('target_id', '=', otherAdmin.id)
      .executeTakeFirstOrThrow();
    expect(refused).toMatchObject({ outcome: 'failure', details: { refused: 'administrator', reason: REASON } });
  });

  it('answers 403 to a non-administrator starting an assist through the API, and to a write without the CSRF token', async () => {
    const { basic, basicRow, admin } = await arrange();
    const other = await createStaff(t.ctx, { role: 40 });
    const response = await post('/api/assist', basic, { userId: other.id, reason: REASON });
    expect(response.statusCode).toBe(403);
    expect(assistCookieOf(response)).toBeUndefined();

    const withoutCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/assist',
      payload: { userId: basicRow.id, reason: REASON },
      headers: { cookie: admin.cookie },
    });
    expect(withoutCsrf.statusCode).toBe(403);
    expect(withoutCsrf.json().error.code).toBe('csrf_failed');
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/assist', payload: { userId: basicRow.id, reason: REASON } });
    expect(anonymous.statusCode).toBe(401);
    expect(await t.ctx.db.selectFrom('assist_grants').select('id').where('assisted_user_id', '=', basicRow.id).execute()).toEqual([]);
  });

  it('refuses an assist within an assist, and the assisted user’s security settings (API keys) while assisting', async () => {
    const { admin, basicRow } = await arrange();
    const { assistPart } = await start(admin, basicRow.id);
    const another = await createStaff(t.ctx, { role: 24 });
    const nested = await post('/api/assist', admin, { userId: another.id, reason: REASON }, assistPart);
    expect(nested.statusCode).toBe(409);
    expect(nested.json().error.message).toBe(ALREADY_ASSISTING_MESSAGE);

    const keys = await post('/api/me/api-keys', admin, undefined, assistPart);
    expect(keys.statusCode).toBe(403);
    expect(keys.json().error.message).toBe(REFUSED_WHILE_ASSISTING_MESSAGE);
    expect(await t.ctx.db.selectFrom('api_keys').select('id').where('user_id', '=', basicRow.id).execute()).toEqual([]);
    // Nor may the Administrator, while assisting, generate anyone's keys through Edit User.
    expect((await post(`/api/admin/users/${basicRow.id}/api-keys`, admin, undefined, assistPart)).statusCode).toBe(403);
  });

  it('records writes made while assisting with both identities (sign-out here), and the cookie dies with the session', async () => {
    const { adminRow, admin, basicRow } = await arrange();
    const { assistPart, cookie } = await start(admin, basicRow.id);
    const signOut = await post('/api/auth/sign-out', admin, undefined, assistPart);
    expect(signOut.statusCode).toBe(204);
    const event = await t.ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'auth.sign_out')
      .where('actor_user_id', '=', adminRow.id)
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_username: adminRow.username, on_behalf_of_user_id: basicRow.id });
    expect(event.details).toMatchObject({ onBehalfOfUsername: basicRow.username });
    expect((await get('/api/auth/session', cookie)).statusCode).toBe(401);

    // recordAudit itself: any event written by an assisted actor names both.
    const assisted = await resolveAssistFor(adminRow.id, basicRow.id);
    await recordAudit({ ...t.ctx, actor: assisted }, { action: 'account.edited', targetType: 'account', targetId: 'x' });
    const written = await t.ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'account.edited')
      .where('target_id', '=', 'x')
      .executeTakeFirstOrThrow();
    expect(written).toMatchObject({ actor_user_id: adminRow.id, actor_username: adminRow.username, on_behalf_of_user_id: basicRow.id });
  });

  /** An assisted actor as the authentication hook builds it, from a grant started through the service. */
  async function resolveAssistFor(adminId: string, userId: string) {
    const session = await t.ctx.db
      .insertInto('sessions')
      .values({ token_hash: `test-${Math.random()}`, user_id: adminId, is_persistent: true, expires_at: new Date(Date.now() + 3_600_000) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const adminRow = await t.ctx.db.selectFrom('users').selectAll().where('id', '=', adminId).executeTakeFirstOrThrow();
    const ctx = { ...t.ctx, actor: buildActor(adminRow, []) };
    const { token } = await startAssist(ctx, session.id, { userId, reason: REASON });
    const resolved = await resolveAssist(t.ctx, token, { id: session.id, userId: adminId });
    if (!resolved) throw new Error('assist did not resolve');
    return resolved.actor;
  }

  it('ends by itself after 30 minutes (controllable clock): valid at 29:59, expired at 30:00, audited once', async () => {
    const { adminRow, basicRow } = await arrange();
    const session = await t.ctx.db
      .insertInto('sessions')
      .values({
        token_hash: `clock-${Math.random()}`,
        user_id: adminRow.id,
        is_persistent: true,
        expires_at: new Date(Date.now() + 86_400_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const startedAt = new Date('2030-01-01T10:00:00Z');
    const ctx = { ...t.ctx, actor: buildActor(adminRow, []) };
    const { token, response } = await startAssist(ctx, session.id, { userId: basicRow.id, reason: REASON }, startedAt);
    expect(response.endsAt).toBe('2030-01-01T10:30:00.000Z');
    const bound = { id: session.id, userId: adminRow.id };

    const almost = await resolveAssist(t.ctx, token, bound, new Date('2030-01-01T10:29:59.999Z'));
    expect(almost?.actor).toMatchObject({ userId: basicRow.id, assistedBy: { userId: adminRow.id, reason: REASON } });
    expect(await resolveAssist(t.ctx, token, bound, new Date('2030-01-01T10:30:00.000Z'))).toBeNull();
    expect(await resolveAssist(t.ctx, token, bound, new Date('2030-01-01T10:31:00.000Z'))).toBeNull();
    // Even back inside the window, an ended grant stays ended.
    expect(await resolveAssist(t.ctx, token, bound, new Date('2030-01-01T10:10:00.000Z'))).toBeNull();
    const expired = await t.ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'assist.expired')
      .where('target_id', '=', basicRow.id)
      .execute();
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ actor_user_id: adminRow.id, on_behalf_of_user_id: basicRow.id });
    expect(expired[0]!.details).toMatchObject({ reason: REASON, endedBy: 'time_limit' });
  });

  it('over HTTP, 30 minutes later the next request is the Administrator again and the cookie is cleared', async () => {
    // Remember Me, so the Administrator's own session outlives the 30 idle minutes the clock skips.
    const { adminRow, admin, basicRow } = await arrange({ rememberMe: true });
    vi.useFakeTimers({ toFake: ['Date'], now: new Date() });
    const { cookie } = await start(admin, basicRow.id);
    vi.setSystemTime(Date.now() + 29 * 60_000);
    expect((await get('/api/auth/session', cookie)).json().user.id).toBe(basicRow.id);
    vi.setSystemTime(Date.now() + 60_000);
    const after = await get('/api/auth/session', cookie);
    expect(after.statusCode).toBe(200);
    expect(after.json().user.id).toBe(adminRow.id);
    expect(after.json().assisting ?? null).toBeNull();
    expect(assistCookieOf(after)).toBe('');
    const grant = await t.ctx.db
      .selectFrom('assist_grants')
      .selectAll()
      .where('assisted_user_id', '=', basicRow.id)
      .executeTakeFirstOrThrow();
    expect(grant.end_reason).toBe('expired');
  });

  it('works only with the session that started it, and ends when the assisted user is disabled', async () => {
    const { adminRow, admin, basicRow } = await arrange();
    const { assistPart, cookie } = await start(admin, basicRow.id);
    // The same Administrator on another browser, carrying the stolen assist cookie: nothing happens.
    const elsewhere = await signIn(t.app, adminRow.username);
    const stolen = await get('/api/auth/session', `${elsewhere.cookie}${assistPart}`);
    expect(stolen.json().user.id).toBe(adminRow.id);
    expect((await get('/api/auth/session', cookie)).json().user.id).toBe(basicRow.id);
    // The assisted user's own session cookie cannot carry it either.
    const basic = await signIn(t.app, basicRow.username);
    expect((await get('/api/auth/session', `${basic.cookie}${assistPart}`)).json().assisting ?? null).toBeNull();

    const disabled = await t.app.inject({
      method: 'POST',
      url: `/api/admin/users/${basicRow.id}/disable`,
      headers: elsewhere.writeHeaders,
    });
    expect(disabled.statusCode, disabled.body).toBe(200);
    const after = await get('/api/auth/session', cookie);
    expect(after.json().user.id).toBe(adminRow.id);
    const grant = await t.ctx.db
      .selectFrom('assist_grants')
      .selectAll()
      .where('assisted_user_id', '=', basicRow.id)
      .executeTakeFirstOrThrow();
    expect(grant.end_reason).toBe('revoked');
  });
});

describe('user assist with ASSIST_NOTIFY_USER and ASSIST_MAX_MINUTES', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    t = await buildTestApp({ SMTP_URL: smtp.url, ASSIST_NOTIFY_USER: 'true', ASSIST_MAX_MINUTES: '10' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('mails the assisted user who assists them, why and until when; the assist lasts the configured minutes', async () => {
    const adminRow = await createStaff(t.ctx, { role: 64 });
    const admin = await signIn(t.app, adminRow.username);
    const user = await createStaff(t.ctx, { role: 32, email: 'grace@mail.example' });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/assist',
      payload: { userId: user.id, reason: REASON },
      headers: admin.writeHeaders,
    });
    expect(response.statusCode).toBe(201);
    const { startedAt, endsAt } = response.json();
    expect(new Date(endsAt).getTime() - new Date(startedAt).getTime()).toBe(10 * 60_000);
    const message = await smtp.waitForMessage('grace@mail.example');
    expect(message.subject).toBe('An administrator is assisting your Bulwark account');
    expect(message.text).toContain(adminRow.username);
    expect(message.text).toContain(REASON);
    expect(message.text).toContain(endsAt);
    expect(message.text).toContain('cannot change your password');
  });
});
