import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { AssistGrantsTable, Database } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

export type AssistGrantRow = Selectable<AssistGrantsTable>;
export type AssistEndReason = NonNullable<AssistGrantRow['end_reason']>;

/** A grant with the usernames of both sides, for the audit log. */
export interface AssistGrantWithNames extends AssistGrantRow {
  administrator_username: string;
  assisted_username: string;
}

export function insertAssistGrant(db: Executor, grant: Insertable<AssistGrantsTable>): Promise<AssistGrantRow> {
  return db.insertInto('assist_grants').values(grant).returningAll().executeTakeFirstOrThrow();
}

function selectGrantsWithNames(db: Executor) {
  return db
    .selectFrom('assist_grants as g')
    .innerJoin('users as a', 'a.id', 'g.administrator_user_id')
    .innerJoin('users as u', 'u.id', 'g.assisted_user_id')
    .selectAll('g')
    .select(['a.username as administrator_username', 'u.username as assisted_username']);
}

export function findAssistGrantByTokenHash(db: Executor, tokenHash: string): Promise<AssistGrantWithNames | undefined> {
  return selectGrantsWithNames(db).where('g.token_hash', '=', tokenHash).executeTakeFirst();
}

/** The grants of a session that have not ended, oldest first. */
export function findOpenAssistGrantsOfSession(db: Executor, sessionId: string): Promise<AssistGrantWithNames[]> {
  return selectGrantsWithNames(db).where('g.session_id', '=', sessionId).where('g.ended_at', 'is', null).orderBy('g.started_at').execute();
}

/** Ends a grant unless it has already ended; true when this call ended it (so it is audited once). */
export async function endAssistGrant(db: Executor, id: string, reason: AssistEndReason, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('assist_grants')
    .set({ ended_at: at, end_reason: reason })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
