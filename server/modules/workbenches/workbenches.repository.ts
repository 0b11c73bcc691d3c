import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';
import { escapeLike } from '../audit/audit.repository.js';
import { assetNameSql } from '../instances/instances.repository.js';
import type { FilterName, ParsedFilter, ParsedFilters } from './workbench-filters.js';

// Every query here takes the instance (account id) first and filters on it: another customer's
// rows can never be reached, whatever the filters say. Aliases: f findings, a assets, p plugins.

type Condition = RawBuilder<boolean>;

/**
 * A finding's state in Tenable's words: FIXED is Fixed, REOPENED is Resurfaced, an open finding
 * seen by one scan only (first found = last found) is New, one seen again is Active.
 */
const VULNERABILITY_STATE_SQL = sql<string>`case when f.state = 'FIXED' then 'Fixed' when f.state = 'REOPENED' then 'Resurfaced'
  when f.first_found = f.last_found then 'New' else 'Active' end`;

/** A plugin group's state: the most pressing of its findings' (Resurfaced, Active, New, Fixed). */
const STATE_RANK_SQL = sql<number>`case when f.state = 'REOPENED' then 1 when f.state = 'FIXED' then 4
  when f.first_found = f.last_found then 3 else 2 end`;

const IPV4_TEXT = '^[0-9]{1,3}(\\.[0-9]{1,3}){3}$';

function anyOf(conditions: Condition[]): Condition {
  return sql<boolean>`(${sql.join(conditions, sql` or `)})`;
}

function allOf(conditions: Condition[]): Condition {
  return sql<boolean>`(${sql.join(conditions, sql` and `)})`;
}

/** neq and nmatch hold when no value matches, including when the field is empty. */
function negated(condition: Condition): Condition {
  return sql<boolean>`not coalesce(${condition}, false)`;
}

function isNegative(filter: ParsedFilter): boolean {
  return filter.operator === 'neq' || filter.operator === 'nmatch';
}

/** Any value found in any of the columns: eq compares case-insensitively, match finds a substring. */
function textMatches(filter: ParsedFilter, columns: RawBuilder<unknown>[]): Condition {
  const isSubstring = filter.operator === 'match' || filter.operator === 'nmatch';
  return anyOf(
    columns.flatMap((column) =>
      filter.values.map((value) =>
        isSubstring
          ? sql<boolean>`${column} ilike ${`%${escapeLike(String(value))}%`}`
          : sql<boolean>`lower(${column}) = ${String(value).toLowerCase()}`,
      ),
    ),
  );
}

/** Text over one or more columns (host.target looks in every name and address). */
function textFilter(...columns: RawBuilder<unknown>[]) {
  return (filter: ParsedFilter): Condition => {
    const positive = textMatches(filter, columns);
    return isNegative(filter) ? negated(positive) : positive;
  };
}

/** Text over the elements of an array column: neq and nmatch hold when no element matches. */
function textArrayFilter(column: RawBuilder<unknown>) {
  return (filter: ParsedFilter): Condition => {
    const positive = sql<boolean>`exists (select 1 from unnest(${column}) as element(value) where ${textMatches(filter, [sql`element.value`])})`;
    return isNegative(filter) ? negated(positive) : positive;
  };
}

/** Numbers and fixed choices: eq/neq against the list, gte/lte against any value. */
function valueFilter(column: RawBuilder<unknown>) {
  return (filter: ParsedFilter): Condition => {
    if (filter.operator === 'gte') return anyOf(filter.values.map((value) => sql<boolean>`${column} >= ${value}`));
    if (filter.operator === 'lte') return anyOf(filter.values.map((value) => sql<boolean>`${column} <= ${value}`));
    const positive = anyOf(filter.values.map((value) => sql<boolean>`${column} = ${value}`));
    return isNegative(filter) ? negated(positive) : positive;
  };
}

const DATE_COMPARISONS = { 'date-lt': sql`<`, 'date-lte': sql`<=`, 'date-gt': sql`>`, 'date-gte': sql`>=`, 'date-eq': sql`=` } as const;

/** Dates compare by UTC day. */
function dateFilter(column: RawBuilder<unknown>) {
  return (filter: ParsedFilter): Condition => {
    const comparison = DATE_COMPARISONS[filter.operator as keyof typeof DATE_COMPARISONS];
    return anyOf(filter.values.map((value) => sql<boolean>`(${column} at time zone 'UTC')::date ${comparison} ${String(value)}::date`));
  };
}

/** An address or a CIDR block; rows whose address is not IPv4 text never match (and never fail a cast). */
function ipv4Filter(column: RawBuilder<unknown>) {
  return (filter: ParsedFilter): Condition => {
    const positive = anyOf(
      filter.values.map(
        (value) => sql<boolean>`case when ${column} ~ ${IPV4_TEXT} then ${column}::inet <<= ${String(value)}::inet else false end`,
      ),
    );
    return isNegative(filter) ? negated(positive) : positive;
  };
}

const HAS_PLUGIN_RESULTS_SQL = sql<boolean>`exists (select 1 from findings r where r.asset_id = a.id)`;

/** The SQL of every filter of the catalogues (workbench-filters.ts); the type keeps the two in step. */
const FILTER_SQL: Record<FilterName, (filter: ParsedFilter) => Condition> = {
  'plugin.id': valueFilter(sql`f.plugin_id`),
  'plugin.name': textFilter(sql`p.name`),
  'plugin.family': textFilter(sql`p.family`),
  'plugin.attributes.plugin_type': valueFilter(sql`lower(p.plugin_type)`),
  'plugin.attributes.exploit_available': valueFilter(sql`coalesce(p.exploit_available, false)`),
  'plugin.attributes.cve.raw': textArrayFilter(sql`p.cve`),
  output: textFilter(sql`f.output`),
  severity: valueFilter(sql`f.severity`),
  'tracking.state': valueFilter(VULNERABILITY_STATE_SQL),
  'tracking.first_found': dateFilter(sql`f.first_found`),
  'tracking.last_found': dateFilter(sql`f.last_found`),
  'port.port': valueFilter(sql`f.port`),
  'port.protocol': valueFilter(sql`lower(f.protocol)`),
  'host.id': valueFilter(sql`a.id::text`),
  'host.target': textFilter(sql`a.ipv4`, sql`a.ipv6`, sql`a.fqdn`, sql`a.hostname`, sql`a.netbios_name`),
  ipv4: ipv4Filter(sql`a.ipv4`),
  fqdn: textFilter(sql`a.fqdn`),
  netbios_name: textFilter(sql`a.netbios_name`),
  operating_system: textFilter(sql`a.operating_system`),
  mac_address: textFilter(sql`a.mac_address`),
  first_scan_time: dateFilter(sql`a.first_seen`),
  last_scan_time: dateFilter(sql`a.last_seen`),
  last_authenticated_scan_time: dateFilter(sql`a.last_authenticated_scan_at`),
  has_plugin_results: valueFilter(HAS_PLUGIN_RESULTS_SQL),
};

function filtersCondition(parsed: ParsedFilters): Condition[] {
  if (parsed.filters.length === 0) return [];
  const conditions = parsed.filters.map((filter) => FILTER_SQL[filter.name](filter));
  return [parsed.matchAll ? allOf(conditions) : anyOf(conditions)];
}

/** Which assets a workbench asset query covers. */
export interface AssetScope {
  filters: ParsedFilters;
  /** Seen in the last N days; null for any time. */
  seenWithinDays: number | null;
}

/** Which findings a workbench vulnerability query covers; every part narrows. */
export interface FindingScope extends AssetScope {
  includeFixed: boolean;
  assetId?: string;
  pluginId?: number;
  severity?: number;
  isAuthenticatedOnly?: boolean;
  isExploitableOnly?: boolean;
  isResolvableOnly?: boolean;
}

function findingConditions(scope: FindingScope): Condition[] {
  const conditions = filtersCondition(scope.filters);
  if (!scope.includeFixed) conditions.push(sql<boolean>`f.state <> 'FIXED'`);
  if (scope.seenWithinDays !== null) conditions.push(sql<boolean>`f.last_found >= now() - make_interval(days => ${scope.seenWithinDays})`);
  if (scope.assetId !== undefined) conditions.push(sql<boolean>`f.asset_id = ${scope.assetId}`);
  if (scope.pluginId !== undefined) conditions.push(sql<boolean>`f.plugin_id = ${scope.pluginId}`);
  if (scope.severity !== undefined) conditions.push(sql<boolean>`f.severity = ${scope.severity}`);
  if (scope.isAuthenticatedOnly) conditions.push(sql<boolean>`a.last_authenticated_scan_at is not null`);
  if (scope.isExploitableOnly) conditions.push(sql<boolean>`p.exploit_available is true`);
  if (scope.isResolvableOnly) conditions.push(sql<boolean>`coalesce(p.attributes->>'patch_publication_date', '') <> ''`);
  return conditions;
}

/** The instance's findings in scope, with their asset (a) and plugin (p); the workbench .nessus export reads them too. */
export function scopedFindings(db: Kysely<Database>, accountId: string, scope: FindingScope) {
  let query = db
    .selectFrom('findings as f')
    .innerJoin('assets as a', 'a.id', 'f.asset_id')
    .leftJoin('plugins as p', (join) => join.onRef('p.account_id', '=', 'f.account_id').onRef('p.id', '=', 'f.plugin_id'))
    .where('f.account_id', '=', accountId);
  for (const condition of findingConditions(scope)) query = query.where(condition);
  return query;
}

const severityCount = (level: number) => sql<number>`count(*) filter (where f.severity = ${level})::int`;
/** real columns read back as their one-decimal score, not a float's digits. */
const score = (column: RawBuilder<unknown>) => sql<number | null>`round(max(${column})::numeric, 1)::float8`;

/** The findings in scope grouped by plugin, most severe and most widespread first. */
export function listPluginGroups(db: Kysely<Database>, accountId: string, scope: FindingScope) {
  return scopedFindings(db, accountId, scope)
    .select([
      'f.plugin_id',
      sql<string>`coalesce(max(p.name), 'Plugin ' || f.plugin_id)`.as('plugin_name'),
      sql<string | null>`max(p.family)`.as('plugin_family'),
      sql<number>`max(f.severity)::int`.as('severity'),
      sql<number>`count(*)::int`.as('count'),
      severityCount(0).as('info'),
      severityCount(1).as('low'),
      severityCount(2).as('medium'),
      severityCount(3).as('high'),
      severityCount(4).as('critical'),
      sql<number>`min(${STATE_RANK_SQL})::int`.as('state_rank'),
      score(sql`p.cvss_base_score`).as('cvss_base_score'),
      score(sql`p.cvss3_base_score`).as('cvss3_base_score'),
      sql<string | null>`max(p.attributes->>'vpr_score')`.as('vpr_score'),
    ])
    .groupBy('f.plugin_id')
    .orderBy(sql`max(f.severity)`, 'desc')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('f.plugin_id')
    .execute();
}

export function countFindings(db: Kysely<Database>, accountId: string, scope: FindingScope) {
  return scopedFindings(db, accountId, scope)
    .select([sql<number>`count(*)::int`.as('finding_count'), sql<number>`count(distinct f.asset_id)::int`.as('asset_count')])
    .executeTakeFirstOrThrow();
}

/** The assets with findings in scope, with their counts by severity. */
export function listAssetsWithFindings(db: Kysely<Database>, accountId: string, scope: FindingScope) {
  return scopedFindings(db, accountId, scope)
    .select([
      'a.id',
      'a.fqdn',
      'a.ipv4',
      'a.ipv6',
      'a.netbios_name',
      'a.hostname',
      'a.last_seen',
      sql<number>`count(*)::int`.as('count'),
      severityCount(0).as('info'),
      severityCount(1).as('low'),
      severityCount(2).as('medium'),
      severityCount(3).as('high'),
      severityCount(4).as('critical'),
    ])
    .groupBy('a.id')
    .orderBy(sql`max(f.severity)`, 'desc')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('a.id')
    .execute();
}

/** One plugin's findings in scope, summed. */
export function summarisePluginFindings(db: Kysely<Database>, accountId: string, scope: FindingScope) {
  return scopedFindings(db, accountId, scope)
    .select([
      sql<number>`count(*)::int`.as('count'),
      sql<number | null>`max(f.severity)::int`.as('severity'),
      sql<Date | null>`min(f.first_found)`.as('first_found'),
      sql<Date | null>`max(f.last_found)`.as('last_found'),
    ])
    .executeTakeFirstOrThrow();
}

/** One plugin's findings in scope with their assets, in the order the outputs are grouped. */
export function listPluginOutputs(db: Kysely<Database>, accountId: string, scope: FindingScope) {
  return scopedFindings(db, accountId, scope)
    .select([
      'f.output',
      VULNERABILITY_STATE_SQL.as('state'),
      'f.port',
      'f.protocol',
      'f.service',
      'f.severity',
      'f.first_found',
      'f.last_found',
      'a.id as asset_id',
      'a.hostname',
      'a.netbios_name',
      'a.fqdn',
      'a.ipv4',
      assetNameSql.as('name'),
    ])
    .orderBy('f.output')
    .orderBy('state')
    .orderBy('f.port')
    .orderBy('f.protocol')
    .orderBy('f.severity', 'desc')
    .orderBy('a.id')
    .execute();
}

export function findPlugin(db: Kysely<Database>, accountId: string, pluginId: number) {
  return db.selectFrom('plugins').selectAll().where('account_id', '=', accountId).where('id', '=', pluginId).executeTakeFirst();
}

const scansWithin = (days: number) =>
  sql<number>`(select count(*)::int from scan_hosts s where s.asset_id = a.id and coalesce(s.host_end, s.host_start) >= now() - make_interval(days => ${days}))`;

/** Assets with what their API record adds to the row: last scan target and times, scan counts. */
function assetsWithDetails(db: Kysely<Database>, accountId: string) {
  return db
    .selectFrom('assets as a')
    .leftJoin('scan_hosts as sh', (join) => join.onRef('sh.scan_id', '=', 'a.last_scan_id').onRef('sh.asset_id', '=', 'a.id'))
    .selectAll('a')
    .select([
      assetNameSql.as('name'),
      'sh.host_name as last_scan_target',
      'sh.host_start as last_scan_start',
      'sh.host_end as last_scan_end',
      HAS_PLUGIN_RESULTS_SQL.as('has_plugin_results'),
      scansWithin(30).as('scans_in_30_days'),
      scansWithin(60).as('scans_in_60_days'),
      scansWithin(90).as('scans_in_90_days'),
    ])
    .where('a.account_id', '=', accountId);
}

export type AssetDetailsRow = NonNullable<Awaited<ReturnType<typeof findAssetDetails>>>;

export function listAssetDetails(db: Kysely<Database>, accountId: string, scope: AssetScope) {
  let query = assetsWithDetails(db, accountId);
  for (const condition of filtersCondition(scope.filters)) query = query.where(condition);
  if (scope.seenWithinDays !== null)
    query = query.where(sql<boolean>`a.last_seen >= now() - make_interval(days => ${scope.seenWithinDays})`);
  return query.orderBy('a.last_seen', 'desc').orderBy('a.id').execute();
}

export function findAssetDetails(db: Kysely<Database>, accountId: string, assetId: string) {
  return assetsWithDetails(db, accountId).where('a.id', '=', assetId).executeTakeFirst();
}

/** An asset's open findings by severity. */
export function openFindingsBySeverity(db: Kysely<Database>, accountId: string, assetId: string) {
  return db
    .selectFrom('findings')
    .select(['severity', sql<number>`count(*)::int`.as('count')])
    .where('account_id', '=', accountId)
    .where('asset_id', '=', assetId)
    .where('state', '<>', 'FIXED')
    .groupBy('severity')
    .execute();
}

/** The scans that saw an asset, latest first. */
export function listAssetScans(db: Kysely<Database>, accountId: string, assetId: string) {
  return db
    .selectFrom('scan_hosts as sh')
    .innerJoin('scans as s', 's.id', 'sh.scan_id')
    .select([
      's.id as scan_id',
      's.source',
      'sh.host_name',
      sql<Date>`coalesce(sh.host_end, sh.host_start, s.scan_ended_at, s.finished_at, s.created_at)`.as('seen_at'),
    ])
    .where('sh.account_id', '=', accountId)
    .where('sh.asset_id', '=', assetId)
    .orderBy('seen_at', 'desc')
    .orderBy('s.id')
    .execute();
}

/**
 * Plugins updated on or after the given day, by id: their modification date, else publication
 * date, else the day an import last wrote them (the file gave no date).
 */
export async function listPlugins(db: Kysely<Database>, accountId: string, query: { updatedSince: string; limit: number; offset: number }) {
  const base = db
    .selectFrom('plugins')
    .where('account_id', '=', accountId)
    .where(
      sql<boolean>`coalesce(modification_date, publication_date, (updated_at at time zone 'UTC')::date) >= ${query.updatedSince}::date`,
    );
  const [rows, total] = await Promise.all([
    base.selectAll().orderBy('id').limit(query.limit).offset(query.offset).execute(),
    base.select(sql<number>`count(*)::int`.as('count')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: total.count };
}
