import type { ColumnType, Generated } from 'kysely';

// Table types of the scans API's files (migration 20261123T0400_scan_files).

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** bigint columns: pg returns them as strings. */
type BigIntColumn = ColumnType<string, number | string | undefined, number | string>;
type GeneratedBigInt = ColumnType<string, never, never>;

export interface ScanUploadsTable {
  id: Generated<string>;
  account_id: string;
  /** The "fileuploaded" name, unique within the instance. */
  name: string;
  storage_key: string;
  size_bytes: BigIntColumn;
  uploaded_by: string | null;
  created_at: Timestamp;
}

export interface ScanNumbersTable {
  scan_id: string;
  /** The scan's integer id in the Tenable-compatible API. */
  number: GeneratedBigInt;
}

export interface NessusExportsTable {
  id: Generated<string>;
  number: GeneratedBigInt;
  account_id: string;
  kind: 'scan' | 'workbench';
  scan_id: string | null;
  status: Generated<'loading' | 'ready'>;
  /** Null on a ready scan export: the export is the scan's own stored file. */
  storage_key: string | null;
  item_count: Generated<number>;
  requested_by: string | null;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date, Date>;
}

/** Tables of the instance API's scans and files (issue 6); see the migration that creates them. */
export interface ScanFileTables {
  scan_uploads: ScanUploadsTable;
  scan_numbers: ScanNumbersTable;
  nessus_exports: NessusExportsTable;
}
