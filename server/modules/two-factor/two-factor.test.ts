import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TWO_FACTOR_CONFIGURED_MESSAGE } from '../../../common/schemas/two-factor.js';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { cookieFrom, createAccount, createContact, createStaff, signIn, TEST_PASSWORD, type SignedIn } from '../../test/factories.js';
import { startTestSmtpServer, type TestSmtpServer } from '../../test/smtp.js';
import { insertPasskey } from './two-factor.repository.js';
import {
  CHALLENGE_COOKIE,
  disableTwoFactor,
  passSecondFactor,
  regenerateRecoveryCodes,
  resendSmsSetupCode,
  startPasskeyRegistration,
  startSmsSetup,
  startTotpSetup,
} from './two-factor.service.js';

const PHONE = '+1 201 555 0123';
const PHONE_E164 = '+12015550123';

/** Text messages written to this app's outbox since the last call. */
function makeSmsReader(t: () => TestApp) {
  const seen = new Set<string>();
  return function takeNewSms(): Array<{ to: string; body: string; code: string }> {
    const dir = path.join(t().dataDir, 'outbox');
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.startsWith('sms-') && !seen.has(name)) : [];
    return files.map((name) => {
      seen.add(name);
      const message = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { to: string; body: string; at: string };
      return { ...message, code: /code is (\d{6})/.exec(message.body)?.[1] ?? '' };
    });
  };
}

function challengeCookieFrom(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  const found = (Array.isArray(header) ? header : [header ?? '']).find((value) => value.startsWith(`${CHALLENGE_COOKIE}=`));
  if (!found) throw new Error(`no challenge cookie in ${response.statusCode}: ${response.body}`);
  return found.split(';')[0] ?? '';
}

function hasSessionCookie(response: LightMyRequestResponse): boolean {
  const header = response.headers['set-cookie'];
  return (Array.isArray(header) ? header : [header ?? '']).some((value) => /^bulwark_session=[^;]+/.test(value));
}

async function startSignIn(t: TestApp, username: string, rememberMe = false) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { username, password: TEST_PASSWORD, rememberMe },
  });
  expect(response.statusCode).toBe(202);
  expect(hasSessionCookie(response)).toBe(false);
  const cookie = challengeCookieFrom(response);
  return { cookie, token: cookie.split('=')[1] ?? '', body: response.json() };
}

function submitSecondFactor(t: TestApp, cookie: string, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/auth/second-factor', headers: { cookie }, payload });
}

async function enableSms(t: TestApp, takeNewSms: ReturnType<typeof makeSmsReader>, signedIn: SignedIn) {
  takeNewSms(); // earlier messages are not this setup's
  const start = await t.app.inject({
    method: 'POST',
    url: '/api/two-factor/sms',
    headers: signedIn.writeHeaders,
    payload: { phone: PHONE },
  });
  expect(start.statusCode).toBe(200);
  const [sms] = takeNewSms();
  const confirm = await t.app.inject({
    method: 'POST',
    url: '/api/two-factor/sms/confirm',
    headers: signedIn.writeHeaders,
    payload: { attemptId: start.json().attemptId, code: sms?.code },
  });
  expect(confirm.statusCode).toBe(200);
  return confirm.json() as { message: string; recoveryCodes: string[] | null };
}

async function auditOf(t: TestApp, userId: string) {
  return t.database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'details'])
    .where((eb) => eb.or([eb('actor_user_id', '=', userId), eb('target_id', '=', userId)]))
    .orderBy('at')
    .execute();
}

describe('two-factor by text message (the seed)', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  const takeNewSms = makeSmsReader(() => t);
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    t = await buildTestApp({ SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('refuses a phone number that is not one, naming the problem, and stores nothing', async () => {
    const user = await createStaff(t.ctx);
    const signedIn = await signIn(t.app, user.username);
    for (const [phone, message] of [
      ['not a number', 'only digits'],
      ['201 555 0123', 'Start the number with + and the country code'],
      ['+1 201', 'too short'],
      ['+44 20 7946 0958', 'landline'],
    ] as const) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/two-factor/sms',
        headers: signedIn.writeHeaders,
        payload: { phone },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toContain(message);
      expect(response.json().error.issues[0].path).toBe('phone');
    }
    expect(takeNewSms()).toEqual([]);
    expect(await t.database.db.selectFrom('two_factor_attempts').selectAll().where('user_id', '=', user.id).execute()).toEqual([]);
  });

  it('sends a 6-digit code to the phone, refuses a wrong one, and with the right one shows the success message', async () => {
    const user = await createStaff(t.ctx);
    const signedIn = await signIn(t.app, user.username);
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/sms',
      headers: signedIn.writeHeaders,
      payload: { phone: PHONE },
    });
    expect(start.statusCode).toBe(200);
    expect(start.json()).toMatchObject({ phone: '+1 201 555 0123' });
    const [sms, ...more] = takeNewSms();
    expect(more).toEqual([]);
    expect(sms?.to).toBe(PHONE_E164);
    expect(sms?.code).toMatch(/^\d{6}$/);

    const wrongCode = sms?.code === '000000' ? '111111' : '000000';
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/sms/confirm',
      headers: signedIn.writeHeaders,
      payload: { attemptId: start.json().attemptId, code: wrongCode },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toBe('That code is not right. You have 4 tries left.');

    const right = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/sms/confirm',
      headers: signedIn.writeHeaders,
      payload: { attemptId: start.json().attemptId, code: sms?.code },
    });
    expect(right.statusCode).toBe(200);
    expect(right.json().message).toBe(TWO_FACTOR_CONFIGURED_MESSAGE);
    expect(right.json().recoveryCodes).toHaveLength(10);

    const status = await t.app.inject({ method: 'GET', url: '/api/two-factor', headers: { cookie: signedIn.cookie } });
    expect(status.json()).toMatchObject({
      isEnabled: true,
      sms: { phone: '+1 201 555 0123', sendBackupEmail: false },
      recoveryCodesLeft: 10,
    });

    // The code is stored only as a keyed hash, and never written to the audit log.
    const stored = await t.database.db.selectFrom('two_factor_codes').select('code_hash').where('user_id', '=', user.id).execute();
    expect(stored.every((row) => !row.code_hash.includes(sms?.code ?? '-'))).toBe(true);
    const audit = await auditOf(t, user.id);
    expect(JSON.stringify(audit)).not.toContain(sms?.code);
    expect(audit.map((row) => row.action)).toEqual(
      expect.arrayContaining([
        'two_factor.code_sent',
        'auth.second_factor_failed',
        'two_factor.enabled',
        'two_factor.recovery_codes_generated',
      ]),
    );
  });

  it('signs in in two steps: the password gives only a challenge; the texted code opens the session, keeping Remember Me', async () => {
    const user = await createStaff(t.ctx);
    await enableSms(t, takeNewSms, await signIn(t.app, user.username));
    takeNewSms();

    const challenge = await startSignIn(t, user.username, true);
    expect(challenge.body).toMatchObject({ secondFactorRequired: true, methods: ['sms', 'recovery_code'], isCodeSent: true });
    expect(challenge.body.phoneHint).toBe('+1******0123');
    const [sms] = takeNewSms();

    // The challenge cookie is not a session.
    const session = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: challenge.cookie } });
    expect(session.statusCode).toBe(401);

    const passed = await submitSecondFactor(t, challenge.cookie, { method: 'sms', code: sms?.code });
    expect(passed.statusCode).toBe(200);
    expect(passed.json().user.id).toBe(user.id);
    expect(passed.json().idleTimeoutMinutes).toBeNull(); // Remember Me kept
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: cookieFrom(passed) } });
    expect(me.statusCode).toBe(200);

    // The code and the challenge are single use.
    const again = await submitSecondFactor(t, challenge.cookie, { method: 'sms', code: sms?.code });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.message).toContain('This sign-in attempt has ended');
    expect((await auditOf(t, user.id)).map((row) => row.action)).toEqual(
      expect.arrayContaining(['auth.second_factor_passed', 'auth.sign_in']),
    );
  });

  it('refuses a code sent for another attempt, and a used code in a new attempt', async () => {
    const user = await createStaff(t.ctx);
    await enableSms(t, takeNewSms, await signIn(t.app, user.username));
    takeNewSms();
    const first = await startSignIn(t, user.username);
    const [firstSms] = takeNewSms();
    const second = await startSignIn(t, user.username);
    const [secondSms] = takeNewSms();
    if (firstSms?.code === secondSms?.code) return; // one chance in a million: nothing to tell apart

    const crossed = await submitSecondFactor(t, second.cookie, { method: 'sms', code: firstSms?.code });
    expect(crossed.statusCode).toBe(400);
    expect(crossed.json().error.message).toBe('That code is not right. You have 4 tries left.');

    expect((await submitSecondFactor(t, first.cookie, { method: 'sms', code: firstSms?.code })).statusCode).toBe(200);
    expect((await submitSecondFactor(t, second.cookie, { method: 'sms', code: secondSms?.code })).statusCode).toBe(200);
  });

  it('ends the attempt at the fifth wrong code: even the right code is then refused', async () => {
    const user = await createStaff(t.ctx);
    await enableSms(t, takeNewSms, await signIn(t.app, user.username));
    takeNewSms();
    const challenge = await startSignIn(t, user.username);
    const [sms] = takeNewSms();
    const wrongCode = sms?.code === '123456' ? '654321' : '123456';
    const messages: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const response = await submitSecondFactor(t, challenge.cookie, { method: 'sms', code: wrongCode });
      messages.push(response.json().error.message);
    }
    expect(messages.slice(0, 4)).toEqual([
      'That code is not right. You have 4 tries left.',
      'That code is not right. You have 3 tries left.',
      'That code is not right. You have 2 tries left.',
      'That code is not right. You have 1 try left.',
    ]);
    expect(messages[4]).toBe('Too many wrong codes. This sign-in attempt has ended. Sign in again with your username and password.');
    const right = await submitSecondFactor(t, challenge.cookie, { method: 'sms', code: sms?.code });
    expect(right.statusCode).toBe(401);
    expect(hasSessionCookie(right)).toBe(false);
  });

  it('refuses a code after its 10 minutes (controllable clock)', async () => {
    const user = await createStaff(t.ctx);
    await enableSms(t, takeNewSms, await signIn(t.app, user.username));
    takeNewSms();
    const challenge = await startSignIn(t, user.username);
    const [sms] = takeNewSms();
    const later = new Date(Date.now() + 10 * 60_000 + 1000);
    await expect(passSecondFactor(t.ctx, challenge.token, { method: 'sms', code: sms?.code ?? '' }, later)).rejects.toThrow(
      'This sign-in attempt has expired',
    );
    const inTime = new Date(Date.now() + 9 * 60_000);
    await expect(passSecondFactor(t.ctx, challenge.token, { method: 'sms', code: sms?.code ?? '' }, inTime)).resolves.toMatchObject({
      user: { id: user.id },
    });
  });

  it('limits Resend Code to once per 30 seconds (controllable clock)', async () => {
    const user = await createStaff(t.ctx);
    const signedIn = await signIn(t.app, user.username);
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/sms',
      headers: signedIn.writeHeaders,
      payload: { phone: PHONE },
    });
    const attemptId = start.json().attemptId as string;
    takeNewSms();
    const tooSoon = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/sms/resend',
      headers: signedIn.writeHeaders,
      payload: { attemptId },
    });
    expect(tooSoon.statusCode).toBe(429);
    expect(tooSoon.json().error.message).toMatch(/^Wait \d+ seconds before asking for another code\.$/);
    expect(takeNewSms()).toEqual([]);

    const actorCtx = { ...t.ctx, actor: { ...signedIn.session.user, userId: user.id, assignedAccountIds: [] } } as unknown as typeof t.ctx;
    await resendSmsSetupCode(actorCtx, attemptId, new Date(Date.now() + 31_000));
    const [resent] = takeNewSms();
    expect(resent?.to).toBe(PHONE_E164);
    // Both codes of this attempt work until used (the first may arrive late).
    const confirm = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/sms/confirm',
      headers: signedIn.writeHeaders,
      payload: { attemptId, code: resent?.code },
    });
    expect(confirm.statusCode).toBe(200);
  });

  it('with Send backup email, also mails each sign-in code; the emailed code signs in', async () => {
    const user = await createStaff(t.ctx, { email: `backup-${Date.now()}@mssp.example` });
    const signedIn = await signIn(t.app, user.username);
    await enableSms(t, takeNewSms, signedIn);
    const save = await t.app.inject({
      method: 'PUT',
      url: '/api/two-factor/sms/backup-email',
      headers: signedIn.writeHeaders,
      payload: { sendBackupEmail: true },
    });
    expect(save.statusCode).toBe(200);
    expect(save.json().message).toBe('Your backup email settings are saved.');

    const challenge = await startSignIn(t, user.username);
    const mail = await smtp.waitForMessage(user.email ?? '');
    const code = /code is (\d{6})/.exec(mail.text ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    const passed = await submitSecondFactor(t, challenge.cookie, { method: 'sms', code });
    expect(passed.statusCode).toBe(200);
    const sent = (await auditOf(t, user.id)).filter((row) => row.action === 'two_factor.code_sent').at(-1);
    expect(sent?.details).toMatchObject({ method: 'sms', channels: ['sms', 'email'], purpose: 'sign_in' });
  });

  it('Disable Two-Factor deletes the phone number and every setting; the password alone signs in again', async () => {
    const user = await createStaff(t.ctx);
    const signedIn = await signIn(t.app, user.username);
    await enableSms(t, takeNewSms, signedIn);
    const disable = await t.app.inject({ method: 'DELETE', url: '/api/two-factor', headers: signedIn.writeHeaders });
    expect(disable.statusCode).toBe(204);
    expect(await t.database.db.selectFrom('two_factor_settings').selectAll().where('user_id', '=', user.id).execute()).toEqual([]);
    expect(await t.database.db.selectFrom('recovery_codes').selectAll().where('user_id', '=', user.id).execute()).toEqual([]);
    const status = await t.app.inject({ method: 'GET', url: '/api/two-factor', headers: { cookie: signedIn.cookie } });
    expect(status.json()).toMatchObject({ isEnabled: false, sms: null, recoveryCodesLeft: 0 });
    await signIn(t.app, user.username); // 200 with a session, no code step
    const disabled = (await auditOf(t, user.id)).find((row) => row.action === 'two_factor.disabled');
    expect(disabled?.details).toMatchObject({ methods: ['sms'] });
  });

  it('an Administrator only ever changes their own two-factor: no route takes another user', async () => {
    const admin = await createStaff(t.ctx, { role: 64 });
    const other = await createStaff(t.ctx, { role: 16 });
    const otherSignedIn = await signIn(t.app, other.username);
    const otherStart = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/sms',
      headers: otherSignedIn.writeHeaders,
      payload: { phone: PHONE },
    });
    const [otherSms] = takeNewSms();
    const adminSignedIn = await signIn(t.app, admin.username);

    // The other user's setup attempt is not the Administrator's: 404, and nothing changes.
    const crossed = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/sms/confirm',
      headers: adminSignedIn.writeHeaders,
      payload: { attemptId: otherStart.json().attemptId, code: otherSms?.code },
    });
    expect(crossed.statusCode).toBe(404);

    // Paths naming a user do not exist.
    for (const url of [`/api/admin/users/${other.id}/two-factor`, `/api/two-factor/${other.id}`, `/api/users/${other.id}/two-factor`]) {
      for (const method of ['GET', 'POST', 'DELETE'] as const) {
        const response = await t.app.inject({
          method,
          url,
          headers: adminSignedIn.writeHeaders,
          payload: method === 'POST' ? {} : undefined,
        });
        expect([403, 404]).toContain(response.statusCode);
      }
    }
    // A user id in the body is ignored by the schema-defined routes: the Administrator's own factor is set.
    await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/sms',
      headers: adminSignedIn.writeHeaders,
      payload: { phone: PHONE, userId: other.id },
    });
    const [adminSms] = takeNewSms();
    const attempts = await t.database.db.selectFrom('two_factor_attempts').select('user_id').where('purpose', '=', 'setup_sms').execute();
    expect(attempts.filter((row) => row.user_id === other.id)).toHaveLength(1);
    expect(adminSms?.code).toMatch(/^\d{6}$/);

    // Disable as the Administrator: the other user's pending setup is untouched.
    const otherConfirm = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/sms/confirm',
      headers: otherSignedIn.writeHeaders,
      payload: { attemptId: otherStart.json().attemptId, code: otherSms?.code },
    });
    expect(otherConfirm.statusCode).toBe(200);
    await t.app.inject({ method: 'DELETE', url: '/api/two-factor', headers: adminSignedIn.writeHeaders });
    const otherStatus = await t.app.inject({ method: 'GET', url: '/api/two-factor', headers: { cookie: otherSignedIn.cookie } });
    expect(otherStatus.json().isEnabled).toBe(true);
  });
});

describe('a sign-in waiting for its second step is signed in nowhere', () => {
  let t: TestApp;
  const takeNewSms = makeSmsReader(() => t);
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  /** Every registered route, read from Fastify's own route tree (checked against the OpenAPI paths). */
  function registeredRoutes(): Array<{ method: string; url: string }> {
    const tree = t.app.printRoutes({ commonPrefix: false });
    const stack: string[] = [];
    const found: Array<{ method: string; url: string }> = [];
    for (const line of tree.split('\n')) {
      const match = /^([│├└─\s]*)(\S.*?)(?: \(([^)]+)\))?$/.exec(line);
      if (!match?.[2]) continue;
      const depth = (match[1] ?? '').length / 4;
      const url = (stack[depth - 1] ?? '') + match[2];
      stack[depth] = url;
      stack.length = depth + 1;
      for (const method of (match[3] ?? '').split(',').map((value) => value.trim())) {
        if (method && method !== 'HEAD' && method !== 'OPTIONS') found.push({ method, url });
      }
    }
    return found;
  }

  it('no route answers the challenge cookie differently from an anonymous caller', async () => {
    const routes = registeredRoutes();
    const spec = t.app.swagger() as { paths: Record<string, unknown> };
    const treePaths = new Set(routes.map((route) => route.url.replace(/:(\w+)/g, '{$1}')));
    for (const specPath of Object.keys(spec.paths)) expect(treePaths, `route tree misses ${specPath}`).toContain(specPath);
    expect(routes.length).toBeGreaterThan(60);

    const user = await createStaff(t.ctx);
    await enableSms(t, takeNewSms, await signIn(t.app, user.username));
    const challenge = await startSignIn(t, user.username);

    const codeStep = new Set(['/api/auth/second-factor', '/api/auth/second-factor/send', '/api/auth/second-factor/passkey-options']);
    const checked: string[] = [];
    for (const route of routes) {
      if (codeStep.has(route.url)) continue;
      const url = route.url.replace(/:\w+/g, '00000000-0000-4000-8000-000000000000').replace(/\*$/, 'x');
      const payload = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
      const asChallenge = await t.app.inject({ method: route.method as 'GET', url, headers: { cookie: challenge.cookie }, payload });
      const anonymous = await t.app.inject({ method: route.method as 'GET', url, payload });
      expect(asChallenge.statusCode, `${route.method} ${route.url}`).toBe(anonymous.statusCode);
      expect(hasSessionCookie(asChallenge), `${route.method} ${route.url}`).toBe(false);
      if (url.startsWith('/api/') && !url.startsWith('/api/docs')) checked.push(`${route.method} ${route.url} ${asChallenge.statusCode}`);
    }
    expect(checked).toContain('GET /api/auth/session 401');
    expect(checked).toContain('GET /api/two-factor 401');
    expect(checked).toContain('GET /api/accounts 401');
  });

  it('the code step itself opens nothing before the right code', async () => {
    const user = await createStaff(t.ctx);
    await enableSms(t, takeNewSms, await signIn(t.app, user.username));
    const challenge = await startSignIn(t, user.username);
    const described = await t.app.inject({ method: 'GET', url: '/api/auth/second-factor', headers: { cookie: challenge.cookie } });
    expect(described.statusCode).toBe(200);
    expect(described.json()).not.toHaveProperty('csrfToken');
    expect(hasSessionCookie(described)).toBe(false);
    const resend = await t.app.inject({ method: 'POST', url: '/api/auth/second-factor/send', headers: { cookie: challenge.cookie } });
    expect(resend.statusCode).toBe(429); // a code went out with the password step; the next one after 30 s
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/auth/second-factor' });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('authenticator app (TOTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  function totpFor(secret: string, username: string) {
    return new TOTP({ issuer: 'Bulwark', label: username, secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  }

  async function enableTotp(username: string) {
    const signedIn = await signIn(t.app, username);
    const start = await t.app.inject({ method: 'POST', url: '/api/two-factor/totp', headers: signedIn.writeHeaders });
    expect(start.statusCode).toBe(200);
    const setup = start.json() as { attemptId: string; secret: string; otpauthUrl: string; qrCode: string };
    expect(setup.qrCode).toMatch(/^data:image\/png;base64,/);
    expect(setup.otpauthUrl).toContain(`secret=${setup.secret}`);
    const totp = totpFor(setup.secret, username);
    return { signedIn, setup, totp };
  }

  it('confirms with a code from the shown secret, keeps the seed encrypted, and refuses a code from the wrong window', async () => {
    const user = await createStaff(t.ctx);
    const { signedIn, setup, totp } = await enableTotp(user.username);
    const stale = totp.generate({ timestamp: Date.now() - 120_000 });
    const current = totp.generate();
    if (stale !== current) {
      const refused = await t.app.inject({
        method: 'POST',
        url: '/api/two-factor/totp/confirm',
        headers: signedIn.writeHeaders,
        payload: { attemptId: setup.attemptId, code: stale },
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.message).toContain('That code is not right.');
    }
    const confirm = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/totp/confirm',
      headers: signedIn.writeHeaders,
      payload: { attemptId: setup.attemptId, code: current },
    });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.json()).toMatchObject({ message: TWO_FACTOR_CONFIGURED_MESSAGE });
    expect(confirm.json().recoveryCodes).toHaveLength(10);
    const row = await t.database.db.selectFrom('two_factor_settings').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.totp_secret_encrypted).toMatch(/^v1:/);
    expect(row.totp_secret_encrypted).not.toContain(setup.secret);
  });

  it('signs in with the next code, accepts ±1 step, and refuses a replay of a used code', async () => {
    const user = await createStaff(t.ctx);
    const { signedIn, setup, totp } = await enableTotp(user.username);
    const now = Date.now();
    const confirm = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/totp/confirm',
      headers: signedIn.writeHeaders,
      payload: { attemptId: setup.attemptId, code: totp.generate({ timestamp: now }) },
    });
    expect(confirm.statusCode).toBe(200);

    const challenge = await startSignIn(t, user.username);
    expect(challenge.body).toMatchObject({ methods: ['totp', 'recovery_code'], isCodeSent: false });
    // Through the service with a controllable clock: a code of the next step is within the window.
    const next = totp.generate({ timestamp: now + 30_000 });
    await expect(passSecondFactor(t.ctx, challenge.token, { method: 'totp', code: next }, new Date(now))).resolves.toMatchObject({
      user: { id: user.id },
    });
    const replay = await startSignIn(t, user.username);
    await expect(passSecondFactor(t.ctx, replay.token, { method: 'totp', code: next }, new Date(now + 30_000))).rejects.toThrow(
      'That code has already been used.',
    );
    const farAhead = totp.generate({ timestamp: now + 120_000 });
    await expect(passSecondFactor(t.ctx, replay.token, { method: 'totp', code: farAhead }, new Date(now + 30_000))).rejects.toThrow(
      'That code is not right.',
    );
  });

  it('signs in once with each recovery code; new codes make the old ones stop working', async () => {
    const user = await createStaff(t.ctx);
    const { signedIn, setup, totp } = await enableTotp(user.username);
    const confirm = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/totp/confirm',
      headers: signedIn.writeHeaders,
      payload: { attemptId: setup.attemptId, code: totp.generate() },
    });
    const [first, second] = confirm.json().recoveryCodes as string[];

    const challenge = await startSignIn(t, user.username);
    const used = await submitSecondFactor(t, challenge.cookie, { method: 'recovery_code', code: first?.toUpperCase() });
    expect(used.statusCode).toBe(200);
    const again = await startSignIn(t, user.username);
    const reused = await submitSecondFactor(t, again.cookie, { method: 'recovery_code', code: first });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error.message).toContain('That recovery code is not right or was already used.');

    const regenerated = await t.app.inject({ method: 'POST', url: '/api/two-factor/recovery-codes', headers: signedIn.writeHeaders });
    expect(regenerated.json().recoveryCodes).toHaveLength(10);
    const old = await submitSecondFactor(t, again.cookie, { method: 'recovery_code', code: second });
    expect(old.statusCode).toBe(400);
    const fresh = await submitSecondFactor(t, again.cookie, { method: 'recovery_code', code: regenerated.json().recoveryCodes[0] });
    expect(fresh.statusCode).toBe(200);

    const audit = await auditOf(t, user.id);
    const usedRow = audit.find((row) => row.action === 'two_factor.recovery_code_used');
    expect(usedRow?.details).toEqual({ recoveryCodesLeft: 9 });
    expect(audit.filter((row) => row.action === 'two_factor.recovery_codes_generated')).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain(first);
  });
});

describe('passkeys: a forged response is refused', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('refuses a made-up registration response with a clear message and stores nothing', async () => {
    const user = await createStaff(t.ctx);
    const signedIn = await signIn(t.app, user.username);
    const options = await t.app.inject({ method: 'POST', url: '/api/two-factor/passkeys/options', headers: signedIn.writeHeaders });
    expect(options.statusCode).toBe(200);
    expect(options.json().options).toMatchObject({ rp: { id: 'localhost', name: 'Bulwark' }, user: { name: user.username } });
    const forged = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/passkeys',
      headers: signedIn.writeHeaders,
      payload: {
        attemptId: options.json().attemptId,
        name: 'Forged',
        response: {
          id: 'AAAA',
          rawId: 'AAAA',
          type: 'public-key',
          response: { clientDataJSON: Buffer.from('{"type":"webauthn.create"}').toString('base64url'), attestationObject: 'AAAA' },
          clientExtensionResults: {},
        },
      },
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.message).toContain('The passkey response could not be verified, so it was refused.');
    expect(await t.database.db.selectFrom('passkeys').selectAll().where('user_id', '=', user.id).execute()).toEqual([]);
  });
});

describe('REQUIRE_STAFF_TWO_FACTOR', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ REQUIRE_STAFF_TWO_FACTOR: 'true' });
  });
  afterAll(() => t.close());

  it('lets staff without a factor only read the session, sign out and set one up', async () => {
    const user = await createStaff(t.ctx, { role: 16 });
    const signedIn = await signIn(t.app, user.username);
    expect(signedIn.session.twoFactorSetupRequired).toBe(true);
    const accounts = await t.app.inject({ method: 'GET', url: '/api/accounts', headers: { cookie: signedIn.cookie } });
    expect(accounts.statusCode).toBe(403);
    expect(accounts.json().error).toEqual({
      code: 'two_factor_required',
      message: 'Your organisation requires two-factor authentication. Set up a second factor to continue.',
    });
    const session = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: signedIn.cookie } });
    expect(session.json().twoFactorSetupRequired).toBe(true);

    const start = await t.app.inject({ method: 'POST', url: '/api/two-factor/totp', headers: signedIn.writeHeaders });
    expect(start.statusCode).toBe(200);
    const code = new TOTP({ secret: Secret.fromBase32(start.json().secret) }).generate();
    const confirm = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/totp/confirm',
      headers: signedIn.writeHeaders,
      payload: { attemptId: start.json().attemptId, code },
    });
    expect(confirm.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/accounts', headers: { cookie: signedIn.cookie } })).statusCode).toBe(200);
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: signedIn.cookie } });
    expect(after.json().twoFactorSetupRequired).toBe(false);
    const signOut = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: signedIn.writeHeaders });
    expect(signOut.statusCode).toBe(204);
  });
});

describe('roles, other users, assist', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('every role, staff or contact, manages their own two-factor; anonymous callers get 401', async () => {
    const account = await createAccount(t.ctx);
    const users = [
      ...(await Promise.all(([16, 24, 32, 40, 64] as const).map((role) => createStaff(t.ctx, { role })))),
      await createContact(t.ctx, account.id),
    ];
    for (const user of users) {
      const signedIn = await signIn(t.app, user.username);
      const status = await t.app.inject({ method: 'GET', url: '/api/two-factor', headers: { cookie: signedIn.cookie } });
      expect(status.statusCode, `role ${user.role} ${user.kind}`).toBe(200);
      const start = await t.app.inject({ method: 'POST', url: '/api/two-factor/totp', headers: signedIn.writeHeaders });
      expect(start.statusCode, `role ${user.role} ${user.kind}`).toBe(200);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/two-factor' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/two-factor/totp' })).statusCode).toBe(401);
  });

  it("another user's passkey answers 404 and stays", async () => {
    const owner = await createStaff(t.ctx);
    const admin = await createStaff(t.ctx, { role: 64 });
    const passkey = await insertPasskey(t.database.db, {
      user_id: owner.id,
      name: 'Owner key',
      credential_id: `cred-${owner.id}`,
      public_key: 'AAAA',
      counter: 0,
      transports: '[]',
    });
    const adminSignedIn = await signIn(t.app, admin.username);
    const response = await t.app.inject({
      method: 'DELETE',
      url: `/api/two-factor/passkeys/${passkey.id}`,
      headers: adminSignedIn.writeHeaders,
    });
    expect(response.statusCode).toBe(404);
    expect(await t.database.db.selectFrom('passkeys').select('id').where('id', '=', passkey.id).execute()).toHaveLength(1);
  });

  it('refuses a forged passkey assertion at sign-in with a clear message, counting a wrong try', async () => {
    const user = await createStaff(t.ctx);
    await insertPasskey(t.database.db, {
      user_id: user.id,
      name: 'Key',
      credential_id: `cred-${user.id}`,
      public_key: Buffer.from('not a key').toString('base64url'),
      counter: 0,
      transports: '["internal"]',
    });
    const challenge = await startSignIn(t, user.username);
    expect(challenge.body.methods).toEqual(['passkey']);
    const options = await t.app.inject({
      method: 'POST',
      url: '/api/auth/second-factor/passkey-options',
      headers: { cookie: challenge.cookie },
    });
    expect(options.statusCode).toBe(200);
    expect(options.json().options.allowCredentials).toEqual([{ id: `cred-${user.id}`, type: 'public-key', transports: ['internal'] }]);
    const forged = await submitSecondFactor(t, challenge.cookie, {
      method: 'passkey',
      response: {
        id: `cred-${user.id}`,
        rawId: `cred-${user.id}`,
        type: 'public-key',
        response: {
          clientDataJSON: Buffer.from(
            JSON.stringify({ type: 'webauthn.get', challenge: 'forged', origin: 'http://evil.example' }),
          ).toString('base64url'),
          authenticatorData: 'AAAA',
          signature: 'AAAA',
        },
        clientExtensionResults: {},
      },
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.message).toBe(
      'The passkey response could not be verified, so it was refused. Try again. You have 4 tries left.',
    );
    expect(hasSessionCookie(forged)).toBe(false);
  });

  it('removing the last factor also removes the recovery codes; the password alone then signs in', async () => {
    const user = await createStaff(t.ctx);
    const signedIn = await signIn(t.app, user.username);
    const start = await t.app.inject({ method: 'POST', url: '/api/two-factor/totp', headers: signedIn.writeHeaders });
    const code = new TOTP({ secret: Secret.fromBase32(start.json().secret) }).generate();
    await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/totp/confirm',
      headers: signedIn.writeHeaders,
      payload: { attemptId: start.json().attemptId, code },
    });
    const removed = await t.app.inject({ method: 'DELETE', url: '/api/two-factor/totp', headers: signedIn.writeHeaders });
    expect(removed.statusCode).toBe(204);
    expect(await t.database.db.selectFrom('recovery_codes').select('id').where('user_id', '=', user.id).execute()).toEqual([]);
    await signIn(t.app, user.username);
  });

  it('refuses every change while an Administrator assists the user, and changes nothing', async () => {
    const user = await createStaff(t.ctx, { role: 16 });
    const admin = await createStaff(t.ctx, { role: 64 });
    const ctx = {
      ...t.ctx,
      actor: {
        userId: user.id,
        username: user.username,
        kind: 'staff' as const,
        role: 16 as const,
        isSupportAgent: false,
        canManageCases: false,
        isPrimaryContact: false,
        assignedAccountIds: [],
        assistedBy: { userId: admin.id, username: admin.username, reason: 'help', endsAt: new Date(Date.now() + 60_000).toISOString() },
      },
    };
    await expect(startSmsSetup(ctx, { phone: PHONE })).rejects.toThrow('While you assist a user');
    await expect(startTotpSetup(ctx)).rejects.toThrow('While you assist a user');
    await expect(disableTwoFactor(ctx)).rejects.toThrow('While you assist a user');
    await expect(regenerateRecoveryCodes(ctx)).rejects.toThrow('While you assist a user');
    await expect(startPasskeyRegistration(ctx)).rejects.toThrow('While you assist a user');
    expect(await t.database.db.selectFrom('two_factor_attempts').select('id').where('user_id', '=', user.id).execute()).toEqual([]);
  });
});

describe('wrong codes across sign-in attempts', () => {
  let t: TestApp;
  const takeNewSms = makeSmsReader(() => t);
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('after three dead attempts in an hour, the right password gets no new attempt ("try again later")', async () => {
    const user = await createStaff(t.ctx);
    const signedIn = await signIn(t.app, user.username);
    const start = await t.app.inject({ method: 'POST', url: '/api/two-factor/totp', headers: signedIn.writeHeaders });
    const totp = new TOTP({ secret: Secret.fromBase32(start.json().secret) });
    await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/totp/confirm',
      headers: signedIn.writeHeaders,
      payload: { attemptId: start.json().attemptId, code: totp.generate() },
    });
    const wrong = totp.generate() === '000000' ? '111111' : '000000';
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const challenge = await startSignIn(t, user.username);
      for (let guess = 0; guess < 5; guess += 1) await submitSecondFactor(t, challenge.cookie, { method: 'totp', code: wrong });
    }
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: user.username, password: TEST_PASSWORD },
    });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toBe('Too many wrong verification codes. Try again later.');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
    expect(takeNewSms()).toEqual([]);
  });
});

describe('text-message setup: edit and dead attempts', () => {
  let t: TestApp;
  const takeNewSms = makeSmsReader(() => t);
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('Edit replaces the phone number after the new one is verified, without new recovery codes', async () => {
    const user = await createStaff(t.ctx);
    const signedIn = await signIn(t.app, user.username);
    await enableSms(t, takeNewSms, signedIn);
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/sms',
      headers: signedIn.writeHeaders,
      payload: { phone: '+1 415 555 2671' },
    });
    const [sms] = takeNewSms();
    expect(sms?.to).toBe('+14155552671');
    // Until verified, the old number stays.
    const before = await t.app.inject({ method: 'GET', url: '/api/two-factor', headers: { cookie: signedIn.cookie } });
    expect(before.json().sms.phone).toBe('+1 201 555 0123');
    const confirm = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/sms/confirm',
      headers: signedIn.writeHeaders,
      payload: { attemptId: start.json().attemptId, code: sms?.code },
    });
    expect(confirm.json()).toEqual({ message: TWO_FACTOR_CONFIGURED_MESSAGE, recoveryCodes: null });
    const after = await t.app.inject({ method: 'GET', url: '/api/two-factor', headers: { cookie: signedIn.cookie } });
    expect(after.json().sms.phone).toBe('+1 415 555 2671');
    const changed = (await auditOf(t, user.id)).filter((row) => row.action === 'two_factor.changed').at(-1);
    expect(changed?.details).toMatchObject({ method: 'sms', phoneChanged: true });
  });

  it('ends a setup after five wrong codes; the user must start over', async () => {
    const user = await createStaff(t.ctx);
    const signedIn = await signIn(t.app, user.username);
    takeNewSms();
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/sms',
      headers: signedIn.writeHeaders,
      payload: { phone: PHONE },
    });
    const [sms] = takeNewSms();
    const wrong = sms?.code === '000000' ? '111111' : '000000';
    const confirm = (code: string | undefined) =>
      t.app.inject({
        method: 'POST',
        url: '/api/two-factor/sms/confirm',
        headers: signedIn.writeHeaders,
        payload: { attemptId: start.json().attemptId, code },
      });
    for (let index = 0; index < 4; index += 1) expect((await confirm(wrong)).statusCode).toBe(400);
    expect((await confirm(wrong)).json().error.message).toBe('Too many wrong codes. This setup has ended; start it again.');
    const right = await confirm(sms?.code);
    expect(right.statusCode).toBe(400);
    expect(right.json().error.message).toBe('Too many wrong codes. This setup has ended; start it again.');
    const resend = await t.app.inject({
      method: 'POST',
      url: '/api/two-factor/sms/resend',
      headers: signedIn.writeHeaders,
      payload: { attemptId: start.json().attemptId },
    });
    expect(resend.statusCode).toBe(400);
    const status = await t.app.inject({ method: 'GET', url: '/api/two-factor', headers: { cookie: signedIn.cookie } });
    expect(status.json().isEnabled).toBe(false);
  });
});
