import { isIP } from 'node:net';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { z } from 'zod';
import type { SignalSearchQuery } from '../../../common/schemas/signals.js';
import type { Database } from '../../db/schema.js';

/** The filters of a search or an export (SignalSearchQuery as parsed, without paging). */
export type SignalFilters = Omit<z.output<typeof SignalSearchQuery>, 'page' | 'pageSize'>;

/** Which artifacts the caller may see: null = every artifact (Administrators), else those of these accounts. */
export type SignalScope = readonly string[] | null;

type SqlFragment = RawBuilder<unknown>;

export interface SignalRow {
  id: string;
  integration_id: string | null;
  integration_name: string;
  stream: string;
  observed_at: Date;
  fingerprint: string;
  severity: string | null;
  state: string | null;
  host_name: string | null;
  ip: string | null;
  plugin_id: number | null;
  plugin_name: string | null;
  cve: string[];
  account_id: string | null;
  account_name: string | null;
}

export interface SignalDetailRow extends SignalRow {
  /** The raw record's JSON text (null when not asked for). */
  raw: string | null;
}

export type FacetName = 'severity' | 'state' | 'stream' | 'integration' | 'account';
export interface FacetCount {
  facet: FacetName;
  value: string;
  count: number;
}

const CVE_ID = /^cve-\d{4}-\d{4,}$/i;

/**
 * The text search: websearch syntax over the search column. A CVE id or an IP address typed alone
 * becomes the one whole lexeme the search column holds for it (the text parser would cut
 * `CVE-2021-44228` and IPv6 addresses into pieces); a plugin id is a plain number lexeme already.
 */
export function textQuery(q: string): SqlFragment {
  const text = q.trim();
  if (CVE_ID.test(text) || isIP(text) !== 0) {
    const lexeme = `'${text.toLowerCase().replaceAll("'", "''")}'`;
    return sql`${lexeme}::tsquery`;
  }
  return sql`websearch_to_tsquery('simple', ${text})`;
}

/** `column = value` for one value (an ordered index range), `column = any(values)` for several. */
function isAnyOf(column: string, values: readonly string[], type: 'text' | 'uuid'): SqlFragment {
  const ref = sql.ref(column);
  if (values.length === 1) return sql`${ref} = ${values[0]}::${sql.raw(type)}`;
  return sql`${ref} = any(${values}::${sql.raw(type)}[])`;
}

/** The where clause of a search or an export over `signal_artifacts as a`, the caller's scope included. */
export function signalWhere(filters: SignalFilters, scope: SignalScope): SqlFragment {
  const conditions: SqlFragment[] = [];
  if (scope !== null) conditions.push(scope.length === 0 ? sql`false` : isAnyOf('a.account_id', scope, 'uuid'));
  if (filters.q) conditions.push(sql`a.search @@ ${textQuery(filters.q)}`);
  if (filters.integrationId?.length) conditions.push(isAnyOf('a.integration_id', filters.integrationId, 'uuid'));
  if (filters.stream?.length) conditions.push(isAnyOf('a.stream', filters.stream, 'text'));
  if (filters.severity?.length) conditions.push(isAnyOf('a.severity', filters.severity, 'text'));
  if (filters.state?.length) conditions.push(isAnyOf('a.state', filters.state, 'text'));
  if (filters.accountId?.length) conditions.push(isAnyOf('a.account_id', filters.accountId, 'uuid'));
  if (filters.from) conditions.push(sql`a.observed_at >= ${filters.from}::timestamptz`);
  if (filters.to) conditions.push(sql`a.observed_at <= ${filters.to}::timestamptz`);
  return conditions.length === 0 ? sql`true` : sql.join(conditions, sql` and `);
}

const SUMMARY_COLUMNS = sql.raw(`a.id::text as id, a.integration_id::text as integration_id, a.integration_name, a.stream,
  a.observed_at, a.fingerprint, a.severity, a.state, a.host_name, a.ip, a.plugin_id, a.plugin_name, a.cve,
  a.account_id::text as account_id`);

/**
 * How a results page is read. `few-text` (free text the sample shows matching at most a few
 * thousand artifacts): the match is fenced off (offset 0) so PostgreSQL collects the matches
 * through the GIN index and sorts them. `walk` (common free text): bitmap scans are off for the
 * query, so an ordered index (time, or a filter's) is walked newest first with the text as a
 * filter; the planner, which takes words as independent, would otherwise collect hundreds of
 * thousands of matches of a phrase it thinks rare. `planner`: no free text, its own choice.
 */
export type PageStrategy = 'few-text' | 'walk' | 'planner';

/** One results page, newest first: the page's rows come from one index range (LIMIT inside), then their account names. */
export async function findSignalPage(
  db: Kysely<Database>,
  where: SqlFragment,
  page: { limit: number; offset: number; strategy: PageStrategy },
): Promise<SignalRow[]> {
  const source =
    page.strategy === 'few-text'
      ? sql`(select * from signal_artifacts a where ${where} offset 0) as a`
      : sql`signal_artifacts a where ${where}`;
  const query = sql<SignalRow>`
    select p.*, c.name as account_name
    from (select ${SUMMARY_COLUMNS} from ${source}
          order by a.observed_at desc, a.id desc limit ${page.limit} offset ${page.offset}) as p
    left join customer_accounts c on c.id = p.account_id::uuid
    order by p.observed_at desc, p.id::bigint desc
  `;
  if (page.strategy !== 'walk') return (await query.execute(db)).rows;
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_bitmapscan = off`.execute(trx);
    return (await query.execute(trx)).rows;
  });
}

/** The planner's estimate of the matching rows (EXPLAIN, nothing read). */
export async function estimateMatchingRows(db: Kysely<Database>, where: SqlFragment): Promise<number> {
  const result = await sql<{ 'QUERY PLAN': unknown }>`explain (format json) select 1 from signal_artifacts a where ${where}`.execute(db);
  const cell = result.rows[0]?.['QUERY PLAN'];
  const plan = (typeof cell === 'string' ? JSON.parse(cell) : cell) as Array<{ Plan: { 'Plan Rows': number } }>;
  return Number(plan[0]?.Plan['Plan Rows'] ?? 0);
}

const FACET_GROUPS = sql.raw(`
  case when grouping(severity) = 0 then 'severity' when grouping(state) = 0 then 'state'
       when grouping(stream) = 0 then 'stream' when grouping(integration_id) = 0 then 'integration'
       when grouping(account_id) = 0 then 'account' else 'total' end as facet,
  coalesce(severity, state, stream, integration_id::text, account_id::text) as value,
  count(*)::int as count`);
const FACET_SETS = sql.raw(`grouping sets ((severity), (state), (stream), (integration_id), (account_id), ())`);

/**
 * Exact total and facet counts in one pass over at most `cap` matches (index-only without free
 * text: the time and severity indexes carry the facet columns). A total of `cap` means "at least".
 */
export async function countFacetsUpTo(
  db: Kysely<Database>,
  where: SqlFragment,
  cap: number,
): Promise<{ total: number; facets: FacetCount[] }> {
  const result = await db.transaction().execute(async (trx) => {
    // A bitmap of 100,000 matches spread over as many pages outgrows the default 4 MB and turns
    // lossy: every row of those pages is then checked again (2.9 s instead of 1.8 s for 54,000).
    await sql`set local work_mem = '64MB'`.execute(trx);
    return sql<{ facet: FacetName | 'total'; value: string | null; count: number }>`
      select ${FACET_GROUPS}
      from (select a.severity, a.state, a.stream, a.integration_id, a.account_id from signal_artifacts a where ${where} limit ${cap}) as m
      group by ${FACET_SETS}
    `.execute(trx);
  });
  return splitFacetRows(result.rows, 1);
}

/** Rows read by the facet estimate: enough for a few hundred hits of a 1% filter, small enough for a few ms. */
export const SAMPLE_ROWS = 30_000;

/**
 * Estimated facet counts and total: a block sample of the table (TABLESAMPLE SYSTEM, about
 * SAMPLE_ROWS rows, the same blocks every time so counts do not jitter between pages), the filters
 * applied to the sample, each count scaled by table rows / sampled rows. The table's row count is
 * the planner's (pg_class.reltuples, kept by ANALYZE and autovacuum). `textTotal`: the same estimate
 * for `textWhere` alone (the free text without the other filters), which decides how a page is read.
 */
export async function estimateFacets(
  db: Kysely<Database>,
  where: SqlFragment,
  textWhere: SqlFragment = sql`true`,
): Promise<{ total: number; facets: FacetCount[]; textTotal: number }> {
  const stats = await sql<{ rows: number }>`
    select reltuples::float8 as rows from pg_class where oid = 'signal_artifacts'::regclass
  `.execute(db);
  const tableRows = Number(stats.rows[0]?.rows ?? -1);
  const percent = tableRows <= SAMPLE_ROWS ? 100 : (100 * SAMPLE_ROWS) / tableRows;
  const result = await sql<{ facet: FacetName | 'total'; value: string | null; count: number; sampled: number; text_hits: number }>`
    with s as materialized (
      select a.severity, a.state, a.stream, a.integration_id, a.account_id, (${where}) as hit, (${textWhere}) as text_hit
      from signal_artifacts a tablesample system (${percent}::real) repeatable (42)
    )
    select ${FACET_GROUPS}, (select count(*)::int from s) as sampled, (select count(*)::int from s where text_hit) as text_hits
    from s where hit
    group by ${FACET_SETS}
  `.execute(db);
  const sampled = result.rows[0]?.sampled ?? 0;
  const scale = percent >= 100 || sampled === 0 ? 1 : Math.max(1, tableRows / sampled);
  const textHits = result.rows[0]?.text_hits ?? 0;
  return { ...splitFacetRows(result.rows, scale), textTotal: Math.round(textHits * scale) };
}

function splitFacetRows(
  rows: Array<{ facet: FacetName | 'total'; value: string | null; count: number }>,
  scale: number,
): { total: number; facets: FacetCount[] } {
  let total = 0;
  const facets: FacetCount[] = [];
  for (const row of rows) {
    const count = Math.round(row.count * scale);
    if (row.facet === 'total') total = count;
    else if (row.value !== null) facets.push({ facet: row.facet, value: row.value, count });
  }
  return { total, facets };
}

export async function findIntegrationNames(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('integrations').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

export async function findAccountNames(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('customer_accounts').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** One artifact with its raw record, if the scope reaches it. */
export async function findSignalById(db: Kysely<Database>, id: string, scope: SignalScope): Promise<SignalDetailRow | undefined> {
  const result = await sql<SignalDetailRow>`
    select ${SUMMARY_COLUMNS}, a.raw, c.name as account_name
    from signal_artifacts a left join customer_accounts c on c.id = a.account_id
    where a.id = ${id}::bigint and ${signalWhere({}, scope)}
  `.execute(db);
  return result.rows[0];
}

/** The position after the last row of an export page. */
export interface SignalKey {
  observedAt: string;
  id: string;
}

/** One export page after `after` (keyset on the results order), raw record included when asked. */
export async function findSignalExportPage(
  db: Kysely<Database>,
  where: SqlFragment,
  after: SignalKey | null,
  options: { limit: number; withRaw: boolean },
): Promise<Array<SignalDetailRow & { observed_key: string }>> {
  const keyset = after ? sql`and (a.observed_at, a.id) < (${after.observedAt}::timestamptz, ${after.id}::bigint)` : sql``;
  const result = await sql<SignalDetailRow & { observed_key: string }>`
    select p.*, c.name as account_name
    from (select ${SUMMARY_COLUMNS}, a.observed_at::text as observed_key, ${options.withRaw ? sql`a.raw` : sql`null::text as raw`}
          from signal_artifacts a where ${where} ${keyset}
          order by a.observed_at desc, a.id desc limit ${options.limit}) as p
    left join customer_accounts c on c.id = p.account_id::uuid
    order by p.observed_at desc, p.id::bigint desc
  `.execute(db);
  return result.rows;
}

export async function findRetentionDays(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('signal_settings').select('retention_days').executeTakeFirst();
  return row?.retention_days ?? 90;
}

export async function updateRetentionDays(db: Kysely<Database>, retentionDays: number): Promise<void> {
  await db
    .insertInto('signal_settings')
    .values({ id: true, retention_days: retentionDays })
    .onConflict((conflict) => conflict.column('id').doUpdateSet({ retention_days: retentionDays }))
    .execute();
}

/** Deletes up to `batch` artifacts observed before `cutoff`; returns how many it deleted. */
export async function deleteSignalsObservedBefore(db: Kysely<Database>, cutoff: Date, batch: number): Promise<number> {
  const result = await sql`
    delete from signal_artifacts where id in (
      select id from signal_artifacts where observed_at < ${cutoff.toISOString()}::timestamptz
      order by observed_at limit ${batch})
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
