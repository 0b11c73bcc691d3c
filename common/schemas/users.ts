import { z } from 'zod';
import { ROLE_VALUES } from '../permissions.js';
import { Password, Username } from './auth.js';

export const RoleValueSchema = z.union(ROLE_VALUES.map((value) => z.literal(value)));

/** Optional email: empty or missing means none. */
const OptionalEmail = z
  .union([z.literal(''), z.email('Enter a valid email address, or leave it empty.').max(254)])
  .nullable()
  .optional();

export const CreateUserBody = z.object({
  name: z.string().trim().min(1, 'Enter the full name.').max(200),
  username: Username,
  email: OptionalEmail,
  password: Password,
  role: RoleValueSchema,
  isSupportAgent: z.boolean().default(false),
  /** Accounts to assign at once; refused for Administrators, who see every account. */
  accountIds: z.array(z.uuid()).max(10000).default([]),
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

/** Every field optional: only what is sent changes. The username cannot be changed. */
export const UpdateUserBody = z.object({
  name: z.string().trim().min(1, 'Enter the full name.').max(200).optional(),
  email: OptionalEmail,
  password: Password.optional(),
  role: RoleValueSchema.optional(),
  isSupportAgent: z.boolean().optional(),
});
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const UserIdParams = z.object({ id: z.uuid() });
export type UserIdParams = z.infer<typeof UserIdParams>;

export const UserAccountParams = z.object({ id: z.uuid(), accountId: z.uuid() });
export type UserAccountParams = z.infer<typeof UserAccountParams>;

export const SetUserAccountsBody = z.object({ accountIds: z.array(z.uuid()).max(10000) });
export type SetUserAccountsBody = z.infer<typeof SetUserAccountsBody>;

export const DeleteUserQuery = z.object({ successorUserId: z.uuid() });
export type DeleteUserQuery = z.infer<typeof DeleteUserQuery>;

export const UserSummaryResponse = z.object({
  id: z.uuid(),
  username: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  role: RoleValueSchema,
  isSupportAgent: z.boolean(),
  isDisabled: z.boolean(),
  lastLoginAt: z.iso.datetime({ offset: true }).nullable(),
  lastFailedLoginAt: z.iso.datetime({ offset: true }).nullable(),
  /** The total number of failed sign-in attempts. */
  failedLoginCount: z.number().int(),
  assignedAccountCount: z.number().int(),
  apiKeysCreatedAt: z.iso.datetime({ offset: true }).nullable(),
  apiKeysLastUsedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type UserSummaryResponse = z.infer<typeof UserSummaryResponse>;

export const UserAccountResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  customName: z.string().nullable(),
  siteId: z.string().nullable(),
});
export type UserAccountResponse = z.infer<typeof UserAccountResponse>;

export const UserDetailResponse = UserSummaryResponse.extend({ accounts: z.array(UserAccountResponse) });
export type UserDetailResponse = z.infer<typeof UserDetailResponse>;

export const UserListResponse = z.object({ items: z.array(UserSummaryResponse) });
export type UserListResponse = z.infer<typeof UserListResponse>;

export const DeletedUserResponse = z.object({ id: z.uuid(), successorUserId: z.uuid() });
export type DeletedUserResponse = z.infer<typeof DeletedUserResponse>;

export const ADMINISTRATOR_ASSIGNMENT_MESSAGE = 'Administrators have access to every account and cannot be assigned to accounts.';

export const DELETE_USER_CAUTION = 'Once you delete a user account, the account cannot be recovered and the action cannot be reversed.';

/**
 * What happens to a deleted user's objects: the seed's table, with the objects Bulwark has today
 * first. Each later issue adds its own rows (and a test for each) as it adds the object.
 */
export const USER_DELETION_OBJECTS: readonly { objectType: string; isDeleted: boolean; notes: string }[] = [
  { objectType: 'Logos', isDeleted: false, notes: 'Retained (Created By value displays as null)' },
  { objectType: 'Custom Name Update History', isDeleted: false, notes: 'Retained (the username is kept)' },
  { objectType: 'Audit Log Entries', isDeleted: false, notes: 'Retained' },
  { objectType: 'API Keys', isDeleted: true, notes: 'Permanently deleted' },
  { objectType: 'Sessions', isDeleted: true, notes: 'Revoked' },
  { objectType: 'Account Assignments', isDeleted: true, notes: 'Removed' },
  { objectType: 'Scan Schedules', isDeleted: false, notes: 'Migrated to the new object owner' },
  { objectType: 'Historical Scan Results', isDeleted: false, notes: 'Migrated to the new object owner (imported scans and their files)' },
  { objectType: 'Scan Templates', isDeleted: false, notes: 'Migrated to the new object owner' },
  { objectType: 'Custom Dashboards/Widgets', isDeleted: true, notes: 'Permanently deleted' },
  { objectType: 'Managed Credentials', isDeleted: false, notes: 'Retained (Created By value displays as null)' },
  { objectType: 'Tags', isDeleted: false, notes: 'Retained (Created By value displays as null)' },
  { objectType: 'Recast/Accept Rules', isDeleted: false, notes: 'Retained (Owner value displays as Unknown User)' },
  { objectType: 'Exclusions', isDeleted: false, notes: 'Retained' },
  { objectType: 'System Target Groups', isDeleted: false, notes: 'Retained' },
  { objectType: 'User Target Groups', isDeleted: true, notes: 'Permanently deleted' },
  { objectType: 'Saved Searches', isDeleted: true, notes: 'Permanently deleted' },
  { objectType: 'Connectors', isDeleted: false, notes: 'Retained' },
  { objectType: 'Sensors', isDeleted: false, notes: 'Retained' },
  { objectType: 'Assigned Support Cases', isDeleted: false, notes: 'Migrated to the new object owner' },
  { objectType: 'Integrations', isDeleted: false, notes: 'Migrated to the new object owner' },
];
