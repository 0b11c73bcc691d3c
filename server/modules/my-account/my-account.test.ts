import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../../common/permissions.js';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createAccount, createContact, createStaff, signIn, TEST_PASSWORD, type SignedIn } from '../../test/factories.js';
import { linkIn, startTestSmtpServer, type TestSmtpServer } from '../../test/smtp.js';
import { findUserById } from '../users/users.repository.js';
import { buildActor } from '../users/users.service.js';
import { changePassword, confirmEmailChange, describeUserAgent, revokeOtherSessions, updateProfile } from './my-account.service.js';

const NEW_PASSWORD = 'Another-Strong-Pass-7#';
const CHROME_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

describe('My Account', () => {
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

  /** The first message to `to` whose subject contains `subject`, waiting up to 10 s. */
  async function waitForMail(to: string, subject: string): Promise<ParsedMail> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = smtp.messages.find(
        (message) =>
          message.subject?.includes(subject) &&
          (Array.isArray(message.to) ? message.to : message.to ? [message.to] : []).some((group) =>
            group.value.some((address) => address.address?.toLowerCase() === to.toLowerCase()),
          ),
      );
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no mail "${subject}" to ${to}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function auditOf(userId: string) {
    return t.database.db.selectFrom('audit_events').selectAll().where('target_id', '=', userId).orderBy('at').execute();
  }

  function call(session: SignedIn, method: 'GET' | 'PATCH' | 'POST' | 'DELETE', url: string, payload?: unknown) {
    return t.app.inject({
      method,
      url,
      headers: method === 'GET' ? { cookie: session.cookie } : session.writeHeaders,
      payload: payload as object,
    });
  }

  it('shows and saves the Name, audited as user.profile_updated', async () => {
    const user = await createStaff(t.ctx, { role: ROLES.basic, email: 'grace@mail.example' });
    const session = await signIn(t.app, user.username);
    const profile = await call(session, 'GET', '/api/my-account/profile');
    expect(profile.statusCode).toBe(200);
    expect(profile.json()).toEqual({ username: user.username, name: user.name, email: 'grace@mail.example', pendingEmailChange: null });

    const saved = await call(session, 'PATCH', '/api/my-account/profile', { name: '  Grace Hopper ' });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().message).toBe('Your changes have been saved.');
    expect(saved.json().profile.name).toBe('Grace Hopper');
    expect((await findUserById(t.database.db, user.id))?.name).toBe('Grace Hopper');
    const events = await auditOf(user.id);
    expect(events.map((event) => event.action)).toContain('user.profile_updated');

    const empty = await call(session, 'PATCH', '/api/my-account/profile', { name: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.issues[0]).toEqual({ path: 'body.name', message: 'Enter your name.' });
  });

  it('changes the Email only when the link mailed to the new address is opened, once, and tells the old address', async () => {
    const user = await createStaff(t.ctx, { email: 'old.address@mail.example' });
    const session = await signIn(t.app, user.username);

    const withoutPassword = await call(session, 'PATCH', '/api/my-account/profile', { email: 'new.address@mail.example' });
    expect(withoutPassword.statusCode).toBe(400);
    expect(withoutPassword.json().error.issues).toEqual([
      { path: 'body.currentPassword', message: 'Enter your current password to change your email.' },
    ]);
    const wrongPassword = await call(session, 'PATCH', '/api/my-account/profile', {
      email: 'new.address@mail.example',
      name: 'Not Saved',
      currentPassword: 'Wrong-Password-1!',
    });
    expect(wrongPassword.statusCode).toBe(400);
    expect(wrongPassword.json().error.message).toBe('The current password is not correct.');
    const untouched = await findUserById(t.database.db, user.id);
    expect(untouched?.name).toBe(user.name);
    expect(untouched?.failed_login_count).toBe(1);
    const notAnEmail = await call(session, 'PATCH', '/api/my-account/profile', { email: 'not-an-address', currentPassword: TEST_PASSWORD });
    expect(notAnEmail.statusCode).toBe(400);
    expect(notAnEmail.json().error.issues[0].path).toBe('body.email');

    const requested = await call(session, 'PATCH', '/api/my-account/profile', {
      email: 'new.address@mail.example',
      currentPassword: TEST_PASSWORD,
    });
    expect(requested.statusCode).toBe(200);
    expect(requested.json().message).toBe(
      'To finish changing your email, open the link we sent to new.address@mail.example within 24 hours.',
    );
    expect(requested.json().profile.email).toBe('old.address@mail.example');
    expect(requested.json().profile.pendingEmailChange.email).toBe('new.address@mail.example');
    expect((await findUserById(t.database.db, user.id))?.email).toBe('old.address@mail.example');

    const mail = await waitForMail('new.address@mail.example', 'Confirm your new Bulwark email address');
    const link = linkIn(mail);
    expect(link).toMatch(/^http:\/\/bulwark\.test:8080\/confirm-email\?token=/);
    const token = new URL(link).searchParams.get('token') ?? '';
    const row = await t.database.db
      .selectFrom('email_change_requests')
      .selectAll()
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).not.toContain(token);
    expect((row.expires_at.getTime() - row.created_at.getTime()) / 3_600_000).toBeCloseTo(24, 1);

    // Public: the link works in a browser with no session.
    const confirmed = await t.app.inject({ method: 'POST', url: '/api/my-account/email/confirm', payload: { token } });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toEqual({ email: 'new.address@mail.example', message: 'Your email address is now new.address@mail.example.' });
    expect((await findUserById(t.database.db, user.id))?.email).toBe('new.address@mail.example');
    const notice = await waitForMail('old.address@mail.example', 'Your Bulwark email address was changed');
    expect(notice.text).toContain('was changed to new.address@mail.example');

    const again = await t.app.inject({ method: 'POST', url: '/api/my-account/email/confirm', payload: { token } });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('invalid_token');

    const actions = (await auditOf(user.id)).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['user.email_change_requested', 'user.email_changed']));
    const changed = (await auditOf(user.id)).find((event) => event.action === 'user.email_changed');
    expect(changed?.details).toMatchObject({ from: 'old.address@mail.example', to: 'new.address@mail.example' });
  });

  it('refuses an email link after 24 hours, and an older link once a newer change was asked for', async () => {
    const user = await createStaff(t.ctx, { email: 'first@mail.example' });
    const session = await signIn(t.app, user.username);
    await call(session, 'PATCH', '/api/my-account/profile', { email: 'second@mail.example', currentPassword: TEST_PASSWORD });
    const firstToken = new URL(linkIn(await waitForMail('second@mail.example', 'Confirm'))).searchParams.get('token') ?? '';
    await call(session, 'PATCH', '/api/my-account/profile', { email: 'third@mail.example', currentPassword: TEST_PASSWORD });
    const secondToken = new URL(linkIn(await waitForMail('third@mail.example', 'Confirm'))).searchParams.get('token') ?? '';

    const superseded = await t.app.inject({ method: 'POST', url: '/api/my-account/email/confirm', payload: { token: firstToken } });
    expect(superseded.statusCode).toBe(400);

    const ctx = { ...t.ctx, actor: null };
    const in25Hours = new Date(Date.now() + 25 * 3_600_000);
    await expect(confirmEmailChange(ctx, secondToken, in25Hours)).rejects.toMatchObject({ code: 'invalid_token' });
    const in23Hours = new Date(Date.now() + 23 * 3_600_000);
    await expect(confirmEmailChange(ctx, secondToken, in23Hours)).resolves.toMatchObject({ email: 'third@mail.example' });
  });

  it('changes the password: the current one must be right, the new one must meet the policy; other sessions end, this one stays', async () => {
    const user = await createStaff(t.ctx, { role: ROLES.standard, email: 'pw.owner@mail.example' });
    const here = await signIn(t.app, user.username);
    const elsewhere = await signIn(t.app, user.username);

    const wrong = await call(here, 'POST', '/api/my-account/password', { currentPassword: 'Wrong-Password-1!', newPassword: NEW_PASSWORD });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({
      code: 'validation_failed',
      message: 'The current password is not correct.',
      issues: [{ path: 'body.currentPassword', message: 'The current password is not correct.' }],
    });

    const weak = await call(here, 'POST', '/api/my-account/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.issues).toEqual([
      { path: 'body.newPassword', message: 'Must be at least 12 characters long.' },
      { path: 'body.newPassword', message: 'Must contain: an uppercase letter, a number, a special character.' },
    ]);
    const same = await call(here, 'POST', '/api/my-account/password', { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD });
    expect(same.statusCode).toBe(400);
    expect(same.json().error.message).toBe('The new password must be different from the current one.');
    expect((await call(elsewhere, 'GET', '/api/my-account/profile')).statusCode).toBe(200);

    const changed = await call(here, 'POST', '/api/my-account/password', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toEqual({
      message: 'Your password has been changed. Your other sessions (1) have been signed out.',
      signedOutSessions: 1,
    });
    expect((await call(here, 'GET', '/api/my-account/profile')).statusCode).toBe(200);
    expect((await call(elsewhere, 'GET', '/api/my-account/profile')).statusCode).toBe(401);

    const notice = await waitForMail('pw.owner@mail.example', 'Your Bulwark password was changed');
    expect(notice.text).not.toContain(NEW_PASSWORD);
    const oldPassword = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: user.username, password: TEST_PASSWORD },
    });
    expect(oldPassword.statusCode).toBe(401);
    await signIn(t.app, user.username, NEW_PASSWORD);

    const events = await auditOf(user.id);
    expect(events.find((event) => event.action === 'user.password_changed')?.details).toEqual({ otherSessionsSignedOut: 1 });
    expect(events.find((event) => event.action === 'sessions.revoked')?.details).toMatchObject({ count: 1 });
    expect(JSON.stringify(events)).not.toContain(NEW_PASSWORD);
  });

  it('lists your sessions with browser, system, IP and times, marks this device, and signs out another one', async () => {
    const user = await createStaff(t.ctx);
    const signInFrom = async (userAgent: string, remoteAddress: string) => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        remoteAddress,
        headers: { 'user-agent': userAgent },
        payload: { username: user.username, password: TEST_PASSWORD },
      });
      expect(response.statusCode).toBe(200);
      const cookie = String(response.headers['set-cookie']).split(';')[0] ?? '';
      const csrfToken = response.json().csrfToken as string;
      return { cookie, csrfToken, session: response.json(), writeHeaders: { cookie, 'x-csrf-token': csrfToken } } satisfies SignedIn;
    };
    const laptop = await signInFrom(CHROME_ON_WINDOWS, '10.1.0.1');
    const desktop = await signInFrom(FIREFOX_ON_LINUX, '10.1.0.2');
    const third = await signInFrom(FIREFOX_ON_LINUX, '10.1.0.3');

    const list = await call(laptop, 'GET', '/api/my-account/sessions');
    expect(list.statusCode).toBe(200);
    const items = list.json().items as Array<Record<string, unknown>>;
    expect(items).toHaveLength(3);
    expect(items[0]).toMatchObject({ browser: 'Chrome 131', os: 'Windows 10', ip: '10.1.0.1', isCurrent: true, isPersistent: false });
    expect(items.filter((item) => item.isCurrent)).toHaveLength(1);
    expect(items.find((item) => item.ip === '10.1.0.2')).toMatchObject({ browser: 'Firefox 133', os: 'Linux', isCurrent: false });
    const desktopId = String(items.find((item) => item.ip === '10.1.0.2')?.id);
    const currentId = String(items[0]?.id);

    const self = await call(laptop, 'DELETE', `/api/my-account/sessions/${currentId}`);
    expect(self.statusCode).toBe(409);

    const revoked = await call(laptop, 'DELETE', `/api/my-account/sessions/${desktopId}`);
    expect(revoked.statusCode).toBe(200);
    expect((await call(desktop, 'GET', '/api/my-account/profile')).statusCode).toBe(401);
    expect((await call(laptop, 'GET', '/api/my-account/sessions')).json().items).toHaveLength(2);

    const others = await call(laptop, 'POST', '/api/my-account/sessions/sign-out-others');
    expect(others.json()).toEqual({ signedOutSessions: 1, message: '1 other session signed out.' });
    expect((await call(third, 'GET', '/api/my-account/profile')).statusCode).toBe(401);
    expect((await call(laptop, 'GET', '/api/my-account/sessions')).json().items).toHaveLength(1);

    const revokedEvents = (
      await t.database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'sessions.revoked')
        .where('actor_user_id', '=', user.id)
        .execute()
    ).map((event) => event.details);
    expect(revokedEvents).toEqual(expect.arrayContaining([expect.objectContaining({ count: 1, reason: 'signed_out_by_user' })]));
    expect(revokedEvents).toEqual(expect.arrayContaining([expect.objectContaining({ count: 1, reason: 'signed_out_other_sessions' })]));
  });

  it("never shows or signs out another user's sessions: 404, and the session keeps working", async () => {
    const alice = await createStaff(t.ctx);
    const mallory = await createStaff(t.ctx, { role: ROLES.administrator });
    const aliceSession = await signIn(t.app, alice.username);
    const mallorySession = await signIn(t.app, mallory.username);
    const aliceSessionId = ((await call(aliceSession, 'GET', '/api/my-account/sessions')).json().items as Array<{ id: string }>)[0]?.id;

    const listed = (await call(mallorySession, 'GET', '/api/my-account/sessions')).json().items as Array<{ id: string }>;
    expect(listed.map((item) => item.id)).not.toContain(aliceSessionId);
    const attempt = await call(mallorySession, 'DELETE', `/api/my-account/sessions/${aliceSessionId}`);
    expect(attempt.statusCode).toBe(404);
    expect(attempt.json().error.code).toBe('not_found');
    const missing = await call(mallorySession, 'DELETE', '/api/my-account/sessions/00000000-0000-4000-8000-000000000000');
    expect(missing.json()).toEqual(attempt.json());
    expect((await call(aliceSession, 'GET', '/api/my-account/profile')).statusCode).toBe(200);
  });

  it('is open to every role and to customer contacts, and closed to anonymous callers and cross-site writes', async () => {
    const account = await createAccount(t.ctx);
    const users = [
      ...(await Promise.all([ROLES.basic, ROLES.scanOperator, ROLES.scanManager].map((role) => createStaff(t.ctx, { role })))),
      await createContact(t.ctx, account.id),
    ];
    for (const user of users) {
      const session = await signIn(t.app, user.username);
      const saved = await call(session, 'PATCH', '/api/my-account/profile', { name: `Renamed ${user.role}` });
      expect(saved.statusCode, user.username).toBe(200);
      expect((await call(session, 'GET', '/api/my-account/sessions')).statusCode).toBe(200);
    }
    for (const [method, url] of [
      ['GET', '/api/my-account/profile'],
      ['PATCH', '/api/my-account/profile'],
      ['POST', '/api/my-account/password'],
      ['GET', '/api/my-account/sessions'],
      ['POST', '/api/my-account/sessions/sign-out-others'],
    ] as const) {
      const response = await t.app.inject({ method, url, payload: method === 'GET' ? undefined : {} });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
    }
    const user = await createStaff(t.ctx);
    const session = await signIn(t.app, user.username);
    const noCsrf = await t.app.inject({
      method: 'PATCH',
      url: '/api/my-account/profile',
      headers: { cookie: session.cookie },
      payload: { name: 'X' },
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('refuses password, email and session changes while an Administrator assists the user', async () => {
    const user = await createStaff(t.ctx, { role: ROLES.basic });
    const admin = await createStaff(t.ctx, { role: ROLES.administrator });
    const ctx = {
      ...t.ctx,
      actor: {
        ...buildActor(user, []),
        assistedBy: { userId: admin.id, username: admin.username, reason: 'help', endsAt: new Date(Date.now() + 60_000).toISOString() },
      },
    };
    const sessionId = '00000000-0000-4000-8000-000000000001';
    await expect(changePassword(ctx, sessionId, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(updateProfile(ctx, { email: 'x@mail.example', currentPassword: TEST_PASSWORD })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(revokeOtherSessions(ctx, sessionId)).rejects.toMatchObject({ code: 'forbidden' });
    const unchanged = await findUserById(t.database.db, user.id);
    expect(unchanged?.password_hash).toBe(user.password_hash);
    expect(unchanged?.email).toBe(user.email);
  });

  it('locks the username after repeated wrong current passwords, with the sign-in "try again later"', async () => {
    const user = await createStaff(t.ctx);
    const session = await signIn(t.app, user.username);
    for (let attempt = 0; attempt < t.config.signInThrottle.maxFailuresPerUser; attempt += 1) {
      const wrong = await call(session, 'POST', '/api/my-account/password', {
        currentPassword: 'Wrong-Password-1!',
        newPassword: NEW_PASSWORD,
      });
      expect(wrong.statusCode).toBe(400);
    }
    const locked = await call(session, 'POST', '/api/my-account/password', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.message).toBe('Too many failed sign-in attempts. Try again later.');
    expect((await findUserById(t.database.db, user.id))?.password_hash).toBe(user.password_hash);
  });
});

describe('describeUserAgent', () => {
  it('names the browser with its major version and the operating system', () => {
    expect(describeUserAgent(CHROME_ON_WINDOWS)).toEqual({ browser: 'Chrome 131', os: 'Windows 10' });
    expect(describeUserAgent(FIREFOX_ON_LINUX)).toEqual({ browser: 'Firefox 133', os: 'Linux' });
    expect(describeUserAgent(null)).toEqual({ browser: null, os: null });
    expect(describeUserAgent('curl/8.5.0')).toMatchObject({ os: null });
  });
});
