import type { AppServices } from '../../lib/context.js';
import { runPeriodically } from '../../lib/periodic.js';
import { deleteStaleUnattachedUploads } from './support-uploads.repository.js';
import { forgetStaleRunningHashes, removeUploadBytes } from './support-uploads.store.js';

const SWEEP_INTERVAL_MS = 5 * 60_000;
/** An upload never attached to a case within this time is removed with its bytes. */
export const UNATTACHED_UPLOAD_LIFETIME_MS = 24 * 3600_000;

/**
 * Removes uploads never attached to a case after 24 hours: rows first, each to the one sweep whose
 * DELETE returned it (nodes sweeping at once never share one), then the bytes and tus's info files.
 * Bytes already gone are no failure; bytes that cannot be removed are logged and left (no row serves them).
 */
export async function sweepSupportUploads(
  services: Pick<AppServices, 'db' | 'storage' | 'log' | 'config'>,
  now = new Date(),
): Promise<number> {
  const stale = await deleteStaleUnattachedUploads(services.db, new Date(now.getTime() - UNATTACHED_UPLOAD_LIFETIME_MS));
  for (const { storageKey } of stale) {
    await removeUploadBytes(services.config.storage, services.storage, storageKey).catch((error: unknown) =>
      services.log.warn({ err: error, key: storageKey }, 'removing a swept upload failed'),
    );
  }
  forgetStaleRunningHashes(now.getTime());
  return stale.length;
}

/** Sweeps this node every few minutes (every node does; see sweepSupportUploads). Returns the stop function. */
export function startSupportUploadsSweeper(services: AppServices): () => void {
  return runPeriodically(() => {
    sweepSupportUploads(services).catch((error: unknown) => services.log.error({ err: error }, 'sweeping unattached uploads failed'));
  }, SWEEP_INTERVAL_MS);
}
