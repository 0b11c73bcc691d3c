import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';
import { scopedFindings, type FindingScope } from '../workbenches/workbenches.repository.js';

/**
 * Queries of the Tenable-compatible scans API. Every one takes the instance (account id) and
 * filters on it: another instance's scans, files and exports are never found.
 */

type Db = Kysely<Database>;

/* ---- Uploaded files ---- */

/** The name as stored: the upload's own name, or with `_N` when the instance already has it. */
export async function insertUpload(
  db: Db,
  input: { accountId: string; name: string; storageKey: string; sizeBytes: number; uploadedBy: string | null },
): Promise<string> {
  for (let attempt = 0; ; attempt += 1) {
    const name = attempt === 0 ? input.name : `${input.name}_${attempt}`;
    const row = await db
      .insertInto('scan_uploads')
      .values({
        account_id: input.accountId,
        name,
        storage_key: input.storageKey,
        size_bytes: input.sizeBytes,
        uploaded_by: input.uploadedBy,
      })
      .onConflict((oc) => oc.columns(['account_id', 'name']).doNothing())
      .returning('name')
      .executeTakeFirst();
    if (row) return row.name;
  }
}

export function findUpload(db: Db, accountId: string, name: string) {
  return db
    .selectFrom('scan_uploads')
    .select(['id', 'name', 'storage_key', 'size_bytes'])
    .where('account_id', '=', accountId)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** Removes the upload's row; true when this call removed it (two imports of one upload: one wins). */
export async function deleteUpload(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('scan_uploads').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Uploads of every instance older than `before`, removed; their storage keys. An import removes
 * the upload's row as it starts, so one row goes to one of them; a file a scan uses all the same
 * (a running import reads it, a completed scan keeps it) is never given up here.
 */
export async function deleteStaleUploads(db: Db, before: Date): Promise<string[]> {
  const rows = await db
    .deleteFrom('scan_uploads as u')
    .where('u.created_at', '<', before)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('scans as s').select('s.id').whereRef('s.storage_key', '=', 'u.storage_key'))),
    )
    .returning('u.storage_key')
    .execute();
  return rows.map((row) => row.storage_key);
}

/* ---- Scans ---- */

/** Statuses a Tenable client sees: a failed or duplicate import is no scan of the instance. */
const LISTED_STATUSES = ['queued', 'running', 'completed'] as const;

function selectApiScans(db: Db, accountId: string) {
  return db
    .selectFrom('scans as s')
    .innerJoin('scan_numbers as n', 'n.scan_id', 's.id')
    .leftJoin('users as u', 'u.id', 's.owner_user_id')
    .select([
      's.id',
      'n.number',
      's.name',
      's.policy_name',
      's.status',
      's.owner_user_id',
      'u.username as owner_username',
      's.host_count',
      's.scan_started_at',
      's.scan_ended_at',
      's.created_at',
      's.finished_at',
      's.started_at',
      's.storage_key',
    ])
    .where('s.account_id', '=', accountId)
    .where('s.status', 'in', LISTED_STATUSES);
}

export type ApiScanRow = Awaited<ReturnType<ReturnType<typeof selectApiScans>['executeTakeFirstOrThrow']>>;

export function findApiScans(
  db: Db,
  accountId: string,
  filter: { modifiedSince: Date | null; startedFrom: Date | null; startedTo: Date | null },
) {
  let query = selectApiScans(db, accountId);
  if (filter.modifiedSince) query = query.where(sql<Date>`coalesce(s.finished_at, s.created_at)`, '>=', filter.modifiedSince);
  if (filter.startedFrom) query = query.where('s.scan_started_at', '>=', filter.startedFrom);
  if (filter.startedTo) query = query.where('s.scan_started_at', '<=', filter.startedTo);
  return query.orderBy('n.number').execute();
}

/** One scan by its integer id or its UUID. */
export function findApiScan(db: Db, accountId: string, ref: { number: number } | { id: string }) {
  const query = selectApiScans(db, accountId);
  return ('number' in ref ? query.where('n.number', '=', String(ref.number)) : query.where('s.id', '=', ref.id)).executeTakeFirst();
}

/** A refused import leaves nothing behind: its failed record goes (the audit log keeps the refusal). */
export async function deleteFailedScan(db: Db, scanId: string): Promise<void> {
  await db.deleteFrom('scans').where('id', '=', scanId).where('status', '=', 'failed').execute();
}

/* ---- What one scan saw ---- */

/** When the scan saw the host; null when the file did not say (the import's own time was used). */
const HOST_TIME = sql<Date | null>`coalesce(sh.host_end, sh.host_start)`;

/**
 * The instance keeps each finding once (its newest state), not per scan: a finding belongs to the
 * scan when it was open at the scan's time on that host (first found before, last found since).
 */
const SEEN_BY_SCAN_FINDING = sql<boolean>`case when ${HOST_TIME} is null
  then f.last_scan_id = s.id and f.last_found >= s.started_at
  else f.first_found <= ${HOST_TIME} and f.last_found >= ${HOST_TIME} end`;
const SEEN_BY_SCAN_COMPLIANCE = sql<boolean>`case when ${HOST_TIME} is null
  then c.last_scan_id = s.id and c.last_seen >= s.started_at
  else c.first_seen <= ${HOST_TIME} and c.last_seen >= ${HOST_TIME} end`;

function scanFindings(db: Db, accountId: string, scanId: string) {
  return db
    .selectFrom('scan_hosts as sh')
    .innerJoin('scans as s', 's.id', 'sh.scan_id')
    .innerJoin('findings as f', (join) => join.onRef('f.asset_id', '=', 'sh.asset_id').onRef('f.account_id', '=', 'sh.account_id'))
    .where('sh.scan_id', '=', scanId)
    .where('sh.account_id', '=', accountId)
    .where(SEEN_BY_SCAN_FINDING);
}

function scanCompliance(db: Db, accountId: string, scanId: string) {
  return db
    .selectFrom('scan_hosts as sh')
    .innerJoin('scans as s', 's.id', 'sh.scan_id')
    .innerJoin('compliance_results as c', (join) =>
      join.onRef('c.asset_id', '=', 'sh.asset_id').onRef('c.account_id', '=', 'sh.account_id'),
    )
    .where('sh.scan_id', '=', scanId)
    .where('sh.account_id', '=', accountId)
    .where(SEEN_BY_SCAN_COMPLIANCE);
}

const countWhere = (condition: ReturnType<typeof sql>) => sql<number>`count(*) filter (where ${condition})::int`;

export function findScanHosts(db: Db, accountId: string, scanId: string) {
  return db
    .selectFrom('scan_hosts as sh')
    .select(['sh.asset_id', 'sh.host_name'])
    .where('sh.scan_id', '=', scanId)
    .where('sh.account_id', '=', accountId)
    .orderBy('sh.host_name')
    .orderBy('sh.asset_id')
    .execute();
}

export function countScanFindingsByHost(db: Db, accountId: string, scanId: string) {
  return scanFindings(db, accountId, scanId)
    .select([
      'sh.asset_id',
      countWhere(sql`f.severity = 4`).as('critical'),
      countWhere(sql`f.severity = 3`).as('high'),
      countWhere(sql`f.severity = 2`).as('medium'),
      countWhere(sql`f.severity = 1`).as('low'),
      countWhere(sql`f.severity = 0`).as('info'),
    ])
    .groupBy('sh.asset_id')
    .execute();
}

export function countScanComplianceByHost(db: Db, accountId: string, scanId: string) {
  return scanCompliance(db, accountId, scanId)
    .select([
      'sh.asset_id',
      countWhere(sql`c.result = 'FAILED'`).as('failed'),
      countWhere(sql`c.result = 'WARNING'`).as('warning'),
      countWhere(sql`c.result not in ('FAILED', 'WARNING')`).as('other'),
    ])
    .groupBy('sh.asset_id')
    .execute();
}

export function countScanFindingsByPlugin(db: Db, accountId: string, scanId: string) {
  return scanFindings(db, accountId, scanId)
    .leftJoin('plugins as p', (join) => join.onRef('p.account_id', '=', 'f.account_id').onRef('p.id', '=', 'f.plugin_id'))
    .select([
      'f.plugin_id',
      sql<string | null>`max(p.name)`.as('plugin_name'),
      sql<string | null>`max(p.family)`.as('plugin_family'),
      sql<number>`max(f.severity)::int`.as('severity'),
      sql<number>`count(*)::int`.as('count'),
    ])
    .groupBy('f.plugin_id')
    .orderBy(sql`max(f.severity)`, 'desc')
    .orderBy('f.plugin_id')
    .execute();
}

export function countScanComplianceByPlugin(db: Db, accountId: string, scanId: string) {
  return scanCompliance(db, accountId, scanId)
    .leftJoin('plugins as p', (join) => join.onRef('p.account_id', '=', 'c.account_id').onRef('p.id', '=', 'c.plugin_id'))
    .select([
      'c.plugin_id',
      sql<string | null>`max(p.name)`.as('plugin_name'),
      sql<string | null>`max(p.family)`.as('plugin_family'),
      countWhere(sql`c.result = 'FAILED'`).as('failed'),
      countWhere(sql`c.result = 'WARNING'`).as('warning'),
      sql<number>`count(*)::int`.as('count'),
    ])
    .groupBy('c.plugin_id')
    .orderBy('c.plugin_id')
    .execute();
}

/* ---- Rows the .nessus writer reads, in keyset pages ---- */

const PLUGIN_COLUMNS = [
  'p.name as plugin_name',
  'p.family as plugin_family',
  'p.risk_factor',
  'p.synopsis',
  'p.description',
  'p.solution',
  'p.plugin_type',
  'p.cvss_base_score',
  'p.cvss_vector',
  'p.cvss3_base_score',
  'p.cvss3_vector',
  'p.cve',
  'p.bid',
  'p.see_also',
  'p.xrefs',
  'p.exploit_available',
  'p.publication_date',
  'p.modification_date',
  'p.attributes',
] as const;

const ASSET_COLUMNS = [
  'a.id',
  'a.identity_kind',
  'a.identity_value',
  'a.hostname',
  'a.fqdn',
  'a.ipv4',
  'a.ipv6',
  'a.mac_address',
  'a.netbios_name',
  'a.operating_system',
  'a.agent_uuid',
  'a.properties',
] as const;

/** The scan's hosts after `afterAssetId`, with the host's name and times in this scan. */
export function findScanExportHosts(db: Db, accountId: string, scanId: string, afterAssetId: string | null, limit: number) {
  let query = db
    .selectFrom('scan_hosts as sh')
    .innerJoin('assets as a', 'a.id', 'sh.asset_id')
    .select([...ASSET_COLUMNS, 'sh.host_name', 'sh.host_start', 'sh.host_end'])
    .where('sh.scan_id', '=', scanId)
    .where('sh.account_id', '=', accountId);
  if (afterAssetId) query = query.where('a.id', '>', afterAssetId);
  return query.orderBy('a.id').limit(limit).execute();
}

export function findScanExportFindings(db: Db, accountId: string, scanId: string, assetId: string, afterId: string | null, limit: number) {
  let query = scanFindings(db, accountId, scanId)
    .leftJoin('plugins as p', (join) => join.onRef('p.account_id', '=', 'f.account_id').onRef('p.id', '=', 'f.plugin_id'))
    .select(['f.id', 'f.plugin_id', 'f.port', 'f.protocol', 'f.service', 'f.severity', 'f.output', ...PLUGIN_COLUMNS])
    .where('f.asset_id', '=', assetId);
  if (afterId) query = query.where('f.id', '>', afterId);
  return query.orderBy('f.id').limit(limit).execute();
}

export function findScanExportCompliance(
  db: Db,
  accountId: string,
  scanId: string,
  assetId: string,
  afterId: string | null,
  limit: number,
) {
  let query = scanCompliance(db, accountId, scanId)
    .leftJoin('plugins as p', (join) => join.onRef('p.account_id', '=', 'c.account_id').onRef('p.id', '=', 'c.plugin_id'))
    .select(['c.id', 'c.plugin_id', 'c.result', 'c.fields', ...PLUGIN_COLUMNS])
    .where('c.asset_id', '=', assetId);
  if (afterId) query = query.where('c.id', '>', afterId);
  return query.orderBy('c.id').limit(limit).execute();
}

/**
 * The assets with findings in the workbench scope after `afterAssetId`. The scope's conditions are
 * the vulnerability workbench's own (workbenches.repository.ts), so both select the same findings.
 */
export function findWorkbenchExportHosts(db: Db, accountId: string, scope: FindingScope, afterAssetId: string | null, limit: number) {
  let query = db
    .selectFrom('assets as a')
    .select([...ASSET_COLUMNS, 'a.first_seen', 'a.last_seen'])
    .where('a.account_id', '=', accountId)
    .where('a.id', 'in', scopedFindings(db, accountId, scope).select('f.asset_id'));
  if (afterAssetId) query = query.where('a.id', '>', afterAssetId);
  return query.orderBy('a.id').limit(limit).execute();
}

export function findWorkbenchExportFindings(
  db: Db,
  accountId: string,
  scope: FindingScope,
  assetId: string,
  afterId: string | null,
  limit: number,
) {
  let query = scopedFindings(db, accountId, scope)
    .select([
      'f.id',
      'f.plugin_id',
      'f.port',
      'f.protocol',
      'f.service',
      'f.severity',
      'f.output',
      'f.state',
      'f.first_found',
      'f.last_found',
      'f.resurfaced_at',
      ...PLUGIN_COLUMNS,
    ])
    .where('f.asset_id', '=', assetId);
  if (afterId) query = query.where('f.id', '>', afterId);
  return query.orderBy('f.id').limit(limit).execute();
}

/* ---- Exports ---- */

export async function insertExport(
  db: Db,
  input: { accountId: string; kind: 'scan' | 'workbench'; scanId: string | null; requestedBy: string | null; expiresAt: Date },
) {
  return db
    .insertInto('nessus_exports')
    .values({
      account_id: input.accountId,
      kind: input.kind,
      scan_id: input.scanId,
      requested_by: input.requestedBy,
      expires_at: input.expiresAt,
    })
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow();
}

export async function markExportReady(db: Db, id: string, storageKey: string | null, itemCount: number): Promise<void> {
  await db
    .updateTable('nessus_exports')
    .set({ status: 'ready', storage_key: storageKey, item_count: itemCount })
    .where('id', '=', id)
    .execute();
}

export async function deleteExport(db: Db, id: string): Promise<void> {
  await db.deleteFrom('nessus_exports').where('id', '=', id).execute();
}

/** A live export of the instance, by id (scan exports, also of that scan) or number (workbench). */
export function findExport(db: Db, accountId: string, ref: { id: string; scanId: string } | { number: number }, now: Date) {
  let query: SelectQueryBuilder<Database, 'nessus_exports', object> = db
    .selectFrom('nessus_exports')
    .where('account_id', '=', accountId)
    .where('expires_at', '>', now);
  query =
    'number' in ref
      ? query.where('number', '=', String(ref.number)).where('kind', '=', 'workbench')
      : query.where('id', '=', ref.id).where('scan_id', '=', ref.scanId);
  return query.select(['id', 'number', 'kind', 'scan_id', 'status', 'storage_key', 'item_count']).executeTakeFirst();
}

/** Expired exports of every instance, removed; the storage keys of the files written for them. */
export async function deleteExpiredExports(db: Db, now: Date): Promise<string[]> {
  const rows = await db.deleteFrom('nessus_exports').where('expires_at', '<=', now).returning('storage_key').execute();
  return rows.flatMap((row) => (row.storage_key ? [row.storage_key] : []));
}
