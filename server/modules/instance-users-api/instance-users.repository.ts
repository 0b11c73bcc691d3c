import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * How a path names an instance user: Bulwark's UUID, or the integer id the API shows (pyTenable
 * insists on integers). The integer is the first 13 hex digits of the UUID (52 bits, a safe JSON
 * integer), so it is stable without a column; it is looked up only within one account.
 */
export type InstanceUserRef = { uuid: string } | { integerId: number };

/** The UUID's first 13 hex digits as a number, in SQL (the presenter computes the same in JS). */
const integerIdOfColumn = sql<number>`('x' || left(replace(u.id::text, '-', ''), 13))::bit(52)::bigint`;

function selectInstanceUsers(db: Executor, accountId: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('api_keys as k', 'k.user_id', 'u.id')
    .selectAll('u')
    .select('k.last_used_at as api_key_last_used_at')
    .where('u.account_id', '=', accountId)
    .where('u.kind', '=', 'contact');
}

export type InstanceUserRow = Awaited<ReturnType<typeof findInstanceUsers>>[number];

/** Every user of one instance (its account's contacts), oldest first. */
export function findInstanceUsers(db: Executor, accountId: string) {
  return selectInstanceUsers(db, accountId).orderBy('u.created_at').orderBy('u.id').execute();
}

/** One user of the instance; another instance's user, a staff user or an unknown id: undefined. */
export function findInstanceUser(db: Executor, accountId: string, ref: InstanceUserRef) {
  const query = selectInstanceUsers(db, accountId);
  return ('uuid' in ref ? query.where('u.id', '=', ref.uuid) : query.where(integerIdOfColumn, '=', ref.integerId)).executeTakeFirst();
}

/** Any user (a contact, or a staff user holding child keys) with their key's last use, by id. */
export function findUserWithKeyUse(db: Executor, userId: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('api_keys as k', 'k.user_id', 'u.id')
    .selectAll('u')
    .select('k.last_used_at as api_key_last_used_at')
    .where('u.id', '=', userId)
    .executeTakeFirst();
}
