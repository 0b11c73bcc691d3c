import { sql, type Kysely, type RawBuilder } from 'kysely';
import {
  ASSET_SORTS,
  FINDING_SORTS,
  VULNERABILITY_SORTS,
  type ListAssetsQuery,
  type ListFindingsQuery,
  type ListVulnerabilitiesQuery,
  type SortOrder,
} from '../../../common/schemas/instances.js';
import type { Database } from '../../db/schema.js';
import { escapeLike } from '../audit/audit.repository.js';

// Every query here takes the instance (account id) first and filters on it: another customer's
// rows can never be reached, whatever the other arguments say.

const OPEN_STATES = ['OPEN', 'REOPENED'] as const;

/** What people call an asset: its FQDN, host name, NetBIOS name or address, else its identity. */
export const assetNameSql = sql<string>`coalesce(a.fqdn, a.hostname, a.netbios_name, a.ipv4, a.ipv6, a.identity_value)`;

/**
 * The `order by` of a list: the sort key's expressions in the asked direction (missing values last
 * either way), then fixed tie-breakers ending in the row's id, so pages never overlap or skip a row.
 * Keys and tie-breakers are fixed SQL chosen by a validated enum; nothing of the request is spliced in.
 */
function orderList(keys: RawBuilder<unknown>[], order: SortOrder, tieBreakers: RawBuilder<unknown>[]) {
  const direction = order === 'asc' ? sql`asc nulls last` : sql`desc nulls last`;
  return sql.join([...keys.map((key) => sql`${key} ${direction}`), ...tieBreakers]);
}

export function findInstanceAccount(db: Kysely<Database>, accountId: string) {
  return db
    .selectFrom('customer_accounts as c')
    .leftJoin('logos as lg', 'lg.id', 'c.logo_id')
    .select(['c.id', 'c.name', 'c.custom_name', 'c.is_active', 'c.logo_id', 'lg.updated_at as logo_updated_at'])
    .where('c.id', '=', accountId)
    .executeTakeFirst();
}

export function findLicenses(db: Kysely<Database>, accountId: string) {
  return db.selectFrom('account_licenses').selectAll().where('account_id', '=', accountId).orderBy('app').execute();
}

export async function countAssetsByKind(db: Kysely<Database>, accountId: string): Promise<{ host: number; webapp: number }> {
  const rows = await db
    .selectFrom('assets')
    .select(['kind', sql<number>`count(*)::int`.as('count')])
    .where('account_id', '=', accountId)
    .groupBy('kind')
    .execute();
  return { host: rows.find((row) => row.kind === 'host')?.count ?? 0, webapp: rows.find((row) => row.kind === 'webapp')?.count ?? 0 };
}

export function openBySeverity(db: Kysely<Database>, accountId: string) {
  return db
    .selectFrom('findings')
    .select(['severity', sql<number>`count(*)::int`.as('count')])
    .where('account_id', '=', accountId)
    .where('state', 'in', OPEN_STATES)
    .groupBy('severity')
    .execute();
}

export async function countCompletedScans(db: Kysely<Database>, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('scans')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('account_id', '=', accountId)
    .where('status', '=', 'completed')
    .executeTakeFirstOrThrow();
  return row.count;
}

export function complianceByResult(db: Kysely<Database>, accountId: string, assetId?: string) {
  let query = db
    .selectFrom('compliance_results')
    .select(['result', sql<number>`count(*)::int`.as('count')])
    .where('account_id', '=', accountId);
  if (assetId) query = query.where('asset_id', '=', assetId);
  return query.groupBy('result').execute();
}

/**
 * Open findings at the end of each day from `from` to `to`, by severity: the open count before the
 * window plus each day's openings (new or reopened) minus its fixes, from the state history.
 */
export async function openTrend(db: Kysely<Database>, accountId: string, from: string, to: string) {
  const delta = sql<number>`case when e.to_state in ('OPEN', 'REOPENED') and (e.from_state is null or e.from_state = 'FIXED') then 1
    when e.to_state = 'FIXED' and e.from_state in ('OPEN', 'REOPENED') then -1 else 0 end`;
  const rows = await sql<{ day: string; severity: number; change: number }>`
    select case when e.at < ${from}::date then ${from}::date - 1 else (e.at at time zone 'UTC')::date end::text as day,
      f.severity, sum(${delta})::int as change
    from finding_events e join findings f on f.id = e.finding_id
    where e.account_id = ${accountId} and e.at < (${to}::date + 1)
    group by 1, 2
  `.execute(db);
  return rows.rows;
}

export function mostVulnerableAssets(db: Kysely<Database>, accountId: string, limit: number) {
  const count = (severity: number) => sql<number>`count(*) filter (where f.severity = ${severity})::int`;
  return db
    .selectFrom('findings as f')
    .innerJoin('assets as a', 'a.id', 'f.asset_id')
    .select(['a.id', assetNameSql.as('name'), count(4).as('critical'), count(3).as('high'), count(2).as('medium'), count(1).as('low')])
    .where('f.account_id', '=', accountId)
    .where('f.state', 'in', OPEN_STATES)
    .where('f.severity', '>', 0)
    .groupBy('a.id')
    .orderBy(sql`sum(case f.severity when 4 then 1000000 when 3 then 10000 when 2 then 100 else 1 end)`, 'desc')
    .orderBy('a.id')
    .limit(limit)
    .execute();
}

export function mostWidespreadPlugins(db: Kysely<Database>, accountId: string, limit: number) {
  return db
    .selectFrom('findings as f')
    .leftJoin('plugins as p', (join) => join.onRef('p.account_id', '=', 'f.account_id').onRef('p.id', '=', 'f.plugin_id'))
    .select([
      'f.plugin_id',
      sql<string>`coalesce(max(p.name), 'Plugin ' || f.plugin_id)`.as('name'),
      sql<number>`max(f.severity)::int`.as('severity'),
      sql<number>`count(distinct f.asset_id)::int`.as('asset_count'),
    ])
    .where('f.account_id', '=', accountId)
    .where('f.state', 'in', OPEN_STATES)
    .where('f.severity', '>', 0)
    .groupBy('f.plugin_id')
    .orderBy('asset_count', 'desc')
    .orderBy('severity', 'desc')
    .orderBy('f.plugin_id')
    .limit(limit)
    .execute();
}

export async function findVulnerabilities(db: Kysely<Database>, accountId: string, query: ListVulnerabilitiesQuery) {
  const states = query.state.length > 0 ? query.state : [...OPEN_STATES];
  let base = db
    .selectFrom('findings as f')
    .innerJoin('assets as a', 'a.id', 'f.asset_id')
    .leftJoin('plugins as p', (join) => join.onRef('p.account_id', '=', 'f.account_id').onRef('p.id', '=', 'f.plugin_id'))
    .where('f.account_id', '=', accountId)
    .where('f.state', 'in', states);
  if (query.severity.length > 0) base = base.where('f.severity', 'in', query.severity);
  if (query.family) base = base.where('p.family', '=', query.family);
  if (query.kind) base = base.where('a.kind', '=', query.kind);
  if (query.search) {
    const pattern = `%${escapeLike(query.search.toLowerCase())}%`;
    const asId = /^\d+$/.test(query.search) ? Number(query.search) : null;
    base = base.where((eb) =>
      eb.or([
        eb(sql`lower(p.name)`, 'like', pattern),
        eb(sql`${query.search?.toUpperCase() ?? ''}`, '=', sql`any(p.cve)`),
        ...(asId !== null ? [eb('f.plugin_id', '=', asId)] : []),
      ]),
    );
  }
  const keys = {
    severity: [sql`max(f.severity)`],
    assets: [sql`count(distinct f.asset_id)`],
    name: [sql`lower(coalesce(max(p.name), 'Plugin ' || f.plugin_id))`],
    pluginId: [sql`f.plugin_id`],
    family: [sql`lower(max(p.family))`],
  }[query.sort];
  // Among equals, the most widespread (or, by severity, the worst) comes first.
  const tieBreaker = query.sort === 'severity' ? sql`count(distinct f.asset_id) desc` : sql`max(f.severity) desc`;
  const rows = await base
    .select([
      'f.plugin_id',
      sql<string>`coalesce(max(p.name), 'Plugin ' || f.plugin_id)`.as('name'),
      sql<string | null>`max(p.family)`.as('family'),
      sql<number>`max(f.severity)::int`.as('severity'),
      sql<number>`count(distinct f.asset_id)::int`.as('asset_count'),
      sql<number>`count(*)::int`.as('finding_count'),
      sql<number | null>`max(p.cvss3_base_score)`.as('cvss3_base_score'),
      sql<Date>`max(f.last_found)`.as('last_found'),
      sql<number>`count(*) over ()::int`.as('total'),
    ])
    .groupBy('f.plugin_id')
    .orderBy(orderList(keys, query.order ?? VULNERABILITY_SORTS[query.sort], [tieBreaker, sql`f.plugin_id`]))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { rows, total: rows[0]?.total ?? (query.page > 1 ? await countGroups() : 0) };

  async function countGroups(): Promise<number> {
    const row = await base.select(sql<number>`count(distinct f.plugin_id)::int`.as('count')).executeTakeFirstOrThrow();
    return row.count;
  }
}

export async function findFamilies(db: Kysely<Database>, accountId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('plugins')
    .select('family')
    .distinct()
    .where('account_id', '=', accountId)
    .where('family', 'is not', null)
    .orderBy('family')
    .execute();
  return rows.map((row) => row.family as string);
}

export function findPlugin(db: Kysely<Database>, accountId: string, pluginId: number) {
  return db.selectFrom('plugins').selectAll().where('account_id', '=', accountId).where('id', '=', pluginId).executeTakeFirst();
}

function findingsBase(db: Kysely<Database>, accountId: string) {
  return db
    .selectFrom('findings as f')
    .innerJoin('assets as a', 'a.id', 'f.asset_id')
    .leftJoin('plugins as p', (join) => join.onRef('p.account_id', '=', 'f.account_id').onRef('p.id', '=', 'f.plugin_id'))
    .where('f.account_id', '=', accountId);
}

const FINDING_COLUMNS = [
  'f.id',
  'f.asset_id',
  'f.plugin_id',
  'f.port',
  'f.protocol',
  'f.service',
  'f.severity',
  'f.state',
  'f.first_found',
  'f.last_found',
  'f.last_fixed',
  'f.resurfaced_at',
] as const;

export async function findFindings(db: Kysely<Database>, accountId: string, query: ListFindingsQuery) {
  let base = findingsBase(db, accountId);
  if (query.state.length > 0) base = base.where('f.state', 'in', query.state);
  if (query.pluginId !== undefined) base = base.where('f.plugin_id', '=', query.pluginId);
  if (query.assetId) base = base.where('f.asset_id', '=', query.assetId);
  const keys = {
    severity: [sql`f.severity`],
    plugin: [sql`lower(coalesce(p.name, 'Plugin ' || f.plugin_id))`],
    asset: [sql`lower(${assetNameSql})`],
    port: [sql`f.port`, sql`f.protocol`],
    // Open, then reopened, then fixed: the order a finding's life runs in.
    state: [sql`case f.state when 'OPEN' then 0 when 'REOPENED' then 1 else 2 end`],
    firstFound: [sql`f.first_found`],
    lastFound: [sql`f.last_found`],
  }[query.sort];
  // Among equals: the worst first, open before fixed, the most recently found first.
  const tieBreakers = [sql`f.severity desc`, sql`case when f.state = 'FIXED' then 1 else 0 end`, sql`f.last_found desc`, sql`f.id`];
  const rows = await base
    .select([...FINDING_COLUMNS, assetNameSql.as('asset_name'), sql<string>`coalesce(p.name, 'Plugin ' || f.plugin_id)`.as('plugin_name')])
    .select(sql<number>`count(*) over ()::int`.as('total'))
    .orderBy(orderList(keys, query.order ?? FINDING_SORTS[query.sort], tieBreakers))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { rows, total: rows[0]?.total ?? 0 };
}

export function findFinding(db: Kysely<Database>, accountId: string, findingId: string) {
  return findingsBase(db, accountId)
    .select([
      ...FINDING_COLUMNS,
      'f.output',
      assetNameSql.as('asset_name'),
      sql<string>`coalesce(p.name, 'Plugin ' || f.plugin_id)`.as('plugin_name'),
    ])
    .where('f.id', '=', findingId)
    .executeTakeFirst();
}

export function findFindingHistory(db: Kysely<Database>, accountId: string, findingId: string) {
  return db
    .selectFrom('finding_events as e')
    .leftJoin('scans as s', 's.id', 'e.scan_id')
    .select(['e.at', 'e.from_state', 'e.to_state', 'e.scan_id', 's.name as scan_name'])
    .where('e.account_id', '=', accountId)
    .where('e.finding_id', '=', findingId)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
}

function assetsWithCounts(db: Kysely<Database>, accountId: string) {
  const count = (severity: number) =>
    sql<number>`(select count(*)::int from findings f where f.asset_id = a.id and f.state in ('OPEN', 'REOPENED') and f.severity = ${severity})`;
  return db
    .selectFrom('assets as a')
    .selectAll('a')
    .select([
      assetNameSql.as('name'),
      count(4).as('critical'),
      count(3).as('high'),
      count(2).as('medium'),
      count(1).as('low'),
      count(0).as('info'),
    ])
    .where('a.account_id', '=', accountId);
}

export async function findAssets(db: Kysely<Database>, accountId: string, query: ListAssetsQuery) {
  let base = assetsWithCounts(db, accountId);
  if (query.kind) base = base.where('a.kind', '=', query.kind);
  if (query.search) {
    const pattern = `%${escapeLike(query.search.toLowerCase())}%`;
    base = base.where((eb) =>
      eb.or([
        eb(sql`lower(coalesce(a.fqdn, ''))`, 'like', pattern),
        eb(sql`lower(coalesce(a.hostname, ''))`, 'like', pattern),
        eb(sql`lower(coalesce(a.netbios_name, ''))`, 'like', pattern),
        eb(sql`coalesce(a.ipv4, '')`, 'like', pattern),
        eb(sql`lower(coalesce(a.ipv6, ''))`, 'like', pattern),
        eb(sql`lower(a.identity_value)`, 'like', pattern),
        eb(sql`lower(coalesce(a.operating_system, ''))`, 'like', pattern),
      ]),
    );
  }
  const keys = {
    name: [sql`lower(${assetNameSql})`],
    lastSeen: [sql`a.last_seen`],
    // The open findings column: critical counts first, then high, and so on down.
    severity: [sql`critical`, sql`high`, sql`medium`, sql`low`, sql`info`],
  }[query.sort];
  const rows = await base
    .select(sql<number>`count(*) over ()::int`.as('total'))
    .orderBy(orderList(keys, query.order ?? ASSET_SORTS[query.sort], [sql`a.id`]))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { rows, total: rows[0]?.total ?? 0 };
}

export function findAsset(db: Kysely<Database>, accountId: string, assetId: string) {
  return assetsWithCounts(db, accountId).where('a.id', '=', assetId).executeTakeFirst();
}
