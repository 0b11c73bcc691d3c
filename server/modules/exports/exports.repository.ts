import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ExportFormat, ExportStatus, ExportType } from '../../db/schema-exports.js';
import type { NormalisedFilters } from './export-filters.js';
import {
  exportAssetColumns,
  findingBodySql,
  isoSql,
  type ExportAssetRow,
  type ExportComplianceRow,
  type ExportPluginRow,
} from './export-records.js';

type Db = Kysely<Database> | Transaction<Database>;

export const RUNNING_STATUSES: ExportStatus[] = ['QUEUED', 'PROCESSING'];

/** Serialises export creation per instance (all nodes): the 409 and 429 checks see each other's inserts. */
export async function lockInstanceExports(trx: Transaction<Database>, accountId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`exports:${accountId}`}, 0))`.execute(trx);
}

export async function findRunningIdentical(db: Db, accountId: string, fingerprint: string) {
  return db
    .selectFrom('export_jobs')
    .select('id')
    .where('account_id', '=', accountId)
    .where('fingerprint', '=', fingerprint)
    .where('status', 'in', RUNNING_STATUSES)
    .orderBy('created_at')
    .executeTakeFirst();
}

export async function countRunningExports(db: Db, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('export_jobs')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('account_id', '=', accountId)
    .where('status', 'in', RUNNING_STATUSES)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertExportJob(
  db: Db,
  job: {
    accountId: string;
    type: ExportType;
    format: ExportFormat;
    filters: NormalisedFilters;
    chunkSize: number;
    fingerprint: string;
    requestedBy: string | null;
  },
): Promise<string> {
  const row = await db
    .insertInto('export_jobs')
    .values({
      account_id: job.accountId,
      type: job.type,
      format: job.format,
      filters: JSON.stringify(job.filters),
      chunk_size: job.chunkSize,
      fingerprint: job.fingerprint,
      requested_by: job.requestedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An export of this instance and type family; undefined for another instance's (the same 404). */
export async function findExportJob(db: Db, accountId: string, type: ExportType, id: string) {
  if (!UUID_TEXT.test(id)) return undefined;
  return db
    .selectFrom('export_jobs')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .where('type', '=', type)
    .executeTakeFirst();
}

export type ExportJobRow = NonNullable<Awaited<ReturnType<typeof findExportJob>>>;

export async function findExportJobById(db: Db, id: string) {
  return db.selectFrom('export_jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listExportJobs(db: Db, accountId: string, type: ExportType) {
  return db
    .selectFrom('export_jobs')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('type', '=', type)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function listChunks(db: Db, exportIds: string[]) {
  if (exportIds.length === 0) return [];
  return db
    .selectFrom('export_chunks')
    .select(['export_id', 'chunk_number', 'row_count', 'storage_key'])
    .where('export_id', 'in', exportIds)
    .orderBy('export_id')
    .orderBy('chunk_number')
    .execute();
}

export async function findChunk(db: Db, exportId: string, chunkNumber: number) {
  return db
    .selectFrom('export_chunks')
    .select(['storage_key', 'byte_size'])
    .where('export_id', '=', exportId)
    .where('chunk_number', '=', chunkNumber)
    .executeTakeFirst();
}

/** Takes a queued export for this process; undefined when another node (or request) took it first. */
export async function claimExportJob(db: Db, id: string) {
  return db
    .updateTable('export_jobs')
    .set({ status: 'PROCESSING', started_at: new Date(), heartbeat_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'QUEUED')
    .returningAll()
    .executeTakeFirst();
}

export async function insertChunk(
  db: Db,
  chunk: { exportId: string; chunkNumber: number; storageKey: string; rowCount: number; byteSize: number },
) {
  await db
    .insertInto('export_chunks')
    .values({
      export_id: chunk.exportId,
      chunk_number: chunk.chunkNumber,
      storage_key: chunk.storageKey,
      row_count: chunk.rowCount,
      byte_size: chunk.byteSize,
    })
    .execute();
}

/** Marks the job alive and returns its status (a cancel shows up here). */
export async function touchExportJob(db: Db, id: string): Promise<ExportStatus | undefined> {
  const row = await db
    .updateTable('export_jobs')
    .set({ heartbeat_at: new Date() })
    .where('id', '=', id)
    .returning('status')
    .executeTakeFirst();
  return row?.status;
}

/** Ends a running job (FINISHED or ERROR); a job cancelled meanwhile stays CANCELLED. */
export async function endExportJob(db: Db, id: string, status: 'FINISHED' | 'ERROR', expiresAt: Date, reason: string | null = null) {
  await db
    .updateTable('export_jobs')
    .set({ status, reason, finished_at: new Date(), expires_at: expiresAt })
    .where('id', '=', id)
    .where('status', '=', 'PROCESSING')
    .execute();
}

export async function cancelExportJob(db: Db, id: string, expiresAt: Date): Promise<boolean> {
  const result = await db
    .updateTable('export_jobs')
    .set({ status: 'CANCELLED', finished_at: new Date(), expires_at: expiresAt })
    .where('id', '=', id)
    .where('status', 'in', RUNNING_STATUSES)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Chunks whose export expired, for the sweeper. */
export async function findExpiredChunks(db: Db, limit: number) {
  return db
    .selectFrom('export_chunks')
    .innerJoin('export_jobs', 'export_jobs.id', 'export_chunks.export_id')
    .select(['export_chunks.export_id', 'export_chunks.chunk_number', 'export_chunks.storage_key'])
    .where('export_jobs.expires_at', '<', new Date())
    .limit(limit)
    .execute();
}

export async function deleteChunk(db: Db, exportId: string, chunkNumber: number) {
  await db.deleteFrom('export_chunks').where('export_id', '=', exportId).where('chunk_number', '=', chunkNumber).execute();
}

/** Running jobs whose process stopped beating (a crashed node) are ended with ERROR. */
export async function failAbandonedExportJobs(db: Db, staleBefore: Date, expiresAt: Date): Promise<number> {
  const result = await db
    .updateTable('export_jobs')
    .set({ status: 'ERROR', reason: 'The export stopped unexpectedly; create it again.', finished_at: new Date(), expires_at: expiresAt })
    .where('status', '=', 'PROCESSING')
    .where('heartbeat_at', '<', staleBefore)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// The data read by the export writer. Findings and compliance results are read asset by asset in
// the order of their unique index (asset_id, plugin_id, port, protocol / check_key), with keyset
// pagination, so every query is a short index range scan and no result set is ever held whole.

/** Up to `limit` matching rows, counted cheaply: decides whether an export is written during its request. */
export async function countRowsUpTo(
  db: Db,
  type: ExportType,
  accountId: string,
  conditions: RawBuilder<unknown>,
  limit: number,
): Promise<number> {
  const source =
    type === 'vulns'
      ? sql`select 1 from findings f join assets a on a.id = f.asset_id join plugins p on p.account_id = f.account_id and p.id = f.plugin_id
          where f.account_id = ${accountId} and ${conditions} limit ${limit}`
      : type === 'assets'
        ? sql`select 1 from assets a where a.account_id = ${accountId} and ${conditions} limit ${limit}`
        : sql`select 1 from compliance_results c join assets a on a.id = c.asset_id where c.account_id = ${accountId} and ${conditions} limit ${limit}`;
  const result = await sql<{ count: string }>`select count(*) as count from (${source}) as matching`.execute(db);
  return Number(result.rows[0]?.count ?? 0);
}

/**
 * The next page of the instance's assets by id, each with `matches`: whether it passes the export's
 * conditions (for vulns and compliance: has at least one matching finding or result). The page is
 * taken first (index assets_account_id_idx) and only its rows are tested, so paging stays linear.
 */
export async function selectAssetPage(
  db: Db,
  type: ExportType,
  accountId: string,
  conditions: RawBuilder<unknown>,
  afterId: string | null,
  limit: number,
): Promise<(ExportAssetRow & { matches: boolean })[]> {
  const matches =
    type === 'vulns'
      ? sql`exists (select 1 from findings f join plugins p on p.account_id = f.account_id and p.id = f.plugin_id
          where f.asset_id = a.id and ${conditions})`
      : type === 'compliance'
        ? sql`exists (select 1 from compliance_results c where c.asset_id = a.id and ${conditions})`
        : conditions;
  const result = await sql<ExportAssetRow & { matches: boolean }>`select ${exportAssetColumns}, ${matches} as matches
    from (select * from assets where account_id = ${accountId} and ${afterId === null ? sql`true` : sql`id > ${afterId}`}
      order by id limit ${limit}) as a
    order by a.id`.execute(db);
  return result.rows;
}

export interface FindingKey {
  plugin_id: number;
  port: number;
  protocol: string;
}

/** One asset's matching findings after `after`, as JSON bodies (findingBodySql). */
export async function selectFindingBatch(
  db: Db,
  asset: { id: string; accountId: string },
  conditions: RawBuilder<unknown>,
  after: FindingKey | null,
  limit: number,
) {
  const result = await sql<FindingKey & { body: string }>`select f.plugin_id, f.port, f.protocol, ${findingBodySql} as body
    from findings f
    join assets a on a.id = f.asset_id
    join plugins p on p.account_id = f.account_id and p.id = f.plugin_id
    left join scans s on s.id = f.last_scan_id
    where f.asset_id = ${asset.id} and f.account_id = ${asset.accountId} and ${conditions}
      and ${after === null ? sql`true` : sql`(f.plugin_id, f.port, f.protocol) > (${after.plugin_id}, ${after.port}, ${after.protocol})`}
    order by f.plugin_id, f.port, f.protocol
    limit ${limit}`.execute(db);
  return result.rows;
}

export async function selectPlugins(db: Db, accountId: string, ids: number[]): Promise<ExportPluginRow[]> {
  if (ids.length === 0) return [];
  const result = await sql<ExportPluginRow>`select id, name, family, risk_factor, synopsis, description, solution, plugin_type,
      cvss_base_score, cvss_vector, cvss3_base_score, cvss3_vector, cve, bid, see_also, xrefs, exploit_available,
      to_char(publication_date, 'YYYY-MM-DD') as publication_date, to_char(modification_date, 'YYYY-MM-DD') as modification_date, attributes
    from plugins where account_id = ${accountId} and id = any(${ids}::int[])`.execute(db);
  return result.rows;
}

export interface ComplianceKey {
  plugin_id: number;
  check_key: string;
}

/** One asset's matching compliance results after `after`. */
export async function selectComplianceBatch(
  db: Db,
  asset: { id: string; accountId: string },
  conditions: RawBuilder<unknown>,
  after: ComplianceKey | null,
  limit: number,
) {
  const result = await sql<ExportComplianceRow>`select c.id, c.asset_id, c.plugin_id, c.check_key, c.check_name, c.result, c.audit_file,
      c.info, c.solution, c.reference, c.actual_value, c.policy_value,
      ${isoSql('c.first_seen')} as first_seen, ${isoSql('c.last_seen')} as last_seen
    from compliance_results c join assets a on a.id = c.asset_id
    where c.asset_id = ${asset.id} and c.account_id = ${asset.accountId} and ${conditions}
      and ${after === null ? sql`true` : sql`(c.plugin_id, c.check_key) > (${after.plugin_id}, ${after.check_key})`}
    order by c.plugin_id, c.check_key
    limit ${limit}`.execute(db);
  return result.rows;
}
