import { sql, type Kysely } from 'kysely';

/**
 * A signal artifact's integration and account are kept by triggers instead of foreign keys.
 *
 * A foreign key checks every inserted row on its own (one lookup of the integration per artifact,
 * queued and run at the end of the statement): about 4% of PostgreSQL's work in storing a chunk
 * (bench:connector), for a key that is the same on every row of the statement. What the keys did is
 * kept:
 * - deleting an integration or an account still sets the artifacts' link to null (the triggers
 *   below; the artifacts stay, with the integration's name);
 * - an artifact is never stored for an integration being deleted: the store holds its run's row
 *   (`holdRunForChunk`, for share) in the same transaction, and deleting the integration deletes its
 *   runs, so the deletion waits for the store to commit, and its trigger, run after that, sees and
 *   clears the new rows; a store that starts after the deletion finds no run and stores nothing.
 * - the account is the integration's target account, read in the run's transaction.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table signal_artifacts drop constraint signal_artifacts_integration_id_fkey`.execute(db);
  await sql`alter table signal_artifacts drop constraint signal_artifacts_account_id_fkey`.execute(db);
  await sql`
    create function signal_artifacts_forget_integration() returns trigger language plpgsql as $$
    begin
      update signal_artifacts set integration_id = null where integration_id = old.id;
      return null;
    end
    $$
  `.execute(db);
  await sql`
    create trigger signal_artifacts_forget_integration after delete on integrations
      for each row execute function signal_artifacts_forget_integration()
  `.execute(db);
  await sql`
    create function signal_artifacts_forget_account() returns trigger language plpgsql as $$
    begin
      update signal_artifacts set account_id = null where account_id = old.id;
      return null;
    end
    $$
  `.execute(db);
  await sql`
    create trigger signal_artifacts_forget_account after delete on customer_accounts
      for each row execute function signal_artifacts_forget_account()
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger signal_artifacts_forget_account on customer_accounts`.execute(db);
  await sql`drop function signal_artifacts_forget_account()`.execute(db);
  await sql`drop trigger signal_artifacts_forget_integration on integrations`.execute(db);
  await sql`drop function signal_artifacts_forget_integration()`.execute(db);
  await sql`update signal_artifacts set integration_id = null where integration_id not in (select id from integrations)`.execute(db);
  await sql`update signal_artifacts set account_id = null where account_id not in (select id from customer_accounts)`.execute(db);
  await sql`
    alter table signal_artifacts
      add constraint signal_artifacts_integration_id_fkey foreign key (integration_id) references integrations(id) on delete set null,
      add constraint signal_artifacts_account_id_fkey foreign key (account_id) references customer_accounts(id) on delete set null
  `.execute(db);
}
