import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Counts one request of the user in the window and answers the window's count so far. One atomic
 * upsert, so concurrent requests on any number of nodes each get a distinct count.
 */
export async function countApiRequest(db: Executor, userId: string, windowStart: Date): Promise<number> {
  const row = await db
    .insertInto('api_request_counts')
    .values({ user_id: userId, window_start: windowStart, count: 1 })
    .onConflict((oc) => oc.columns(['user_id', 'window_start']).doUpdateSet({ count: sql<number>`api_request_counts.count + 1` }))
    .returning('count')
    .executeTakeFirstOrThrow();
  return row.count;
}

/**
 * Deletes the user's windows that started before the given instant. Only the user's own rows, so
 * cleanups running on several nodes never wait on each other's row locks.
 */
export async function deleteApiRequestCountsBefore(db: Executor, userId: string, before: Date): Promise<void> {
  await db.deleteFrom('api_request_counts').where('user_id', '=', userId).where('window_start', '<', before).execute();
}

/** The account's own limit, or null for the configured default (also null for an unknown account). */
export async function findAccountApiLimit(db: Executor, accountId: string): Promise<number | null> {
  const row = await db.selectFrom('customer_accounts').select('api_requests_per_minute').where('id', '=', accountId).executeTakeFirst();
  return row?.api_requests_per_minute ?? null;
}

export async function updateAccountApiLimit(db: Executor, accountId: string, perMinute: number | null): Promise<void> {
  await db
    .updateTable('customer_accounts')
    .set({ api_requests_per_minute: perMinute, updated_at: new Date() })
    .where('id', '=', accountId)
    .execute();
}
