import type { Readable } from 'node:stream';
import type { ExportFormat, ExportType } from '../../db/schema-exports.js';
import { QUEUES } from '../../jobs/job-queue.js';
import { AppError } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { recordAudit } from '../audit/audit.service.js';
import { TENABLE_NOT_FOUND, TenableError } from '../mssp-api/mssp-api.errors.js';
import {
  allOf,
  assetConditions,
  complianceConditions,
  fingerprintOf,
  normaliseFilters,
  vulnConditions,
  type NormalisedFilters,
} from './export-filters.js';
import { chunkExpiry, runExportJob } from './export-writer.js';
import {
  cancelExportJob,
  countRowsUpTo,
  countRunningExports,
  findChunk,
  findExportJob,
  findRunningIdentical,
  insertExportJob,
  listChunks,
  listExportJobs,
  lockInstanceExports,
  type ExportJobRow,
} from './exports.repository.js';

type InstanceContext = ServiceContext & { accountId: string };

/** Seconds a client is asked to wait when the instance already runs its maximum of exports. */
export const EXPORT_RETRY_AFTER_SECONDS = 5;

export interface NewExport {
  type: ExportType;
  format: ExportFormat;
  chunkSize: number;
  filters: Record<string, unknown>;
  assets?: string[];
}

function conditionsOf(type: ExportType, filters: NormalisedFilters) {
  if (type === 'vulns') return allOf(vulnConditions(filters));
  if (type === 'assets') return allOf(assetConditions(filters));
  return allOf(complianceConditions(filters));
}

/**
 * Creates an export. An identical running export answers 409 with its id (pyTenable adopts it);
 * an instance already running its maximum answers 429 with Retry-After; both checks and the insert
 * run under a per-instance lock, so concurrent requests on any node agree. A small export (at most
 * exports.inlineMaxRows rows) is written before answering, so the first status request finds it
 * FINISHED with every chunk listed; a larger one is queued for any node's export worker.
 */
export async function createExport(ctx: InstanceContext, request: NewExport): Promise<{ export_uuid: string }> {
  const filters = normaliseFilters(request.type, request.format, request.filters, { assets: request.assets });
  const fingerprint = fingerprintOf(request.type, request.format, request.chunkSize, filters);
  const exportId = await ctx.db.transaction().execute(async (trx) => {
    await lockInstanceExports(trx, ctx.accountId);
    const identical = await findRunningIdentical(trx, ctx.accountId, fingerprint);
    if (identical) {
      throw new TenableError(409, {
        active_job_id: identical.id,
        failure_reason: 'The request could not be completed due to a conflict with the ongoing export',
      });
    }
    if ((await countRunningExports(trx, ctx.accountId)) >= ctx.config.exports.maxConcurrent) {
      throw new AppError('rate_limited', `This instance already runs ${ctx.config.exports.maxConcurrent} exports; try again later.`, {
        retryAfterSeconds: EXPORT_RETRY_AFTER_SECONDS,
      });
    }
    return insertExportJob(trx, {
      accountId: ctx.accountId,
      type: request.type,
      format: request.format,
      filters,
      chunkSize: request.chunkSize,
      fingerprint,
      requestedBy: ctx.actor?.userId ?? null,
    });
  });
  const limit = ctx.config.exports.inlineMaxRows;
  const isSmall =
    limit > 0 && (await countRowsUpTo(ctx.db, request.type, ctx.accountId, conditionsOf(request.type, filters), limit + 1)) <= limit;
  await recordAudit(ctx, {
    action: 'exports.created',
    targetType: 'export',
    targetId: exportId,
    accountId: ctx.accountId,
    details: { type: request.type, format: request.format, chunkSize: request.chunkSize, filters, writtenInRequest: isSmall },
  });
  if (isSmall) await runExportJob(ctx, exportId);
  else await ctx.jobs.send(QUEUES.export, { exportId });
  return { export_uuid: exportId };
}

async function jobOrNotFound(ctx: InstanceContext, type: ExportType, id: string): Promise<ExportJobRow> {
  const job = await findExportJob(ctx.db, ctx.accountId, type, id);
  if (!job) throw new TenableError(404, TENABLE_NOT_FOUND);
  return job;
}

function isExpired(job: ExportJobRow, now = new Date()): boolean {
  return job.expires_at !== null && job.expires_at <= now;
}

/** Chunk numbers still downloadable (none once the export expired). */
async function availableChunks(ctx: InstanceContext, jobs: ExportJobRow[]): Promise<Map<string, { numbers: number[]; empty: number }>> {
  const live = jobs.filter((job) => !isExpired(job));
  const result = new Map(jobs.map((job) => [job.id, { numbers: [] as number[], empty: 0 }]));
  for (const chunk of await listChunks(
    ctx.db,
    live.map((job) => job.id),
  )) {
    const entry = result.get(chunk.export_id);
    entry?.numbers.push(chunk.chunk_number);
    if (entry && chunk.row_count === 0) entry.empty += 1;
  }
  return result;
}

/** The vulns and compliance status object (2.1); reason only on ERROR. */
function fullStatus(job: ExportJobRow, chunks: { numbers: number[]; empty: number }) {
  return {
    uuid: job.id,
    status: job.status,
    chunks_available: chunks.numbers,
    chunks_failed: [],
    chunks_cancelled: [],
    total_chunks: chunks.numbers.length,
    chunks_available_count: chunks.numbers.length,
    empty_chunks_count: chunks.empty,
    finished_chunks: chunks.numbers.length,
    filters: job.filters,
    num_assets_per_chunk: job.chunk_size,
    created: job.created_at.getTime(),
    ...(job.reason && job.status === 'ERROR' ? { reason: job.reason } : {}),
  };
}

/** GET /{type}/export/{uuid}/status. Assets answer the smaller object Tenable gives for them. */
export async function exportStatus(ctx: InstanceContext, type: ExportType, id: string) {
  const job = await jobOrNotFound(ctx, type, id);
  const chunks = (await availableChunks(ctx, [job])).get(job.id) ?? { numbers: [], empty: 0 };
  if (type !== 'assets') return fullStatus(job, chunks);
  return { status: job.status, chunks_available: chunks.numbers, ...(job.status === 'ERROR' && job.reason ? { reason: job.reason } : {}) };
}

/** GET /{type}/export/status: the instance's exports of that type, newest first. */
export async function listExports(ctx: InstanceContext, type: ExportType) {
  const jobs = await listExportJobs(ctx.db, ctx.accountId, type);
  const chunks = await availableChunks(ctx, jobs);
  return {
    exports: jobs.map((job) => {
      const { uuid, status, total_chunks, finished_chunks, filters, num_assets_per_chunk, created, empty_chunks_count } = fullStatus(
        job,
        chunks.get(job.id) ?? { numbers: [], empty: 0 },
      );
      return { uuid, status, total_chunks, finished_chunks, empty_chunks_count, filters, num_assets_per_chunk, created };
    }),
  };
}

/**
 * A chunk's stored JSON array. 404 for an unknown or expired export or chunk, or a chunk past the
 * end of a finished export; 400 for a chunk not written yet while the export still runs.
 */
export async function openExportChunk(
  ctx: InstanceContext,
  type: ExportType,
  id: string,
  chunkNumber: number,
): Promise<{ body: Readable; size: number }> {
  const job = await jobOrNotFound(ctx, type, id);
  if (isExpired(job)) throw new TenableError(404, TENABLE_NOT_FOUND);
  const chunk = chunkNumber > 0 ? await findChunk(ctx.db, job.id, chunkNumber) : undefined;
  if (chunk) return { body: await ctx.storage.get(chunk.storage_key), size: Number(chunk.byte_size) };
  if (chunkNumber > 0 && (job.status === 'QUEUED' || job.status === 'PROCESSING')) {
    throw new TenableError(400, { error: `Chunk ${chunkNumber} is not ready yet` });
  }
  throw new TenableError(404, TENABLE_NOT_FOUND);
}

/** Tenable's asset export answers cancel errors in its own shape (2.1). */
function cancelError(type: ExportType, status: 400 | 404, id: string): TenableError {
  if (type === 'assets') {
    return new TenableError(status, {
      status,
      message: status === 404 ? `Job with UUID: ${id} not found` : 'Cannot cancel a completed job',
    });
  }
  return new TenableError(status, status === 404 ? TENABLE_NOT_FOUND : { error: 'Cannot cancel a completed job' });
}

/** POST /{type}/export/{uuid}/cancel: a running export stops; cancelling it again answers the same. */
export async function cancelExport(ctx: InstanceContext, type: ExportType, id: string): Promise<{ status: 'CANCELLED' }> {
  const job = await findExportJob(ctx.db, ctx.accountId, type, id);
  if (!job) throw cancelError(type, 404, id);
  if (job.status === 'CANCELLED') return { status: 'CANCELLED' };
  if (!(await cancelExportJob(ctx.db, job.id, chunkExpiry(ctx)))) throw cancelError(type, 400, id);
  await recordAudit(ctx, {
    action: 'exports.cancelled',
    targetType: 'export',
    targetId: job.id,
    accountId: ctx.accountId,
    details: { type },
  });
  return { status: 'CANCELLED' };
}
