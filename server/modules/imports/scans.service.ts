import crypto from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import type { ListScansQuery, ScanListResponse, ScanResponse } from '../../../common/schemas/scans.js';
import { AppError, notFound } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { recordAudit } from '../audit/audit.service.js';
import { enqueueImport } from './import-jobs.js';
import { createScanRecord } from './imports.service.js';

function findScans(ctx: Pick<ServiceContext, 'db'>, accountId: string) {
  return ctx.db
    .selectFrom('scans as s')
    .leftJoin('users as u', 'u.id', 's.owner_user_id')
    .selectAll('s')
    .select(['u.username as owner_username'])
    .where('s.account_id', '=', accountId);
}

export function presentScan(row: Awaited<ReturnType<ReturnType<typeof findScans>['execute']>>[number]): ScanResponse {
  const fileSize = row.file_size === null ? null : Number(row.file_size);
  const bytesRead = Number(row.bytes_read);
  const isDone = row.status === 'completed' || row.status === 'duplicate';
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    policyName: row.policy_name,
    status: row.status,
    fileName: row.file_name,
    fileSize,
    bytesRead,
    progress: isDone ? 1 : fileSize ? Math.min(1, bytesRead / fileSize) : 0,
    hostCount: row.host_count,
    findingCount: row.finding_count,
    complianceCount: row.compliance_count,
    bySeverity: { critical: row.critical_count, high: row.high_count, medium: row.medium_count, low: row.low_count, info: row.info_count },
    warnings: Array.isArray(row.warnings) ? row.warnings.map(String) : [],
    error: row.error,
    duplicateOfScanId: row.duplicate_of_scan_id,
    scanStartedAt: row.scan_started_at?.toISOString() ?? null,
    scanEndedAt: row.scan_ended_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    owner: row.owner_user_id && row.owner_username ? { id: row.owner_user_id, username: row.owner_username } : null,
  };
}

export async function listScans(ctx: ServiceContext, accountId: string, query: ListScansQuery): Promise<ScanListResponse> {
  const [rows, total] = await Promise.all([
    findScans(ctx, accountId)
      .orderBy('s.created_at', 'desc')
      .orderBy('s.id')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    ctx.db
      .selectFrom('scans')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(presentScan), total: Number(total.count), page: query.page, pageSize: query.pageSize };
}

export async function getScan(ctx: ServiceContext, accountId: string, scanId: string): Promise<ScanResponse> {
  const row = await findScans(ctx, accountId).where('s.id', '=', scanId).executeTakeFirst();
  if (!row) throw notFound('Scan');
  return presentScan(row);
}

/** Counts bytes as they pass and stops the stream past the limit. */
function limited(input: Readable, maxBytes: number, onTooLarge: () => void): Readable {
  const output = new PassThrough();
  let total = 0;
  input.on('data', (chunk: Buffer) => {
    total += chunk.byteLength;
    if (total > maxBytes) {
      onTooLarge();
      input.unpipe(output);
      input.resume();
      output.destroy(
        new AppError('payload_too_large', `The file is larger than the import limit of ${Math.round(maxBytes / 1024 / 1024)} MB.`),
      );
    }
  });
  input.pipe(output);
  return output;
}

/**
 * Stores an uploaded scan file and queues its import into the account's instance. The file is
 * streamed to the file storage (never held in memory), refused past IMPORT_MAX_BYTES, and
 * refused when empty; reading and checking it is the import job's work, whose outcome the scan
 * record shows.
 */
export async function startImportFromUpload(
  ctx: ServiceContext,
  accountId: string,
  upload: { fileName: string; stream: Readable },
): Promise<ScanResponse> {
  const account = await ctx.db.selectFrom('customer_accounts').select(['id', 'is_active']).where('id', '=', accountId).executeTakeFirst();
  if (!account) throw notFound('Account');
  if (!account.is_active) throw new AppError('forbidden', 'This customer account is deactivated: nothing can be imported into it.');
  const storageKey = `imports/${accountId}/${crypto.randomUUID()}.nessus`;
  let isTooLarge = false;
  let stored;
  try {
    stored = await ctx.storage.put(
      storageKey,
      limited(upload.stream, ctx.config.imports.maxBytes, () => {
        isTooLarge = true;
      }),
    );
  } catch (error) {
    await ctx.storage.delete(storageKey).catch(() => {});
    if (isTooLarge)
      throw new AppError(
        'payload_too_large',
        `The file is larger than the import limit of ${Math.round(ctx.config.imports.maxBytes / 1024 / 1024)} MB.`,
      );
    throw error;
  }
  if (stored.size === 0) {
    await ctx.storage.delete(storageKey);
    throw new AppError('validation_failed', 'The file is empty.');
  }
  const fileName = upload.fileName.slice(0, 255) || 'upload.nessus';
  const scanId = await createScanRecord(ctx, {
    accountId,
    name: fileName,
    fileName,
    fileSize: stored.size,
    storageKey,
    ownerUserId: ctx.actor?.userId ?? null,
  });
  await recordAudit(ctx, {
    action: 'scan.import_started',
    targetType: 'scan',
    targetId: scanId,
    accountId,
    details: { fileName, sizeBytes: stored.size },
  });
  await enqueueImport(ctx, scanId);
  return getScan(ctx, accountId, scanId);
}
