import type { AuthenticationResponseJSON, AuthenticatorTransport, RegistrationResponseJSON } from '@simplewebauthn/server';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Actor } from '../../../common/permissions.js';
import {
  TWO_FACTOR_CONFIGURED_MESSAGE,
  type AddPasskeyBody,
  type CodeSentResponse,
  type ConfirmCodeBody,
  type FactorConfiguredResponse,
  type PasskeyOptionsResponse,
  type PasskeyResponse,
  type SecondFactorBody,
  type SignInChallengeResponse,
  type SmsSetupStartedResponse,
  type TotpSetupResponse,
  type TwoFactorMethod,
  type TwoFactorStatusResponse,
} from '../../../common/schemas/two-factor.js';
import type { UserRow } from '../../db/schema.js';
import { AppError } from '../../lib/app-error.js';
import { assertNotAssisting } from '../../lib/assist-guard.js';
import type { ServiceContext } from '../../lib/context.js';
import { createRandomToken, decryptSecret, encryptSecret, hashToken } from '../../lib/crypto.js';
import { createSmsSender, maskPhone, SmsDeliveryError } from '../../sms/sms-sender.js';
import { recordAudit } from '../audit/audit.service.js';
import { findUserById } from '../users/users.repository.js';
import { checkMobilePhone, formatPhone } from './phone.js';
import {
  ATTEMPT_LIFETIME_MS,
  checkAttempt,
  checkSend,
  checkWrongCodesPerUser,
  CODE_LIFETIME_MS,
  generateCode,
  generateRecoveryCode,
  isTotpReplay,
  matchCode,
  MAX_WRONG_TRIES,
  normalizeRecoveryCode,
  RECOVERY_CODE_COUNT,
  RESEND_INTERVAL_MS,
  TOTP_PERIOD_SECONDS,
  TOTP_WINDOW,
  totpStepAt,
  type AttemptProblem,
} from './two-factor.rules.js';
import {
  advanceTotpStep,
  consumeAttemptChallenge,
  deleteAllFactors,
  deleteExpiredAttempts,
  deleteOwnPasskey,
  findAttemptByTokenHash,
  findCodesOfAttempt,
  findFactorSummary,
  findOwnAttempt,
  findPasskeyByCredentialId,
  findPasskeysOfUser,
  findRecentSignInAttempts,
  findSendsToUser,
  findSettings,
  insertAttempt,
  insertCode,
  insertPasskey,
  markAttemptPassed,
  markCodeUsed,
  recordWrongTry,
  replaceRecoveryCodes,
  setAttemptChallenge,
  updatePasskeyUse,
  upsertSettings,
  useRecoveryCode,
  type AttemptRow,
  type PasskeyRow,
  type TwoFactorSettingsRow,
} from './two-factor.repository.js';

/** @simplewebauthn/server, loaded with the first passkey ceremony (about 15 MB a server without passkeys need not carry). */
let webauthnModule: Promise<typeof import('@simplewebauthn/server')> | null = null;
function webauthn() {
  webauthnModule ??= import('@simplewebauthn/server');
  return webauthnModule;
}

/** The httpOnly cookie that carries a sign-in waiting for its second step. It opens nothing by itself. */
export const CHALLENGE_COOKIE = 'bulwark_challenge';
export const CHALLENGE_COOKIE_PATH = '/api/auth/second-factor';

export const TWO_FACTOR_REQUIRED_MESSAGE = 'Your organisation requires two-factor authentication. Set up a second factor to continue.';
const SIGN_IN_ENDED_MESSAGE = 'This sign-in attempt has ended. Sign in again with your username and password.';

function requireActor(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new AppError('unauthenticated', 'Sign in to continue.');
  return ctx.actor;
}

async function requireUser(ctx: ServiceContext, userId: string): Promise<UserRow> {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new AppError('unauthenticated', 'Sign in to continue.');
  return user;
}

/** Codes are kept only as an HMAC bound to their attempt: the same digits for another attempt hash differently. */
function hashCode(ctx: Pick<ServiceContext, 'config'>, attemptId: string, code: string): string {
  return hashToken(ctx.config.secrets.sessionSecret, `two-factor-code:${attemptId}:${code}`);
}

function hashRecoveryCode(ctx: Pick<ServiceContext, 'config'>, userId: string, code: string): string {
  return hashToken(ctx.config.secrets.sessionSecret, `recovery-code:${userId}:${normalizeRecoveryCode(code)}`);
}

function backupEmailOf(user: UserRow): string {
  return user.email ?? user.username;
}

function relyingParty(ctx: Pick<ServiceContext, 'config'>) {
  const url = new URL(ctx.config.publicUrl);
  return { rpID: url.hostname, origin: url.origin, rpName: 'Bulwark' };
}

function buildTotp(user: UserRow, secret: Secret): TOTP {
  return new TOTP({ issuer: 'Bulwark', label: user.username, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_SECONDS, secret });
}

// ---------------------------------------------------------------------------------------------
// Status

export async function userHasSecondFactor(ctx: Pick<ServiceContext, 'db'>, userId: string): Promise<boolean> {
  const summary = await findFactorSummary(ctx.db, userId);
  return summary.hasSms || summary.hasTotp || summary.passkeyCount > 0;
}

/** REQUIRE_STAFF_TWO_FACTOR is on, the user is staff and has no second factor yet. */
export async function isTwoFactorSetupRequired(ctx: Pick<ServiceContext, 'db' | 'config'>, user: Pick<UserRow, 'id' | 'kind'>) {
  if (!ctx.config.twoFactor.isRequiredForStaff || user.kind !== 'staff') return false;
  return !(await userHasSecondFactor(ctx, user.id));
}

function presentPasskey(row: PasskeyRow): PasskeyResponse {
  return { id: row.id, name: row.name, createdAt: row.created_at.toISOString(), lastUsedAt: row.last_used_at?.toISOString() ?? null };
}

export async function getOwnTwoFactorStatus(ctx: ServiceContext): Promise<TwoFactorStatusResponse> {
  const actor = requireActor(ctx);
  const user = await requireUser(ctx, actor.userId);
  const [settings, passkeys, summary] = await Promise.all([
    findSettings(ctx.db, user.id),
    findPasskeysOfUser(ctx.db, user.id),
    findFactorSummary(ctx.db, user.id),
  ]);
  const hasSms = Boolean(settings?.phone_e164 && settings.phone_verified_at);
  return {
    isEnabled: summary.hasSms || summary.hasTotp || summary.passkeyCount > 0,
    isRequired: ctx.config.twoFactor.isRequiredForStaff && user.kind === 'staff',
    sms:
      hasSms && settings?.phone_e164
        ? { phone: formatPhone(settings.phone_e164), sendBackupEmail: settings.send_backup_email, backupEmail: backupEmailOf(user) }
        : null,
    totp: settings?.totp_enabled_at ? { enabledAt: settings.totp_enabled_at.toISOString() } : null,
    passkeys: passkeys.map(presentPasskey),
    recoveryCodesLeft: summary.recoveryCodesLeft,
  };
}

// ---------------------------------------------------------------------------------------------
// Attempts and codes

type AttemptKind = 'sign_in' | 'setup';

function describeAttemptProblem(problem: AttemptProblem, kind: AttemptKind): string {
  if (kind === 'sign_in') {
    if (problem === 'exhausted') return `Too many wrong codes. ${SIGN_IN_ENDED_MESSAGE}`;
    if (problem === 'expired') return 'This sign-in attempt has expired. Sign in again with your username and password.';
    return SIGN_IN_ENDED_MESSAGE;
  }
  if (problem === 'exhausted') return 'Too many wrong codes. This setup has ended; start it again.';
  if (problem === 'expired') return 'This setup has expired. Start it again.';
  return 'This setup is already complete. Start it again to make a change.';
}

/** Throws unless the attempt can still take a code (pending, not expired, fewer than 5 wrong tries). */
function assertAttemptUsable(attempt: AttemptRow | undefined, kind: AttemptKind, now: Date): AttemptRow {
  if (!attempt) {
    throw kind === 'sign_in'
      ? new AppError('unauthenticated', SIGN_IN_ENDED_MESSAGE)
      : new AppError('not_found', 'This setup was not found. Start it again.');
  }
  const problem = checkAttempt(attempt, now);
  if (problem) throw new AppError(kind === 'sign_in' ? 'unauthenticated' : 'invalid_token', describeAttemptProblem(problem, kind));
  return attempt;
}

/** Counts a wrong try and throws the refusal; at the fifth the attempt is dead. */
async function refuseWrongTry(
  ctx: ServiceContext,
  attempt: AttemptRow,
  kind: AttemptKind,
  user: UserRow,
  method: TwoFactorMethod,
  reason: string,
  message: string,
): Promise<never> {
  const tries = await recordWrongTry(ctx.db, attempt.id, MAX_WRONG_TRIES);
  await recordAudit(ctx, {
    action: 'auth.second_factor_failed',
    outcome: 'failure',
    actor: { userId: user.id, username: user.username },
    targetType: 'user',
    targetId: user.id,
    details: { method, reason, wrongTries: tries, purpose: attempt.purpose, attemptEnded: tries >= MAX_WRONG_TRIES },
  });
  if (tries >= MAX_WRONG_TRIES) {
    throw new AppError(kind === 'sign_in' ? 'unauthenticated' : 'invalid_token', describeAttemptProblem('exhausted', kind));
  }
  const left = MAX_WRONG_TRIES - tries;
  throw new AppError('invalid_token', `${message} You have ${left} ${left === 1 ? 'try' : 'tries'} left.`);
}

/** Checks a code sent for this attempt; uses it up when right. */
async function verifySentCode(ctx: ServiceContext, attempt: AttemptRow, kind: AttemptKind, user: UserRow, code: string, now: Date) {
  const codes = await findCodesOfAttempt(ctx.db, attempt.id);
  const match = matchCode(codes, attempt.id, hashCode(ctx, attempt.id, code), now);
  if (match.kind === 'accepted' && (await markCodeUsed(ctx.db, match.codeId, now))) return;
  const messages = {
    accepted: 'That code has already been used.',
    replayed: 'That code has already been used.',
    expired: 'That code has expired. Click Resend Code for a new one.',
    wrong: 'That code is not right.',
  } as const;
  return refuseWrongTry(ctx, attempt, kind, user, 'sms', match.kind === 'accepted' ? 'replayed' : match.kind, messages[match.kind]);
}

/**
 * Sends a new code for this attempt by text message (and to the backup email on sign-in when the
 * user asked for it), within the resend limits. The code itself is never logged nor audited.
 */
async function sendCode(
  ctx: ServiceContext,
  attempt: AttemptRow,
  user: UserRow,
  phone: string,
  options: { isResend: boolean; alsoToEmail: boolean; now: Date },
): Promise<CodeSentResponse> {
  const { now, isResend } = options;
  const codes = await findCodesOfAttempt(ctx.db, attempt.id);
  const sends = await findSendsToUser(ctx.db, user.id, new Date(now.getTime() - 3_600_000));
  const decision = checkSend({ lastSentForAttempt: codes[0]?.created_at ?? null, sentToUser: sends }, isResend, now);
  if (!decision.allowed) {
    const message =
      decision.reason === 'too_soon'
        ? `Wait ${decision.retryAfterSeconds} seconds before asking for another code.`
        : `Too many codes were sent in the last hour. Try again in ${Math.ceil(decision.retryAfterSeconds / 60)} minute(s).`;
    throw new AppError('rate_limited', message, { retryAfterSeconds: decision.retryAfterSeconds });
  }
  const code = generateCode();
  await insertCode(ctx.db, {
    attemptId: attempt.id,
    userId: user.id,
    codeHash: hashCode(ctx, attempt.id, code),
    isResend,
    createdAt: now,
    expiresAt: new Date(now.getTime() + CODE_LIFETIME_MS),
  });
  const host = new URL(ctx.config.publicUrl).host;
  // The last line is the WebOTP format, so a phone's browser can offer the code for this site only.
  const body = `Your Bulwark verification code is ${code}. It expires in 10 minutes.\n\n@${host} #${code}`;
  const channels: string[] = [];
  try {
    await createSmsSender(ctx.config.sms, ctx.log).sendTextMessage(phone, body);
    channels.push('sms');
  } catch (error) {
    if (!(error instanceof SmsDeliveryError)) throw error;
    if (!options.alsoToEmail) throw new AppError('service_unavailable', error.message);
    ctx.log.warn({ err: error }, 'text message failed; the code still goes to the backup email');
  }
  if (options.alsoToEmail) {
    await ctx.mailer.send({
      to: backupEmailOf(user),
      subject: 'Your Bulwark verification code',
      text: [
        `Hello ${user.name || user.username},`,
        '',
        `Your Bulwark verification code is ${code}. It expires in 10 minutes and works once.`,
        '',
        'You get this email because "Send backup email" is on for your two-factor authentication.',
        'If you did not just sign in, change your password.',
      ].join('\n'),
    });
    channels.push('email');
  }
  await recordAudit(ctx, {
    action: 'two_factor.code_sent',
    actor: { userId: user.id, username: user.username },
    targetType: 'user',
    targetId: user.id,
    details: { method: 'sms', channels, to: maskPhone(phone), purpose: attempt.purpose, isResend },
  });
  return {
    message: options.alsoToEmail
      ? 'A verification code was sent to your phone and your email.'
      : 'A verification code was sent to your phone.',
    resendAvailableAt: new Date(now.getTime() + RESEND_INTERVAL_MS).toISOString(),
  };
}

/** Ten new recovery codes, shown once; the old ones stop working. */
async function issueRecoveryCodes(ctx: ServiceContext, user: UserRow): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
  await replaceRecoveryCodes(
    ctx.db,
    user.id,
    codes.map((code) => hashRecoveryCode(ctx, user.id, code)),
  );
  await recordAudit(ctx, {
    action: 'two_factor.recovery_codes_generated',
    targetType: 'user',
    targetId: user.id,
    details: { count: codes.length },
  });
  return codes;
}

/** Audits the new factor and, when it is the user's first, issues recovery codes. */
async function completeFactorSetup(
  ctx: ServiceContext,
  user: UserRow,
  method: TwoFactorMethod,
  wasEnabled: boolean,
  details: Record<string, unknown> = {},
): Promise<FactorConfiguredResponse> {
  await recordAudit(ctx, {
    action: wasEnabled ? 'two_factor.changed' : 'two_factor.enabled',
    targetType: 'user',
    targetId: user.id,
    details: { method, ...details },
  });
  const recoveryCodes = wasEnabled ? null : await issueRecoveryCodes(ctx, user);
  return { message: TWO_FACTOR_CONFIGURED_MESSAGE, recoveryCodes };
}

// ---------------------------------------------------------------------------------------------
// Text message (the seed's Two-Factor Setup)

/** Next on the phone number: checks it, starts a setup attempt and texts it a code. */
export async function startSmsSetup(ctx: ServiceContext, input: { phone: string }, now = new Date()): Promise<SmsSetupStartedResponse> {
  assertNotAssisting(ctx);
  const actor = requireActor(ctx);
  const phone = checkMobilePhone(input.phone);
  if (!phone.ok) throw new AppError('validation_failed', phone.message, { issues: [{ path: 'phone', message: phone.message }] });
  const user = await requireUser(ctx, actor.userId);
  const attempt = await insertAttempt(ctx.db, {
    user_id: user.id,
    purpose: 'setup_sms',
    phone_e164: phone.e164,
    created_at: now,
    expires_at: new Date(now.getTime() + ATTEMPT_LIFETIME_MS),
  });
  const sent = await sendCode(ctx, attempt, user, phone.e164, { isResend: false, alsoToEmail: false, now });
  return { attemptId: attempt.id, phone: phone.international, message: sent.message, resendAvailableAt: sent.resendAvailableAt };
}

/** Resend Code during setup: a new code for the same attempt, within the resend limits. */
export async function resendSmsSetupCode(ctx: ServiceContext, attemptId: string, now = new Date()): Promise<CodeSentResponse> {
  assertNotAssisting(ctx);
  const actor = requireActor(ctx);
  const attempt = assertAttemptUsable(await findOwnAttempt(ctx.db, actor.userId, attemptId, 'setup_sms'), 'setup', now);
  const user = await requireUser(ctx, actor.userId);
  return sendCode(ctx, attempt, user, attempt.phone_e164 ?? '', { isResend: true, alsoToEmail: false, now });
}

/** The Verification Code and Next: the phone number becomes the user's text-message factor. */
export async function confirmSmsSetup(ctx: ServiceContext, input: ConfirmCodeBody, now = new Date()): Promise<FactorConfiguredResponse> {
  assertNotAssisting(ctx);
  const actor = requireActor(ctx);
  const attempt = assertAttemptUsable(await findOwnAttempt(ctx.db, actor.userId, input.attemptId, 'setup_sms'), 'setup', now);
  const user = await requireUser(ctx, actor.userId);
  await verifySentCode(ctx, attempt, 'setup', user, input.code, now);
  if (!(await markAttemptPassed(ctx.db, attempt.id))) throw new AppError('invalid_token', describeAttemptProblem('finished', 'setup'));
  const wasEnabled = await userHasSecondFactor(ctx, user.id);
  const previous = await findSettings(ctx.db, user.id);
  await upsertSettings(ctx.db, user.id, { phone_e164: attempt.phone_e164, phone_verified_at: now });
  const hadSms = Boolean(previous?.phone_verified_at);
  return completeFactorSetup(ctx, user, 'sms', wasEnabled, { to: maskPhone(attempt.phone_e164 ?? ''), phoneChanged: hadSms });
}

/** The Send backup email check box and Save. */
export async function updateBackupEmail(ctx: ServiceContext, input: { sendBackupEmail: boolean }): Promise<void> {
  assertNotAssisting(ctx);
  const actor = requireActor(ctx);
  const settings = await findSettings(ctx.db, actor.userId);
  if (!settings?.phone_verified_at) {
    throw new AppError('conflict', 'Set up two-factor authentication by text message before choosing a backup email.');
  }
  await upsertSettings(ctx.db, actor.userId, { send_backup_email: input.sendBackupEmail });
  await recordAudit(ctx, {
    action: 'two_factor.changed',
    targetType: 'user',
    targetId: actor.userId,
    details: { method: 'sms', sendBackupEmail: input.sendBackupEmail },
  });
}

/** Disable Two-Factor and Continue: deletes the phone number and every other two-factor setting. */
export async function disableTwoFactor(ctx: ServiceContext): Promise<void> {
  assertNotAssisting(ctx);
  const actor = requireActor(ctx);
  const summary = await findFactorSummary(ctx.db, actor.userId);
  const methods = [
    ...(summary.passkeyCount > 0 ? ['passkey'] : []),
    ...(summary.hasTotp ? ['totp'] : []),
    ...(summary.hasSms ? ['sms'] : []),
  ];
  if (methods.length === 0 && summary.recoveryCodesLeft === 0) throw new AppError('conflict', 'Two-factor authentication is not enabled.');
  await ctx.db.transaction().execute((trx) => deleteAllFactors(trx, actor.userId));
  await recordAudit(ctx, { action: 'two_factor.disabled', targetType: 'user', targetId: actor.userId, details: { methods } });
}

// ---------------------------------------------------------------------------------------------
// Authenticator app (TOTP)

export async function startTotpSetup(ctx: ServiceContext, now = new Date()): Promise<TotpSetupResponse> {
  assertNotAssisting(ctx);
  const actor = requireActor(ctx);
  const user = await requireUser(ctx, actor.userId);
  const secret = new Secret({ size: 20 });
  const attempt = await insertAttempt(ctx.db, {
    user_id: user.id,
    purpose: 'setup_totp',
    totp_secret_encrypted: encryptSecret(ctx.config.secrets.masterKey, secret.base32),
    created_at: now,
    expires_at: new Date(now.getTime() + ATTEMPT_LIFETIME_MS),
  });
  const otpauthUrl = buildTotp(user, secret).toString();
  const qrCode = await QRCode.toDataURL(otpauthUrl, { errorCorrectionLevel: 'M', margin: 1, width: 220 });
  return { attemptId: attempt.id, secret: secret.base32, otpauthUrl, qrCode };
}

/** Which time step a TOTP code belongs to, or null when it is wrong for every step in the window. */
function findTotpStep(user: UserRow, encryptedSecret: string, ctx: Pick<ServiceContext, 'config'>, code: string, now: Date): number | null {
  const secret = Secret.fromBase32(decryptSecret(ctx.config.secrets.masterKey, encryptedSecret));
  const delta = buildTotp(user, secret).validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW });
  return delta === null ? null : totpStepAt(now, delta);
}

export async function confirmTotpSetup(ctx: ServiceContext, input: ConfirmCodeBody, now = new Date()): Promise<FactorConfiguredResponse> {
  assertNotAssisting(ctx);
  const actor = requireActor(ctx);
  const attempt = assertAttemptUsable(await findOwnAttempt(ctx.db, actor.userId, input.attemptId, 'setup_totp'), 'setup', now);
  const user = await requireUser(ctx, actor.userId);
  const step = attempt.totp_secret_encrypted ? findTotpStep(user, attempt.totp_secret_encrypted, ctx, input.code, now) : null;
  if (step === null) {
    return refuseWrongTry(
      ctx,
      attempt,
      'setup',
      user,
      'totp',
      'wrong',
      'That code is not right. Check the time on your phone and try the newest code.',
    );
  }
  if (!(await markAttemptPassed(ctx.db, attempt.id))) throw new AppError('invalid_token', describeAttemptProblem('finished', 'setup'));
  const wasEnabled = await userHasSecondFactor(ctx, user.id);
  await upsertSettings(ctx.db, user.id, {
    totp_secret_encrypted: attempt.totp_secret_encrypted,
    totp_enabled_at: now,
    totp_last_step: step,
  });
  return completeFactorSetup(ctx, user, 'totp', wasEnabled);
}

export async function removeTotp(ctx: ServiceContext): Promise<void> {
  assertNotAssisting(ctx);
  const actor = requireActor(ctx);
  const settings = await findSettings(ctx.db, actor.userId);
  if (!settings?.totp_enabled_at) throw new AppError('not_found', 'No authenticator app is set up.');
  await upsertSettings(ctx.db, actor.userId, { totp_secret_encrypted: null, totp_enabled_at: null, totp_last_step: null });
  const isLastFactor = await forgetRecoveryCodesWithoutFactor(ctx, actor.userId);
  await recordAudit(ctx, {
    action: 'two_factor.disabled',
    targetType: 'user',
    targetId: actor.userId,
    details: { method: 'totp', isLastFactor },
  });
}

/** Recovery codes and settings stand in for a factor only while one exists: without one, they go. */
async function forgetRecoveryCodesWithoutFactor(ctx: ServiceContext, userId: string): Promise<boolean> {
  if (await userHasSecondFactor(ctx, userId)) return false;
  await ctx.db.transaction().execute((trx) => deleteAllFactors(trx, userId));
  return true;
}

// ---------------------------------------------------------------------------------------------
// Recovery codes

export async function regenerateRecoveryCodes(ctx: ServiceContext): Promise<{ recoveryCodes: string[] }> {
  assertNotAssisting(ctx);
  const actor = requireActor(ctx);
  if (!(await userHasSecondFactor(ctx, actor.userId))) {
    throw new AppError('conflict', 'Set up a second factor before generating recovery codes.');
  }
  const user = await requireUser(ctx, actor.userId);
  return { recoveryCodes: await issueRecoveryCodes(ctx, user) };
}

// ---------------------------------------------------------------------------------------------
// Passkeys (WebAuthn)

export async function startPasskeyRegistration(ctx: ServiceContext, now = new Date()): Promise<PasskeyOptionsResponse> {
  assertNotAssisting(ctx);
  const actor = requireActor(ctx);
  const user = await requireUser(ctx, actor.userId);
  const existing = await findPasskeysOfUser(ctx.db, user.id);
  const { rpID, rpName } = relyingParty(ctx);
  const options = await (
    await webauthn()
  ).generateRegistrationOptions({
    rpName,
    rpID,
    userName: user.username,
    userDisplayName: user.name || user.username,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map((passkey) => ({
      id: passkey.credential_id,
      transports: passkey.transports as AuthenticatorTransport[],
    })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  const attempt = await insertAttempt(ctx.db, {
    user_id: user.id,
    purpose: 'setup_passkey',
    webauthn_challenge: options.challenge,
    created_at: now,
    expires_at: new Date(now.getTime() + ATTEMPT_LIFETIME_MS),
  });
  return { attemptId: attempt.id, options: options as unknown as Record<string, unknown> };
}

const PASSKEY_REFUSED_MESSAGE = 'The passkey response could not be verified, so it was refused. Try again.';

export async function finishPasskeyRegistration(ctx: ServiceContext, input: AddPasskeyBody, now = new Date()): Promise<PasskeyResponse> {
  assertNotAssisting(ctx);
  const actor = requireActor(ctx);
  const attempt = assertAttemptUsable(await findOwnAttempt(ctx.db, actor.userId, input.attemptId, 'setup_passkey'), 'setup', now);
  const user = await requireUser(ctx, actor.userId);
  const challenge = attempt.webauthn_challenge;
  const { rpID, origin } = relyingParty(ctx);
  let verification;
  try {
    if (!challenge) throw new Error('no challenge');
    verification = await (
      await webauthn()
    ).verifyRegistrationResponse({
      response: input.response as unknown as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: false,
    });
  } catch (error) {
    ctx.log.info({ err: error }, 'passkey registration refused');
    verification = null;
  }
  if (!verification?.verified || !challenge) {
    return refuseWrongTry(ctx, attempt, 'setup', user, 'passkey', 'unverified', PASSKEY_REFUSED_MESSAGE);
  }
  if (!(await consumeAttemptChallenge(ctx.db, attempt.id, challenge)) || !(await markAttemptPassed(ctx.db, attempt.id))) {
    throw new AppError('invalid_token', describeAttemptProblem('finished', 'setup'));
  }
  const { credential } = verification.registrationInfo;
  const wasEnabled = await userHasSecondFactor(ctx, user.id);
  const passkey = await insertPasskey(ctx.db, {
    user_id: user.id,
    name: input.name,
    credential_id: credential.id,
    public_key: Buffer.from(credential.publicKey).toString('base64url'),
    counter: credential.counter,
    transports: JSON.stringify(credential.transports ?? []),
    created_at: now,
  });
  await recordAudit(ctx, { action: 'passkey.added', targetType: 'passkey', targetId: passkey.id, details: { name: passkey.name } });
  if (!wasEnabled) await completeFactorSetup(ctx, user, 'passkey', false);
  return presentPasskey(passkey);
}

/** Removes one of your passkeys; another user's answers 404. */
export async function removePasskey(ctx: ServiceContext, passkeyId: string): Promise<void> {
  assertNotAssisting(ctx);
  const actor = requireActor(ctx);
  const removed = await deleteOwnPasskey(ctx.db, actor.userId, passkeyId);
  if (!removed) throw new AppError('not_found', 'Passkey not found.');
  const isLastFactor = await forgetRecoveryCodesWithoutFactor(ctx, actor.userId);
  await recordAudit(ctx, {
    action: 'passkey.removed',
    targetType: 'passkey',
    targetId: removed.id,
    details: { name: removed.name, isLastFactor },
  });
}

// ---------------------------------------------------------------------------------------------
// Sign-in: the second step

function methodsOf(summary: Awaited<ReturnType<typeof findFactorSummary>>): TwoFactorMethod[] {
  const methods: TwoFactorMethod[] = [];
  if (summary.passkeyCount > 0) methods.push('passkey');
  if (summary.hasTotp) methods.push('totp');
  if (summary.hasSms) methods.push('sms');
  if (summary.recoveryCodesLeft > 0) methods.push('recovery_code');
  return methods;
}

/**
 * A right password for a user with a second factor: no session, only a challenge valid ten
 * minutes, carried by its own cookie. When text message is the only factor, its code goes out now.
 */
export async function startSignInChallenge(
  ctx: ServiceContext,
  user: UserRow,
  rememberMe: boolean,
  now = new Date(),
): Promise<{ token: string; response: SignInChallengeResponse }> {
  const token = createRandomToken();
  const expiresAt = new Date(now.getTime() + ATTEMPT_LIFETIME_MS);
  // Housekeeping: attempts (and their codes) a day past their end are of no use to anyone.
  await deleteExpiredAttempts(ctx.db, now);
  const retryAfterSeconds = checkWrongCodesPerUser(
    await findRecentSignInAttempts(ctx.db, user.id, new Date(now.getTime() - 3_600_000)),
    now,
  );
  if (retryAfterSeconds !== null) {
    await recordAudit(ctx, {
      action: 'auth.sign_in_throttled',
      outcome: 'failure',
      actor: { userId: user.id, username: user.username },
      details: { reason: 'second_factor', retryAfterSeconds },
    });
    throw new AppError('rate_limited', 'Too many wrong verification codes. Try again later.', { retryAfterSeconds });
  }
  const [summary, settings] = await Promise.all([findFactorSummary(ctx.db, user.id), findSettings(ctx.db, user.id)]);
  const attempt = await insertAttempt(ctx.db, {
    user_id: user.id,
    purpose: 'sign_in',
    token_hash: hashToken(ctx.config.secrets.sessionSecret, token),
    remember_me: rememberMe,
    created_at: now,
    expires_at: expiresAt,
  });
  const methods = methodsOf(summary);
  const phone = summary.hasSms ? (settings?.phone_e164 ?? null) : null;
  let isCodeSent = false;
  if (phone && !summary.hasTotp && summary.passkeyCount === 0) {
    try {
      await sendCode(ctx, attempt, user, phone, { isResend: false, alsoToEmail: settings?.send_backup_email === true, now });
      isCodeSent = true;
    } catch (error) {
      // The provider is down or the hourly limit is reached: the code step still opens, where a
      // recovery code works and Send Code explains the problem.
      if (!(error instanceof AppError)) throw error;
      ctx.log.warn({ code: error.code }, 'the sign-in code could not be sent');
    }
  }
  return {
    token,
    response: {
      secondFactorRequired: true,
      methods,
      phoneHint: phone ? maskPhone(phone) : null,
      isCodeSent,
      expiresAt: expiresAt.toISOString(),
    },
  };
}

async function findSignInAttempt(ctx: ServiceContext, token: string | undefined, now: Date) {
  const attempt = token ? await findAttemptByTokenHash(ctx.db, hashToken(ctx.config.secrets.sessionSecret, token)) : undefined;
  const usable = assertAttemptUsable(attempt, 'sign_in', now);
  const user = await findUserById(ctx.db, usable.user_id);
  if (!user || user.is_disabled) throw new AppError('unauthenticated', SIGN_IN_ENDED_MESSAGE);
  return { attempt: usable, user };
}

/** What the code step offers, for a page that was reloaded. */
export async function describeSignInChallenge(ctx: ServiceContext, token: string | undefined, now = new Date()) {
  const { attempt, user } = await findSignInAttempt(ctx, token, now);
  const [summary, settings, codes] = await Promise.all([
    findFactorSummary(ctx.db, user.id),
    findSettings(ctx.db, user.id),
    findCodesOfAttempt(ctx.db, attempt.id),
  ]);
  return {
    secondFactorRequired: true as const,
    methods: methodsOf(summary),
    phoneHint: summary.hasSms && settings?.phone_e164 ? maskPhone(settings.phone_e164) : null,
    isCodeSent: codes.length > 0,
    expiresAt: attempt.expires_at.toISOString(),
  };
}

/** Text me a code / Resend Code at sign-in. */
export async function sendSignInCode(ctx: ServiceContext, token: string | undefined, now = new Date()): Promise<CodeSentResponse> {
  const { attempt, user } = await findSignInAttempt(ctx, token, now);
  const settings = await findSettings(ctx.db, user.id);
  if (!settings?.phone_e164 || !settings.phone_verified_at) throw new AppError('conflict', 'Text messages are not set up for this user.');
  const codes = await findCodesOfAttempt(ctx.db, attempt.id);
  return sendCode(ctx, attempt, user, settings.phone_e164, {
    isResend: codes.length > 0,
    alsoToEmail: settings.send_backup_email,
    now,
  });
}

export async function passkeySignInOptions(
  ctx: ServiceContext,
  token: string | undefined,
  now = new Date(),
): Promise<PasskeyOptionsResponse> {
  const { attempt, user } = await findSignInAttempt(ctx, token, now);
  const passkeys = await findPasskeysOfUser(ctx.db, user.id);
  if (passkeys.length === 0) throw new AppError('conflict', 'No passkey is set up for this user.');
  const options = await (
    await webauthn()
  ).generateAuthenticationOptions({
    rpID: relyingParty(ctx).rpID,
    allowCredentials: passkeys.map((passkey) => ({
      id: passkey.credential_id,
      transports: passkey.transports as AuthenticatorTransport[],
    })),
    userVerification: 'preferred',
  });
  await setAttemptChallenge(ctx.db, attempt.id, options.challenge);
  return { attemptId: attempt.id, options: options as unknown as Record<string, unknown> };
}

async function verifyPasskeyAssertion(
  ctx: ServiceContext,
  attempt: AttemptRow,
  user: UserRow,
  response: Record<string, unknown>,
  now: Date,
): Promise<boolean> {
  const challenge = attempt.webauthn_challenge;
  const credentialId = typeof response.id === 'string' ? response.id : '';
  const passkey = challenge && credentialId ? await findPasskeyByCredentialId(ctx.db, user.id, credentialId) : undefined;
  if (!challenge || !passkey) return false;
  const { rpID, origin } = relyingParty(ctx);
  try {
    const verification = await (
      await webauthn()
    ).verifyAuthenticationResponse({
      response: response as unknown as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: {
        id: passkey.credential_id,
        publicKey: new Uint8Array(Buffer.from(passkey.public_key, 'base64url')),
        counter: Number(passkey.counter),
        transports: passkey.transports as AuthenticatorTransport[],
      },
      requireUserVerification: false,
    });
    if (!verification.verified || !(await consumeAttemptChallenge(ctx.db, attempt.id, challenge))) return false;
    await updatePasskeyUse(ctx.db, passkey.id, verification.authenticationInfo.newCounter, now);
    return true;
  } catch (error) {
    ctx.log.info({ err: error }, 'passkey sign-in refused');
    return false;
  }
}

/**
 * The code step: a right code (text message, authenticator app, recovery code) or passkey ends the
 * challenge and answers the user and their Remember Me choice, for the caller to open the session.
 */
export async function passSecondFactor(
  ctx: ServiceContext,
  token: string | undefined,
  input: SecondFactorBody,
  now = new Date(),
): Promise<{ user: UserRow; rememberMe: boolean }> {
  const { attempt, user } = await findSignInAttempt(ctx, token, now);
  const settings: TwoFactorSettingsRow | undefined = await findSettings(ctx.db, user.id);
  const details: Record<string, unknown> = { method: input.method };

  if (input.method === 'sms') {
    if (!settings?.phone_verified_at)
      await refuseWrongTry(ctx, attempt, 'sign_in', user, 'sms', 'not_set_up', 'Text messages are not set up.');
    await verifySentCode(ctx, attempt, 'sign_in', user, input.code, now);
  } else if (input.method === 'totp') {
    const step =
      settings?.totp_enabled_at && settings.totp_secret_encrypted
        ? findTotpStep(user, settings.totp_secret_encrypted, ctx, input.code, now)
        : null;
    if (step === null) {
      await refuseWrongTry(
        ctx,
        attempt,
        'sign_in',
        user,
        'totp',
        'wrong',
        'That code is not right. Check the time on your phone and try the newest code.',
      );
    } else if (isTotpReplay(step, settings?.totp_last_step ?? null) || !(await advanceTotpStep(ctx.db, user.id, step))) {
      await refuseWrongTry(ctx, attempt, 'sign_in', user, 'totp', 'replayed', 'That code has already been used. Wait for the next code.');
    }
  } else if (input.method === 'recovery_code') {
    const left = await useRecoveryCode(ctx.db, user.id, hashRecoveryCode(ctx, user.id, input.code), now);
    if (left === null)
      await refuseWrongTry(ctx, attempt, 'sign_in', user, 'recovery_code', 'wrong', 'That recovery code is not right or was already used.');
    details.recoveryCodesLeft = left;
    await recordAudit(ctx, {
      action: 'two_factor.recovery_code_used',
      actor: { userId: user.id, username: user.username },
      targetType: 'user',
      targetId: user.id,
      details: { recoveryCodesLeft: left },
    });
  } else if (!(await verifyPasskeyAssertion(ctx, attempt, user, input.response, now))) {
    await refuseWrongTry(ctx, attempt, 'sign_in', user, 'passkey', 'unverified', PASSKEY_REFUSED_MESSAGE);
  }

  if (!(await markAttemptPassed(ctx.db, attempt.id))) throw new AppError('unauthenticated', SIGN_IN_ENDED_MESSAGE);
  await recordAudit(ctx, {
    action: 'auth.second_factor_passed',
    actor: { userId: user.id, username: user.username },
    targetType: 'user',
    targetId: user.id,
    details,
  });
  return { user, rememberMe: attempt.remember_me };
}
