import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/** Customer Care categories and their issue types, as a fresh install offers them (Administrators change them). */
const CARE_CATEGORIES: readonly (readonly [string, readonly string[]])[] = [
  ['Orders', ['Order status', 'Quote or renewal', 'Invoice or payment']],
  ['Licences', ['Licence key or activation', 'Asset count or licence limit', 'Licence transfer']],
  ['Contacts', ['Add a contact', 'Remove a contact', 'Change the Primary Contact']],
  ['Sign-in', ['Cannot sign in', 'Two-factor reset', 'Password reset email not received']],
  ['Account administration', ['Company details', 'Manage Cases permission', 'Close or deactivate the account']],
];

/** Products Technical Support answers for, with their versions (an empty list: the product has no versions). */
const PRODUCTS: readonly (readonly [string, readonly string[]])[] = [
  ['Tenable.io Vulnerability Management', []],
  ['Tenable.io Web App Scanning', []],
  ['Tenable.io Container Security', []],
  ['Nessus Professional', ['10.8', '10.7', '10.6']],
  ['Nessus Agent', ['10.8', '10.7', '10.6']],
  ['Tenable Security Center', ['6.5', '6.4', '6.3']],
];

/** First-response targets in minutes, by service level and priority (P1 most urgent). */
const SLA_TARGETS: readonly (readonly [string, number, number, number, number])[] = [
  ['Premium 24x7', 60, 120, 240, 480],
  ['Standard', 120, 240, 480, 1440],
  ['Essentials', 240, 480, 1440, 2880],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table support_products (
    name text primary key,
    versions text[] not null default '{}',
    sort_order integer not null
  )`.execute(db);
  await db
    .insertInto('support_products')
    .values(PRODUCTS.map(([name, versions], index) => ({ name, versions: sql`${sql.val([...versions])}::text[]`, sort_order: index })))
    .execute();

  await sql`create table support_care_categories (
    name text primary key,
    issue_types text[] not null,
    sort_order integer not null
  )`.execute(db);
  await db
    .insertInto('support_care_categories')
    .values(
      CARE_CATEGORIES.map(([name, issueTypes], index) => ({
        name,
        issue_types: sql`${sql.val([...issueTypes])}::text[]`,
        sort_order: index,
      })),
    )
    .execute();

  await sql`create table support_sla_targets (
    service_level text not null,
    priority text not null check (priority in ('p1', 'p2', 'p3', 'p4')),
    first_response_minutes integer not null check (first_response_minutes > 0),
    primary key (service_level, priority)
  )`.execute(db);
  await db
    .insertInto('support_sla_targets')
    .values(
      SLA_TARGETS.flatMap(([level, ...minutes]) =>
        (['p1', 'p2', 'p3', 'p4'] as const).map((priority, index) => ({
          service_level: level,
          priority,
          first_response_minutes: minutes[index],
        })),
      ),
    )
    .execute();

  await sql`create sequence support_case_numbers start 100001`.execute(db);
  await sql`create table support_cases (
    id uuid primary key default gen_random_uuid(),
    number bigint not null unique default nextval('support_case_numbers'),
    account_id uuid not null references customer_accounts (id) on delete cascade,
    kind text not null check (kind in ('customer_care', 'technical')),
    status text not null default 'new'
      check (status in ('new', 'in_progress', 'awaiting_customer', 'solved', 'closed')),
    priority text check (priority in ('p1', 'p2', 'p3', 'p4')),
    category text,
    issue_type text,
    product text,
    product_version text,
    operating_system text,
    subject text not null,
    description text not null,
    is_fedramp boolean not null default false,
    queue text not null,
    service_level text,
    first_response_due_at timestamptz,
    first_responded_at timestamptz,
    secret_override jsonb,
    opened_by_user_id uuid references users (id) on delete set null,
    assigned_to_user_id uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    solved_at timestamptz,
    closed_at timestamptz,
    search_vector tsvector generated always as (
      setweight(to_tsvector('english', coalesce(subject, '')), 'A') ||
      setweight(to_tsvector('english', coalesce(description, '')), 'B')
    ) stored,
    check ((kind = 'technical') = (priority is not null and product is not null))
  )`.execute(db);
  await sql`create index support_cases_account on support_cases (account_id, created_at desc)`.execute(db);
  await sql`create index support_cases_queue on support_cases (queue, status)`.execute(db);
  await sql`create index support_cases_assignee on support_cases (assigned_to_user_id)`.execute(db);
  await sql`create index support_cases_opened_by on support_cases (opened_by_user_id)`.execute(db);
  await sql`create index support_cases_search on support_cases using gin (search_vector)`.execute(db);

  await sql`create table support_case_messages (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references support_cases (id) on delete cascade,
    author_user_id uuid references users (id) on delete set null,
    author_name text not null,
    author_kind text not null check (author_kind in ('contact', 'agent', 'system')),
    visibility text not null default 'public' check (visibility in ('public', 'internal')),
    via text not null default 'portal' check (via in ('portal', 'chat', 'email')),
    body text not null,
    secret_override jsonb,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index support_case_messages_case on support_case_messages (case_id, created_at)`.execute(db);

  // One file sent through the resumable upload endpoint. case_id is null until the file is attached
  // (at case submission, or right away when added to an existing case); unattached files older than
  // 24 hours are deleted with their stored bytes.
  await sql`create table support_uploads (
    id uuid primary key default gen_random_uuid(),
    tus_id text not null unique,
    account_id uuid not null references customer_accounts (id) on delete cascade,
    uploaded_by_user_id uuid references users (id) on delete set null,
    case_id uuid references support_cases (id) on delete cascade,
    file_name text not null,
    content_type text not null default 'application/octet-stream',
    size bigint not null,
    received bigint not null default 0,
    sha256 text,
    storage_key text not null,
    status text not null default 'uploading' check (status in ('uploading', 'complete')),
    created_at timestamptz not null default now(),
    completed_at timestamptz,
    attached_at timestamptz
  )`.execute(db);
  await sql`create index support_uploads_case on support_uploads (case_id)`.execute(db);
  await sql`create index support_uploads_unattached on support_uploads (created_at) where case_id is null`.execute(db);

  // Every walk through the Technical Support form's Suggestions step: left there (the suggestions
  // answered it) or continued to Review (and, on submission, which case it became).
  await sql`create table support_suggestion_visits (
    id uuid primary key default gen_random_uuid(),
    account_id uuid not null references customer_accounts (id) on delete cascade,
    user_id uuid references users (id) on delete set null,
    product text not null,
    subject text not null,
    article_slugs text[] not null default '{}',
    outcome text not null default 'shown' check (outcome in ('shown', 'left', 'continued', 'submitted')),
    case_id uuid references support_cases (id) on delete set null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index support_suggestion_visits_created on support_suggestion_visits (created_at)`.execute(db);

  await sql`create table support_chat_sessions (
    id uuid primary key default gen_random_uuid(),
    account_id uuid not null references customer_accounts (id) on delete cascade,
    case_id uuid not null references support_cases (id) on delete cascade,
    contact_user_id uuid references users (id) on delete set null,
    agent_user_id uuid references users (id) on delete set null,
    status text not null default 'waiting' check (status in ('waiting', 'active', 'ended')),
    product text not null,
    product_version text,
    operating_system text not null,
    description text not null,
    created_at timestamptz not null default now(),
    accepted_at timestamptz,
    ended_at timestamptz
  )`.execute(db);
  await sql`create index support_chat_sessions_status on support_chat_sessions (status, created_at)`.execute(db);

  await sql`create table support_chat_messages (
    id bigserial primary key,
    session_id uuid not null references support_chat_sessions (id) on delete cascade,
    author_user_id uuid references users (id) on delete set null,
    author_name text not null,
    author_kind text not null check (author_kind in ('contact', 'agent', 'system')),
    body text not null,
    -- The sender's own id for the message: a message resent after a reconnect is stored once.
    client_id text,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index support_chat_messages_session on support_chat_messages (session_id, id)`.execute(db);
  await sql`create unique index support_chat_messages_client on support_chat_messages (session_id, author_user_id, client_id)
    where client_id is not null`.execute(db);
}
