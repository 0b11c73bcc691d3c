import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function up(db: Kysely<any>): Promise<void> {
  // Requests of each API user in each one-minute window (issue 6, Tenable's per-user rate limit).
  // Kept in the database so every node counts against the same row; a user's finished windows are
  // deleted when their next window starts, so the table holds about one row per API user.
  await sql`create table api_request_counts (
    user_id uuid not null references users (id) on delete cascade,
    window_start timestamptz not null,
    count integer not null,
    primary key (user_id, window_start)
  )`.execute(db);
  await sql`create index api_request_counts_window_start on api_request_counts (window_start)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table api_request_counts`.execute(db);
}
