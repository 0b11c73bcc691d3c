import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Stores the user's one pair, replacing any previous pair at once (one row per user). */
export function upsertApiKeys(
  db: Executor,
  values: { userId: string; accessKey: string; secretHash: string; createdByUserId: string | null; createdAt: Date },
) {
  const row = {
    access_key: values.accessKey,
    secret_hash: values.secretHash,
    created_by_user_id: values.createdByUserId,
    created_at: values.createdAt,
    last_used_at: null,
  };
  return db
    .insertInto('api_keys')
    .values({ user_id: values.userId, ...row })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(row))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findApiKeysOfUser(db: Executor, userId: string) {
  return db.selectFrom('api_keys').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** The key pair with its user, by access key. */
export function findApiKeysWithUser(db: Executor, accessKey: string) {
  return db
    .selectFrom('api_keys as k')
    .innerJoin('users as u', 'u.id', 'k.user_id')
    .selectAll('u')
    .select(['k.id as api_key_id', 'k.secret_hash', 'k.last_used_at as api_key_last_used_at'])
    .where('k.access_key', '=', accessKey)
    .executeTakeFirst();
}

export async function touchApiKeys(db: Executor, apiKeyId: string, at: Date): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', apiKeyId).execute();
}

/** A temporary child key pair with its (staff) user, by access key, when it has not expired. */
export function findChildApiKeysWithUser(db: Executor, accessKey: string, now: Date) {
  return db
    .selectFrom('child_api_keys as k')
    .innerJoin('users as u', 'u.id', 'k.user_id')
    .selectAll('u')
    .select(['k.id as child_key_id', 'k.secret_hash', 'k.last_used_at as child_key_last_used_at', 'k.account_id as child_account_id'])
    .where('k.access_key', '=', accessKey)
    .where('k.expires_at', '>', now)
    .executeTakeFirst();
}

export async function touchChildApiKeys(db: Executor, childKeyId: string, at: Date): Promise<void> {
  await db.updateTable('child_api_keys').set({ last_used_at: at }).where('id', '=', childKeyId).execute();
}

/** Stores a temporary pair for one account, and deletes expired pairs on the way. */
export async function insertChildApiKeys(
  db: Executor,
  values: { userId: string; accountId: string; accessKey: string; secretHash: string; expiresAt: Date; createdAt: Date },
): Promise<void> {
  await db.deleteFrom('child_api_keys').where('expires_at', '<=', values.createdAt).execute();
  await db
    .insertInto('child_api_keys')
    .values({
      user_id: values.userId,
      account_id: values.accountId,
      access_key: values.accessKey,
      secret_hash: values.secretHash,
      expires_at: values.expiresAt,
      created_at: values.createdAt,
    })
    .execute();
}
