import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type {
  InFlightExportColumn,
  IntegrationRunsTable,
  IntegrationStreamsTable,
  IntegrationsTable,
} from '../../db/schema-integrations.js';

type Executor = Kysely<Database> | Transaction<Database>;

export type IntegrationRow = Selectable<IntegrationsTable>;
export type IntegrationStreamRow = Selectable<IntegrationStreamsTable>;
export type IntegrationRunRow = Selectable<IntegrationRunsTable>;

/** An integration with the names the API shows beside its ids. */
export type IntegrationListRow = IntegrationRow & { target_account_name: string | null; owner_name: string | null };

function selectIntegrations(db: Executor) {
  return db
    .selectFrom('integrations')
    .leftJoin('customer_accounts', 'customer_accounts.id', 'integrations.target_account_id')
    .leftJoin('users', 'users.id', 'integrations.owner_user_id')
    .selectAll('integrations')
    .select(['customer_accounts.name as target_account_name', 'users.name as owner_name']);
}

export function findIntegrations(db: Executor): Promise<IntegrationListRow[]> {
  return selectIntegrations(db)
    .orderBy(sql`lower(integrations.name)`)
    .orderBy('integrations.id')
    .execute();
}

export function findIntegrationById(db: Executor, id: string): Promise<IntegrationListRow | undefined> {
  return selectIntegrations(db).where('integrations.id', '=', id).executeTakeFirst();
}

/** Locks the integration's row for the rest of the transaction (updates read, change, write). */
export function lockIntegration(db: Executor, id: string): Promise<IntegrationRow | undefined> {
  return db.selectFrom('integrations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Whether another integration already has this name, compared case-insensitively. */
export async function isIntegrationNameTaken(db: Executor, name: string, exceptId: string | null): Promise<boolean> {
  let query = db
    .selectFrom('integrations')
    .select('id')
    .where(sql<string>`lower(name)`, '=', name.toLowerCase());
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function accountExists(db: Executor, accountId: string): Promise<boolean> {
  return (await db.selectFrom('customer_accounts').select('id').where('id', '=', accountId).executeTakeFirst()) !== undefined;
}

export interface NewIntegration {
  connector: string;
  name: string;
  settings: Record<string, string>;
  secrets: string | null;
  enabled: boolean;
  targetAccountId: string | null;
  ownerUserId: string | null;
}

export async function insertIntegration(db: Executor, input: NewIntegration): Promise<string> {
  const row = await db
    .insertInto('integrations')
    .values({
      connector: input.connector,
      name: input.name,
      settings: JSON.stringify(input.settings),
      secrets: input.secrets,
      enabled: input.enabled,
      target_account_id: input.targetAccountId,
      owner_user_id: input.ownerUserId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface IntegrationChanges {
  name?: string;
  settings?: Record<string, string>;
  secrets?: string | null;
  enabled?: boolean;
  targetAccountId?: string | null;
}

export async function updateIntegration(db: Executor, id: string, changes: IntegrationChanges): Promise<void> {
  await db
    .updateTable('integrations')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.settings !== undefined ? { settings: JSON.stringify(changes.settings) } : {}),
      ...(changes.secrets !== undefined ? { secrets: changes.secrets } : {}),
      ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
      ...(changes.targetAccountId !== undefined ? { target_account_id: changes.targetAccountId } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

export async function deleteIntegration(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('integrations').where('id', '=', id).execute();
}

// --- Streams ---

export async function insertStreams(
  db: Executor,
  integrationId: string,
  streams: { stream: string; intervalMinutes: number }[],
  isDueNow: boolean,
): Promise<void> {
  if (streams.length === 0) return;
  await db
    .insertInto('integration_streams')
    .values(
      streams.map((stream) => ({
        integration_id: integrationId,
        stream: stream.stream,
        interval_minutes: stream.intervalMinutes,
        next_run_at: isDueNow ? sql<Date>`now()` : null,
      })),
    )
    .execute();
}

export function findStreams(db: Executor, integrationIds: readonly string[]): Promise<IntegrationStreamRow[]> {
  if (integrationIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('integration_streams').selectAll().where('integration_id', 'in', integrationIds).execute();
}

export function findStream(db: Executor, integrationId: string, stream: string): Promise<IntegrationStreamRow | undefined> {
  return db
    .selectFrom('integration_streams')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .where('stream', '=', stream)
    .executeTakeFirst();
}

/** A new interval; a stream that is due later than one new interval from now comes due then. */
export async function setStreamInterval(db: Executor, integrationId: string, stream: string, intervalMinutes: number): Promise<void> {
  await db
    .updateTable('integration_streams')
    .set({
      interval_minutes: intervalMinutes,
      next_run_at: sql<Date>`case when next_run_at is null then null
        else least(next_run_at, now() + make_interval(mins => ${intervalMinutes})) end`,
    })
    .where('integration_id', '=', integrationId)
    .where('stream', '=', stream)
    .execute();
}

/** Enabled: every stream is due now (the first data within one interval). Disabled: none is scheduled. */
export async function scheduleStreams(db: Executor, integrationId: string, isEnabled: boolean): Promise<void> {
  await db
    .updateTable('integration_streams')
    .set({ next_run_at: isEnabled ? sql<Date>`now()` : null })
    .where('integration_id', '=', integrationId)
    .execute();
}

export async function setInFlight(
  db: Executor,
  integrationId: string,
  stream: string,
  inFlight: InFlightExportColumn | null,
): Promise<void> {
  await db
    .updateTable('integration_streams')
    .set({ in_flight: inFlight === null ? null : JSON.stringify(inFlight) })
    .where('integration_id', '=', integrationId)
    .where('stream', '=', stream)
    .execute();
}

/** Adds a stored chunk to the export in flight (if any), so a resumed export skips it. */
export async function markChunkDone(db: Executor, integrationId: string, stream: string, chunkId: number): Promise<void> {
  await db
    .updateTable('integration_streams')
    .set({
      in_flight: sql<string>`jsonb_set(in_flight, '{chunksDone}', coalesce(in_flight->'chunksDone', '[]'::jsonb) || to_jsonb(${chunkId}::int))`,
    })
    .where('integration_id', '=', integrationId)
    .where('stream', '=', stream)
    .where('in_flight', 'is not', null)
    .where(sql<boolean>`not coalesce(in_flight->'chunksDone', '[]'::jsonb) @> to_jsonb(${chunkId}::int)`)
    .execute();
}

export async function setBackoff(db: Executor, integrationId: string, stream: string, until: Date | null): Promise<void> {
  await db
    .updateTable('integration_streams')
    .set({ backoff_until: until })
    .where('integration_id', '=', integrationId)
    .where('stream', '=', stream)
    .execute();
}

/** After a successful run: the cursor moves to the run's start, nothing is in flight, no backoff. */
export async function completeStream(db: Executor, integrationId: string, stream: string, cursor: Date, fetched: number): Promise<void> {
  await db
    .updateTable('integration_streams')
    .set({
      cursor,
      in_flight: null,
      backoff_until: null,
      total_fetched: sql`total_fetched + ${fetched}`,
    })
    .where('integration_id', '=', integrationId)
    .where('stream', '=', stream)
    .execute();
}

export async function addFetched(db: Executor, integrationId: string, stream: string, fetched: number): Promise<void> {
  if (fetched === 0) return;
  await db
    .updateTable('integration_streams')
    .set({ total_fetched: sql`total_fetched + ${fetched}` })
    .where('integration_id', '=', integrationId)
    .where('stream', '=', stream)
    .execute();
}

/**
 * Claims every due stream of an enabled integration that is not backing off, moving its next run
 * one interval on. One statement: on PostgreSQL a concurrent claim of the same row waits for this
 * one and then sees it no longer due, so each due run is claimed by exactly one node.
 */
export function claimDueStreams(db: Executor): Promise<{ integration_id: string; stream: string; claimed_at: Date }[]> {
  return sql<{ integration_id: string; stream: string; claimed_at: Date }>`
    update integration_streams as s
    set next_run_at = now() + make_interval(mins => s.interval_minutes)
    from integrations as i
    where i.id = s.integration_id
      and i.enabled
      and s.next_run_at <= now()
      and (s.backoff_until is null or s.backoff_until <= now())
    returning s.integration_id, s.stream, now() as claimed_at
  `
    .execute(db)
    .then((result) => result.rows);
}

// --- Runs ---

/** The database's clock: when a run is asked for (runs' started_at come from the same clock). */
export async function databaseNow(db: Executor): Promise<Date> {
  const result = await sql<{ now: Date }>`select now() as now`.execute(db);
  return new Date(result.rows[0]!.now);
}

/** Whether a run of the stream started at or after `since` (alive or ended). */
export async function hasRunStartedSince(db: Executor, integrationId: string, stream: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom('integration_runs')
    .select('id')
    .where('integration_id', '=', integrationId)
    .where('stream', '=', stream)
    .where('started_at', '>=', since)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Starts a run of the stream, unless one is alive: the unique partial index on running runs
 * refuses a second one (on any node), and then nothing is inserted.
 */
export async function claimRun(
  db: Executor,
  input: { integrationId: string; stream: string; trigger: 'schedule' | 'poll_now'; since: Date | null; exportId: string | null },
): Promise<{ id: string; started_at: Date } | undefined> {
  return db
    .insertInto('integration_runs')
    .values({
      integration_id: input.integrationId,
      stream: input.stream,
      trigger: input.trigger,
      since: input.since,
      export_id: input.exportId,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning(['id', 'started_at'])
    .executeTakeFirst();
}

export async function updateRunExport(db: Executor, runId: string, exportId: string | null, since: Date | null): Promise<void> {
  await db.updateTable('integration_runs').set({ export_id: exportId, since }).where('id', '=', runId).execute();
}

export async function setRunChunksTotal(db: Executor, runId: string, total: number): Promise<void> {
  await db.updateTable('integration_runs').set({ chunks_total: total }).where('id', '=', runId).execute();
}

/** Beats the run's heartbeat; false when it is no longer running (swept, or stopped by a disable). */
export async function beatRun(db: Executor, runId: string): Promise<boolean> {
  const result = await db
    .updateTable('integration_runs')
    .set({ heartbeat_at: sql<Date>`now()` })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Inside a transaction that stores part of a chunk: true, holding the run's row with a share lock
 * until the transaction ends, when the run is still running and has not recorded this chunk yet;
 * false otherwise (nothing may be stored). Share locks let a run's concurrent transactions go on
 * together, while ending the run (an update) waits for them: once it is ended, nothing more is stored.
 */
export async function holdRunForChunk(db: Executor, runId: string, chunkId: number): Promise<boolean> {
  const row = await db
    .selectFrom('integration_runs as r')
    .select('r.id')
    .where('r.id', '=', runId)
    .where('r.status', '=', 'running')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('integration_run_chunks as c')
            .select('c.chunk_id')
            .whereRef('c.run_id', '=', 'r.id')
            .where('c.chunk_id', '=', chunkId),
        ),
      ),
    )
    .forShare('r')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records a stored chunk and adds its counts to its run (inside the chunk's transaction); false,
 * and nothing written, when the run is no longer running.
 */
export async function insertRunChunk(
  db: Executor,
  runId: string,
  chunk: { chunkId: number; records: number; stored: number; duplicates: number },
): Promise<boolean> {
  const result = await db
    .updateTable('integration_runs')
    .set({
      fetched: sql`fetched + ${chunk.records}`,
      stored: sql`stored + ${chunk.stored}`,
      duplicates: sql`duplicates + ${chunk.duplicates}`,
      chunks_done: sql`chunks_done + 1`,
      heartbeat_at: sql<Date>`now()`,
    })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  await db
    .insertInto('integration_run_chunks')
    .values({ run_id: runId, chunk_id: chunk.chunkId, records: chunk.records, stored: chunk.stored, duplicates: chunk.duplicates })
    .execute();
  return true;
}

/** Ends a running run; undefined when it had already ended (swept or stopped), so nothing changes. */
export function finishRun(
  db: Executor,
  runId: string,
  outcome: { status: 'succeeded' | 'partial' | 'failed'; errorKind: string | null; error: string | null },
): Promise<IntegrationRunRow | undefined> {
  return db
    .updateTable('integration_runs')
    .set({ status: outcome.status, finished_at: sql<Date>`now()`, error_kind: outcome.errorKind, error: outcome.error })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .returningAll()
    .executeTakeFirst();
}

/** Ends the integration's running runs (disabled or deleted); the export in flight stays remembered. */
export function stopRunningRuns(db: Executor, integrationId: string, errorKind: string, error: string): Promise<IntegrationRunRow[]> {
  return db
    .updateTable('integration_runs')
    .set({
      status: sql`case when chunks_done > 0 then 'partial' else 'failed' end`,
      finished_at: sql<Date>`now()`,
      error_kind: errorKind,
      error,
    })
    .where('integration_id', '=', integrationId)
    .where('status', '=', 'running')
    .returningAll()
    .execute();
}

/** Fails running runs whose heartbeat is older than `silentSince`: their node stopped. */
export function failSilentRuns(db: Executor, silentSince: Date, error: string): Promise<IntegrationRunRow[]> {
  return db
    .updateTable('integration_runs')
    .set({ status: 'failed', finished_at: sql<Date>`now()`, error_kind: 'abandoned', error })
    .where('status', '=', 'running')
    .where('heartbeat_at', '<', silentSince)
    .returningAll()
    .execute();
}

export async function findRunningStreams(
  db: Executor,
  integrationIds: readonly string[],
): Promise<{ integration_id: string; stream: string }[]> {
  if (integrationIds.length === 0) return [];
  return db
    .selectFrom('integration_runs')
    .select(['integration_id', 'stream'])
    .where('integration_id', 'in', integrationIds)
    .where('status', '=', 'running')
    .execute();
}

/** The last finished run of each stream of the integrations. */
export async function findLastFinishedRuns(db: Executor, integrationIds: readonly string[]): Promise<IntegrationRunRow[]> {
  if (integrationIds.length === 0) return [];
  return db
    .selectFrom('integration_runs')
    .selectAll()
    .distinctOn(['integration_id', 'stream'])
    .where('integration_id', 'in', integrationIds)
    .where('status', '<>', 'running')
    .orderBy('integration_id')
    .orderBy('stream')
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .execute();
}

/** When each stream's last successful run finished. */
export async function findLastSuccesses(
  db: Executor,
  integrationIds: readonly string[],
): Promise<{ integration_id: string; stream: string; finished_at: Date | null }[]> {
  if (integrationIds.length === 0) return [];
  return db
    .selectFrom('integration_runs')
    .select(['integration_id', 'stream', (eb) => eb.fn.max('finished_at').as('finished_at')])
    .where('integration_id', 'in', integrationIds)
    .where('status', '=', 'succeeded')
    .groupBy(['integration_id', 'stream'])
    .execute();
}

export async function findRuns(
  db: Executor,
  integrationId: string,
  query: { stream?: string | undefined; page: number; pageSize: number },
): Promise<{ rows: IntegrationRunRow[]; total: number }> {
  let base = db.selectFrom('integration_runs').where('integration_id', '=', integrationId);
  if (query.stream) base = base.where('stream', '=', query.stream);
  const rows = await base
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const count = await base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow();
  return { rows, total: count.total };
}

// --- Log lines ---

export async function insertLogLine(
  db: Executor,
  line: { integrationId: string; runId: string | null; level: 'INFO' | 'WARN' | 'ERROR'; message: string },
): Promise<void> {
  await db
    .insertInto('integration_logs')
    .values({ integration_id: line.integrationId, run_id: line.runId, level: line.level, message: line.message })
    .execute();
}

export function findLogLines(
  db: Executor,
  integrationId: string,
  query: { limit: number; before?: string | undefined },
): Promise<{ id: string; at: Date; level: 'INFO' | 'WARN' | 'ERROR'; message: string; run_id: string | null }[]> {
  let select = db
    .selectFrom('integration_logs')
    .select([sql<string>`id::text`.as('id'), 'at', 'level', 'message', 'run_id'])
    .where('integration_id', '=', integrationId);
  if (query.before) select = select.where('id', '<', sql<string>`${query.before}::bigint`);
  return select.orderBy('integration_logs.id', 'desc').limit(query.limit).execute();
}

// --- Retention ---

/**
 * Deletes up to `limit` runs (with their chunk rows) that finished before `cutoff`, keeping each
 * stream's last finished run and last successful run, which its tile and status read. Returns how
 * many were deleted. Log lines of a deleted run keep their text (their run_id becomes null).
 */
export async function deleteRunsFinishedBefore(db: Executor, cutoff: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from integration_runs where id in (
      select r.id from integration_runs r
      where r.status <> 'running' and r.finished_at < ${cutoff}
        and r.id <> (select l.id from integration_runs l
                     where l.integration_id = r.integration_id and l.stream = r.stream and l.status <> 'running'
                     order by l.started_at desc, l.id limit 1)
        and r.id is distinct from (select l.id from integration_runs l
                                   where l.integration_id = r.integration_id and l.stream = r.stream and l.status = 'succeeded'
                                   order by l.finished_at desc nulls last, l.id limit 1)
      limit ${limit})
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Deletes up to `limit` log lines written before `cutoff`; returns how many. */
export async function deleteLogLinesBefore(db: Executor, cutoff: Date, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('integration_logs')
    .where('id', 'in', (eb) => eb.selectFrom('integration_logs').select('id').where('at', '<', cutoff).limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
