import type { AuditAction, AuditEventListResponse, AuditEventResponse, ListAuditEventsQuery } from '../../../common/schemas/audit.js';
import type { AuditEventRow } from '../../db/schema.js';
import type { ServiceContext } from '../../lib/context.js';
import { findAuditEvents, insertAuditEvent } from './audit.repository.js';

export interface AuditEntry {
  action: AuditAction;
  outcome?: 'success' | 'failure';
  /** Defaults to the context's actor; set when the actor is not signed in yet (sign-in, setup). */
  actor?: { userId: string | null; username: string | null };
  targetType?: string;
  targetId?: string;
  accountId?: string | null;
  details?: Record<string, unknown>;
}

/** Writes one audit event. Never pass secrets in details: the audit log is readable by Administrators. */
export async function recordAudit(ctx: Pick<ServiceContext, 'db' | 'actor' | 'origin'>, entry: AuditEntry): Promise<void> {
  const actor = entry.actor ?? { userId: ctx.actor?.userId ?? null, username: ctx.actor?.username ?? null };
  await insertAuditEvent(ctx.db, {
    actorUserId: actor.userId,
    actorUsername: actor.username,
    action: entry.action,
    outcome: entry.outcome ?? 'success',
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    accountId: entry.accountId ?? null,
    ip: ctx.origin.ip,
    userAgent: ctx.origin.userAgent,
    details: entry.details,
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
