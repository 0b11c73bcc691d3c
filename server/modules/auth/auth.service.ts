import { assignedAccountIdsOf } from './assignment-cache.js';
import { INVALID_CREDENTIALS_MESSAGE } from '../../../common/errors.js';
import type { Actor } from '../../../common/permissions.js';
import type { ForgotPasswordBody, ResetPasswordBody, SignInBody } from '../../../common/schemas/auth.js';
import type { SignInChallengeResponse } from '../../../common/schemas/two-factor.js';
import type { SessionRow, UserRow } from '../../db/schema.js';
import { AppError } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { createRandomToken, hashPassword, hashToken, verifyAgainstDummy, verifyPassword } from '../../lib/crypto.js';
import { isAccountActive } from '../accounts/accounts.repository.js';
import { recordAudit } from '../audit/audit.service.js';
import { startSignInChallenge, userHasSecondFactor } from '../two-factor/two-factor.service.js';
import { findAssignedAccountIds, findUserById, findUserByUsername, updateUser } from '../users/users.repository.js';
import { assertPasswordMeetsPolicy, buildActor } from '../users/users.service.js';
import {
  consumeToken,
  deleteLockout,
  deleteSession,
  deleteSessionsOfUser,
  findLockout,
  findLockoutForUpdate,
  findSessionWithUser,
  findUsableToken,
  hitRateLimit,
  insertOneTimeToken,
  insertSession,
  invalidateTokens,
  peekRateLimit,
  recordFailedSignInByUsername,
  saveLockout,
  touchSession,
} from './auth.repository.js';
import { currentState, isLockedAt, normaliseUsername, registerFailure, secondsLeft, type LockoutPolicy } from './sign-in-lockout.js';

export const RESET_LINK_HOURS = 1;

export const CUSTOMER_ACCOUNT_DEACTIVATED_MESSAGE = 'This customer account is deactivated. Contact your service provider.';

export interface SignedInSession {
  token: string;
  session: SessionRow;
  user: UserRow;
  assignedAccountIds: string[];
}

export interface ResolvedSession {
  session: SessionRow;
  user: UserRow;
  actor: Actor;
  assignedAccountIds: string[];
  /** The accounts data version read with the session (see SessionLookup). */
  directoryVersion: string;
}

export function csrfTokenFor(ctx: Pick<ServiceContext, 'config'>, sessionId: string): string {
  return hashToken(ctx.config.secrets.sessionSecret, `csrf:${sessionId}`);
}

function secondsUntil(date: Date): number {
  return Math.max(1, Math.ceil((date.getTime() - Date.now()) / 1000));
}

const ipKey = (ip: string | null) => `sign-in:ip:${ip ?? 'unknown'}`;

/** What a locked username is told: nothing about why, how long, or whether it exists. */
export const SIGN_IN_LOCKED_MESSAGE = 'Too many failed sign-in attempts. Try again later.';

function lockoutPolicyOf(ctx: Pick<ServiceContext, 'config'>): LockoutPolicy {
  return { maxFailures: ctx.config.signInThrottle.maxFailuresPerUser, lockoutMinutes: ctx.config.signInThrottle.lockoutMinutes };
}

/**
 * Refuses with 429 when this IP address has used up its window (Retry-After says how long), or
 * when the username is locked ("try again later", the same for a username that does not exist).
 * Looks at the username's lockout row only, never at the users table.
 */
export async function assertNotThrottled(ctx: ServiceContext, username: string, now = new Date()): Promise<void> {
  const limits = ctx.config.signInThrottle;
  const [byIp, lockout] = await Promise.all([
    peekRateLimit(ctx.db, ipKey(ctx.origin.ip)),
    findLockout(ctx.db, normaliseUsername(username)),
  ]);
  if (byIp && byIp.count >= limits.maxAttemptsPerIp) {
    const retryAfterSeconds = secondsUntil(byIp.windowEndsAt);
    await recordAudit(ctx, {
      action: 'auth.sign_in_throttled',
      outcome: 'failure',
      actor: { userId: null, username },
      details: { reason: 'ip', retryAfterSeconds },
    });
    throw new AppError('rate_limited', `Too many sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`, {
      retryAfterSeconds,
    });
  }
  if (lockout && isLockedAt(lockout, now)) {
    const retryAfterSeconds = secondsLeft(lockout, now);
    await recordAudit(ctx, {
      action: 'auth.sign_in_throttled',
      outcome: 'failure',
      actor: { userId: null, username },
      details: { reason: 'locked', until: lockout.lockedUntil?.toISOString() },
    });
    throw new AppError('rate_limited', SIGN_IN_LOCKED_MESSAGE, { retryAfterSeconds });
  }
}

/**
 * Counts one failed sign-in of a username at `now`: its lockout state (locking it when this is the
 * Nth failure, audited as auth.sign_in_locked with the end of the lock) and the user's own
 * counters. The same statements run whether or not the username exists.
 */
export async function registerFailedSignIn(
  ctx: ServiceContext,
  username: string,
  userId: string | null,
  now = new Date(),
): Promise<{ lockedUntil: Date | null }> {
  const key = normaliseUsername(username);
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const result = registerFailure(lockoutPolicyOf(ctx), await findLockoutForUpdate(trx, key), now);
    await saveLockout(trx, key, result.state);
    await recordFailedSignInByUsername(trx, key, now);
    return result;
  });
  if (outcome.lock) {
    await recordAudit(ctx, {
      action: 'auth.sign_in_locked',
      outcome: 'failure',
      actor: { userId, username },
      details: { until: outcome.lock.until.toISOString(), minutes: outcome.lock.minutes, lockNumber: outcome.state.lockCount },
    });
  }
  return { lockedUntil: outcome.lock?.until ?? null };
}

/** Forgets a username's failures and locks (after a successful sign-in or a password reset). */
export async function clearSignInFailures(ctx: Pick<ServiceContext, 'db'>, username: string): Promise<void> {
  await deleteLockout(ctx.db, normaliseUsername(username));
}

/** Whether the username is locked at `now` (for My Account's current-password checks). */
export async function isUsernameLocked(ctx: Pick<ServiceContext, 'db'>, username: string, now = new Date()): Promise<boolean> {
  const lockout = await findLockout(ctx.db, normaliseUsername(username));
  return lockout !== null && isLockedAt(currentState(lockout, now), now);
}

/**
 * Checks the password and opens a session. Wrong username, wrong password and a user with no
 * password yet all get the same message, after the same argon2 work.
 */
export async function signIn(ctx: ServiceContext, input: SignInBody): Promise<SignInOutcome> {
  await assertNotThrottled(ctx, input.username);
  await hitRateLimit(ctx.db, ipKey(ctx.origin.ip), ctx.config.signInThrottle.windowSeconds);

  const user = await findUserByUsername(ctx.db, input.username);
  const isPasswordRight = user?.password_hash
    ? await verifyPassword(user.password_hash, input.password)
    : await verifyAgainstDummy(input.password);

  if (!user || !isPasswordRight) {
    await registerFailedSignIn(ctx, input.username, user?.id ?? null);
    await recordAudit(ctx, {
      action: 'auth.sign_in_failed',
      outcome: 'failure',
      actor: { userId: user?.id ?? null, username: input.username },
      details: { reason: user ? 'wrong_password' : 'unknown_user' },
    });
    throw new AppError('invalid_credentials', INVALID_CREDENTIALS_MESSAGE);
  }
  if (user.is_disabled) {
    await recordAudit(ctx, {
      action: 'auth.sign_in_failed',
      outcome: 'failure',
      actor: { userId: user.id, username: user.username },
      details: { reason: 'disabled' },
    });
    throw new AppError('account_disabled', 'This user account is disabled. Contact your administrator.');
  }
  if (user.kind === 'contact' && !(user.account_id && (await isAccountActive(ctx.db, user.account_id)))) {
    await recordAudit(ctx, {
      action: 'auth.sign_in_failed',
      outcome: 'failure',
      actor: { userId: user.id, username: user.username },
      accountId: user.account_id,
      details: { reason: 'account_deactivated' },
    });
    throw new AppError('account_disabled', CUSTOMER_ACCOUNT_DEACTIVATED_MESSAGE);
  }

  await clearSignInFailures(ctx, input.username);
  // Two-factor: a right password alone opens no session; the code step finishes the sign-in.
  if (await userHasSecondFactor(ctx, user.id)) {
    return { kind: 'challenge', ...(await startSignInChallenge(ctx, user, input.rememberMe)) };
  }
  return { kind: 'session', ...(await openSignedInSession(ctx, user, input.rememberMe)) };
}

export type SignInOutcome =
  ({ kind: 'session' } & SignedInSession) | { kind: 'challenge'; token: string; response: SignInChallengeResponse };

/**
 * Opens the session of a user who has proved who they are (password, and the second factor when
 * they have one), keeping their Remember Me choice, and audits the sign-in.
 */
export async function openSignedInSession(ctx: ServiceContext, user: UserRow, rememberMe: boolean): Promise<SignedInSession> {
  const now = new Date();
  // failed_login_count is the seed's 'total number of failed attempts': kept, not reset.
  await updateUser(ctx.db, user.id, { last_login_at: now });
  const token = createRandomToken();
  const session = await insertSession(ctx.db, {
    tokenHash: hashToken(ctx.config.secrets.sessionSecret, token),
    userId: user.id,
    isPersistent: rememberMe,
    expiresAt: new Date(now.getTime() + ctx.config.session.maxDays * 86_400_000),
    ip: ctx.origin.ip,
    userAgent: ctx.origin.userAgent,
  });
  await recordAudit(ctx, {
    action: 'auth.sign_in',
    actor: { userId: user.id, username: user.username },
    targetType: 'session',
    targetId: session.id,
    details: { rememberMe },
  });
  const assignedAccountIds = await findAssignedAccountIds(ctx.db, user.id);
  return { token, session, user: { ...user, last_login_at: now }, assignedAccountIds };
}

/** Opens a session for a user who just proved who they are another way (first-run setup). */
export async function openSession(ctx: ServiceContext, user: UserRow): Promise<SignedInSession> {
  const now = new Date();
  await updateUser(ctx.db, user.id, { last_login_at: now });
  const token = createRandomToken();
  const session = await insertSession(ctx.db, {
    tokenHash: hashToken(ctx.config.secrets.sessionSecret, token),
    userId: user.id,
    isPersistent: false,
    expiresAt: new Date(now.getTime() + ctx.config.session.maxDays * 86_400_000),
    ip: ctx.origin.ip,
    userAgent: ctx.origin.userAgent,
  });
  return { token, session, user: { ...user, last_login_at: now }, assignedAccountIds: [] };
}

/**
 * The session behind a cookie token, or null when it is unknown, past its absolute expiry, idle
 * for longer than the configured timeout (without Remember Me), or its user is disabled.
 */
export async function resolveSession(ctx: ServiceContext, token: string): Promise<ResolvedSession | null> {
  const found = await findSessionWithUser(ctx.db, hashToken(ctx.config.secrets.sessionSecret, token));
  if (!found) return null;
  const { session, user, accountIsActive, directoryVersion } = found;
  const now = Date.now();
  const idleMs = ctx.config.session.idleMinutes * 60_000;
  const isIdle = !session.is_persistent && now - session.last_seen_at.getTime() > idleMs;
  if (now >= session.expires_at.getTime() || isIdle) {
    await deleteSession(ctx.db, session.id);
    await recordAudit(ctx, {
      action: 'auth.session_expired',
      actor: { userId: user.id, username: user.username },
      targetType: 'session',
      targetId: session.id,
      details: { reason: isIdle ? 'inactivity' : 'maximum_age' },
    });
    return null;
  }
  if (user.is_disabled) return null;
  if (user.kind === 'contact' && !(user.account_id && accountIsActive)) return null;
  // Touch at most every minute (or a quarter of the idle timeout, when shorter) to spare writes.
  if (now - session.last_seen_at.getTime() > Math.min(60_000, idleMs / 4)) {
    await touchSession(ctx.db, session.id, new Date(now));
  }
  const assignedAccountIds = await assignedAccountIdsOf(ctx.db, user, directoryVersion);
  return { session, user, actor: buildActor(user, assignedAccountIds), assignedAccountIds, directoryVersion };
}

export async function signOut(ctx: ServiceContext, session: SessionRow): Promise<void> {
  await deleteSession(ctx.db, session.id);
  await recordAudit(ctx, { action: 'auth.sign_out', targetType: 'session', targetId: session.id });
}

/** Issues a single-use password reset link valid for one hour; earlier links of the user stop working. */
export async function issuePasswordResetLink(
  ctx: Pick<ServiceContext, 'db' | 'config'>,
  user: UserRow,
): Promise<{ link: string; expiresAt: Date }> {
  const token = createRandomToken();
  const expiresAt = new Date(Date.now() + RESET_LINK_HOURS * 3_600_000);
  await invalidateTokens(ctx.db, 'password_reset', user.id);
  await insertOneTimeToken(ctx.db, {
    purpose: 'password_reset',
    tokenHash: hashToken(ctx.config.secrets.sessionSecret, token),
    userId: user.id,
    expiresAt,
  });
  return { link: `${ctx.config.publicUrl}/reset-password?token=${token}`, expiresAt };
}

export const FORGOT_PASSWORD_MESSAGE = 'If that username exists, a password reset link is on its way to the email address on file.';

/**
 * Mails a reset link to the user's Email, or to the username when Email is empty. Answers the
 * same whether or not the user exists; at most 5 requests per username per hour are honoured.
 */
export async function requestPasswordReset(ctx: ServiceContext, input: ForgotPasswordBody): Promise<void> {
  const window = await hitRateLimit(ctx.db, `password-reset:${input.username.toLowerCase()}`, 3600);
  const user = await findUserByUsername(ctx.db, input.username);
  if (!user || user.is_disabled || window.count > 5) {
    await recordAudit(ctx, {
      action: 'auth.password_reset_requested',
      outcome: 'failure',
      actor: { userId: user?.id ?? null, username: input.username },
      details: { reason: !user ? 'unknown_user' : user.is_disabled ? 'disabled' : 'too_many_requests' },
    });
    return;
  }
  const { link } = await issuePasswordResetLink(ctx, user);
  const to = user.email ?? user.username;
  await ctx.mailer.send({
    to,
    subject: 'Reset your Bulwark password',
    text: [
      `Hello ${user.name || user.username},`,
      '',
      `Someone (hopefully you) asked to set a new password for the Bulwark user ${user.username}.`,
      'Open this link within one hour to choose a new password. It works once.',
      '',
      link,
      '',
      'If you did not ask for this, ignore this message: your password stays as it is.',
    ].join('\n'),
    link,
  });
  await recordAudit(ctx, {
    action: 'auth.password_reset_requested',
    actor: { userId: user.id, username: user.username },
    targetType: 'user',
    targetId: user.id,
    details: { sentTo: to },
  });
}

async function findUserOfResetToken(ctx: ServiceContext, token: string) {
  const row = await findUsableToken(ctx.db, 'password_reset', hashToken(ctx.config.secrets.sessionSecret, token));
  const user = row?.user_id ? await findUserById(ctx.db, row.user_id) : undefined;
  if (!row || !user || user.is_disabled) {
    throw new AppError('invalid_token', 'This password reset link is invalid or has expired. Ask for a new one with Forgot Password.');
  }
  return { row, user };
}

export async function inspectResetToken(ctx: ServiceContext, token: string): Promise<{ username: string }> {
  const { user } = await findUserOfResetToken(ctx, token);
  return { username: user.username };
}

/** Sets the new password, uses up the link, and ends every session of the user. */
export async function resetPassword(ctx: ServiceContext, input: ResetPasswordBody): Promise<void> {
  const { row, user } = await findUserOfResetToken(ctx, input.token);
  assertPasswordMeetsPolicy(ctx, input.password, user.username);
  const passwordHash = await hashPassword(input.password);
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await consumeToken(trx, row.id))) {
      throw new AppError('invalid_token', 'This password reset link has already been used. Ask for a new one with Forgot Password.');
    }
    await updateUser(trx, user.id, { password_hash: passwordHash, password_changed_at: new Date() });
    await deleteSessionsOfUser(trx, user.id);
  });
  await clearSignInFailures(ctx, user.username);
  await recordAudit(ctx, {
    action: 'auth.password_reset_completed',
    actor: { userId: user.id, username: user.username },
    targetType: 'user',
    targetId: user.id,
  });
}
