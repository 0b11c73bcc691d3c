import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { can } from '../../../common/permissions.js';
import type { ServiceContext } from '../../lib/context.js';
import { recordAudit } from '../audit/audit.service.js';
import type { ImportEvent } from '../imports/import-records.js';
import { createScanRecord, runImport } from '../imports/imports.service.js';
import { nessusImportEvents } from '../imports/nessus-source.js';
import { TENABLE_FORBIDDEN, TENABLE_INTERNAL, TenableError } from '../mssp-api/mssp-api.errors.js';
import { NessusFormatError } from '../nessus/nessus-errors.js';
import { parseWorkbenchFilters } from '../workbenches/workbench-filters.js';
import { countFindings, type FindingScope } from '../workbenches/workbenches.repository.js';
import { writeNessus, type WrittenDocument } from './nessus-writer.js';
import { scanDocument, workbenchDocument } from './nessus-export-source.js';
import {
  countScanComplianceByHost,
  countScanComplianceByPlugin,
  countScanFindingsByHost,
  countScanFindingsByPlugin,
  deleteExport,
  deleteFailedScan,
  deleteUpload,
  findApiScan,
  findApiScans,
  findExport,
  findScanHosts,
  findUpload,
  insertExport,
  insertUpload,
  markExportReady,
  type ApiScanRow,
} from './scans-api.repository.js';
import type {
  ApiScan,
  ExportScanBody,
  HistoryQuery,
  HistoryResponse,
  ImportBody,
  ImportResponse,
  ListScansQuery,
  ScanHost,
  ScanListResponse,
  ScanResultsResponse,
  WorkbenchExportQuery,
} from './scans-api.schemas.js';

/** Every request of this API runs for one instance: the context carries its account id. */
type InstanceContext = ServiceContext & { accountId: string };

const SCAN_NOT_FOUND = { error: 'Scan not found' } as const;
const FILE_NOT_FOUND = { error: 'The requested file was not found' } as const;

/** An export stays downloadable this long (Tenable keeps them for a while, too); scans-api.sweeper.ts removes it then. */
const EXPORT_LIFETIME_MS = 24 * 3600_000;

/** Bulwark has one folder per instance: every scan is in "My Scans", the trash stays empty. */
const MAIN_FOLDER_ID = 2;
const FOLDERS = [
  { id: 1, name: 'Trash', type: 'trash' as const, custom: 0, unread_count: 0, default_tag: 0 },
  { id: MAIN_FOLDER_ID, name: 'My Scans', type: 'main' as const, custom: 0, unread_count: 0, default_tag: 1 },
];

const seconds = (time: Date) => Math.floor(time.getTime() / 1000);

/* ---- Upload ---- */

/** The bytes of the input, failing past the limit: a too large upload is never stored whole. */
async function* limitedTo(input: Readable, maxBytes: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      throw new TenableError(413, { error: `The file is larger than the import limit of ${Number((maxBytes / 1048576).toFixed(1))} MB.` });
    }
    yield chunk;
  }
}

/** The stored name: the file's base name (what Tenable keeps), "Filedata" when the part has none. */
function uploadName(fileName: string | undefined): string {
  const base = (fileName ?? '').split(/[\\/]/).pop()?.trim().slice(0, 200) ?? '';
  return base === '' ? 'Filedata' : base;
}

/**
 * POST /file/upload: streams the file to the file storage (refused past IMPORT_MAX_BYTES and when
 * empty) and names it within the instance (scans-api.sweeper.ts removes it if never imported).
 */
export async function uploadScanFile(
  ctx: InstanceContext,
  upload: { fileName: string | undefined; stream: Readable },
): Promise<{ fileuploaded: string }> {
  const storageKey = `scan-uploads/${ctx.accountId}/${crypto.randomUUID()}`;
  let size: number;
  try {
    size = (await ctx.storage.put(storageKey, Readable.from(limitedTo(upload.stream, ctx.config.imports.maxBytes)))).size;
  } catch (error) {
    await ctx.storage.delete(storageKey);
    throw error;
  }
  if (size === 0) {
    await ctx.storage.delete(storageKey);
    throw new TenableError(400, { error: 'The file is empty.' });
  }
  const name = await insertUpload(ctx.db, {
    accountId: ctx.accountId,
    name: uploadName(upload.fileName),
    storageKey,
    sizeBytes: size,
    uploadedBy: ctx.actor?.userId ?? null,
  });
  return { fileuploaded: name };
}

/* ---- Scans ---- */

/** Tenable's view of an import's status: a finished import is an "imported" scan. */
function tenableStatus(status: string): string {
  if (status === 'completed') return 'imported';
  if (status === 'running') return 'processing';
  return 'pending';
}

/** What the caller may do with the scan (Tenable's permission levels): 128 owner or manager, 16 read. */
function userPermissions(ctx: InstanceContext, scan: ApiScanRow): number {
  const isOwner = ctx.actor !== null && scan.owner_user_id === ctx.actor.userId;
  return isOwner || can(ctx.actor, 'scans:manage', { accountId: ctx.accountId }) ? 128 : 16;
}

function presentScan(ctx: InstanceContext, scan: ApiScanRow): ApiScan {
  const permissions = userPermissions(ctx, scan);
  return {
    id: Number(scan.number),
    uuid: scan.id,
    schedule_uuid: scan.id,
    name: scan.name,
    status: tenableStatus(scan.status),
    type: null,
    owner: scan.owner_username,
    enabled: false,
    control: false,
    read: true,
    shared: false,
    legacy: false,
    permissions,
    user_permissions: permissions,
    policy_id: null,
    template_uuid: null,
    wizard_uuid: null,
    folder_id: MAIN_FOLDER_ID,
    creation_date: seconds(scan.created_at),
    last_modification_date: seconds(scan.finished_at ?? scan.created_at),
    starttime: null,
    rrules: null,
    timezone: null,
    progress: scan.status === 'completed' ? 100 : 0,
    total_targets: scan.host_count,
    has_triggers: false,
    status_times: { initializing: 0, pending: 0, processing: 0, publishing: 0, running: 0 },
  };
}

const fromSeconds = (value: number | undefined) => (value === undefined ? null : new Date(value * 1000));

/** GET /scans: the instance's scans, all in the one main folder. */
export async function listApiScans(ctx: InstanceContext, query: ListScansQuery): Promise<ScanListResponse> {
  const timestamp = seconds(new Date());
  if (query.folder_id !== undefined && query.folder_id !== MAIN_FOLDER_ID) return { scans: [], folders: FOLDERS, timestamp };
  const rows = await findApiScans(ctx.db, ctx.accountId, {
    modifiedSince: fromSeconds(query.last_modification_date),
    startedFrom: fromSeconds(query.started_from),
    startedTo: fromSeconds(query.started_to),
  });
  return { scans: rows.map((row) => presentScan(ctx, row)), folders: FOLDERS, timestamp };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The scan a path names by integer id or UUID; another instance's scan is not found. */
async function findScanOrFail(ctx: InstanceContext, scanRef: string): Promise<ApiScanRow> {
  let scan: ApiScanRow | undefined;
  if (/^\d{1,15}$/.test(scanRef)) scan = await findApiScan(ctx.db, ctx.accountId, { number: Number(scanRef) });
  else if (UUID.test(scanRef)) scan = await findApiScan(ctx.db, ctx.accountId, { id: scanRef.toLowerCase() });
  if (!scan) throw new TenableError(404, SCAN_NOT_FOUND);
  return scan;
}

/** Tenable's host score: each severity weighs ten times the one below. */
function hostOf(
  index: number,
  assetId: string,
  hostName: string,
  counts: { critical: number; high: number; medium: number; low: number; info: number },
): ScanHost {
  return {
    asset_id: assetId,
    host_id: index + 1,
    uuid: assetId,
    hostname: hostName,
    host_index: index,
    ...counts,
    severity: counts.critical + counts.high + counts.medium + counts.low + counts.info,
    score: counts.critical * 10000 + counts.high * 1000 + counts.medium * 100 + counts.low * 10 + counts.info,
    progress: '100-100',
    scanprogresscurrent: 100,
    scanprogresstotal: 100,
    numchecksconsidered: 100,
    totalchecksconsidered: 100,
    severitycount: {
      item: [counts.info, counts.low, counts.medium, counts.high, counts.critical].map((count, severitylevel) => ({
        count,
        severitylevel,
      })),
    },
  };
}

/**
 * GET /scans/{id}: the scan's hosts and plugins with the counts of what it saw (findings by
 * severity; compliance checks as failed = high, warning = medium, the rest = info). Imported scans
 * have no history.
 */
export async function getScanResults(ctx: InstanceContext, scanRef: string): Promise<ScanResultsResponse> {
  const scan = await findScanOrFail(ctx, scanRef);
  const [hosts, findingsByHost, complianceByHost, findingsByPlugin, complianceByPlugin] = await Promise.all([
    findScanHosts(ctx.db, ctx.accountId, scan.id),
    countScanFindingsByHost(ctx.db, ctx.accountId, scan.id),
    countScanComplianceByHost(ctx.db, ctx.accountId, scan.id),
    countScanFindingsByPlugin(ctx.db, ctx.accountId, scan.id),
    countScanComplianceByPlugin(ctx.db, ctx.accountId, scan.id),
  ]);
  const findingCounts = new Map(findingsByHost.map((row) => [row.asset_id, row]));
  const complianceCounts = new Map(complianceByHost.map((row) => [row.asset_id, row]));
  const none = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  const permissions = userPermissions(ctx, scan);
  return {
    info: {
      owner: scan.owner_username,
      name: scan.name,
      uuid: scan.id,
      schedule_uuid: scan.id,
      folder_id: MAIN_FOLDER_ID,
      status: tenableStatus(scan.status),
      scan_type: 'imported',
      targets: hosts.map((host) => host.host_name).join(','),
      policy: scan.policy_name,
      scanner_name: null,
      hostcount: scan.host_count,
      scan_start: scan.scan_started_at ? seconds(scan.scan_started_at) : null,
      scan_end: scan.scan_ended_at ? seconds(scan.scan_ended_at) : null,
      timestamp: scan.finished_at ? seconds(scan.finished_at) : null,
      object_id: Number(scan.number),
      control: false,
      user_permissions: permissions,
      edit_allowed: false,
      acls: [],
      haskb: false,
      hasaudittrail: false,
    },
    hosts: hosts.map((host, index) => {
      const counts = findingCounts.get(host.asset_id);
      return hostOf(index, host.asset_id, host.host_name, counts ? { ...counts } : none);
    }),
    vulnerabilities: findingsByPlugin.map((row, index) => ({
      plugin_id: row.plugin_id,
      plugin_name: row.plugin_name ?? '',
      plugin_family: row.plugin_family,
      count: row.count,
      severity: row.severity,
      severity_index: index,
      vuln_index: index,
    })),
    comphosts: hosts.flatMap((host, index) => {
      const counts = complianceCounts.get(host.asset_id);
      return counts
        ? [hostOf(index, host.asset_id, host.host_name, { ...none, high: counts.failed, medium: counts.warning, info: counts.other })]
        : [];
    }),
    compliance: complianceByPlugin.map((row, index) => ({
      plugin_id: row.plugin_id,
      plugin_name: row.plugin_name ?? '',
      plugin_family: row.plugin_family,
      count: row.count,
      severity: row.failed > 0 ? 3 : row.warning > 0 ? 2 : 0,
      severity_index: index,
      vuln_index: index,
    })),
    history: [],
    notes: [],
    remediations: {},
    filters: [],
    progress: scan.status === 'completed' ? 100 : 0,
  };
}

/** GET /scans/{id}/history: imported scans have no runs, so the list is empty (v1 offset paging). */
export async function listScanHistory(ctx: InstanceContext, scanRef: string, query: HistoryQuery): Promise<HistoryResponse> {
  await findScanOrFail(ctx, scanRef);
  const [name = 'start_date', order = 'desc'] = query.sort.split(',')[0]?.split(':') ?? [];
  return { pagination: { total: 0, limit: query.limit, offset: query.offset, sort: [{ name, order }] }, history: [] };
}

const HISTORY_NOT_FOUND = { error: 'History not found' } as const;

/** GET /scans/{id}/history/{uuid}: no imported scan has a run, so every history is unknown. */
export async function getScanHistory(ctx: InstanceContext, scanRef: string): Promise<never> {
  await findScanOrFail(ctx, scanRef);
  throw new TenableError(404, HISTORY_NOT_FOUND);
}

/**
 * DELETE /scans/{id}/history/{uuid}: another user's scan needs 'scans:manage' (Scan Manager);
 * then, as imported scans have no history, the history is not found.
 */
export async function deleteScanHistory(ctx: InstanceContext, scanRef: string): Promise<never> {
  const scan = await findScanOrFail(ctx, scanRef);
  const isOwner = ctx.actor !== null && scan.owner_user_id === ctx.actor.userId;
  if (!isOwner && !can(ctx.actor, 'scans:manage', { accountId: ctx.accountId })) {
    throw new TenableError(403, TENABLE_FORBIDDEN);
  }
  throw new TenableError(404, HISTORY_NOT_FOUND);
}

/* ---- Import ---- */

/** The importer's events, remembering whether reading stopped because the file is not a readable .nessus. */
async function* noticingRefusal(events: AsyncIterable<ImportEvent>, refusal: { error: NessusFormatError | null }) {
  try {
    yield* events;
  } catch (error) {
    if (error instanceof NessusFormatError) refusal.error = error;
    throw error;
  }
}

function presentImported(ctx: InstanceContext, scan: ApiScanRow): ImportResponse {
  const {
    id,
    uuid,
    name,
    status,
    owner,
    user_permissions,
    creation_date,
    last_modification_date,
    read,
    shared,
    control,
    rrules,
    starttime,
    timezone,
  } = presentScan(ctx, scan);
  return {
    scan: {
      id,
      uuid,
      name,
      status,
      owner,
      user_permissions,
      creation_date,
      last_modification_date,
      read,
      shared,
      control,
      rrules,
      starttime,
      timezone,
      folder_id: null,
    },
  };
}

/**
 * POST /scans/import: imports an uploaded file into the instance with Bulwark's importer, within
 * the request, as the caller (whose name the audit events carry). The upload is used up whatever
 * the outcome. A file that is not a readable .nessus is refused with 400 and its reason and
 * leaves no scan behind; the same content again is the scan imported before (nothing changes).
 */
export async function importUploadedScan(ctx: InstanceContext, body: ImportBody): Promise<ImportResponse> {
  const upload = await findUpload(ctx.db, ctx.accountId, body.file);
  if (!upload || !(await deleteUpload(ctx.db, upload.id))) throw new TenableError(404, FILE_NOT_FOUND);
  const scanId = await createScanRecord(ctx, {
    accountId: ctx.accountId,
    name: upload.name,
    fileName: upload.name,
    fileSize: Number(upload.size_bytes),
    storageKey: upload.storage_key,
    ownerUserId: ctx.actor?.userId ?? null,
  });
  await recordAudit(ctx, {
    action: 'scan.import_started',
    targetType: 'scan',
    targetId: scanId,
    accountId: ctx.accountId,
    details: { fileName: upload.name, sizeBytes: Number(upload.size_bytes), via: 'api' },
  });
  const refusal: { error: NessusFormatError | null } = { error: null };
  const source = await ctx.storage.get(upload.storage_key);
  const outcome = await runImport(
    ctx,
    scanId,
    noticingRefusal(nessusImportEvents(source, { maxBytes: ctx.config.imports.maxBytes }), refusal),
  );
  // A completed scan keeps the file (it is what its export serves); the rest are not kept.
  if (outcome.status !== 'completed') await ctx.storage.delete(upload.storage_key);
  if (outcome.status === 'failed') {
    await deleteFailedScan(ctx.db, scanId);
    if (refusal.error) throw new TenableError(400, { error: refusal.error.message });
    ctx.log.error({ scanId, error: outcome.error }, 'scan import through the API failed');
    throw new TenableError(500, TENABLE_INTERNAL);
  }
  const shown = await findApiScan(ctx.db, ctx.accountId, { id: outcome.status === 'duplicate' ? outcome.duplicateOf : scanId });
  if (!shown) throw new TenableError(404, SCAN_NOT_FOUND);
  return presentImported(ctx, shown);
}

/* ---- Exports ---- */

/** Writes the document to the file storage; returns its key. A failed write leaves no file. */
async function storeDocument(ctx: InstanceContext, exportId: string, document: WrittenDocument): Promise<string> {
  const key = `nessus-exports/${ctx.accountId}/${exportId}.nessus`;
  try {
    await ctx.storage.put(key, Readable.from(writeNessus(document)));
  } catch (error) {
    await ctx.storage.delete(key);
    throw error;
  }
  return key;
}

/** Runs `write` for a new export row; the row goes again when writing fails. */
async function completeExport(ctx: InstanceContext, exportId: string, write: () => Promise<{ key: string | null; itemCount: number }>) {
  try {
    const { key, itemCount } = await write();
    await markExportReady(ctx.db, exportId, key, itemCount);
  } catch (error) {
    await deleteExport(ctx.db, exportId);
    throw error;
  }
}

const scanExportFileName = (exportId: string) => `SSE-${exportId}-nessus`;

/**
 * POST /scans/{id}/export (format nessus only). An imported scan whose file Bulwark keeps is
 * exported as that file, byte for byte (what the scan was); otherwise the .nessus writer writes
 * what the instance holds of the scan. The export is ready when this answers.
 */
export async function exportScan(ctx: InstanceContext, scanRef: string, body: ExportScanBody): Promise<{ file: string }> {
  const scan = await findScanOrFail(ctx, scanRef);
  if (body.format !== 'nessus') {
    throw new TenableError(400, { error: `Export format "${body.format}" is not supported: Bulwark exports scans as nessus only.` });
  }
  if (scan.status !== 'completed') throw new TenableError(409, { error: 'The scan has not finished importing yet.' });
  const created = await insertExport(ctx.db, {
    accountId: ctx.accountId,
    kind: 'scan',
    scanId: scan.id,
    requestedBy: ctx.actor?.userId ?? null,
    expiresAt: new Date(Date.now() + EXPORT_LIFETIME_MS),
  });
  await completeExport(ctx, created.id, async () => {
    if (scan.storage_key && (await ctx.storage.stat(scan.storage_key))) return { key: null, itemCount: scan.host_count };
    const key = await storeDocument(
      ctx,
      created.id,
      scanDocument(ctx.db, ctx.accountId, { id: scan.id, name: scan.name, policyName: scan.policy_name }),
    );
    return { key, itemCount: scan.host_count };
  });
  await recordAudit(ctx, {
    action: 'exports.created',
    targetType: 'scan',
    targetId: scan.id,
    accountId: ctx.accountId,
    details: { format: 'nessus', file: scanExportFileName(created.id) },
  });
  return { file: scanExportFileName(created.id) };
}

async function findScanExportOrFail(ctx: InstanceContext, scanRef: string, file: string) {
  const scan = await findScanOrFail(ctx, scanRef);
  const match = /^SSE-([0-9a-f-]{36})-nessus$/i.exec(file);
  const found = match?.[1]
    ? await findExport(ctx.db, ctx.accountId, { id: match[1].toLowerCase(), scanId: scan.id }, new Date())
    : undefined;
  if (!found) throw new TenableError(404, FILE_NOT_FOUND);
  return { scan, found };
}

export async function getScanExportStatus(ctx: InstanceContext, scanRef: string, file: string): Promise<{ status: 'loading' | 'ready' }> {
  const { found } = await findScanExportOrFail(ctx, scanRef, file);
  return { status: found.status };
}

/** The export's file as a stream, with the name to download it as. */
export async function openScanExport(ctx: InstanceContext, scanRef: string, file: string): Promise<{ fileName: string; stream: Readable }> {
  const { scan, found } = await findScanExportOrFail(ctx, scanRef, file);
  const key = found.storage_key ?? scan.storage_key;
  if (found.status !== 'ready' || !key) throw new TenableError(404, FILE_NOT_FOUND);
  return { fileName: `${scan.name.replace(/[^A-Za-z0-9._-]+/g, '_') || 'scan'}.nessus`, stream: await ctx.storage.get(key) };
}

/**
 * The query without `severity` filters of value `All`: Tenable's older Python SDK sends
 * `filter.0.filter=severity&filter.0.quality=qt&filter.0.value=All` with every export, and Tenable
 * exports every severity for it; the workbench catalogue knows neither `qt` nor `All`.
 */
function withoutAllSeverities(query: Record<string, unknown>): Record<string, unknown> {
  const kept = { ...query };
  for (const key of Object.keys(query)) {
    const index = /^filter\.(\d+)\.filter$/.exec(key)?.[1];
    if (index === undefined || query[key] !== 'severity') continue;
    const value = query[`filter.${index}.value`];
    if (typeof value === 'string' && value.toLowerCase() === 'all') {
      for (const part of ['filter', 'quality', 'value']) delete kept[`filter.${index}.${part}`];
    }
  }
  return kept;
}

/**
 * What the export holds: the vulnerability workbench's findings for the same filters (checked
 * against its catalogue, which is what pyTenable checks them against), narrowed by `plugin_id`,
 * `asset_id` and `date_range`.
 */
function workbenchScope(query: WorkbenchExportQuery): FindingScope {
  if (query.format !== 'nessus')
    throw new TenableError(400, {
      error: `Export format "${query.format}" is not supported: Bulwark exports the workbench as nessus only.`,
    });
  if (query.report !== 'vulnerabilities')
    throw new TenableError(400, { error: `Report "${query.report}" is not supported: Bulwark exports the vulnerabilities report only.` });
  if (query.chapter !== undefined && query.chapter !== 'vuln_by_asset') {
    throw new TenableError(400, { error: `Chapter "${query.chapter}" is not supported: Bulwark exports the vuln_by_asset chapter only.` });
  }
  const assetId = query.asset_id;
  if (assetId !== undefined && !UUID.test(assetId)) throw new TenableError(400, { error: 'asset_id must be an asset UUID.' });
  const filters = parseWorkbenchFilters(withoutAllSeverities(query), 'vulnerabilities');
  return {
    filters,
    seenWithinDays: query.date_range ? query.date_range : null,
    // As on the workbench (workbenches.service.ts): fixed findings only when the state is filtered on.
    includeFixed: filters.filters.some((filter) => filter.name === 'tracking.state'),
    pluginId: query.plugin_id,
    assetId: assetId?.toLowerCase(),
  };
}

/** GET /workbenches/export: writes the instance's findings in the scope as .nessus; ready when this answers. */
export async function exportWorkbench(ctx: InstanceContext, query: WorkbenchExportQuery): Promise<{ file: number }> {
  const scope = workbenchScope(query);
  const created = await insertExport(ctx.db, {
    accountId: ctx.accountId,
    kind: 'workbench',
    scanId: null,
    requestedBy: ctx.actor?.userId ?? null,
    expiresAt: new Date(Date.now() + EXPORT_LIFETIME_MS),
  });
  await completeExport(ctx, created.id, async () => {
    const counts = await countFindings(ctx.db, ctx.accountId, scope);
    return { key: await storeDocument(ctx, created.id, workbenchDocument(ctx.db, ctx.accountId, scope)), itemCount: counts.finding_count };
  });
  await recordAudit(ctx, {
    action: 'exports.created',
    targetType: 'workbench',
    accountId: ctx.accountId,
    details: {
      format: 'nessus',
      file: Number(created.number),
      pluginId: scope.pluginId ?? null,
      assetId: scope.assetId ?? null,
      filters: scope.filters.filters.map((filter) => filter.name),
    },
  });
  return { file: Number(created.number) };
}

async function findWorkbenchExportOrFail(ctx: InstanceContext, file: number) {
  const found = await findExport(ctx.db, ctx.accountId, { number: file }, new Date());
  if (!found) throw new TenableError(404, FILE_NOT_FOUND);
  return found;
}

export async function getWorkbenchExportStatus(ctx: InstanceContext, file: number) {
  const found = await findWorkbenchExportOrFail(ctx, file);
  const progress = String(found.status === 'ready' ? found.item_count : 0);
  return { status: found.status, progress, progress_total: String(found.item_count) };
}

export async function openWorkbenchExport(ctx: InstanceContext, file: number): Promise<{ fileName: string; stream: Readable }> {
  const found = await findWorkbenchExportOrFail(ctx, file);
  if (found.status !== 'ready' || !found.storage_key) throw new TenableError(404, FILE_NOT_FOUND);
  return { fileName: `workbench-${file}.nessus`, stream: await ctx.storage.get(found.storage_key) };
}
