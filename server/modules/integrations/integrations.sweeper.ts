import type { AppServices } from '../../lib/context.js';
import { findRetentionDays } from '../signals/signals.repository.js';
import { RETENTION_BATCH } from '../signals/signals.sweeper.js';
import { deleteLogLinesBefore, deleteRunsFinishedBefore } from './integrations.repository.js';

const SWEEP_INTERVAL_MS = 60 * 60_000;
const FIRST_SWEEP_DELAY_MS = 90_000;

/**
 * The integrations' history follows the Signals retention (Signals → Settings): runs that finished
 * (with their chunk rows) and log lines older than retention_days are deleted, in batches until
 * none is left, except each stream's last finished and last successful run (its tile shows them).
 */
export async function sweepIntegrationHistory(
  services: Pick<AppServices, 'db'>,
  now = new Date(),
  batch = RETENTION_BATCH,
): Promise<{ runs: number; logLines: number }> {
  const retentionDays = await findRetentionDays(services.db);
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 3600_000);
  const deleted = { runs: 0, logLines: 0 };
  for (;;) {
    const count = await deleteRunsFinishedBefore(services.db, cutoff, batch);
    deleted.runs += count;
    if (count < batch) break;
  }
  for (;;) {
    const count = await deleteLogLinesBefore(services.db, cutoff, batch);
    deleted.logLines += count;
    if (count < batch) break;
  }
  return deleted;
}

/** Sweeps this node hourly (and a minute and a half after start). Returns the stop function. */
export function startIntegrationHistorySweeper(services: AppServices): () => void {
  const sweep = () => {
    sweepIntegrationHistory(services)
      .then((deleted) => {
        if (deleted.runs + deleted.logLines > 0) services.log.info(deleted, 'integrations retention: deleted old runs and log lines');
      })
      .catch((error: unknown) => services.log.error({ err: error }, 'sweeping old integration runs and log lines failed'));
  };
  const first = setTimeout(sweep, FIRST_SWEEP_DELAY_MS);
  const timer = setInterval(sweep, SWEEP_INTERVAL_MS);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
