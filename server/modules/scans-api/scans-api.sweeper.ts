import type { AppServices } from '../../lib/context.js';
import { runPeriodically } from '../../lib/periodic.js';
import { deleteExpiredExports, deleteStaleUploads } from './scans-api.repository.js';

const SWEEP_INTERVAL_MS = 5 * 60_000;
/** An upload not imported within this time is removed with its file. */
const UPLOAD_LIFETIME_MS = 24 * 3600_000;

/**
 * Removes expired .nessus exports and uploads older than a day that no scan uses, with their
 * files. Rows go first, each to the one sweep whose DELETE returned it, so nodes sweeping at once
 * never share a file; a file already gone is no failure. A file that cannot be removed is logged
 * and left behind (its row is gone, so nothing serves it).
 */
export async function sweepScanFiles(services: Pick<AppServices, 'db' | 'storage' | 'log'>, now = new Date()): Promise<void> {
  const exportKeys = await deleteExpiredExports(services.db, now);
  const uploadKeys = await deleteStaleUploads(services.db, new Date(now.getTime() - UPLOAD_LIFETIME_MS));
  for (const key of [...exportKeys, ...uploadKeys]) {
    await services.storage.delete(key).catch((error: unknown) => services.log.warn({ err: error, key }, 'removing a swept file failed'));
  }
}

/** Sweeps this node every few minutes (every node does; see sweepScanFiles). Returns the stop function. */
export function startScanFilesSweeper(services: AppServices): () => void {
  return runPeriodically(() => {
    sweepScanFiles(services).catch((error: unknown) => services.log.error({ err: error }, 'sweeping expired exports and uploads failed'));
  }, SWEEP_INTERVAL_MS);
}
