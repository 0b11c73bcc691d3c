import type { AppServices } from '../../lib/context.js';
import { deleteInBatches, runPeriodically } from '../../lib/periodic.js';
import { RETENTION_BATCH, retentionCutoff } from '../signals/signals.sweeper.js';
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
  const cutoff = await retentionCutoff(services, now);
  return {
    runs: await deleteInBatches((limit) => deleteRunsFinishedBefore(services.db, cutoff, limit), batch),
    logLines: await deleteInBatches((limit) => deleteLogLinesBefore(services.db, cutoff, limit), batch),
  };
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
  return runPeriodically(sweep, SWEEP_INTERVAL_MS, FIRST_SWEEP_DELAY_MS);
}
