import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function up(db: Kysely<any>): Promise<void> {
  // pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. PGlite loads it.
  await sql`create extension if not exists pg_trgm`.execute(db);
  // One lower-cased text of everything the Accounts search box looks at (licensed apps aside), so a
  // trigram index answers "any part of the text" searches without scanning every account.
  await sql`alter table customer_accounts add column search_text text generated always as
    (lower(name || ' ' || coalesce(custom_name, '') || ' ' || coalesce(site_id, '') || ' ' || notes)) stored`.execute(db);
  await sql`create index customer_accounts_search_idx on customer_accounts using gin (search_text gin_trgm_ops)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index customer_accounts_search_idx`.execute(db);
  await sql`alter table customer_accounts drop column search_text`.execute(db);
}
