import type { ColumnType, Generated, RawBuilder } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** A connector instance (migration 20261125T0100_integrations). */
export interface IntegrationsTable {
  id: Generated<string>;
  connector: string;
  name: string;
  /** Non-secret fields of the connector's form, by name. */
  settings: ColumnType<Record<string, string | null>, string, string>;
  /** Secret fields as JSON, encrypted with the master key (lib/crypto.ts encryptSecret). */
  secrets: string | null;
  enabled: Generated<boolean>;
  target_account_id: string | null;
  owner_user_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The export a run started and did not finish, remembered so the next run resumes it. */
export interface InFlightExportColumn {
  exportId: string;
  /** ISO: the start of the run that created it (the cursor's value once it completes). */
  startedAt: string;
  /** ISO or null: the window's start it was created with. */
  since: string | null;
  chunksDone: number[];
}

export interface IntegrationStreamsTable {
  integration_id: string;
  stream: string;
  interval_minutes: number;
  cursor: NullableTimestamp;
  in_flight: ColumnType<InFlightExportColumn | null, string | null | undefined, string | null>;
  next_run_at: NullableTimestamp;
  backoff_until: NullableTimestamp;
  total_fetched: ColumnType<string, number | string | undefined, number | string | RawBuilder<unknown>>;
}

export interface IntegrationRunsTable {
  id: Generated<string>;
  integration_id: string;
  stream: string;
  trigger: 'schedule' | 'poll_now';
  status: ColumnType<'running' | 'succeeded' | 'partial' | 'failed', 'running' | undefined, 'running' | 'succeeded' | 'partial' | 'failed'>;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  heartbeat_at: Timestamp;
  since: NullableTimestamp;
  export_id: string | null;
  fetched: ColumnType<number, number | undefined, number | RawBuilder<unknown>>;
  stored: ColumnType<number, number | undefined, number | RawBuilder<unknown>>;
  duplicates: ColumnType<number, number | undefined, number | RawBuilder<unknown>>;
  chunks_total: number | null;
  chunks_done: ColumnType<number, number | undefined, number | RawBuilder<unknown>>;
  error_kind: string | null;
  error: string | null;
}

export interface IntegrationRunChunksTable {
  run_id: string;
  chunk_id: number;
  records: number;
  stored: number;
  duplicates: number;
  fetched_at: Timestamp;
}

export interface IntegrationLogsTable {
  id: ColumnType<string, never, never>;
  integration_id: string;
  run_id: string | null;
  at: Timestamp;
  level: 'INFO' | 'WARN' | 'ERROR';
  message: string;
}

/** One fetched record (migration 20261125T0200_signals). */
export interface SignalArtifactsTable {
  id: ColumnType<string, never, never>;
  integration_id: string | null;
  integration_name: string;
  stream: string;
  observed_at: Timestamp;
  fingerprint: string;
  severity: string | null;
  state: string | null;
  host_name: string | null;
  ip: string | null;
  plugin_id: number | null;
  plugin_name: string | null;
  cve: ColumnType<string[], string[] | undefined, string[]>;
  account_id: string | null;
  /** The record as JSON text (the connector's serialisation of what the source sent). */
  raw: string;
  search: ColumnType<string, RawBuilder<unknown>, RawBuilder<unknown>>;
}

export interface SignalSettingsTable {
  id: Generated<boolean>;
  retention_days: Generated<number>;
}

/** Tables of Integrations and Signals (issue 8). */
export interface IntegrationTables {
  integrations: IntegrationsTable;
  integration_streams: IntegrationStreamsTable;
  integration_runs: IntegrationRunsTable;
  integration_run_chunks: IntegrationRunChunksTable;
  integration_logs: IntegrationLogsTable;
  signal_artifacts: SignalArtifactsTable;
  signal_settings: SignalSettingsTable;
}
