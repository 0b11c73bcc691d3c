import type { ColumnType, Generated } from 'kysely';

// Table types of the bulk exports (migration 20261123T0200_exports).

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** bigint columns: pg returns them as strings. */
type BigIntColumn = ColumnType<string, number | string | undefined, number | string>;

export type ExportType = 'vulns' | 'assets' | 'compliance';
export type ExportFormat = 'v1' | 'v2';
export type ExportStatus = 'QUEUED' | 'PROCESSING' | 'FINISHED' | 'CANCELLED' | 'ERROR';

export interface ExportJobsTable {
  id: Generated<string>;
  account_id: string;
  type: ExportType;
  format: Generated<ExportFormat>;
  filters: ColumnType<Record<string, unknown>, string, string>;
  chunk_size: number;
  fingerprint: string;
  status: Generated<ExportStatus>;
  reason: string | null;
  requested_by: string | null;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  heartbeat_at: NullableTimestamp;
  expires_at: NullableTimestamp;
}

export interface ExportChunksTable {
  export_id: string;
  chunk_number: number;
  storage_key: string;
  row_count: number;
  byte_size: BigIntColumn;
  created_at: Timestamp;
}

/** Tables of the bulk exports (issue 6); see the migration that creates them. */
export interface ExportTables {
  export_jobs: ExportJobsTable;
  export_chunks: ExportChunksTable;
}
