import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function up(db: Kysely<any>): Promise<void> {
  // A bulk export of one instance (issue 6, tenable-api.md section 2). `fingerprint` is a hash of
  // the type, format, chunk size and normalised filters: an identical running export is refused
  // with 409 and its id. Running exports (QUEUED, PROCESSING) are counted per instance under an
  // advisory lock, so every node shares the concurrency limit.
  await sql`create table export_jobs (
    id uuid primary key default gen_random_uuid(),
    account_id uuid not null references customer_accounts(id) on delete cascade,
    type text not null check (type in ('vulns', 'assets', 'compliance')),
    format text not null default 'v1' check (format in ('v1', 'v2')),
    filters jsonb not null,
    chunk_size int not null check (chunk_size > 0),
    fingerprint text not null,
    status text not null default 'QUEUED' check (status in ('QUEUED', 'PROCESSING', 'FINISHED', 'CANCELLED', 'ERROR')),
    reason text,
    requested_by uuid references users(id) on delete set null,
    created_at timestamptz not null default now(),
    started_at timestamptz,
    finished_at timestamptz,
    heartbeat_at timestamptz,
    expires_at timestamptz
  )`.execute(db);
  await sql`create index export_jobs_account_idx on export_jobs (account_id, created_at desc)`.execute(db);
  await sql`create index export_jobs_running_idx on export_jobs (account_id, fingerprint) where status in ('QUEUED', 'PROCESSING')`.execute(
    db,
  );
  await sql`create index export_jobs_expires_idx on export_jobs (expires_at) where expires_at is not null`.execute(db);

  // Exports page through an instance's assets by id.
  await sql`create index assets_account_id_idx on assets (account_id, id)`.execute(db);

  // One written chunk: a JSON array file in the file storage. Chunk numbers start at 1.
  await sql`create table export_chunks (
    export_id uuid not null references export_jobs(id) on delete cascade,
    chunk_number int not null check (chunk_number > 0),
    storage_key text not null,
    row_count int not null,
    byte_size bigint not null,
    created_at timestamptz not null default now(),
    primary key (export_id, chunk_number)
  )`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table export_chunks`.execute(db);
  await sql`drop table export_jobs`.execute(db);
  await sql`drop index assets_account_id_idx`.execute(db);
}
