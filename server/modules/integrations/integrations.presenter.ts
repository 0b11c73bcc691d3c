import type {
  ConnectorResponse,
  IntegrationHealth,
  IntegrationResponse,
  LogLineResponse,
  RunErrorKind,
  RunResponse,
  StreamStatusResponse,
} from '../../../common/schemas/integrations.js';
import { RUN_ERROR_KINDS } from '../../../common/schemas/integrations.js';
import type { ConnectorDefinition } from './connector.js';
import type { IntegrationListRow, IntegrationRunRow, IntegrationStreamRow } from './integrations.repository.js';

/** Mask of a stored secret: its last four characters, or nothing of a short one. */
export function maskSecret(value: string): string {
  return value.length >= 12 ? `••••${value.slice(-4)}` : '••••';
}

export function presentConnector(connector: ConnectorDefinition): ConnectorResponse {
  return {
    id: connector.id,
    label: connector.label,
    description: connector.description,
    category: connector.category,
    authMethod: connector.authMethod,
    multiInstance: connector.multiInstance,
    vendorDocs: connector.vendorDocs,
    prerequisites: connector.prerequisites,
    fields: connector.fields.map((field) => ({ ...field })),
    streams: connector.streams.map((stream) => ({
      name: stream.name,
      label: stream.label,
      defaultIntervalMinutes: stream.defaultIntervalMinutes,
    })),
  };
}

export function toRunErrorKind(kind: string | null): RunErrorKind {
  return (RUN_ERROR_KINDS as readonly string[]).includes(kind ?? '') ? (kind as RunErrorKind) : 'internal';
}

/** Kinds of failure that are a pause rather than a fault: amber, not red. */
const AMBER_FAILURES: readonly string[] = ['rate_limited', 'cancelled'];

/**
 * A stream's indicator: grey until its first finished run, green after a success, amber while
 * backing off, after a partial run or after a rate limit, red after any other failure.
 */
export function streamHealth(input: {
  isEnabled: boolean;
  lastFinished: Pick<IntegrationRunRow, 'status' | 'error_kind'> | undefined;
  backoffUntil: Date | null;
  now: Date;
}): IntegrationHealth {
  if (!input.isEnabled) return 'disabled';
  if (input.backoffUntil && input.backoffUntil > input.now) return 'degraded';
  const run = input.lastFinished;
  if (!run) return 'pending';
  if (run.status === 'succeeded') return 'healthy';
  if (run.status === 'partial' || AMBER_FAILURES.includes(run.error_kind ?? '')) return 'degraded';
  return 'failing';
}

const HEALTH_RANK: Record<IntegrationHealth, number> = { healthy: 0, pending: 1, degraded: 2, failing: 3, disabled: 4 };

/** The worst health of the streams: green only when every stream's last run succeeded. */
export function worstHealth(healths: readonly IntegrationHealth[]): IntegrationHealth {
  return healths.reduce<IntegrationHealth>(
    (worst, health) => (HEALTH_RANK[health] > HEALTH_RANK[worst] ? health : worst),
    healths[0] ?? 'pending',
  );
}

export interface IntegrationStatusData {
  streams: IntegrationStreamRow[];
  lastFinished: IntegrationRunRow[];
  lastSuccesses: { integration_id: string; stream: string; finished_at: Date | null }[];
  running: { integration_id: string; stream: string }[];
}

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

export function presentIntegration(
  row: IntegrationListRow,
  secrets: Record<string, string>,
  connector: ConnectorDefinition | undefined,
  status: IntegrationStatusData,
  now: Date,
): IntegrationResponse {
  const values: Record<string, string | null> = {};
  for (const field of connector?.fields ?? []) {
    if (field.kind === 'secret') {
      const secret = secrets[field.name];
      values[field.name] = secret ? maskSecret(secret) : null;
    } else {
      values[field.name] = row.settings[field.name] ?? null;
    }
  }
  const definitions = connector?.streams ?? [];
  const ownStreams = status.streams.filter((stream) => stream.integration_id === row.id);
  const streams: StreamStatusResponse[] = ownStreams
    .sort((a, b) => definitions.findIndex((d) => d.name === a.stream) - definitions.findIndex((d) => d.name === b.stream))
    .map((stream) => {
      const lastFinished = status.lastFinished.find((run) => run.integration_id === row.id && run.stream === stream.stream);
      const lastSuccess = status.lastSuccesses.find((run) => run.integration_id === row.id && run.stream === stream.stream);
      const isBackingOff = stream.backoff_until !== null && stream.backoff_until > now;
      return {
        name: stream.stream,
        label: definitions.find((definition) => definition.name === stream.stream)?.label ?? stream.stream,
        intervalMinutes: stream.interval_minutes,
        health: streamHealth({ isEnabled: row.enabled, lastFinished, backoffUntil: stream.backoff_until, now }),
        lastRunAt: iso(lastFinished?.finished_at),
        lastSuccessAt: iso(lastSuccess?.finished_at),
        // A stream backing off is not claimed before its backoff ends.
        nextRunAt: row.enabled
          ? iso(
              isBackingOff && stream.next_run_at && stream.backoff_until! > stream.next_run_at ? stream.backoff_until : stream.next_run_at,
            )
          : null,
        running: status.running.some((run) => run.integration_id === row.id && run.stream === stream.stream),
        backingOffUntil: isBackingOff ? iso(stream.backoff_until) : null,
        lastFetched: lastFinished ? lastFinished.fetched : null,
        totalFetched: Number(stream.total_fetched),
        cursor: iso(stream.cursor),
        lastError:
          lastFinished && lastFinished.status !== 'succeeded' && lastFinished.error_kind
            ? { kind: toRunErrorKind(lastFinished.error_kind), message: lastFinished.error ?? '' }
            : null,
      };
    });
  return {
    id: row.id,
    connector: row.connector,
    connectorLabel: connector?.label ?? row.connector,
    name: row.name,
    values,
    enabled: row.enabled,
    targetAccount: row.target_account_id ? { id: row.target_account_id, name: row.target_account_name ?? '' } : null,
    owner: row.owner_user_id ? { id: row.owner_user_id, name: row.owner_name ?? '' } : null,
    health: row.enabled ? worstHealth(streams.map((stream) => stream.health)) : 'disabled',
    streams,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function presentRun(row: IntegrationRunRow): RunResponse {
  return {
    id: row.id,
    stream: row.stream,
    trigger: row.trigger,
    status: row.status,
    startedAt: row.started_at.toISOString(),
    finishedAt: iso(row.finished_at),
    since: iso(row.since),
    exportId: row.export_id,
    fetched: row.fetched,
    stored: row.stored,
    duplicates: row.duplicates,
    chunksTotal: row.chunks_total,
    chunksDone: row.chunks_done,
    error: row.error_kind ? { kind: toRunErrorKind(row.error_kind), message: row.error ?? '' } : null,
  };
}

export function presentLogLine(row: {
  id: string;
  at: Date;
  level: 'INFO' | 'WARN' | 'ERROR';
  message: string;
  run_id: string | null;
}): LogLineResponse {
  return { id: row.id, at: row.at.toISOString(), level: row.level, line: `[${row.level}] ${row.message}`, runId: row.run_id };
}
