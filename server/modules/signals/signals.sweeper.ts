import type { AppServices } from '../../lib/context.js';
import { deleteInBatches, runPeriodically } from '../../lib/periodic.js';
import { deleteSignalsObservedBefore, findRetentionDays } from './signals.repository.js';

const SWEEP_INTERVAL_MS = 60 * 60_000;
const FIRST_SWEEP_DELAY_MS = 60_000;
/** Rows per delete: short statements, so a sweep never holds long locks or a huge transaction. */
export const RETENTION_BATCH = 5_000;

/** The instant before which retention deletes: now minus the retention set in Signals. */
export async function retentionCutoff(services: Pick<AppServices, 'db'>, now: Date): Promise<Date> {
  const retentionDays = await findRetentionDays(services.db);
  return new Date(now.getTime() - retentionDays * 24 * 3600_000);
}

/**
 * Deletes artifacts observed more than retention_days ago, in batches until none is left. Every
 * node sweeps; two sweeps at once only share the work (each delete takes rows the other has not).
 */
export async function sweepSignals(services: Pick<AppServices, 'db'>, now = new Date(), batch = RETENTION_BATCH): Promise<number> {
  const cutoff = await retentionCutoff(services, now);
  return deleteInBatches((limit) => deleteSignalsObservedBefore(services.db, cutoff, limit), batch);
}

/** Sweeps this node hourly (and a minute after start). Returns the stop function. */
export function startSignalsSweeper(services: AppServices): () => void {
  const sweep = () => {
    sweepSignals(services)
      .then((deleted) => {
        if (deleted > 0) services.log.info({ deleted }, 'signals retention: deleted old artifacts');
      })
      .catch((error: unknown) => services.log.error({ err: error }, 'sweeping old signal artifacts failed'));
  };
  return runPeriodically(sweep, SWEEP_INTERVAL_MS, FIRST_SWEEP_DELAY_MS);
}
