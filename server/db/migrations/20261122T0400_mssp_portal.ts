import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('logos')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('created_by_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .alterTable('customer_accounts')
    .addColumn('logo_id', 'uuid', (c) => c.references('logos.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('customer_accounts_logo_idx').on('customer_accounts').column('logo_id').execute();

  await db.schema
    .createTable('custom_name_history')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('customer_accounts.id').onDelete('cascade'))
    .addColumn('changed_by_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('changed_by_username', 'text')
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .execute();
  await db.schema.createIndex('custom_name_history_account_idx').on('custom_name_history').columns(['account_id', 'changed_at']).execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().unique().references('users.id').onDelete('cascade'))
    .addColumn('access_key', 'text', (c) => c.notNull().unique())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_by_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .execute();

  // The Accounts page sorts by the shown name (custom name when set) and pages with LIMIT/OFFSET.
  await db.schema
    .createIndex('customer_accounts_display_name_idx')
    .on('customer_accounts')
    .expression(sql`lower(coalesce(custom_name, name)), id`)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('customer_accounts_display_name_idx').execute();
  await db.schema.dropTable('api_keys').execute();
  await db.schema.dropTable('custom_name_history').execute();
  await db.schema.alterTable('customer_accounts').dropColumn('logo_id').execute();
  await db.schema.dropTable('logos').execute();
}
