import { z } from 'zod';

/*
 * The Tenable MSSP Portal and users API (../shared/spec/tenable-api.md sections 5 and 6). These
 * schemas live here, not in common/schemas, because Tenable defines the contract: field names are
 * Tenable's (snake_case), not Bulwark's.
 */

const RepeatableText = z.union([z.string(), z.array(z.string())]).optional();

export const ListMsspAccountsQuery = z.object({
  /** Repeatable `field:operator:value`. */
  f: RepeatableText,
  ft: z.enum(['and', 'or', 'AND', 'OR']).optional(),
  /** Wildcard text, matched in any part of the wildcard fields. */
  w: z.string().max(1000).optional(),
  /** Comma-separated wildcard fields; every wildcard field when absent. */
  wf: RepeatableText,
  /** Account groups are not part of Bulwark yet: any group answers 404, never every account. */
  group: z.string().optional(),
});
export type ListMsspAccountsQuery = z.infer<typeof ListMsspAccountsQuery>;

export const MsspAccount = z.object({
  uuid: z.uuid(),
  container_name: z.string(),
  custom_name: z.string().nullable(),
  region: z.string().nullable(),
  site_id: z.string().nullable(),
  licensed_assets: z.number().int(),
  licensed_assets_limit: z.number().int(),
  license_utilization: z.number(),
  /** Epoch seconds (start of the day, UTC) of the earliest licence expiry; null when none expires. */
  license_expiration_date: z.number().int().nullable(),
  licensed_apps: z.array(z.string()),
  notes: z.string(),
  /** Present only when a logo is assigned. */
  logo_uuid: z.uuid().optional(),
  domains: z.array(z.string()),
  created: z.string(),
  modified: z.string(),
});
export type MsspAccount = z.infer<typeof MsspAccount>;

export const MsspAccountList = z.object({ accounts: z.array(MsspAccount) });

/** POST /mssp/accounts/mssp-child-keys (6.1): the validity is 1 to 3600 seconds, 1800 when absent. */
export const ChildKeysBody = z.object({
  child_container_uuid: z.string(),
  keys_validity_duration_seconds: z.number().int().min(1).max(3600).default(1800),
});

export const ChildKeysResponse = z.object({
  parent_container_uuid: z.uuid(),
  child_container_uuid: z.uuid(),
  child_container_site: z.string(),
  keys_user_uuid: z.uuid(),
  access_key: z.string(),
  secret_key: z.string(),
  keys_expiration_epoch_seconds: z.number().int(),
  remote: z.boolean(),
  _validity_info: z.string(),
});
export type ChildKeysResponse = z.infer<typeof ChildKeysResponse>;

export const AccountUuidParams = z.object({ account_uuid: z.string() });

export const FilterControl = z.object({
  type: z.enum(['entry', 'dropdown']),
  regex: z.string(),
  readable_regex: z.string(),
  list: z.array(z.string()).optional(),
});

export const MsspAccountFilters = z.object({
  wildcard_fields: z.array(z.string()),
  filters: z.array(z.object({ name: z.string(), readable_name: z.string(), control: FilterControl, operators: z.array(z.string()) })),
});

export const MsspLogo = z.object({ uuid: z.uuid(), container_uuid: z.uuid(), name: z.string(), filename: z.string() });
export type MsspLogo = z.infer<typeof MsspLogo>;

export const MsspLogoList = z.object({ logos: z.array(MsspLogo) });
export const LogoUuidResponse = z.object({ uuid: z.uuid() });
export const LogoUuidParams = z.object({ logo_uuid: z.string() });

export const AssignMsspLogoBody = z.object({
  /** null removes the accounts' logo ("(No Logo)"). */
  logo_uuid: z.string().nullable(),
  account_uuids: z.array(z.uuid()).min(1).max(10_000),
});

export const EmptyResponse = z.object({});

/* ---- Users (section 5) ---- */

const Permissions = z.number().int();

export const TenableUser = z.object({
  /** Bulwark's user ids are UUIDs: `id` carries the same UUID as `uuid`, not Tenable's integer. */
  id: z.uuid(),
  uuid: z.uuid(),
  uuid_id: z.uuid(),
  username: z.string(),
  user_name: z.string(),
  email: z.string().nullable(),
  name: z.string(),
  type: z.literal('local'),
  permissions: z.number().int(),
  enabled: z.boolean(),
  login_fail_count: z.number().int(),
  login_fail_total: z.number().int(),
  container_uuid: z.uuid(),
  aggregate: z.boolean(),
  lockout: z.number().int(),
  lastlogin: z.number().int().optional(),
  last_login_attempt: z.number().int().optional(),
  last_apikey_access: z.number().int().optional(),
});
export type TenableUser = z.infer<typeof TenableUser>;

export const TenableUserList = z.object({ users: z.array(TenableUser) });
export const UserIdParams = z.object({ user_id: z.string() });

const OptionalEmail = z
  .union([z.literal(''), z.email().max(254)])
  .nullable()
  .optional();

export const CreateTenableUserBody = z.object({
  username: z
    .string()
    .trim()
    .min(3)
    .max(254)
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Must be in the format name@domain.'),
  password: z.string().min(1).max(1024),
  permissions: Permissions,
  name: z.string().trim().max(200).optional(),
  email: OptionalEmail,
  type: z.literal('local').default('local'),
});

export const UpdateTenableUserBody = z.object({
  permissions: Permissions.optional(),
  name: z.string().trim().min(1).max(200).optional(),
  email: OptionalEmail,
  enabled: z.boolean().optional(),
});

export const SetEnabledBody = z.object({ enabled: z.boolean() });

export const DeleteTenableUserQuery = z.object({ successor_user_uuid: z.string().optional() });

export const TenableKeys = z.object({ accessKey: z.string(), secretKey: z.string() });
