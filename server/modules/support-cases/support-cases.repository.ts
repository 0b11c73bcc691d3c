import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { SlaTarget } from './sla.js';

export type Executor = Kysely<Database> | Transaction<Database>;

/** Which cases a caller may see. Contacts: their own, or every case of their account with Manage Cases; agents: their accounts' cases. */
export type CaseScope =
  | { kind: 'contact'; userId: string; accountId: string; allOfAccount: boolean }
  | { kind: 'agent'; userId: string; accountIds: readonly string[] | 'all' };

type CaseTables = Database & { c: Database['support_cases'] };

export function visibleTo(eb: ExpressionBuilder<CaseTables, 'c'>, scope: CaseScope): Expression<SqlBool> {
  if (scope.kind === 'contact') {
    const ofAccount = eb('c.account_id', '=', scope.accountId);
    return scope.allOfAccount ? ofAccount : eb.and([ofAccount, eb('c.opened_by_user_id', '=', scope.userId)]);
  }
  if (scope.accountIds === 'all') return sql<SqlBool>`true`;
  if (scope.accountIds.length === 0) return sql<SqlBool>`false`;
  return eb('c.account_id', 'in', scope.accountIds);
}

export function selectCases(db: Executor) {
  return db
    .selectFrom('support_cases as c')
    .innerJoin('customer_accounts as a', 'a.id', 'c.account_id')
    .leftJoin('users as o', 'o.id', 'c.opened_by_user_id')
    .leftJoin('users as g', 'g.id', 'c.assigned_to_user_id')
    .select([
      'c.id',
      'c.number',
      'c.account_id',
      'c.kind',
      'c.status',
      'c.priority',
      'c.category',
      'c.issue_type',
      'c.product',
      'c.product_version',
      'c.operating_system',
      'c.subject',
      'c.is_fedramp',
      'c.queue',
      'c.service_level',
      'c.first_response_due_at',
      'c.first_responded_at',
      'c.secret_override',
      'c.opened_by_user_id',
      'c.assigned_to_user_id',
      'c.created_at',
      'c.updated_at',
      'c.solved_at',
      'c.closed_at',
      'a.name as account_name',
      'o.name as opened_by_name',
      'o.username as opened_by_username',
      'g.name as assigned_to_name',
      'g.username as assigned_to_username',
    ]);
}

export type CaseRow = Awaited<ReturnType<ReturnType<typeof selectCases>['executeTakeFirstOrThrow']>>;

export function findVisibleCase(db: Executor, scope: CaseScope, id: string) {
  return selectCases(db)
    .select('c.description')
    .where('c.id', '=', id)
    .where((eb) => visibleTo(eb, scope))
    .executeTakeFirst();
}

export async function findSlaTargets(db: Executor): Promise<SlaTarget[]> {
  const rows = await db.selectFrom('support_sla_targets').selectAll().orderBy('service_level').orderBy('priority').execute();
  return rows.map((row) => ({ serviceLevel: row.service_level, priority: row.priority, firstResponseMinutes: row.first_response_minutes }));
}

/** The account's subscriptions in force today (UTC) that carry a service level, one per product (the latest-ending wins). */
export async function findActiveSubscriptions(db: Executor, accountId: string): Promise<{ product: string; serviceLevel: string }[]> {
  const rows = await db
    .selectFrom('account_subscriptions')
    .select(['product', 'service_level'])
    .where('account_id', '=', accountId)
    .where('service_level', '<>', '')
    .where(sql<boolean>`starts_on <= (now() at time zone 'utc')::date and ends_on >= (now() at time zone 'utc')::date`)
    .orderBy('ends_on', 'desc')
    .orderBy('service_level')
    .execute();
  const seen = new Map<string, string>();
  for (const row of rows) if (!seen.has(row.product)) seen.set(row.product, row.service_level);
  return [...seen].map(([product, serviceLevel]) => ({ product, serviceLevel }));
}

export function findProducts(db: Executor) {
  return db.selectFrom('support_products').selectAll().orderBy('sort_order').orderBy('name').execute();
}

export function findCareCategories(db: Executor) {
  return db.selectFrom('support_care_categories').selectAll().orderBy('sort_order').orderBy('name').execute();
}

export function textArray(values: readonly string[]) {
  return sql<string[]>`${sql.val([...values])}::text[]`;
}
