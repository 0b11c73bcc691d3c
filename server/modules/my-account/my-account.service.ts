import Bowser from 'bowser';
import type {
  ChangePasswordBody,
  ChangePasswordResponse,
  ConfirmEmailResponse,
  ProfileResponse,
  RevokedSessionsResponse,
  SessionListResponse,
  SessionSummaryResponse,
  UpdateProfileBody,
  UpdateProfileResponse,
} from '../../../common/schemas/my-account.js';
import type { UserRow } from '../../db/schema.js';
import { AppError } from '../../lib/app-error.js';
import { assertNotAssisting } from '../../lib/assist-guard.js';
import type { ServiceContext } from '../../lib/context.js';
import { createRandomToken, hashPassword, hashToken, verifyPassword } from '../../lib/crypto.js';
import { recordAudit } from '../audit/audit.service.js';
import { clearSignInFailures, isUsernameLocked, registerFailedSignIn, SIGN_IN_LOCKED_MESSAGE } from '../auth/auth.service.js';
import { findUserById, updateUser } from '../users/users.repository.js';
import { assertPasswordMeetsPolicy } from '../users/users.service.js';
import {
  consumeEmailChange,
  deleteOtherSessionsOfUser,
  deleteSessionOfUser,
  findActiveSessionsOfUser,
  findPendingEmailChange,
  findUsableEmailChange,
  insertEmailChangeRequest,
  invalidateEmailChangeRequests,
} from './my-account.repository.js';

export const EMAIL_CHANGE_LINK_HOURS = 24;

export const WRONG_CURRENT_PASSWORD_MESSAGE = 'The current password is not correct.';
export const CURRENT_PASSWORD_REQUIRED_MESSAGE = 'Enter your current password to change your email.';
export const SAVED_MESSAGE = 'Your changes have been saved.';
export const PASSWORD_CHANGED_MESSAGE = 'Your password has been changed.';
export const INVALID_EMAIL_LINK_MESSAGE =
  'This email confirmation link is invalid, has expired or has already been used. Change your email again in My Account.';

/** The signed-in user (never another one): every service here acts on the caller only. */
async function requireSelf(ctx: ServiceContext): Promise<UserRow> {
  if (!ctx.actor) throw new AppError('unauthenticated', 'Sign in to continue.');
  const user = await findUserById(ctx.db, ctx.actor.userId);
  if (!user) throw new AppError('unauthenticated', 'Sign in to continue.');
  return user;
}

/** Where mail about the account goes: its Email, or the username (a name@domain address) when it has none. */
function mailboxOf(user: Pick<UserRow, 'email' | 'username'>): string {
  return user.email ?? user.username;
}

function greetingOf(user: Pick<UserRow, 'name' | 'username'>): string {
  return `Hello ${user.name || user.username},`;
}

async function presentProfile(ctx: ServiceContext, user: UserRow, now = new Date()): Promise<ProfileResponse> {
  const pending = await findPendingEmailChange(ctx.db, user.id, now);
  return {
    username: user.username,
    name: user.name,
    email: user.email,
    pendingEmailChange: pending ? { email: pending.new_email, expiresAt: pending.expires_at.toISOString() } : null,
  };
}

export async function getProfile(ctx: ServiceContext): Promise<ProfileResponse> {
  return presentProfile(ctx, await requireSelf(ctx));
}

/**
 * Checks the signed-in user's current password. A wrong one counts as a failed sign-in of the
 * username (so a stolen session cannot be used to guess it), and a locked username is refused
 * before the check, with the sign-in's "try again later".
 */
async function assertCurrentPassword(
  ctx: ServiceContext,
  user: UserRow,
  password: string | undefined,
  missingMessage: string,
): Promise<void> {
  if (!password) {
    throw new AppError('validation_failed', missingMessage, { issues: [{ path: 'body.currentPassword', message: missingMessage }] });
  }
  if (await isUsernameLocked(ctx, user.username)) throw new AppError('rate_limited', SIGN_IN_LOCKED_MESSAGE);
  const isRight = user.password_hash ? await verifyPassword(user.password_hash, password) : false;
  if (!isRight) {
    await registerFailedSignIn(ctx, user.username, user.id);
    throw new AppError('validation_failed', WRONG_CURRENT_PASSWORD_MESSAGE, {
      issues: [{ path: 'body.currentPassword', message: WRONG_CURRENT_PASSWORD_MESSAGE }],
    });
  }
}

/**
 * Saves Name at once. A new Email asks for the current password and takes effect only when the
 * link mailed to the new address is opened (valid 24 hours, single use; only its hash is kept).
 * Removing the Email also asks for the current password, and takes effect at once.
 */
export async function updateProfile(ctx: ServiceContext, input: UpdateProfileBody): Promise<UpdateProfileResponse> {
  const user = await requireSelf(ctx);
  const name = input.name?.trim();
  const isNameChange = name !== undefined && name !== user.name;
  const requestedEmail = input.email === undefined ? undefined : input.email?.trim() || null;
  const isEmailChange = requestedEmail !== undefined && requestedEmail?.toLowerCase() !== user.email?.toLowerCase();

  if (isEmailChange) {
    assertNotAssisting(ctx);
    await assertCurrentPassword(ctx, user, input.currentPassword, CURRENT_PASSWORD_REQUIRED_MESSAGE);
  }

  const messages: string[] = [];
  if (isNameChange) {
    await updateUser(ctx.db, user.id, { name });
    await recordAudit(ctx, {
      action: 'user.profile_updated',
      targetType: 'user',
      targetId: user.id,
      details: { fields: ['name'] },
    });
  }

  if (isEmailChange && requestedEmail === null) {
    await ctx.db.transaction().execute(async (trx) => {
      await updateUser(trx, user.id, { email: null });
      await invalidateEmailChangeRequests(trx, user.id, new Date());
    });
    await recordAudit(ctx, {
      action: 'user.email_changed',
      targetType: 'user',
      targetId: user.id,
      details: { from: user.email, to: null },
    });
    await mailEmailChangedNotice(ctx, user, user.email ?? user.username, null);
    messages.push('Your email address has been removed; mail now goes to your username.');
  } else if (isEmailChange && requestedEmail) {
    await requestEmailChange(ctx, user, requestedEmail);
    messages.push(`To finish changing your email, open the link we sent to ${requestedEmail} within ${EMAIL_CHANGE_LINK_HOURS} hours.`);
  }

  const updated = (await findUserById(ctx.db, user.id)) ?? user;
  const message = messages.length > 0 ? [isNameChange ? SAVED_MESSAGE : '', ...messages].filter(Boolean).join(' ') : SAVED_MESSAGE;
  return { profile: await presentProfile(ctx, updated), message };
}

async function requestEmailChange(ctx: ServiceContext, user: UserRow, newEmail: string): Promise<void> {
  const token = createRandomToken();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + EMAIL_CHANGE_LINK_HOURS * 3_600_000);
  await ctx.db.transaction().execute(async (trx) => {
    // Only the newest request can be confirmed.
    await invalidateEmailChangeRequests(trx, user.id, now);
    await insertEmailChangeRequest(trx, {
      userId: user.id,
      newEmail,
      tokenHash: hashToken(ctx.config.secrets.sessionSecret, token),
      expiresAt,
    });
  });
  const link = `${ctx.config.publicUrl}/confirm-email?token=${token}`;
  await ctx.mailer.send({
    to: newEmail,
    subject: 'Confirm your new Bulwark email address',
    text: [
      greetingOf(user),
      '',
      `Someone (hopefully you) asked to use this address as the Email of the Bulwark user ${user.username}.`,
      `Open this link within ${EMAIL_CHANGE_LINK_HOURS} hours to confirm it. It works once.`,
      '',
      link,
      '',
      'If you did not ask for this, ignore this message: nothing changes until the link is opened.',
    ].join('\n'),
    link,
  });
  await recordAudit(ctx, {
    action: 'user.email_change_requested',
    targetType: 'user',
    targetId: user.id,
    details: { from: user.email, to: newEmail, expiresAt: expiresAt.toISOString() },
  });
}

async function mailEmailChangedNotice(ctx: ServiceContext, user: UserRow, oldMailbox: string, newEmail: string | null): Promise<void> {
  await ctx.mailer.send({
    to: oldMailbox,
    subject: 'Your Bulwark email address was changed',
    text: [
      greetingOf(user),
      '',
      newEmail
        ? `The Email of the Bulwark user ${user.username} was changed to ${newEmail}. Mail from Bulwark now goes there.`
        : `The Email of the Bulwark user ${user.username} was removed. Mail from Bulwark now goes to the username.`,
      '',
      'If you did not make this change, reset your password with Forgot Password and tell your administrator.',
    ].join('\n'),
  });
}

/**
 * Opens an email confirmation link: the new address becomes the user's Email, the link is used
 * up, and the old address is told. Needs no session: holding the link proves the new address.
 */
export async function confirmEmailChange(ctx: ServiceContext, token: string, now = new Date()): Promise<ConfirmEmailResponse> {
  const request = await findUsableEmailChange(ctx.db, hashToken(ctx.config.secrets.sessionSecret, token), now);
  const user = request ? await findUserById(ctx.db, request.user_id) : undefined;
  if (!request || !user || user.is_disabled) throw new AppError('invalid_token', INVALID_EMAIL_LINK_MESSAGE);
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await consumeEmailChange(trx, request.id, now))) throw new AppError('invalid_token', INVALID_EMAIL_LINK_MESSAGE);
    await updateUser(trx, user.id, { email: request.new_email });
  });
  await recordAudit(ctx, {
    action: 'user.email_changed',
    actor: { userId: user.id, username: user.username },
    targetType: 'user',
    targetId: user.id,
    details: { from: user.email, to: request.new_email },
  });
  await mailEmailChangedNotice(ctx, user, mailboxOf(user), request.new_email);
  return { email: request.new_email, message: `Your email address is now ${request.new_email}.` };
}

/**
 * Changes the signed-in user's password: the current one must be right, the new one must meet
 * the password policy (the message lists exactly what is missing) and differ from the current one.
 * Every other session of the user ends (this one stays), and the user is told by mail.
 */
export async function changePassword(
  ctx: ServiceContext,
  currentSessionId: string,
  input: ChangePasswordBody,
): Promise<ChangePasswordResponse> {
  assertNotAssisting(ctx);
  const user = await requireSelf(ctx);
  await assertCurrentPassword(ctx, user, input.currentPassword, 'Enter your current password.');
  assertPasswordMeetsPolicy(ctx, input.newPassword, user.username, 'newPassword');
  if (input.newPassword === input.currentPassword) {
    const message = 'The new password must be different from the current one.';
    throw new AppError('validation_failed', message, { issues: [{ path: 'body.newPassword', message }] });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const signedOutSessions = await ctx.db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { password_hash: passwordHash, password_changed_at: new Date() });
    return deleteOtherSessionsOfUser(trx, user.id, currentSessionId);
  });
  await clearSignInFailures(ctx, user.username);
  await recordAudit(ctx, {
    action: 'user.password_changed',
    targetType: 'user',
    targetId: user.id,
    details: { otherSessionsSignedOut: signedOutSessions },
  });
  if (signedOutSessions > 0) {
    await recordAudit(ctx, {
      action: 'sessions.revoked',
      targetType: 'user',
      targetId: user.id,
      details: { count: signedOutSessions, reason: 'password_changed' },
    });
  }
  await ctx.mailer.send({
    to: mailboxOf(user),
    subject: 'Your Bulwark password was changed',
    text: [
      greetingOf(user),
      '',
      `The password of the Bulwark user ${user.username} was changed from My Account on ${new Date().toUTCString()}.`,
      signedOutSessions > 0 ? `Your other sessions (${signedOutSessions}) were signed out.` : '',
      '',
      'If you did not make this change, reset your password with Forgot Password at once and tell your administrator.',
    ]
      .filter((line, index, lines) => line !== '' || lines[index - 1] !== '')
      .join('\n'),
  });
  const message =
    signedOutSessions > 0
      ? `${PASSWORD_CHANGED_MESSAGE} Your other sessions (${signedOutSessions}) have been signed out.`
      : PASSWORD_CHANGED_MESSAGE;
  return { message, signedOutSessions };
}

/** "Chrome 131" and "Linux" from a user agent; nulls when it says nothing usable. */
export function describeUserAgent(userAgent: string | null): { browser: string | null; os: string | null } {
  if (!userAgent) return { browser: null, os: null };
  const parsed = Bowser.parse(userAgent);
  const major = parsed.browser.version?.split('.')[0];
  const browser = parsed.browser.name ? [parsed.browser.name, major].filter(Boolean).join(' ') : null;
  const os = parsed.os.name ? [parsed.os.name, parsed.os.versionName ?? null].filter(Boolean).join(' ') : null;
  return { browser, os };
}

/** The signed-in user's sessions that still work, the current one marked. */
export async function listOwnSessions(ctx: ServiceContext, currentSessionId: string, now = new Date()): Promise<SessionListResponse> {
  const user = await requireSelf(ctx);
  const rows = await findActiveSessionsOfUser(ctx.db, user.id, now, ctx.config.session.idleMinutes);
  const items: SessionSummaryResponse[] = rows.map((row) => ({
    id: row.id,
    ...describeUserAgent(row.user_agent),
    userAgent: row.user_agent,
    ip: row.ip,
    startedAt: row.created_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    isCurrent: row.id === currentSessionId,
    isPersistent: row.is_persistent,
  }));
  // This device first, then the most recently seen.
  items.sort((a, b) => Number(b.isCurrent) - Number(a.isCurrent));
  return { items };
}

/** Signs out one other session of the signed-in user; another user's session (or none) is 404. */
export async function revokeOwnSession(ctx: ServiceContext, currentSessionId: string, sessionId: string): Promise<RevokedSessionsResponse> {
  assertNotAssisting(ctx);
  const user = await requireSelf(ctx);
  if (sessionId === currentSessionId) {
    throw new AppError('conflict', 'This is the session you are using: sign out from the user account menu instead.');
  }
  if (!(await deleteSessionOfUser(ctx.db, user.id, sessionId))) throw new AppError('not_found', 'Session not found.');
  await recordAudit(ctx, {
    action: 'sessions.revoked',
    targetType: 'session',
    targetId: sessionId,
    details: { count: 1, reason: 'signed_out_by_user' },
  });
  return { signedOutSessions: 1, message: 'The session has been signed out.' };
}

/** Signs out every session of the signed-in user but the current one. */
export async function revokeOtherSessions(ctx: ServiceContext, currentSessionId: string): Promise<RevokedSessionsResponse> {
  assertNotAssisting(ctx);
  const user = await requireSelf(ctx);
  const count = await deleteOtherSessionsOfUser(ctx.db, user.id, currentSessionId);
  await recordAudit(ctx, {
    action: 'sessions.revoked',
    targetType: 'user',
    targetId: user.id,
    details: { count, reason: 'signed_out_other_sessions' },
  });
  return {
    signedOutSessions: count,
    message: count === 0 ? 'You have no other sessions.' : `${count} other session${count === 1 ? '' : 's'} signed out.`,
  };
}
