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

/** Staff rows with what the users table shows: assigned account count and API key dates. */
function selectStaffSummaries(db: Executor) {
  return db
    .selectFrom('users as u')
    .leftJoin('api_keys as k', 'k.user_id', 'u.id')
    .selectAll('u')
    .select([
      'k.created_at as api_keys_created_at',
      'k.last_used_at as api_keys_last_used_at',
      sql<number>`(select count(*)::int from staff_account_assignments s where s.user_id = u.id)`.as('assigned_account_count'),
    ])
    .where('u.kind', '=', 'staff');
}

export type StaffSummaryRow = Awaited<ReturnType<typeof findStaffSummaries>>[number];

export function findStaffSummaries(db: Executor) {
  return selectStaffSummaries(db)
    .orderBy(sql`lower(u.username)`)
    .execute();
}

/** A staff user by id; contacts and unknown ids are both undefined (the caller answers 404). */
export function findStaffSummaryById(db: Executor, id: string) {
  return selectStaffSummaries(db).where('u.id', '=', id).executeTakeFirst();
}

export function findStaffById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).where('kind', '=', 'staff').executeTakeFirst();
}

export function findAssignedAccounts(db: Executor, userId: string) {
  return db
    .selectFrom('staff_account_assignments as s')
    .innerJoin('customer_accounts as a', 'a.id', 's.account_id')
    .select(['a.id', 'a.name', 'a.custom_name', 'a.site_id'])
    .where('s.user_id', '=', userId)
    .orderBy(sql`lower(coalesce(a.custom_name, a.name))`)
    .execute();
}

/** Which of these ids are existing customer accounts. */
export async function findExistingAccountIds(db: Executor, accountIds: readonly string[]): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await db.selectFrom('customer_accounts').select('id').where('id', 'in', accountIds).execute();
  return rows.map((row) => row.id);
}

export async function insertAssignments(db: Executor, userId: string, accountIds: readonly string[]): Promise<void> {
  if (accountIds.length === 0) return;
  await db
    .insertInto('staff_account_assignments')
    .values(accountIds.map((accountId) => ({ user_id: userId, account_id: accountId })))
    .onConflict((oc) => oc.columns(['user_id', 'account_id']).doNothing())
    .execute();
}

export async function deleteAssignments(db: Executor, userId: string, accountIds: readonly string[]): Promise<void> {
  if (accountIds.length === 0) return;
  await db.deleteFrom('staff_account_assignments').where('user_id', '=', userId).where('account_id', 'in', accountIds).execute();
}

export async function deleteAllAssignments(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.deleteFrom('staff_account_assignments').where('user_id', '=', userId).returning('account_id').execute();
  return rows.map((row) => row.account_id);
}

/** Ends every session of the user. */
export async function deleteSessionsOfUser(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Deletes the user; the foreign keys delete or detach what refers to them (see USER_DELETION_OBJECTS). */
/** Gives the user's scans (imports) to another owner; how many moved. */
export async function transferScans(db: Executor, fromUserId: string, toUserId: string): Promise<number> {
  const result = await db.updateTable('scans').set({ owner_user_id: toUserId }).where('owner_user_id', '=', fromUserId).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Gives the support cases assigned to the user to another owner; how many moved. */
export async function transferSupportCases(db: Executor, fromUserId: string, toUserId: string): Promise<number> {
  const result = await db
    .updateTable('support_cases')
    .set({ assigned_to_user_id: toUserId })
    .where('assigned_to_user_id', '=', fromUserId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Gives the integrations the user created to another owner (issue 8); how many moved. */
export async function transferIntegrations(db: Executor, fromUserId: string, toUserId: string): Promise<number> {
  const result = await db
    .updateTable('integrations')
    .set({ owner_user_id: toUserId })
    .where('owner_user_id', '=', fromUserId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deleteUserById(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

export async function findApprovedDomains(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('approved_domains').select('domain').orderBy('domain').execute();
  return rows.map((row) => row.domain);
}
