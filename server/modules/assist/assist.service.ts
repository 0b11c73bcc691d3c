import { ROLES, type Actor } from '../../../common/permissions.js';
import type { AssistStartedResponse, AssistingResponse, StartAssistBody } from '../../../common/schemas/assist.js';
import type { UserRow } from '../../db/schema.js';
import { AppError, notFound } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { createRandomToken, hashToken } from '../../lib/crypto.js';
import { recordAudit } from '../audit/audit.service.js';
import { findAssignedAccountIds, findUserById } from '../users/users.repository.js';
import { buildActor } from '../users/users.service.js';
import {
  endAssistGrant,
  findAssistGrantByTokenHash,
  findOpenAssistGrantsOfSession,
  insertAssistGrant,
  type AssistEndReason,
  type AssistGrantWithNames,
} from './assist.repository.js';

export const ADMINISTRATOR_CANNOT_BE_ASSISTED_MESSAGE = 'An Administrator cannot be assisted.';
export const ALREADY_ASSISTING_MESSAGE = 'You are already assisting a user. Stop assisting before you assist someone else.';
export const NOTIFY_FAILED_MESSAGE =
  'Bulwark could not mail the user that you are about to assist them, so the assist did not start. Try again later.';
export const DISABLED_USER_MESSAGE = 'A disabled user cannot be assisted. Enable the user first.';

export interface StartedAssist {
  /** The random token for the assist cookie; the database keeps only its keyed hash. */
  token: string;
  response: AssistStartedResponse;
}

/** What the authentication hook puts in place of the Administrator while an assist is valid. */
export interface ResolvedAssist {
  actor: Actor;
  user: UserRow;
  assignedAccountIds: string[];
}

function tokenHashOf(ctx: Pick<ServiceContext, 'config'>, token: string): string {
  return hashToken(ctx.config.secrets.sessionSecret, `assist:${token}`);
}

const isAdministrator = (user: UserRow) => user.kind === 'staff' && user.role === ROLES.administrator;

/** Staff who are not Administrators and are enabled: the only users an assist may act as. */
function refusalFor(user: UserRow): { message: string; code: 'forbidden' | 'conflict'; reason: string } | null {
  if (isAdministrator(user)) return { code: 'forbidden', message: ADMINISTRATOR_CANNOT_BE_ASSISTED_MESSAGE, reason: 'administrator' };
  if (user.is_disabled) return { code: 'conflict', message: DISABLED_USER_MESSAGE, reason: 'disabled' };
  return null;
}

/**
 * Starts assisting a staff user for ASSIST_MAX_MINUTES from the Administrator's session. Refuses
 * (and changes nothing) while already assisting, for an unknown user or a contact (404), for an
 * Administrator and for a disabled user. Audited with the reason and both identities.
 */
export async function startAssist(
  ctx: ServiceContext,
  sessionId: string,
  input: StartAssistBody,
  now: Date = new Date(),
): Promise<StartedAssist> {
  const administrator = ctx.actor;
  if (!administrator) throw new AppError('unauthenticated', 'Sign in to continue.');
  if (administrator.assistedBy) throw new AppError('conflict', ALREADY_ASSISTING_MESSAGE);

  const user = await findUserById(ctx.db, input.userId);
  if (!user || user.kind !== 'staff') throw notFound('User');
  const refusal = refusalFor(user);
  if (refusal) {
    await recordAudit(ctx, {
      action: 'assist.started',
      outcome: 'failure',
      onBehalfOf: { userId: user.id, username: user.username },
      targetType: 'user',
      targetId: user.id,
      details: { reason: input.reason, refused: refusal.reason },
    });
    throw new AppError(refusal.code, refusal.message);
  }

  const token = createRandomToken();
  const endsAt = new Date(now.getTime() + ctx.config.assist.maxMinutes * 60_000);
  // Told first, outside the transaction: when the deployment promises users are told, an assist
  // whose mail could not be sent does not start.
  if (ctx.config.assist.notifyUser) await notifyAssistedUser(ctx, user, administrator, input.reason, endsAt);
  const grant = await ctx.db.transaction().execute(async (trx) => {
    // A session holds at most one assist: an earlier one whose cookie was lost ends here.
    for (const open of await findOpenAssistGrantsOfSession(trx, sessionId)) {
      if (await endAssistGrant(trx, open.id, 'revoked', now)) {
        await recordAudit({ ...ctx, db: trx }, stoppedEntry(open, 'assist.stopped', 'replaced'));
      }
    }
    const inserted = await insertAssistGrant(trx, {
      token_hash: tokenHashOf(ctx, token),
      administrator_user_id: administrator.userId,
      session_id: sessionId,
      assisted_user_id: user.id,
      reason: input.reason,
      started_at: now,
      ends_at: endsAt,
    });
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'assist.started',
        onBehalfOf: { userId: user.id, username: user.username },
        targetType: 'user',
        targetId: user.id,
        details: { reason: input.reason, assistId: inserted.id, endsAt: endsAt.toISOString() },
      },
    );
    return inserted;
  });

  return {
    token,
    response: {
      assistedUser: { id: user.id, username: user.username, name: user.name, role: buildActor(user, []).role },
      startedAt: grant.started_at.toISOString(),
      endsAt: endsAt.toISOString(),
    },
  };
}

/** ASSIST_NOTIFY_USER: tells the assisted user who is acting as them, why, and until when. */
async function notifyAssistedUser(ctx: ServiceContext, user: UserRow, administrator: Actor, reason: string, endsAt: Date): Promise<void> {
  const to = user.email ?? user.username;
  try {
    await ctx.mailer.send({
      to,
      subject: 'An administrator is assisting your Bulwark account',
      text: [
        `Hello ${user.name || user.username},`,
        '',
        `The Bulwark administrator ${administrator.username} started assisting your user ${user.username}:`,
        'they see Bulwark as you do and can act in it for you until they stop, at the latest at',
        `${endsAt.toISOString()} (UTC). They cannot change your password, email, two-factor settings,`,
        'API keys or sessions.',
        '',
        `Reason given: ${reason}`,
        '',
        'If you did not expect this, tell your security team.',
      ].join('\n'),
    });
  } catch (error) {
    ctx.log.error({ err: error, to }, 'could not mail the assisted user that an assist is starting');
    throw new AppError('internal', NOTIFY_FAILED_MESSAGE);
  }
}

function stoppedEntry(grant: AssistGrantWithNames, action: 'assist.stopped' | 'assist.expired', why: string) {
  return {
    action,
    actor: { userId: grant.administrator_user_id, username: grant.administrator_username },
    onBehalfOf: { userId: grant.assisted_user_id, username: grant.assisted_username },
    targetType: 'user',
    targetId: grant.assisted_user_id,
    details: { reason: grant.reason, assistId: grant.id, endedBy: why },
  } as const;
}

async function endGrant(ctx: ServiceContext, grant: AssistGrantWithNames, reason: AssistEndReason, why: string, now: Date): Promise<void> {
  if (await endAssistGrant(ctx.db, grant.id, reason, now)) {
    await recordAudit(ctx, stoppedEntry(grant, reason === 'expired' ? 'assist.expired' : 'assist.stopped', why));
  }
}

/**
 * The assisted user behind an assist cookie, or null. Valid only for the session that started it,
 * before ends_at, while the session's user is still an enabled Administrator and the assisted user
 * is still an enabled non-administrator; otherwise a grant that could still be used is ended
 * (assist.expired past ends_at, assist.stopped otherwise).
 */
export async function resolveAssist(
  ctx: ServiceContext,
  token: string,
  session: { id: string; userId: string },
  now: Date = new Date(),
): Promise<ResolvedAssist | null> {
  const grant = await findAssistGrantByTokenHash(ctx.db, tokenHashOf(ctx, token));
  // Another session's cookie proves nothing about this one: refuse it without touching the grant.
  if (!grant || grant.ended_at || grant.session_id !== session.id) return null;
  if (now.getTime() >= grant.ends_at.getTime()) {
    await endGrant(ctx, grant, 'expired', 'time_limit', now);
    return null;
  }
  const administrator = await findUserById(ctx.db, grant.administrator_user_id);
  if (!administrator || administrator.id !== session.userId || administrator.is_disabled || !isAdministrator(administrator)) {
    await endGrant(ctx, grant, 'revoked', 'administrator_no_longer_allowed', now);
    return null;
  }
  const user = await findUserById(ctx.db, grant.assisted_user_id);
  if (!user || user.kind !== 'staff' || refusalFor(user)) {
    await endGrant(ctx, grant, 'revoked', 'assisted_user_no_longer_allowed', now);
    return null;
  }
  const assignedAccountIds = await findAssignedAccountIds(ctx.db, user.id);
  const actor: Actor = {
    ...buildActor(user, assignedAccountIds),
    assistedBy: {
      userId: administrator.id,
      username: administrator.username,
      reason: grant.reason,
      endsAt: grant.ends_at.toISOString(),
    },
  };
  return { actor, user, assignedAccountIds };
}

/** Stop assisting: ends every open assist of this session (normally one). Idempotent. */
export async function stopAssist(ctx: ServiceContext, sessionId: string, now: Date = new Date()): Promise<void> {
  for (const grant of await findOpenAssistGrantsOfSession(ctx.db, sessionId)) await endGrant(ctx, grant, 'stopped', 'administrator', now);
}

/** The session's view of an assist in progress, for the web app's overlay. */
export function presentAssisting(actor: Actor | null): AssistingResponse | null {
  const by = actor?.assistedBy;
  if (!by) return null;
  return { by: { id: by.userId, username: by.username }, reason: by.reason, endsAt: by.endsAt };
}
