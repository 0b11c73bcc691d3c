import { QUEUES } from '../../jobs/job-queue.js';
import type { AppServices } from '../../lib/context.js';
import type { ConnectorDefinition } from './connector.js';
import { claimDueStreams, failSilentRuns } from './integrations.repository.js';
import type { IntegrationRunJob } from './integrations.service.js';
import { ABANDONED_AFTER_MS, logEndedRuns, runIntegrationStream, type RunOutcome } from './runs.js';

/** Runs of different streams this node works on at once (each runs on one node only). */
const WORKERS_PER_NODE = 2;

/**
 * One scheduler tick (every node runs one every INTEGRATIONS_TICK_SECONDS): claims the due
 * streams atomically (integrations.repository claimDueStreams: each due run is claimed by exactly
 * one node) and queues one job per claimed stream for any node's worker.
 */
export async function tick(services: AppServices): Promise<IntegrationRunJob[]> {
  const claimed = await claimDueStreams(services.db);
  const jobs = claimed.map((row): IntegrationRunJob => ({
    integrationId: row.integration_id,
    stream: row.stream,
    trigger: 'schedule',
    requestedAt: new Date(row.claimed_at).toISOString(),
  }));
  for (const job of jobs) await services.jobs.send(QUEUES.integrationRun, job);
  return jobs;
}

/**
 * Fails runs whose heartbeat is older than two minutes (their node died), keeping the export in
 * flight so the next run resumes it, and writes their one log line.
 */
export async function sweepAbandonedRuns(services: AppServices, connectors: readonly ConnectorDefinition[]): Promise<number> {
  const runs = await failSilentRuns(
    services.db,
    new Date(Date.now() - ABANDONED_AFTER_MS),
    'The node running it stopped answering; the next run resumes the export.',
  );
  await logEndedRuns(services, connectors, runs, async (integrationId) => {
    const row = await services.db.selectFrom('integrations').select('connector').where('id', '=', integrationId).executeTakeFirst();
    return row?.connector ?? null;
  });
  for (const run of runs)
    services.log.warn({ integrationId: run.integration_id, stream: run.stream, runId: run.id }, 'integration run abandoned');
  return runs.length;
}

function isRunJob(data: unknown): data is IntegrationRunJob {
  const job = data as Partial<IntegrationRunJob> | null;
  return (
    typeof job?.integrationId === 'string' &&
    typeof job.stream === 'string' &&
    (job.trigger === 'schedule' || job.trigger === 'poll_now') &&
    (job.requestedAt === undefined || (typeof job.requestedAt === 'string' && !Number.isNaN(Date.parse(job.requestedAt))))
  );
}

/** What a worker does with one job: runs the stream (or finds it already running, or run since the job was queued). */
export function runJob(services: AppServices, connectors: readonly ConnectorDefinition[], data: unknown): Promise<RunOutcome | null> {
  if (!isRunJob(data)) return Promise.resolve(null);
  return runIntegrationStream(services, connectors, data.integrationId, data.stream, data.trigger, {
    ...(data.requestedAt ? { requestedAt: new Date(data.requestedAt) } : {}),
  });
}

/** Starts this node's integration runs worker only (Poll Now and scheduled jobs queued by any node). */
export async function startIntegrationWorker(services: AppServices, connectors: readonly ConnectorDefinition[]): Promise<void> {
  for (let worker = 0; worker < WORKERS_PER_NODE; worker += 1) {
    await services.jobs.work(QUEUES.integrationRun, async (data) => {
      const outcome = await runJob(services, connectors, data);
      if (outcome?.status === 'skipped') services.log.info({ job: data, reason: outcome.reason }, 'integration run skipped');
    });
  }
}

/**
 * Starts this node's scheduler: the worker, a tick every `tickSeconds` and the abandoned-run
 * sweeper on the same timer. Returns a function that stops the timer (the worker stops with the
 * job queue).
 */
export async function startIntegrationScheduler(
  services: AppServices,
  connectors: readonly ConnectorDefinition[],
  tickSeconds: number = services.config.integrations.tickSeconds,
): Promise<() => void> {
  await startIntegrationWorker(services, connectors);
  let isTicking = false;
  const timer = setInterval(() => {
    if (isTicking) return;
    isTicking = true;
    sweepAbandonedRuns(services, connectors)
      .then(() => tick(services))
      .catch((error: unknown) => services.log.error({ err: error }, 'integrations scheduler tick failed'))
      .finally(() => {
        isTicking = false;
      });
  }, tickSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
