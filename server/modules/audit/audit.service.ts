import type { AuditAction, AuditEventListResponse, AuditEventResponse, ListAuditEventsQuery } from '../../../common/schemas/audit.js';
import type { AuditEventRow } from '../../db/schema.js';
import type { ServiceContext } from '../../lib/context.js';
import { findAuditEvents, insertAuditEvent } from './audit.repository.js';

export interface AuditEntry {
  action: AuditAction;
  outcome?: 'success' | 'failure';
  /** Defaults to the context's actor; set when the actor is not signed in yet (sign-in, setup). */
  actor?: { userId: string | null; username: string | null };
  /** The user acted for (user assist). Defaults to the assisted user while the context's actor is assisted. */
  onBehalfOf?: { userId: string; username: string };
  targetType?: string;
  targetId?: string;
  accountId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Writes one audit event. Never pass secrets in details: the audit log is readable by Administrators.
 * While an Administrator assists a user, the event names the Administrator as the actor (who really
 * acted) and the assisted user as on_behalf_of, with their username in details.onBehalfOfUsername.
 */
export async function recordAudit(ctx: Pick<ServiceContext, 'db' | 'actor' | 'origin'>, entry: AuditEntry): Promise<void> {
  const assistedBy = entry.actor ? undefined : ctx.actor?.assistedBy;
  let actor = entry.actor ?? { userId: ctx.actor?.userId ?? null, username: ctx.actor?.username ?? null };
  let onBehalfOf = entry.onBehalfOf;
  if (assistedBy && ctx.actor) {
    actor = { userId: assistedBy.userId, username: assistedBy.username };
    onBehalfOf ??= { userId: ctx.actor.userId, username: ctx.actor.username };
  }
  await insertAuditEvent(ctx.db, {
    actorUserId: actor.userId,
    actorUsername: actor.username,
    onBehalfOfUserId: onBehalfOf?.userId ?? null,
    action: entry.action,
    outcome: entry.outcome ?? 'success',
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    accountId: entry.accountId ?? null,
    ip: ctx.origin.ip,
    userAgent: ctx.origin.userAgent,
    details: onBehalfOf ? { ...entry.details, onBehalfOfUsername: onBehalfOf.username } : entry.details,
  });
}

export function presentAuditEvent(row: AuditEventRow): AuditEventResponse {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actorUserId: row.actor_user_id,
    actorUsername: row.actor_username,
    onBehalfOfUserId: row.on_behalf_of_user_id,
    action: row.action,
    outcome: row.outcome,
    targetType: row.target_type,
    targetId: row.target_id,
    accountId: row.account_id,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
  };
}

export async function listAuditEvents(ctx: ServiceContext, query: ListAuditEventsQuery): Promise<AuditEventListResponse> {
  const { rows, total } = await findAuditEvents(ctx.db, query);
  return { items: rows.map(presentAuditEvent), total, page: query.page, pageSize: query.pageSize };
}
