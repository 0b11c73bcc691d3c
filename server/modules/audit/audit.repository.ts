import { sql, type Kysely, type Transaction } from 'kysely';
import type { ListAuditEventsQuery } from '../../../common/schemas/audit.js';
import type { Database } from '../../db/schema.js';

export interface NewAuditEvent {
  actorUserId: string | null;
  actorUsername: string | null;
  onBehalfOfUserId?: string | null;
  action: string;
  outcome: 'success' | 'failure';
  targetType?: string | null;
  targetId?: string | null;
  accountId?: string | null;
  ip: string | null;
  userAgent: string | null;
  details?: Record<string, unknown>;
}

export async function insertAuditEvent(db: Kysely<Database> | Transaction<Database>, event: NewAuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      actor_user_id: event.actorUserId,
      actor_username: event.actorUsername,
      on_behalf_of_user_id: event.onBehalfOfUserId ?? null,
      action: event.action,
      outcome: event.outcome,
      target_type: event.targetType ?? null,
      target_id: event.targetId ?? null,
      account_id: event.accountId ?? null,
      ip: event.ip,
      user_agent: event.userAgent,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}

export async function findAuditEvents(db: Kysely<Database>, query: ListAuditEventsQuery) {
  let filtered = db.selectFrom('audit_events');
  if (query.user) filtered = filtered.where(sql<boolean>`actor_username ilike ${`%${escapeLike(query.user)}%`}`);
  if (query.action) filtered = filtered.where('action', '=', query.action);
  if (query.from) filtered = filtered.where('at', '>=', new Date(query.from));
  if (query.to) filtered = filtered.where('at', '<=', new Date(query.to));
  const [rows, total] = await Promise.all([
    filtered
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    filtered.select(sql<number>`count(*)::int`.as('count')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: total.count };
}

/** Escapes % and _ so user text matches literally inside ILIKE. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
