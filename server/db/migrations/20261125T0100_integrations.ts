import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * Integrations (issue 8): connector instances, their streams (interval, cursor, the export in
 * flight), the ledger of runs and their chunks, and each integration's log lines.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table integrations (
      id uuid primary key default gen_random_uuid(),
      connector text not null,
      name text not null,
      -- Non-secret fields of the connector's form, by name.
      settings jsonb not null default '{}'::jsonb,
      -- Secret fields, JSON encrypted with the master key (AES-256-GCM); null when none is set.
      secrets text,
      enabled boolean not null default true,
      target_account_id uuid references customer_accounts(id) on delete set null,
      owner_user_id uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create unique index integrations_name_key on integrations (lower(name))`.execute(db);
  await sql`create index integrations_target_account on integrations (target_account_id)`.execute(db);

  await sql`
    create table integration_streams (
      integration_id uuid not null references integrations(id) on delete cascade,
      stream text not null,
      interval_minutes integer not null check (interval_minutes > 0),
      -- The start of the last successful run: the next window starts here (minus the overlap).
      cursor timestamptz,
      -- An export started by a run that did not finish: {exportId, startedAt, since, chunksDone}.
      in_flight jsonb,
      next_run_at timestamptz,
      backoff_until timestamptz,
      total_fetched bigint not null default 0,
      primary key (integration_id, stream)
    )
  `.execute(db);
  await sql`create index integration_streams_due on integration_streams (next_run_at)`.execute(db);

  await sql`
    create table integration_runs (
      id uuid primary key default gen_random_uuid(),
      integration_id uuid not null references integrations(id) on delete cascade,
      stream text not null,
      trigger text not null check (trigger in ('schedule', 'poll_now')),
      status text not null default 'running' check (status in ('running', 'succeeded', 'partial', 'failed')),
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      heartbeat_at timestamptz not null default now(),
      since timestamptz,
      export_id text,
      fetched integer not null default 0,
      stored integer not null default 0,
      duplicates integer not null default 0,
      chunks_total integer,
      chunks_done integer not null default 0,
      error_kind text,
      error text
    )
  `.execute(db);
  // A run never starts while the previous run of that stream is alive.
  await sql`create unique index integration_runs_one_alive on integration_runs (integration_id, stream) where status = 'running'`.execute(
    db,
  );
  await sql`create index integration_runs_recent on integration_runs (integration_id, started_at desc)`.execute(db);

  await sql`
    create table integration_run_chunks (
      run_id uuid not null references integration_runs(id) on delete cascade,
      chunk_id integer not null,
      records integer not null,
      stored integer not null,
      duplicates integer not null,
      fetched_at timestamptz not null default now(),
      primary key (run_id, chunk_id)
    )
  `.execute(db);

  await sql`
    create table integration_logs (
      id bigserial primary key,
      integration_id uuid not null references integrations(id) on delete cascade,
      run_id uuid references integration_runs(id) on delete set null,
      at timestamptz not null default now(),
      level text not null check (level in ('INFO', 'WARN', 'ERROR')),
      message text not null
    )
  `.execute(db);
  await sql`create index integration_logs_recent on integration_logs (integration_id, id desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table integration_logs, integration_run_chunks, integration_runs, integration_streams, integrations`.execute(db);
}
