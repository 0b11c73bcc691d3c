import type { ColumnType } from 'kysely';

/** One API user's requests in one fixed one-minute window (migration 20261123T0300_api_rate_limits). */
export interface ApiRequestCountsTable {
  user_id: string;
  window_start: ColumnType<Date, Date, Date>;
  count: number;
}

/** Tables of the instance API's rate limits (issue 6); see the migration that creates them. */
export interface RateLimitTables {
  api_request_counts: ApiRequestCountsTable;
}
