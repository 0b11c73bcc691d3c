import { QUEUES } from '../../jobs/job-queue.js';
import type { AppServices, ServiceContext } from '../../lib/context.js';
import { runPeriodically } from '../../lib/periodic.js';
import { failAbandonedImports, runImport, type ImportOutcome } from './imports.service.js';
import { nessusImportEvents } from './nessus-source.js';

const SWEEP_INTERVAL_MS = 60_000;

/** Queues the import of a stored file (its scan record is 'queued'); any node's worker runs it. */
export async function enqueueImport(ctx: Pick<ServiceContext, 'jobs'>, scanId: string): Promise<void> {
  await ctx.jobs.send(QUEUES.nessusImport, { scanId });
}

/** Runs a queued import from the file storage; an import already taken (or finished) is left alone. */
export async function processQueuedImport(services: AppServices, scanId: string): Promise<ImportOutcome | null> {
  const scan = await services.db.selectFrom('scans').select(['status', 'storage_key']).where('id', '=', scanId).executeTakeFirst();
  if (!scan || scan.status !== 'queued' || !scan.storage_key) return null;
  const ctx: ServiceContext = { ...services, actor: null, origin: { ip: null, userAgent: 'bulwark-import-worker' } };
  const stream = await services.storage.get(scan.storage_key);
  const outcome = await runImport(ctx, scanId, nessusImportEvents(stream, { maxBytes: services.config.imports.maxBytes }));
  // A refused or duplicate file is not kept (runImport cleared its storage_key with the status).
  if (outcome.status !== 'completed') await services.storage.delete(scan.storage_key);
  return outcome;
}

/**
 * Starts this node's import worker: first marks imports abandoned by a crashed process as failed,
 * then takes queued imports one at a time, and sweeps for abandoned ones every minute.
 */
export async function startImportWorker(services: AppServices): Promise<() => void> {
  await failAbandonedImports(services);
  await services.jobs.work(QUEUES.nessusImport, async (data) => {
    const scanId = (data as { scanId?: unknown }).scanId;
    if (typeof scanId !== 'string') return;
    const outcome = await processQueuedImport(services, scanId);
    if (outcome) services.log.info({ scanId, status: outcome.status }, 'scan import finished');
  });
  return runPeriodically(() => {
    failAbandonedImports(services).catch((error: unknown) => services.log.error({ err: error }, 'sweeping abandoned imports failed'));
  }, SWEEP_INTERVAL_MS);
}
