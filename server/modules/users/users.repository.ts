import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, NewUser, UserRow, UserUpdate } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

export function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<boolean>`lower(username) = ${username.trim().toLowerCase()}`)
    .executeTakeFirst();
}

export function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findAssignedAccountIds(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('staff_account_assignments').select('account_id').where('user_id', '=', userId).execute();
  return rows.map((row) => row.account_id);
}

export function insertUser(db: Executor, user: NewUser): Promise<UserRow> {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

export async function updateUser(db: Executor, id: string, changes: UserUpdate): Promise<void> {
  await db
    .updateTable('users')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function countStaff(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('kind', '=', 'staff')
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function recordFailedSignIn(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ failed_login_count: eb('failed_login_count', '+', 1), last_failed_login_at: new Date() }))
    .where('id', '=', id)
    .execute();
}

export async function insertApprovedDomain(db: Executor, domain: string): Promise<void> {
  await db
    .insertInto('approved_domains')
    .values({ domain: domain.toLowerCase() })
    .onConflict((oc) => oc.column('domain').doNothing())
    .execute();
}

export async function isApprovedDomain(db: Executor, domain: string): Promise<boolean> {
  const row = await db.selectFrom('approved_domains').select('domain').where('domain', '=', domain.toLowerCase()).executeTakeFirst();
  return row !== undefined;
}
