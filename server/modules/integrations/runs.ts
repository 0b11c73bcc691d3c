import { RUN_ERROR_ADVICE, type RunErrorKind } from '../../../common/schemas/integrations.js';
import type { AppServices } from '../../lib/context.js';
import { VERSION } from '../../version.js';
import { firstOfEachFingerprint, storeSignalArtifacts } from '../signals/signals-store.js';
import {
  ConnectorError,
  type ConnectorDefinition,
  type ConnectorEnvironment,
  type ConnectorLog,
  type InFlightExport,
  type StreamRunContext,
} from './connector.js';
import { mergeIntoInstance } from './instance-merge.js';
import { toRunErrorKind } from './integrations.presenter.js';
import { openSecrets, redactSecrets } from './integration-secrets.js';
import {
  addFetched,
  beatRun,
  claimRun,
  completeStream,
  findIntegrationById,
  findStream,
  finishRun,
  hasRunStartedSince,
  holdRunForChunk,
  insertLogLine,
  insertRunChunk,
  markChunkDone,
  setBackoff,
  setInFlight,
  setRunChunksTotal,
  updateRunExport,
  type IntegrationRunRow,
} from './integrations.repository.js';

/** How often a live run proves it is alive; the sweeper fails runs silent for ABANDONED_AFTER_MS. */
export const HEARTBEAT_MS = 30_000;
export const ABANDONED_AFTER_MS = 2 * 60_000;

export const USER_AGENT = `Integration/1.0 (Bulwark; Bulwark; Build/${VERSION})`;

export type RunTrigger = 'schedule' | 'poll_now';

export type RunOutcome =
  | { status: 'skipped'; reason: 'not_found' | 'disabled' | 'unknown_connector' | 'unknown_stream' | 'covered' }
  | { status: 'already_running' }
  | { status: 'succeeded' | 'partial' | 'failed'; runId: string; fetched: number; errorKind: RunErrorKind | null };

/** Runs alive on this node, so disabling or deleting an integration stops them at once. */
const liveRuns = new Map<string, { integrationId: string; controller: AbortController }>();

/**
 * Records per storing transaction, and two such transactions at once. Measured on PostgreSQL with
 * 25,000-finding chunks (bench:connector's): one statement per chunk stored ~6,000 findings/s,
 * batches of 5,000 ~7,600/s, and two batches at once ~10,000/s (the inserts' index and TOAST work
 * runs on two backends). Batches also bound the parameters sent at once.
 */
const STORE_BATCH = 5000;

/**
 * The items in batches of at most `size`, as even as can be and an even number of them when more
 * than one, so the two storing transactions finish together (25,000 records: 6 x 4,167, not
 * 5 x 5,000 whose last batch would run alone).
 */
export function batchesOf<T>(items: readonly T[], size: number): T[][] {
  let count = Math.ceil(items.length / size);
  if (count > 1 && count % 2 === 1) count += 1;
  const even = Math.ceil(items.length / Math.max(count, 1));
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += even) batches.push(items.slice(start, start + even));
  return batches;
}

/** Runs `work` on every item, two at a time; the first failure is thrown once both workers stopped. */
async function inPairs<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (failures.length === 0 && next < items.length) {
      const item = items[next]!;
      next += 1;
      try {
        await work(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  if (failures.length > 0) throw failures[0];
}

/** Why a run was stopped from outside; the connector sees it as its signal's reason. */
class RunStoppedError extends Error {
  constructor() {
    super('The run was stopped.');
    this.name = 'RunStoppedError';
  }
}

/** Aborts this node's live runs of the integration (their rows are ended by the caller). */
export function abortLocalRuns(integrationId: string): void {
  for (const run of liveRuns.values()) {
    if (run.integrationId === integrationId) run.controller.abort(new RunStoppedError());
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** What a connector may use, with its log lines going to pino under the integration's fields. */
export function connectorEnvironment(
  services: Pick<AppServices, 'log'>,
  fields: Record<string, unknown>,
  redact: (text: string) => string,
  overrides: Partial<ConnectorEnvironment> = {},
): ConnectorEnvironment {
  const log: ConnectorLog = {
    info: (message) => services.log.info(fields, redact(message)),
    warn: (message) => services.log.warn(fields, redact(message)),
    error: (message) => services.log.error(fields, redact(message)),
  };
  return { userAgent: USER_AGENT, now: () => new Date(), sleep, random: Math.random, log, ...overrides };
}

/** The log line of a finished run, as the seed shows it (without the level). */
export function runLogMessage(
  logName: string,
  noun: string,
  outcome: { fetched: number } | { kind: RunErrorKind; message: string },
): string {
  if ('fetched' in outcome) return `${logName}: fetched ${outcome.fetched} ${noun}`;
  return `${logName}: ${noun} run failed: ${RUN_ERROR_ADVICE[outcome.kind].title}: ${outcome.message}`;
}

/** Writes the one ERROR line of runs ended from outside the engine (swept, or stopped by a disable). */
export async function logEndedRuns(
  services: Pick<AppServices, 'db'>,
  connectors: readonly ConnectorDefinition[],
  runs: readonly IntegrationRunRow[],
  connectorIdOf: (integrationId: string) => Promise<string | null>,
): Promise<void> {
  for (const run of runs) {
    const connectorId = await connectorIdOf(run.integration_id);
    const definition = connectors.find((candidate) => candidate.id === connectorId);
    const noun = definition?.streams.find((stream) => stream.name === run.stream)?.noun ?? run.stream;
    const kind = toRunErrorKind(run.error_kind);
    await insertLogLine(services.db, {
      integrationId: run.integration_id,
      runId: run.id,
      level: 'ERROR',
      message: runLogMessage(definition?.logName ?? connectorId ?? 'integration', noun, { kind, message: run.error ?? '' }),
    });
  }
}

/**
 * Runs one stream of one integration once. Guarantees: at most one live run per integration x
 * stream across every node (the unique partial index on running runs; a second call returns
 * 'already_running' and changes nothing); each chunk is stored in one transaction with its ledger
 * row, so it is stored exactly once or not at all; the cursor moves, to the run's start, only when
 * the whole run succeeded; exactly one INFO or ERROR log line per run.
 */
export async function runIntegrationStream(
  services: AppServices,
  connectors: readonly ConnectorDefinition[],
  integrationId: string,
  streamName: string,
  trigger: RunTrigger,
  options: {
    environment?: Partial<ConnectorEnvironment>;
    heartbeatMs?: number;
    /** Records per storing transaction (tests use small ones to see a chunk stored in several). */
    storeBatch?: number;
    /**
     * When the run was asked for (the database's clock): a run of the stream that started since
     * then already fetched what this one would, so this one is skipped ('covered'). Poll Now
     * pressed while a scheduled run is queued, or twice, runs once.
     */
    requestedAt?: Date;
  } = {},
): Promise<RunOutcome> {
  const integration = await findIntegrationById(services.db, integrationId);
  if (!integration) return { status: 'skipped', reason: 'not_found' };
  if (!integration.enabled) return { status: 'skipped', reason: 'disabled' };
  const connector = connectors.find((candidate) => candidate.id === integration.connector);
  const definition = connector?.streams.find((stream) => stream.name === streamName);
  const streamRow = await findStream(services.db, integrationId, streamName);
  if (!connector) {
    services.log.error({ integrationId, connector: integration.connector }, 'integration run skipped: unknown connector');
    return { status: 'skipped', reason: 'unknown_connector' };
  }
  if (!definition || !streamRow) return { status: 'skipped', reason: 'unknown_stream' };
  if (options.requestedAt && (await hasRunStartedSince(services.db, integrationId, streamName, options.requestedAt))) {
    return { status: 'skipped', reason: 'covered' };
  }

  const inFlight: InFlightExport | null = streamRow.in_flight;
  const claimed = await claimRun(services.db, {
    integrationId,
    stream: streamName,
    trigger,
    since: inFlight ? (inFlight.since ? new Date(inFlight.since) : null) : streamRow.cursor,
    exportId: inFlight?.exportId ?? null,
  });
  if (!claimed) return { status: 'already_running' };
  const runId = claimed.id;

  const fields = { integrationId, integrationName: integration.name, stream: streamName, runId };
  const controller = new AbortController();
  liveRuns.set(runId, { integrationId, controller });
  const heartbeat = setInterval(() => {
    beatRun(services.db, runId)
      .then((isAlive) => {
        if (!isAlive) controller.abort(new RunStoppedError());
      })
      .catch((error: unknown) => services.log.warn({ ...fields, err: error }, 'integration run heartbeat failed'));
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();

  let secrets: Record<string, string> = {};
  let fetched = 0;
  let chunksStored = 0;
  try {
    secrets = openSecrets(services.config.secrets.masterKey, integration.secrets);
    const redact = (text: string) => redactSecrets(text, secrets);
    const startedAt = inFlight ? new Date(inFlight.startedAt) : claimed.started_at;
    // The cursor's next value: the start of the run that created the export that completes.
    let completedStartedAt = startedAt;
    const environment = connectorEnvironment(services, fields, redact, options.environment);
    const context: StreamRunContext = {
      ...environment,
      integration: { id: integrationId, name: integration.name },
      values: { ...settingsOf(integration.settings), ...secrets },
      stream: streamName,
      startedAt,
      cursor: streamRow.cursor,
      inFlight,
      signal: controller.signal,
      async remember(next) {
        await setInFlight(services.db, integrationId, streamName, next);
        if (next) {
          completedStartedAt = new Date(next.startedAt);
          await updateRunExport(services.db, runId, next.exportId, next.since ? new Date(next.since) : null);
        }
      },
      async reportTotalChunks(total) {
        await setRunChunksTotal(services.db, runId, total);
      },
      async reportBackoff(until, reason) {
        await setBackoff(services.db, integrationId, streamName, until);
        const message = `${connector.logName}: ${definition.noun} backing off until ${until.toISOString()}: ${redact(reason)}`;
        await insertLogLine(services.db, { integrationId, runId, level: 'WARN', message });
        services.log.warn({ ...fields, backoffUntil: until.toISOString() }, `[WARN] ${message}`);
      },
      async storeChunk(chunkId, records) {
        controller.signal.throwIfAborted();
        const observedAt = new Date();
        // Each fingerprint once for the whole chunk, so no two concurrent batches race for one artifact.
        const unique = firstOfEachFingerprint(records);
        let stored = 0;
        // A chunk is stored in batches, two transactions at a time (see STORE_BATCH), then recorded
        // in the ledger. A batch stores nothing once the run stopped or recorded this chunk; one
        // that landed before a crash is found again by fingerprint (a duplicate, never a second artifact).
        await inPairs(batchesOf(unique, options.storeBatch ?? STORE_BATCH), async (batch) => {
          controller.signal.throwIfAborted();
          const storedNow = await services.db.transaction().execute(async (trx) => {
            if (!(await holdRunForChunk(trx, runId, chunkId))) throw new RunStoppedError();
            const result = await storeSignalArtifacts(trx, {
              integration: { id: integrationId, name: integration.name },
              stream: streamName,
              accountId: integration.target_account_id,
              observedAt,
              records: batch,
            });
            if (integration.target_account_id) {
              await mergeIntoInstance(trx, integration.target_account_id, result.newRecords, {
                integrationName: integration.name,
                observedAt,
              });
            }
            return result.stored;
          });
          // Added after the await: `stored += await …` would read `stored` before the other batch adds to it.
          stored += storedNow;
        });
        const duplicates = records.length - stored;
        await services.db.transaction().execute(async (trx) => {
          const isRunning = await insertRunChunk(trx, runId, { chunkId, records: records.length, stored, duplicates });
          // A run swept or stopped meanwhile records nothing more: the next run takes over.
          if (!isRunning) throw new RunStoppedError();
          await markChunkDone(trx, integrationId, streamName, chunkId);
        });
        fetched += records.length;
        chunksStored += 1;
        return { stored, duplicates };
      },
    };

    await connector.runStream(context);
    controller.signal.throwIfAborted();

    const finished = await services.db.transaction().execute(async (trx) => {
      const run = await finishRun(trx, runId, { status: 'succeeded', errorKind: null, error: null });
      if (!run) return null;
      await completeStream(trx, integrationId, streamName, completedStartedAt, fetched);
      await insertLogLine(trx, {
        integrationId,
        runId,
        level: 'INFO',
        message: runLogMessage(connector.logName, definition.noun, { fetched }),
      });
      return run;
    });
    if (!finished) return endedElsewhere(services, integrationId, streamName, runId, fetched);
    services.log.info(
      { integrationId, integrationName: integration.name, stream: streamName, fetched },
      `[INFO] ${runLogMessage(connector.logName, definition.noun, { fetched })}`,
    );
    return { status: 'succeeded', runId, fetched, errorKind: null };
  } catch (error) {
    const redact = (text: string) => redactSecrets(text, secrets);
    let kind: RunErrorKind;
    let message: string;
    if (controller.signal.aborted) {
      // Stopped from outside (disabled, deleted, swept): whatever the connector made of the abort.
      kind = 'cancelled';
      message = 'The run was stopped before it finished.';
    } else if (error instanceof ConnectorError) {
      kind = error.kind;
      message = redact(error.message);
    } else {
      kind = 'internal';
      message = 'Bulwark failed while running the connector or storing its records.';
      services.log.error({ ...fields, err: error }, 'integration run failed with an internal error');
    }
    const status = chunksStored > 0 ? 'partial' : 'failed';
    const line = runLogMessage(connector.logName, definition.noun, { kind, message });
    const finished = await services.db.transaction().execute(async (trx) => {
      const run = await finishRun(trx, runId, { status, errorKind: kind, error: message });
      if (!run) return null;
      await addFetched(trx, integrationId, streamName, fetched);
      await insertLogLine(trx, { integrationId, runId, level: 'ERROR', message: line });
      return run;
    });
    if (!finished) return endedElsewhere(services, integrationId, streamName, runId, fetched);
    services.log.error(
      { integrationId, integrationName: integration.name, stream: streamName, fetched, errorKind: kind },
      `[ERROR] ${line}`,
    );
    return { status, runId, fetched, errorKind: kind };
  } finally {
    clearInterval(heartbeat);
    liveRuns.delete(runId);
  }
}

function settingsOf(settings: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** The run's row was ended by someone else (the sweeper, or a disable), who wrote its log line. */
async function endedElsewhere(
  services: AppServices,
  integrationId: string,
  stream: string,
  runId: string,
  fetched: number,
): Promise<RunOutcome> {
  // What it stored before it was ended is stored: the stream's total counts it.
  await addFetched(services.db, integrationId, stream, fetched);
  return { status: 'failed', runId, fetched, errorKind: 'cancelled' };
}
