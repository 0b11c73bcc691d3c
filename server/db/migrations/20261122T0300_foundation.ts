import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('approved_domains')
    .addColumn('domain', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('customer_accounts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('custom_name', 'text')
    .addColumn('site_id', 'text')
    .addColumn('region', 'text')
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('is_fedramp', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('company_name', 'text')
    .addColumn('postal_address', 'text')
    .addColumn('contact_email', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('customer_accounts_name_idx')
    .on('customer_accounts')
    .expression(sql`lower(name)`)
    .execute();

  await db.schema
    .createTable('account_licenses')
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('customer_accounts.id').onDelete('cascade'))
    .addColumn('app', 'text', (c) => c.notNull().check(sql`app in ('vm', 'was', 'cs')`))
    .addColumn('licensed_assets', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('asset_limit', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_on', 'date')
    .addPrimaryKeyConstraint('account_licenses_pk', ['account_id', 'app'])
    .execute();

  await db.schema
    .createTable('account_subscriptions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('customer_accounts.id').onDelete('cascade'))
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('service_level', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('account_subscriptions_account_idx').on('account_subscriptions').column('account_id').execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('staff', 'contact')`))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('email', 'text')
    .addColumn('password_hash', 'text')
    .addColumn('role', 'integer', (c) => c.notNull().check(sql`role in (16, 24, 32, 40, 64)`))
    .addColumn('is_support_agent', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('account_id', 'uuid', (c) => c.references('customer_accounts.id').onDelete('cascade'))
    .addColumn('can_manage_cases', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('is_primary_contact', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('support_pin', 'text')
    .addColumn('is_disabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('last_login_at', 'timestamptz')
    .addColumn('last_failed_login_at', 'timestamptz')
    .addColumn('failed_login_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('password_changed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('users_contact_has_account', sql`(kind = 'contact') = (account_id is not null)`)
    .execute();
  await db.schema
    .createIndex('users_username_unique')
    .on('users')
    .expression(sql`lower(username)`)
    .unique()
    .execute();
  await db.schema.createIndex('users_account_idx').on('users').column('account_id').execute();

  await db.schema
    .createTable('staff_account_assignments')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('customer_accounts.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('staff_account_assignments_pk', ['user_id', 'account_id'])
    .execute();
  await db.schema.createIndex('staff_account_assignments_account_idx').on('staff_account_assignments').column('account_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('is_persistent', 'boolean', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('one_time_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('setup', 'password_reset')`))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('window_ends_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('actor_user_id', 'uuid')
    .addColumn('actor_username', 'text')
    .addColumn('on_behalf_of_user_id', 'uuid')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('success', 'failure')`))
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('account_id', 'uuid')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.createIndex('audit_events_at_idx').on('audit_events').columns(['at desc', 'id']).execute();
  await db.schema.createIndex('audit_events_action_at_idx').on('audit_events').columns(['action', 'at desc']).execute();
  await db.schema.createIndex('audit_events_actor_at_idx').on('audit_events').columns(['actor_user_id', 'at desc']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_events',
    'rate_limits',
    'one_time_tokens',
    'sessions',
    'staff_account_assignments',
    'users',
    'account_subscriptions',
    'account_licenses',
    'customer_accounts',
    'approved_domains',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
