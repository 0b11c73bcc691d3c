import { sql, type Kysely, type Transaction } from 'kysely';
import { LICENSED_APPS, type ListAccountsQuery } from '../../../common/schemas/accounts.js';
import type { Database, UserRow } from '../../db/schema.js';
import { escapeLike } from '../audit/audit.repository.js';

/** Which accounts the caller may see: every account, or only these ids. */
export type AccountScope = { kind: 'all' } | { kind: 'only'; accountIds: readonly string[]; userId?: string };

const SORT_COLUMNS = {
  name: sql`lower(coalesce(a.custom_name, a.name))`,
  siteId: sql`a.site_id`,
  region: sql`a.region`,
  createdAt: sql`a.created_at`,
} as const;

/**
 * One page of accounts within the scope. The search matches any part of the customer name (or
 * custom name), site identifier or notes, or a licensed app code containing it, case-insensitively.
 */
export async function findAccounts(db: Kysely<Database>, scope: AccountScope, query: ListAccountsQuery) {
  if (scope.kind === 'only' && scope.accountIds.length === 0) return { rows: [], total: 0 };
  let filtered = db.selectFrom('customer_accounts as a');
  if (scope.kind === 'only') {
    // A staff user's own assignments as a subquery: hundreds of ids as parameters cost more to parse.
    const { userId } = scope;
    filtered = userId
      ? filtered.where('a.id', 'in', (eb) => eb.selectFrom('staff_account_assignments').select('account_id').where('user_id', '=', userId))
      : filtered.where('a.id', 'in', scope.accountIds);
  }
  if (query.search) {
    const term = query.search.toLowerCase();
    const pattern = `%${escapeLike(term)}%`;
    // search_text (generated, trigram-indexed) holds name, custom name, site identifier and notes.
    const apps = LICENSED_APPS.filter((app) => app.includes(term));
    filtered = filtered.where(
      apps.length === 0
        ? sql<boolean>`a.search_text like ${pattern}`
        : sql<boolean>`(a.search_text like ${pattern} or a.id in (select l.account_id from account_licenses l where l.app in (${sql.join(apps)})))`,
    );
  }
  const direction = query.order === 'desc' ? sql`desc` : sql`asc`;
  const [rows, total] = await Promise.all([
    filtered
      .leftJoin('logos as lg', 'lg.id', 'a.logo_id')
      .selectAll('a')
      .select('lg.updated_at as logo_updated_at')
      .orderBy(sql`${SORT_COLUMNS[query.sort]} ${direction} nulls last`)
      .orderBy('a.id')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    filtered.select(sql<number>`count(*)::int`.as('count')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: total.count };
}

/**
 * How many assets an instance has toward a licence: hosts for Vulnerability Management, web
 * applications for Web App Scanning, and for Container Security none yet (no container data
 * arrives before a later issue). Counted from the instance, not typed in (issue 5).
 */
export const licensedAssetCountSql = sql<number>`(select count(*)::int from assets x
  where x.account_id = l.account_id and x.kind = case l.app when 'was' then 'webapp' when 'vm' then 'host' end)`;

export function findLicensesOfAccounts(db: Executor, accountIds: string[]) {
  if (accountIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('account_licenses as l')
    .select(['l.account_id', 'l.app', 'l.asset_limit', 'l.expires_on', licensedAssetCountSql.as('licensed_assets')])
    .where('l.account_id', 'in', accountIds)
    .orderBy('l.app')
    .execute();
}

type Executor = Kysely<Database> | Transaction<Database>;

/** One account within the scope, or undefined: "missing" and "not yours" look the same. */
export async function findAccountById(db: Executor, scope: AccountScope, id: string) {
  if (scope.kind === 'only' && !scope.accountIds.includes(id)) return undefined;
  return db
    .selectFrom('customer_accounts as a')
    .leftJoin('logos as lg', 'lg.id', 'a.logo_id')
    .selectAll('a')
    .select(['lg.name as logo_name', 'lg.updated_at as logo_updated_at'])
    .where('a.id', '=', id)
    .executeTakeFirst();
}

/** The account whose id or exact customer name (case-insensitive) this is; for the CLI. */
export function findAccountByIdOrName(db: Executor, idOrName: string) {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
  return db
    .selectFrom('customer_accounts')
    .selectAll()
    .where((eb) => (isUuid ? eb('id', '=', idOrName) : eb(sql`lower(name)`, '=', idOrName.trim().toLowerCase())))
    .execute();
}

export function findSubscriptionsOfAccount(db: Executor, accountId: string) {
  return db
    .selectFrom('account_subscriptions')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('starts_on')
    .orderBy('id')
    .execute();
}

export function findContactsOfAccount(db: Executor, accountId: string): Promise<UserRow[]> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('kind', '=', 'contact')
    .orderBy('is_primary_contact', 'desc')
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();
}

export function findCustomNameHistory(db: Executor, accountId: string) {
  return db
    .selectFrom('custom_name_history')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('changed_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export interface AccountFields {
  name: string;
  customName: string | null;
  siteId: string | null;
  region: string | null;
  notes: string;
  isFedramp: boolean;
  companyName: string | null;
  postalAddress: string | null;
  contactEmail: string | null;
}

function toColumns(fields: Partial<AccountFields>) {
  return {
    name: fields.name,
    custom_name: fields.customName,
    site_id: fields.siteId,
    region: fields.region,
    notes: fields.notes,
    is_fedramp: fields.isFedramp,
    company_name: fields.companyName,
    postal_address: fields.postalAddress,
    contact_email: fields.contactEmail,
  };
}

export function insertAccount(db: Executor, fields: AccountFields) {
  return db
    .insertInto('customer_accounts')
    .values({ ...toColumns(fields), name: fields.name })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateAccount(db: Executor, id: string, fields: Partial<AccountFields>): Promise<void> {
  const columns = Object.fromEntries(Object.entries(toColumns(fields)).filter(([, value]) => value !== undefined));
  await db
    .updateTable('customer_accounts')
    .set({ ...columns, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function setAccountActive(db: Executor, id: string, isActive: boolean): Promise<void> {
  await db.updateTable('customer_accounts').set({ is_active: isActive, updated_at: new Date() }).where('id', '=', id).execute();
}

export interface LicenseFields {
  app: 'vm' | 'was' | 'cs';
  assetLimit: number;
  expiresOn: string | null;
}

export async function replaceLicenses(db: Executor, accountId: string, licenses: LicenseFields[]): Promise<void> {
  await db.deleteFrom('account_licenses').where('account_id', '=', accountId).execute();
  if (licenses.length === 0) return;
  await db
    .insertInto('account_licenses')
    .values(
      licenses.map((license) => ({
        account_id: accountId,
        app: license.app,
        asset_limit: license.assetLimit,
        expires_on: license.expiresOn,
      })),
    )
    .execute();
}

export interface SubscriptionFields {
  product: string;
  serviceLevel: string;
  startsOn: string;
  endsOn: string;
}

export async function replaceSubscriptions(db: Executor, accountId: string, subscriptions: SubscriptionFields[]): Promise<void> {
  await db.deleteFrom('account_subscriptions').where('account_id', '=', accountId).execute();
  if (subscriptions.length === 0) return;
  await db
    .insertInto('account_subscriptions')
    .values(
      subscriptions.map((subscription) => ({
        account_id: accountId,
        product: subscription.product,
        service_level: subscription.serviceLevel,
        starts_on: subscription.startsOn,
        ends_on: subscription.endsOn,
      })),
    )
    .execute();
}

export async function insertCustomNameChange(
  db: Executor,
  change: { accountId: string; userId: string | null; username: string | null; oldValue: string | null; newValue: string | null },
): Promise<void> {
  await db
    .insertInto('custom_name_history')
    .values({
      account_id: change.accountId,
      changed_by_user_id: change.userId,
      changed_by_username: change.username,
      old_value: change.oldValue,
      new_value: change.newValue,
    })
    .execute();
}

/** Ends every session of the account's contacts (deactivation). */
export async function deleteSessionsOfAccountContacts(db: Executor, accountId: string): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('user_id', 'in', (eb) => eb.selectFrom('users').select('id').where('account_id', '=', accountId))
    .execute();
}

/** Whether the customer account exists and is active; used by sign-in for contacts. */
export async function isAccountActive(db: Executor, accountId: string): Promise<boolean> {
  const row = await db.selectFrom('customer_accounts').select('is_active').where('id', '=', accountId).executeTakeFirst();
  return row?.is_active === true;
}
