import type { Kysely, Transaction } from 'kysely';
import type { Database, UserRow, UserUpdate } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

export function findContactOfAccount(db: Executor, accountId: string, contactId: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', contactId)
    .where('account_id', '=', accountId)
    .where('kind', '=', 'contact')
    .executeTakeFirst();
}

/** Clears the Primary Contact flag of every contact of the account but one (at most one primary). */
export async function clearPrimaryContact(db: Executor, accountId: string, exceptUserId?: string): Promise<void> {
  let query = db
    .updateTable('users')
    .set({ is_primary_contact: false, updated_at: new Date() })
    .where('account_id', '=', accountId)
    .where('is_primary_contact', '=', true);
  if (exceptUserId) query = query.where('id', '!=', exceptUserId);
  await query.execute();
}

export async function updateContact(db: Executor, contactId: string, changes: UserUpdate): Promise<UserRow> {
  return db
    .updateTable('users')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', contactId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteContact(db: Executor, contactId: string): Promise<void> {
  await db.deleteFrom('users').where('id', '=', contactId).where('kind', '=', 'contact').execute();
}
