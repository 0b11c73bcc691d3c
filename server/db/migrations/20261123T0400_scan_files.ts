import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

// Issue 6: the files of the Tenable-compatible scans API (POST /file/upload, scan and workbench
// .nessus exports) and the integer ids Tenable clients use for scans.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function up(db: Kysely<any>): Promise<void> {
  // A file sent to POST /file/upload, waiting for POST /scans/import. Its name is what the caller
  // gets back ("fileuploaded") and is unique within the instance only.
  await sql`create table scan_uploads (
    id uuid primary key default gen_random_uuid(),
    account_id uuid not null references customer_accounts(id) on delete cascade,
    name text not null,
    storage_key text not null,
    size_bytes bigint not null,
    uploaded_by uuid references users(id) on delete set null,
    created_at timestamptz not null default now(),
    unique (account_id, name)
  )`.execute(db);

  // Tenable clients address scans by integer: every scan gets one, from one sequence, when it is
  // created, whichever module creates it (the trigger), and existing scans get theirs here.
  await sql`create table scan_numbers (
    scan_id uuid primary key references scans(id) on delete cascade,
    number bigint generated always as identity unique
  )`.execute(db);
  await sql`insert into scan_numbers (scan_id) select id from scans order by created_at, id`.execute(db);
  await sql`create function number_new_scan() returns trigger language plpgsql as $$
    begin
      insert into scan_numbers (scan_id) values (new.id);
      return new;
    end
  $$`.execute(db);
  await sql`create trigger scans_number after insert on scans for each row execute function number_new_scan()`.execute(db);

  // A .nessus export: of one scan (POST /scans/{id}/export, named 'SSE-<id>-nessus') or of the
  // workbench (GET /workbenches/export, named by its number). storage_key null on a ready scan
  // export means the export is the scan's own stored file.
  await sql`create table nessus_exports (
    id uuid primary key default gen_random_uuid(),
    number bigint generated always as identity unique,
    account_id uuid not null references customer_accounts(id) on delete cascade,
    kind text not null check (kind in ('scan', 'workbench')),
    scan_id uuid references scans(id) on delete cascade,
    status text not null default 'loading' check (status in ('loading', 'ready')),
    storage_key text,
    item_count int not null default 0,
    requested_by uuid references users(id) on delete set null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    check ((kind = 'scan') = (scan_id is not null))
  )`.execute(db);
  await sql`create index nessus_exports_account_expires on nessus_exports (account_id, expires_at)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table nessus_exports`.execute(db);
  await sql`drop trigger scans_number on scans`.execute(db);
  await sql`drop function number_new_scan()`.execute(db);
  await sql`drop table scan_numbers`.execute(db);
  await sql`drop table scan_uploads`.execute(db);
}
