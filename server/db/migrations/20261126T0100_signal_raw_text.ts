import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * A signal's raw record is kept as the JSON text the connector serialised, not as jsonb: nothing
 * searches inside it (the normalised columns and the search vector do), and parsing it into jsonb
 * was the largest single cost of storing a chunk (about 1.3 s of PostgreSQL's 4.5 s for 25,000
 * Tenable findings, bench:connector). Text also keeps the source's key order for the detail drawer.
 * lz4 compresses the out-of-line values where the server has it (PostgreSQL 14+ built with lz4);
 * elsewhere (PGlite) the default compression stays.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table signal_artifacts alter column raw type text using raw::text`.execute(db);
  await sql`
    do $$
    begin
      alter table signal_artifacts alter column raw set compression lz4;
    exception when feature_not_supported then
      null;
    end
    $$
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table signal_artifacts alter column raw set compression default`.execute(db);
  await sql`alter table signal_artifacts alter column raw type jsonb using raw::jsonb`.execute(db);
}
