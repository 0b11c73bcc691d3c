import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * Signals (issue 8): every record a connector fetched, with its normalised, searchable fields and
 * the raw record. One artifact per (integration, fingerprint): overlapping windows store nothing twice.
 *
 * The indexes serve the Signals page on millions of rows (bench/signals.bench.ts): results are newest
 * first, so every btree ends in (observed_at desc, id desc) and a page is the first rows of one index
 * range; every btree carries the facet columns (include), so filter-only counts and facets are
 * index-only scans; free text goes through the GIN index (fastupdate keeps chunk inserts cheap).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table signal_artifacts (
      id bigint generated always as identity primary key,
      integration_id uuid references integrations(id) on delete set null,
      integration_name text not null,
      stream text not null,
      observed_at timestamptz not null default now(),
      fingerprint text not null,
      severity text,
      state text,
      host_name text,
      ip text,
      plugin_id integer,
      plugin_name text,
      cve text[] not null default '{}',
      -- The integration's target account when it was fetched; decides which staff see it.
      account_id uuid references customer_accounts(id) on delete set null,
      raw jsonb not null,
      search tsvector not null
    )
  `.execute(db);
  // Raw records go out of line (TOAST) above ~400 bytes, so the heap keeps only the searched and
  // shown columns: block samples and bitmap scans read half the pages or less.
  await sql`alter table signal_artifacts set (toast_tuple_target = 400)`.execute(db);
  await sql`create unique index signal_artifacts_fingerprint on signal_artifacts (integration_id, fingerprint)`.execute(db);
  await sql`
    create index signal_artifacts_observed on signal_artifacts (observed_at desc, id desc)
      include (severity, state, stream, integration_id, account_id)
  `.execute(db);
  await sql`create index signal_artifacts_search on signal_artifacts using gin (search) with (fastupdate = on)`.execute(db);
  await sql`create index signal_artifacts_account on signal_artifacts (account_id, observed_at desc, id desc) include (severity, state, stream, integration_id)`.execute(
    db,
  );
  await sql`create index signal_artifacts_integration on signal_artifacts (integration_id, observed_at desc, id desc) include (severity, state, stream, account_id)`.execute(
    db,
  );
  await sql`
    create index signal_artifacts_severity_state on signal_artifacts (severity, state, observed_at desc, id desc)
      include (stream, integration_id, account_id)
  `.execute(db);
  // Word frequencies of the search column guide the planner between the GIN index and walking the time index.
  await sql`alter table signal_artifacts alter column search set statistics 1000`.execute(db);

  await sql`
    create table signal_settings (
      id boolean primary key default true check (id),
      retention_days integer not null default 90 check (retention_days between 1 and 3650)
    )
  `.execute(db);
  await sql`insert into signal_settings (id) values (true)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table signal_settings, signal_artifacts`.execute(db);
}
