import { sql, type Kysely } from 'kysely';
import type { ListAccountsQuery } from '../../../common/schemas/accounts.js';
import type { Database } from '../../db/schema.js';
import { escapeLike } from '../audit/audit.repository.js';

/** Which accounts the caller may see: every account, or only these ids. */
export type AccountScope = { kind: 'all' } | { kind: 'only'; accountIds: readonly string[] };

const SORT_COLUMNS = {
  name: sql`lower(coalesce(a.custom_name, a.name))`,
  siteId: sql`a.site_id`,
  region: sql`a.region`,
  createdAt: sql`a.created_at`,
} as const;

/**
 * One page of accounts within the scope. The search matches any part of the customer name (or
 * custom name), site identifier, notes or a licensed app, case-insensitively.
 */
export async function findAccounts(db: Kysely<Database>, scope: AccountScope, query: ListAccountsQuery) {
  if (scope.kind === 'only' && scope.accountIds.length === 0) return { rows: [], total: 0 };
  let filtered = db.selectFrom('customer_accounts as a');
  if (scope.kind === 'only') filtered = filtered.where('a.id', 'in', scope.accountIds);
  if (query.search) {
    const pattern = `%${escapeLike(query.search)}%`;
    filtered = filtered.where(
      sql<boolean>`(a.name ilike ${pattern} or a.custom_name ilike ${pattern} or a.site_id ilike ${pattern} or a.notes ilike ${pattern}
        or exists (select 1 from account_licenses l where l.account_id = a.id and l.app ilike ${pattern}))`,
    );
  }
  const direction = query.order === 'desc' ? sql`desc` : sql`asc`;
  const [rows, total] = await Promise.all([
    filtered
      .selectAll('a')
      .orderBy(sql`${SORT_COLUMNS[query.sort]} ${direction} nulls last`)
      .orderBy('a.id')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    filtered.select(sql<number>`count(*)::int`.as('count')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: total.count };
}

export function findLicensesOfAccounts(db: Kysely<Database>, accountIds: string[]) {
  if (accountIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('account_licenses').selectAll().where('account_id', 'in', accountIds).orderBy('app').execute();
}
