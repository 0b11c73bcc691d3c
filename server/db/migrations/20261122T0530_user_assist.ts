import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * User assist (issue 4): one row per assist an Administrator starts. The cookie carries a random
 * token; only its keyed hash is kept. A grant works only with the session that started it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('assist_grants')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('administrator_user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // Signing out deletes the session; the grant stays as history and can no longer be used.
    .addColumn('session_id', 'uuid', (c) => c.references('sessions.id').onDelete('set null'))
    .addColumn('assisted_user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .addColumn('end_reason', 'text', (c) => c.check(sql`end_reason in ('stopped', 'expired', 'revoked')`))
    .addCheckConstraint('assist_grants_not_self', sql`administrator_user_id <> assisted_user_id`)
    .execute();
  await db.schema.createIndex('assist_grants_session_idx').on('assist_grants').column('session_id').execute();
  await db.schema.createIndex('assist_grants_assisted_user_idx').on('assist_grants').column('assisted_user_id').execute();
  await db.schema.createIndex('assist_grants_administrator_idx').on('assist_grants').column('administrator_user_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('assist_grants').execute();
}
