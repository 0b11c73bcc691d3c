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
/** The artifact column each parent's deletion clears, and the trigger (and its function) that does it. */
const LINKS = [
  { parent: 'integrations', column: 'integration_id', trigger: 'signal_artifacts_forget_integration' },
  { parent: 'customer_accounts', column: 'account_id', trigger: 'signal_artifacts_forget_account' },
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const { parent, column, trigger } of LINKS) {
    await sql`alter table signal_artifacts drop constraint ${sql.raw(`signal_artifacts_${column}_fkey`)}`.execute(db);
    await sql`
      create function ${sql.raw(trigger)}() returns trigger language plpgsql as $$
      begin
        update signal_artifacts set ${sql.raw(column)} = null where ${sql.raw(column)} = old.id;
        return null;
      end
      $$
    `.execute(db);
    await sql`create trigger ${sql.raw(trigger)} after delete on ${sql.raw(parent)} for each row execute function ${sql.raw(trigger)}()`.execute(
      db,
    );
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { parent, column, trigger } of LINKS) {
    await sql`drop trigger ${sql.raw(trigger)} on ${sql.raw(parent)}`.execute(db);
    await sql`drop function ${sql.raw(trigger)}()`.execute(db);
    await sql`update signal_artifacts set ${sql.raw(column)} = null where ${sql.raw(column)} not in (select id from ${sql.raw(parent)})`.execute(
      db,
    );
    await sql`
      alter table signal_artifacts add constraint ${sql.raw(`signal_artifacts_${column}_fkey`)}
        foreign key (${sql.raw(column)}) references ${sql.raw(parent)}(id) on delete set null
    `.execute(db);
  }
}
