import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * The user's sessions that still work at `now`: not past their absolute expiry and, without
 * Remember Me, not idle for longer than the timeout. Always scoped to the one user.
 */
export function findActiveSessionsOfUser(db: Executor, userId: string, now: Date, idleMinutes: number) {
  const idleSince = new Date(now.getTime() - idleMinutes * 60_000);
  return db
    .selectFrom('sessions')
    .select(['id', 'is_persistent', 'created_at', 'last_seen_at', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .where((eb) => eb.or([eb('is_persistent', '=', true), eb('last_seen_at', '>', idleSince)]))
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** Deletes one session of this user; false when there is none with that id for them. */
export async function deleteSessionOfUser(db: Executor, userId: string, sessionId: string): Promise<boolean> {
  const result = await db.deleteFrom('sessions').where('id', '=', sessionId).where('user_id', '=', userId).executeTakeFirst();
  return result.numDeletedRows === 1n;
}

/** Deletes every session of the user but one; answers how many went. */
export async function deleteOtherSessionsOfUser(db: Executor, userId: string, keepSessionId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '<>', keepSessionId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function insertEmailChangeRequest(
  db: Executor,
  request: { userId: string; newEmail: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('email_change_requests')
    .values({ user_id: request.userId, new_email: request.newEmail, token_hash: request.tokenHash, expires_at: request.expiresAt })
    .execute();
}

/** Makes every unused email change link of the user stop working. */
export async function invalidateEmailChangeRequests(db: Executor, userId: string, at: Date): Promise<void> {
  await db.updateTable('email_change_requests').set({ used_at: at }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
}

/** The user's newest email change still waiting for its link, if any. */
export function findPendingEmailChange(db: Executor, userId: string, now: Date) {
  return db
    .selectFrom('email_change_requests')
    .select(['new_email', 'expires_at'])
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** An unused, unexpired email change by its token's hash. */
export function findUsableEmailChange(db: Executor, tokenHash: string, now: Date) {
  return db
    .selectFrom('email_change_requests')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Marks the request used; false if another request used it first. */
export async function consumeEmailChange(db: Executor, id: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('email_change_requests')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
