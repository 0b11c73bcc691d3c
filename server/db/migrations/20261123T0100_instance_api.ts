import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function up(db: Kysely<any>): Promise<void> {
  // Staff reach a customer instance's API only with these short-lived keys (issue 6), one row per
  // request to POST /mssp/accounts/mssp-child-keys; the secret is kept as a keyed hash.
  await sql`create table child_api_keys (
    id uuid primary key default gen_random_uuid(),
    access_key text not null unique,
    secret_hash text not null,
    user_id uuid not null references users (id) on delete cascade,
    account_id uuid not null references customer_accounts (id) on delete cascade,
    expires_at timestamptz not null,
    created_at timestamptz not null default now(),
    last_used_at timestamptz
  )`.execute(db);
  await sql`create index child_api_keys_expires_at on child_api_keys (expires_at)`.execute(db);
  await sql`alter table customer_accounts
    add column api_requests_per_minute integer check (api_requests_per_minute between 1 and 1000000)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table customer_accounts drop column api_requests_per_minute`.execute(db);
  await sql`drop table child_api_keys`.execute(db);
}
