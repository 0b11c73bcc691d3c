import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Table types for Kysely, matching server/db/migrations. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type RequiredTimestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** Dates are read as 'YYYY-MM-DD' strings on both drivers (see database.ts). */
type DateString = ColumnType<string, string, string>;
type Json = ColumnType<Record<string, unknown>, string | undefined, string>;

export interface ApprovedDomainsTable {
  domain: string;
  created_at: Generated<Date>;
}

export interface CustomerAccountsTable {
  id: Generated<string>;
  name: string;
  custom_name: string | null;
  site_id: string | null;
  region: string | null;
  notes: Generated<string>;
  is_fedramp: Generated<boolean>;
  is_active: Generated<boolean>;
  company_name: string | null;
  postal_address: string | null;
  contact_email: string | null;
  logo_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AccountLicensesTable {
  account_id: string;
  app: 'vm' | 'was' | 'cs';
  licensed_assets: Generated<number>;
  asset_limit: Generated<number>;
  expires_on: DateString | null;
}

export interface AccountSubscriptionsTable {
  id: Generated<string>;
  account_id: string;
  product: string;
  service_level: string;
  starts_on: DateString;
  ends_on: DateString;
}

export interface UsersTable {
  id: Generated<string>;
  kind: 'staff' | 'contact';
  username: string;
  name: Generated<string>;
  email: string | null;
  password_hash: string | null;
  role: number;
  is_support_agent: Generated<boolean>;
  account_id: string | null;
  can_manage_cases: Generated<boolean>;
  is_primary_contact: Generated<boolean>;
  support_pin: string | null;
  is_disabled: Generated<boolean>;
  last_login_at: NullableTimestamp;
  last_failed_login_at: NullableTimestamp;
  failed_login_count: Generated<number>;
  password_changed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StaffAccountAssignmentsTable {
  user_id: string;
  account_id: string;
}

export interface SessionsTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  is_persistent: boolean;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: RequiredTimestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface OneTimeTokensTable {
  id: Generated<string>;
  purpose: 'setup' | 'password_reset';
  token_hash: string;
  user_id: string | null;
  created_at: Timestamp;
  expires_at: RequiredTimestamp;
  used_at: NullableTimestamp;
}

export interface RateLimitsTable {
  key: string;
  count: number;
  window_ends_at: RequiredTimestamp;
}

export interface AuditEventsTable {
  id: Generated<string>;
  at: Timestamp;
  actor_user_id: string | null;
  actor_username: string | null;
  on_behalf_of_user_id: string | null;
  action: string;
  outcome: 'success' | 'failure';
  target_type: string | null;
  target_id: string | null;
  account_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: Json;
}

export interface LogosTable {
  id: Generated<string>;
  name: string;
  file_name: string;
  storage_key: string;
  width: number;
  height: number;
  size_bytes: number;
  created_by_user_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CustomNameHistoryTable {
  id: Generated<string>;
  account_id: string;
  changed_by_user_id: string | null;
  changed_by_username: string | null;
  old_value: string | null;
  new_value: string | null;
  changed_at: Timestamp;
}

/** One pair per user; only an HMAC of the secret is kept. */
export interface ApiKeysTable {
  id: Generated<string>;
  user_id: string;
  access_key: string;
  secret_hash: string;
  created_by_user_id: string | null;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
}

export interface Database {
  approved_domains: ApprovedDomainsTable;
  customer_accounts: CustomerAccountsTable;
  account_licenses: AccountLicensesTable;
  account_subscriptions: AccountSubscriptionsTable;
  users: UsersTable;
  staff_account_assignments: StaffAccountAssignmentsTable;
  sessions: SessionsTable;
  one_time_tokens: OneTimeTokensTable;
  rate_limits: RateLimitsTable;
  audit_events: AuditEventsTable;
  logos: LogosTable;
  custom_name_history: CustomNameHistoryTable;
  api_keys: ApiKeysTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type CustomerAccountRow = Selectable<CustomerAccountsTable>;
