import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVALID_CREDENTIALS_MESSAGE } from '../../../common/errors.js';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { cookieFrom, createStaff, signIn, TEST_PASSWORD } from '../../test/factories.js';
import { linkIn, startTestSmtpServer, type TestSmtpServer } from '../../test/smtp.js';
import { findUserById } from '../users/users.repository.js';

const NEW_PASSWORD = 'Another-Strong-Pass-7#';

async function auditActions(t: TestApp, username: string): Promise<string[]> {
  const rows = await t.database.db
    .selectFrom('audit_events')
    .select('action')
    .where('actor_username', '=', username)
    .orderBy('at')
    .execute();
  return rows.map((row) => row.action);
}

describe('sign-in and sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('signs in, sets an httpOnly SameSite=Lax browser-session cookie, and records last login', async () => {
    const user = await createStaff(t.ctx);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: user.username.toUpperCase(), password: TEST_PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Max-Age|Expires|Secure/i);
    const body = response.json();
    expect(body.user).toMatchObject({ id: user.id, username: user.username, role: 64, kind: 'staff' });
    expect(body.user).not.toHaveProperty('password_hash');
    expect(body.idleTimeoutMinutes).toBe(30);
    expect((await findUserById(t.database.db, user.id))?.last_login_at).toBeInstanceOf(Date);
    expect(await auditActions(t, user.username)).toContain('auth.sign_in');

    const session = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: cookieFrom(response) } });
    expect(session.statusCode).toBe(200);
    expect(session.json().user.id).toBe(user.id);
  });

  it('answers a wrong password and an unknown username with the same message, and counts the failure', async () => {
    const user = await createStaff(t.ctx);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: user.username, password: 'Wrong-Password-1!' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: 'nobody@mssp.example', password: 'Wrong-Password-1!' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: { code: 'invalid_credentials', message: INVALID_CREDENTIALS_MESSAGE } });
    expect(unknown.json()).toEqual(wrong.json());
    const after = await findUserById(t.database.db, user.id);
    expect(after?.failed_login_count).toBe(1);
    expect(after?.last_failed_login_at).toBeInstanceOf(Date);
    expect(await auditActions(t, user.username)).toEqual(['auth.sign_in_failed']);
    expect(await auditActions(t, 'nobody@mssp.example')).toEqual(['auth.sign_in_failed']);
  });

  it('refuses users without a password and disabled users', async () => {
    const invited = await createStaff(t.ctx, { password: null });
    const noPassword = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: invited.username, password: TEST_PASSWORD },
    });
    expect(noPassword.statusCode).toBe(401);
    expect(noPassword.json().error.message).toBe(INVALID_CREDENTIALS_MESSAGE);

    const disabled = await createStaff(t.ctx, { isDisabled: true });
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: disabled.username, password: TEST_PASSWORD },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('account_disabled');
  });

  it('ends a session at once when its user is disabled', async () => {
    const user = await createStaff(t.ctx);
    const signedIn = await signIn(t.app, user.username);
    await t.database.db.updateTable('users').set({ is_disabled: true }).where('id', '=', user.id).execute();
    const response = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: signedIn.cookie } });
    expect(response.statusCode).toBe(401);
  });

  it('signs out: the cookie stops working and the event is audited', async () => {
    const user = await createStaff(t.ctx);
    const signedIn = await signIn(t.app, user.username);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: signedIn.writeHeaders });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: signedIn.cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthenticated');
    expect(await auditActions(t, user.username)).toEqual(['auth.sign_in', 'auth.sign_out']);
  });

  it('refuses cookie-authenticated writes without the CSRF token or from another origin', async () => {
    const user = await createStaff(t.ctx);
    const signedIn = await signIn(t.app, user.username);
    const noToken = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie: signedIn.cookie } });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('csrf_failed');
    const crossOrigin = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { ...signedIn.writeHeaders, origin: 'https://evil.example' },
    });
    expect(crossOrigin.statusCode).toBe(403);
    expect(crossOrigin.json().error.code).toBe('csrf_failed');
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { ...signedIn.writeHeaders, 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.statusCode).toBe(403);
    // Nothing was done: the session still works.
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: signedIn.cookie } })).statusCode).toBe(200);
    const sameOrigin = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { ...signedIn.writeHeaders, origin: t.config.publicUrl },
    });
    expect(sameOrigin.statusCode).toBe(204);
  });

  it('refuses a cross-origin sign-in attempt (login CSRF)', async () => {
    const user = await createStaff(t.ctx);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { origin: 'https://evil.example' },
      payload: { username: user.username, password: TEST_PASSWORD },
    });
    expect(response.statusCode).toBe(403);
  });
});

describe('inactivity timeout and Remember Me', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ SESSION_IDLE_MINUTES: '0.01' });
  });
  afterAll(() => t.close());

  it('ends a session idle longer than the timeout, but keeps a Remember Me session', async () => {
    const user = await createStaff(t.ctx);
    const plain = await signIn(t.app, user.username, TEST_PASSWORD, false);
    const remembered = await signIn(t.app, user.username, TEST_PASSWORD, true);
    expect(remembered.session.idleTimeoutMinutes).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const expired = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: plain.cookie } });
    expect(expired.statusCode).toBe(401);
    const kept = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: remembered.cookie } });
    expect(kept.statusCode).toBe(200);
    expect(await auditActions(t, user.username)).toContain('auth.session_expired');
  });

  it('keeps an active session alive past the timeout while it is used', async () => {
    const user = await createStaff(t.ctx);
    const plain = await signIn(t.app, user.username);
    for (let index = 0; index < 6; index += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const response = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: plain.cookie } });
      expect(response.statusCode).toBe(200);
    }
  });
});

describe('Secure cookie over https', () => {
  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const t = await buildTestApp({ PUBLIC_URL: 'https://bulwark.example' });
    try {
      const user = await createStaff(t.ctx);
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { username: user.username, password: TEST_PASSWORD },
      });
      expect(String(response.headers['set-cookie'])).toMatch(/Secure/);
    } finally {
      await t.close();
    }
  });
});

describe('sign-in throttle', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ SIGN_IN_MAX_FAILURES_PER_USER: '3', SIGN_IN_MAX_ATTEMPTS_PER_IP: '8' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After after too many failures for one username, even with the right password', async () => {
    const user = await createStaff(t.ctx);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        remoteAddress: '10.0.0.1',
        payload: { username: user.username, password: 'Wrong-Password-1!' },
      });
      expect(response.statusCode).toBe(401);
    }
    const blocked = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      remoteAddress: '10.0.0.2',
      payload: { username: user.username, password: TEST_PASSWORD },
    });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json().error.code).toBe('rate_limited');
    expect(await auditActions(t, user.username)).toContain('auth.sign_in_throttled');
  });

  it('answers 429 after too many attempts from one IP address', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 9; attempt += 1) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        remoteAddress: '10.0.0.9',
        payload: { username: `someone-${attempt}@mssp.example`, password: 'Wrong-Password-1!' },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 8).every((status) => status === 401)).toBe(true);
    expect(statuses[8]).toBe(429);
    // Another address is not affected.
    const user = await createStaff(t.ctx);
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      remoteAddress: '10.0.0.10',
      payload: { username: user.username, password: TEST_PASSWORD },
    });
    expect(other.statusCode).toBe(200);
  });
});

describe('forgot password through a real SMTP server', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    t = await buildTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'http://bulwark.test:8080' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('mails a single-use link valid one hour; resetting ends old sessions and the old password', async () => {
    const user = await createStaff(t.ctx, { email: 'ops.lead@mssp.example' });
    const oldSession = await signIn(t.app, user.username);
    const request = await t.app.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { username: user.username } });
    expect(request.statusCode).toBe(202);
    const message = await smtp.waitForMessage('ops.lead@mssp.example');
    const link = linkIn(message);
    expect(link).toMatch(/^http:\/\/bulwark\.test:8080\/reset-password\?token=/);
    const token = new URL(link).searchParams.get('token') ?? '';

    const row = await t.database.db.selectFrom('one_time_tokens').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    const minutes = (row.expires_at.getTime() - row.created_at.getTime()) / 60_000;
    expect(minutes).toBeCloseTo(60, 0);
    expect(row.token_hash).not.toContain(token);

    const inspect = await t.app.inject({ method: 'POST', url: '/api/auth/reset-password/inspect', payload: { token } });
    expect(inspect.json()).toEqual({ username: user.username });

    const weak = await t.app.inject({ method: 'POST', url: '/api/auth/reset-password', payload: { token, password: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.issues[0].path).toBe('body.password');

    const reset = await t.app.inject({ method: 'POST', url: '/api/auth/reset-password', payload: { token, password: NEW_PASSWORD } });
    expect(reset.statusCode).toBe(200);
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/reset-password', payload: { token, password: NEW_PASSWORD } });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('invalid_token');

    expect((await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: oldSession.cookie } })).statusCode).toBe(401);
    const oldPassword = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: user.username, password: TEST_PASSWORD },
    });
    expect(oldPassword.statusCode).toBe(401);
    await signIn(t.app, user.username, NEW_PASSWORD);
    expect(await auditActions(t, user.username)).toEqual(
      expect.arrayContaining(['auth.password_reset_requested', 'auth.password_reset_completed', 'auth.sign_in']),
    );
  });

  it('mails the username when Email is empty (users invited without a password set one this way)', async () => {
    const user = await createStaff(t.ctx, { password: null, username: 'new.analyst@mssp.example' });
    await t.app.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { username: user.username } });
    const message = await smtp.waitForMessage('new.analyst@mssp.example');
    const token = new URL(linkIn(message)).searchParams.get('token') ?? '';
    const reset = await t.app.inject({ method: 'POST', url: '/api/auth/reset-password', payload: { token, password: NEW_PASSWORD } });
    expect(reset.statusCode).toBe(200);
    await signIn(t.app, user.username, NEW_PASSWORD);
  });

  it('answers the same for an unknown username and sends nothing', async () => {
    const before = smtp.messages.length;
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { username: 'ghost@mssp.example' } });
    expect(response.statusCode).toBe(202);
    const known = await createStaff(t.ctx);
    const knownResponse = await t.app.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { username: known.username } });
    expect(response.json()).toEqual(knownResponse.json());
    await smtp.waitForMessage(known.username);
    expect(smtp.messages.length).toBe(before + 1);
  });

  it('refuses an expired link', async () => {
    const user = await createStaff(t.ctx, { email: 'late@mssp.example' });
    await t.app.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { username: user.username } });
    const token = new URL(linkIn(await smtp.waitForMessage('late@mssp.example'))).searchParams.get('token') ?? '';
    await t.database.db
      .updateTable('one_time_tokens')
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where('user_id', '=', user.id)
      .execute();
    const reset = await t.app.inject({ method: 'POST', url: '/api/auth/reset-password', payload: { token, password: NEW_PASSWORD } });
    expect(reset.statusCode).toBe(400);
    expect(reset.json().error.message).toMatch(/invalid or has expired/);
  });
});
