import { QUEUES } from '../../jobs/job-queue.js';
import type { AppServices } from '../../lib/context.js';
import { runPeriodically } from '../../lib/periodic.js';
import { chunkExpiry, runExportJob } from './export-writer.js';
import { deleteChunk, failAbandonedExportJobs, findExpiredChunks } from './exports.repository.js';

const SWEEP_INTERVAL_MS = 60_000;
/** A writer beats at every chunk; one silent this long belonged to a process that died. */
const ABANDONED_AFTER_MS = 15 * 60_000;
const SWEEP_BATCH = 500;

/** Deletes the files and rows of expired chunks; their downloads already answer 404 (exports.service.ts). */
export async function sweepExpiredChunks(services: AppServices): Promise<number> {
  let deleted = 0;
  for (;;) {
    const chunks = await findExpiredChunks(services.db, SWEEP_BATCH);
    for (const chunk of chunks) {
      await services.storage.delete(chunk.storage_key);
      await deleteChunk(services.db, chunk.export_id, chunk.chunk_number);
    }
    deleted += chunks.length;
    if (chunks.length < SWEEP_BATCH) return deleted;
  }
}

async function sweep(services: AppServices): Promise<void> {
  await failAbandonedExportJobs(services.db, new Date(Date.now() - ABANDONED_AFTER_MS), chunkExpiry(services));
  await sweepExpiredChunks(services);
}

/**
 * Starts this node's export worker: takes queued exports one at a time (any node may take any
 * export; the claim in runExportJob keeps it to one), and every minute ends exports abandoned by
 * a crashed process and deletes expired chunks.
 */
export async function startExportWorker(services: AppServices): Promise<() => void> {
  await services.jobs.work(QUEUES.export, async (data) => {
    const exportId = (data as { exportId?: unknown }).exportId;
    if (typeof exportId === 'string') await runExportJob(services, exportId);
  });
  return runPeriodically(() => {
    sweep(services).catch((error: unknown) => services.log.error({ err: error }, 'sweeping exports failed'));
  }, SWEEP_INTERVAL_MS);
}
