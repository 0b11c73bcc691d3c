import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

// The Accounts page's in-memory directory (server/modules/accounts/account-directory.ts) is valid
// for one version of the data it shows. Statement-level triggers bump the version in the writing
// transaction, so no code path can forget to, and every node sees a change as soon as it commits.
const WATCHED = ['customer_accounts', 'account_licenses', 'logos', 'staff_account_assignments'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table account_directory_version (
    id smallint primary key default 1 check (id = 1),
    version bigint not null default 1
  )`.execute(db);
  await sql`insert into account_directory_version (id, version) values (1, 1)`.execute(db);
  await sql`create function bump_account_directory_version() returns trigger language plpgsql as $$
    begin
      update account_directory_version set version = version + 1 where id = 1;
      return null;
    end
  $$`.execute(db);
  for (const table of WATCHED) {
    await sql`create trigger ${sql.raw(`${table}_directory_version`)}
      after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function bump_account_directory_version()`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of WATCHED) {
    await sql`drop trigger ${sql.raw(`${table}_directory_version`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop function bump_account_directory_version()`.execute(db);
  await sql`drop table account_directory_version`.execute(db);
}
