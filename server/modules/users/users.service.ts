import { checkPassword } from '../../../common/password-policy.js';
import { ROLES, ROLE_LABELS, isRoleValue, type Actor } from '../../../common/permissions.js';
import type { MeResponse } from '../../../common/schemas/auth.js';
import {
  ADMINISTRATOR_ASSIGNMENT_MESSAGE,
  type CreateUserBody,
  type DeletedUserResponse,
  type UpdateUserBody,
  type UserDetailResponse,
  type UserListResponse,
  type UserSummaryResponse,
} from '../../../common/schemas/users.js';
import type { UserRow, UserUpdate } from '../../db/schema.js';
import { AppError, notFound } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { hashPassword } from '../../lib/crypto.js';
import { recordAudit } from '../audit/audit.service.js';
import {
  deleteAllAssignments,
  deleteAssignments,
  deleteSessionsOfUser,
  deleteUserById,
  transferScans,
  transferSupportCases,
  transferIntegrations,
  findApprovedDomains,
  findAssignedAccountIds,
  findAssignedAccounts,
  findExistingAccountIds,
  findStaffById,
  findStaffSummaries,
  findStaffSummaryById,
  findUserByUsername,
  insertApprovedDomain,
  insertAssignments,
  insertUser,
  isApprovedDomain,
  updateUser,
  type StaffSummaryRow,
} from './users.repository.js';

export function domainOf(username: string): string {
  return username.slice(username.lastIndexOf('@') + 1).toLowerCase();
}

export function buildActor(user: UserRow, assignedAccountIds: string[]): Actor {
  if (!isRoleValue(user.role)) throw new Error(`User ${user.id} has an unknown role ${user.role}`);
  return {
    userId: user.id,
    username: user.username,
    kind: user.kind,
    role: user.role,
    isSupportAgent: user.is_support_agent,
    accountId: user.account_id ?? undefined,
    canManageCases: user.can_manage_cases,
    isPrimaryContact: user.is_primary_contact,
    assignedAccountIds,
  };
}

export function presentMe(user: UserRow, assignedAccountIds: string[]): MeResponse {
  const actor = buildActor(user, assignedAccountIds);
  return {
    id: user.id,
    kind: user.kind,
    username: user.username,
    name: user.name,
    email: user.email,
    role: actor.role,
    isSupportAgent: user.is_support_agent,
    accountId: user.account_id,
    canManageCases: user.can_manage_cases,
    isPrimaryContact: user.is_primary_contact,
    assignedAccountIds,
    lastLoginAt: user.last_login_at?.toISOString() ?? null,
  };
}

/** Throws validation_failed with the policy's problems when the password does not meet it. */
export function assertPasswordMeetsPolicy(
  ctx: Pick<ServiceContext, 'config'>,
  password: string,
  username: string,
  field = 'password',
): void {
  const result = checkPassword(password, ctx.config.passwordPolicy, username);
  if (!result.isValid) {
    throw new AppError('validation_failed', `The password does not meet the password policy. ${result.problems.join(' ')}`, {
      issues: result.problems.map((message) => ({ path: `body.${field}`, message })),
    });
  }
}

export interface NewAdministrator {
  username: string;
  password: string;
  name: string;
  email?: string | null;
}

/**
 * Creates an Administrator and approves the domain of the username. Used by first-run setup and
 * `cli create-admin`; the caller writes the audit event.
 */
export async function createAdministrator(ctx: Pick<ServiceContext, 'db' | 'config'>, input: NewAdministrator): Promise<UserRow> {
  assertPasswordMeetsPolicy(ctx, input.password, input.username);
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction().execute(async (trx) => {
    if (await findUserByUsername(trx, input.username)) {
      throw new AppError('conflict', `A user named ${input.username} already exists.`);
    }
    await insertApprovedDomain(trx, domainOf(input.username));
    return insertUser(trx, {
      kind: 'staff',
      username: input.username.trim(),
      name: input.name.trim(),
      email: input.email?.trim() || null,
      password_hash: passwordHash,
      role: ROLES.administrator,
      password_changed_at: new Date(),
    });
  });
}

// --- Staff management (the Users page). Every function here expects an Administrator actor;
// the routes authorize 'users:manage' before calling.

function presentStaffSummary(row: StaffSummaryRow): UserSummaryResponse {
  if (!isRoleValue(row.role)) throw new Error(`User ${row.id} has an unknown role ${row.role}`);
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    email: row.email,
    role: row.role,
    isSupportAgent: row.is_support_agent,
    isDisabled: row.is_disabled,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    lastFailedLoginAt: row.last_failed_login_at?.toISOString() ?? null,
    failedLoginCount: row.failed_login_count,
    assignedAccountCount: row.assigned_account_count,
    apiKeysCreatedAt: row.api_keys_created_at?.toISOString() ?? null,
    apiKeysLastUsedAt: row.api_keys_last_used_at?.toISOString() ?? null,
  };
}

function actorOf(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new AppError('unauthenticated', 'Sign in to continue.');
  return ctx.actor;
}

export async function listStaffUsers(ctx: ServiceContext): Promise<UserListResponse> {
  const rows = await findStaffSummaries(ctx.db);
  return { items: rows.map(presentStaffSummary) };
}

/** A staff user with their assigned accounts; contacts and unknown ids answer 404 alike. */
export async function getStaffUser(ctx: Pick<ServiceContext, 'db'>, id: string): Promise<UserDetailResponse> {
  const row = await findStaffSummaryById(ctx.db, id);
  if (!row) throw notFound('User');
  const accounts = await findAssignedAccounts(ctx.db, id);
  return {
    ...presentStaffSummary(row),
    accounts: accounts.map((account) => ({ id: account.id, name: account.name, customName: account.custom_name, siteId: account.site_id })),
  };
}

async function requireStaff(ctx: Pick<ServiceContext, 'db'>, id: string): Promise<UserRow> {
  const user = await findStaffById(ctx.db, id);
  if (!user) throw notFound('User');
  return user;
}

/** Refuses a username whose domain is not approved, naming the approved domains. */
async function assertApprovedDomain(ctx: Pick<ServiceContext, 'db'>, username: string): Promise<void> {
  if (await isApprovedDomain(ctx.db, domainOf(username))) return;
  const domains = await findApprovedDomains(ctx.db);
  const message =
    domains.length === 0
      ? 'The username must be in an approved domain, and no domain is approved yet: an Administrator adds them in Settings → Domains.'
      : `The username must be in an approved domain: ${domains.join(', ')}.`;
  throw new AppError('validation_failed', message, { issues: [{ path: 'body.username', message }] });
}

async function assertAccountsExist(ctx: Pick<ServiceContext, 'db'>, accountIds: readonly string[]): Promise<string[]> {
  const unique = [...new Set(accountIds)];
  const existing = await findExistingAccountIds(ctx.db, unique);
  if (existing.length !== unique.length) throw notFound('Account');
  return unique;
}

function refuseAdministratorAssignment(): never {
  throw new AppError('validation_failed', ADMINISTRATOR_ASSIGNMENT_MESSAGE, {
    issues: [{ path: 'body.accountIds', message: ADMINISTRATOR_ASSIGNMENT_MESSAGE }],
  });
}

export async function createStaffUser(ctx: ServiceContext, input: CreateUserBody): Promise<UserDetailResponse> {
  const username = input.username.trim();
  await assertApprovedDomain(ctx, username);
  assertPasswordMeetsPolicy(ctx, input.password, username);
  if (input.role === ROLES.administrator && input.accountIds.length > 0) refuseAdministratorAssignment();
  const accountIds = await assertAccountsExist(ctx, input.accountIds);
  const passwordHash = await hashPassword(input.password);
  const user = await ctx.db.transaction().execute(async (trx) => {
    if (await findUserByUsername(trx, username)) {
      throw new AppError('conflict', `A user named ${username} already exists.`, {
        issues: [{ path: 'body.username', message: `A user named ${username} already exists.` }],
      });
    }
    const created = await insertUser(trx, {
      kind: 'staff',
      username,
      name: input.name.trim(),
      email: input.email?.trim() || null,
      password_hash: passwordHash,
      role: input.role,
      is_support_agent: input.isSupportAgent,
      password_changed_at: new Date(),
    });
    await insertAssignments(trx, created.id, accountIds);
    const trxCtx = { ...ctx, db: trx };
    await recordAudit(trxCtx, {
      action: 'user.created',
      targetType: 'user',
      targetId: created.id,
      details: { username, role: input.role, isSupportAgent: input.isSupportAgent },
    });
    if (accountIds.length > 0) {
      await recordAudit(trxCtx, {
        action: 'user.accounts_assigned',
        targetType: 'user',
        targetId: created.id,
        details: { username, accountIds },
      });
    }
    return created;
  });
  return getStaffUser(ctx, user.id);
}

export async function updateStaffUser(ctx: ServiceContext, id: string, input: UpdateUserBody): Promise<UserDetailResponse> {
  const actor = actorOf(ctx);
  const user = await requireStaff(ctx, id);
  const isRoleChange = input.role !== undefined && input.role !== user.role;
  if (isRoleChange && user.id === actor.userId) {
    throw new AppError('conflict', 'You cannot change your own role; ask another Administrator.');
  }
  if (input.password !== undefined) assertPasswordMeetsPolicy(ctx, input.password, user.username);

  const changes: UserUpdate = {};
  const changedFields: string[] = [];
  if (input.name !== undefined && input.name.trim() !== user.name) {
    changes.name = input.name.trim();
    changedFields.push('name');
  }
  if (input.email !== undefined) {
    const email = input.email?.trim() || null;
    if (email !== user.email) {
      changes.email = email;
      changedFields.push('email');
    }
  }
  if (input.isSupportAgent !== undefined && input.isSupportAgent !== user.is_support_agent) {
    changes.is_support_agent = input.isSupportAgent;
    changedFields.push('isSupportAgent');
  }
  if (input.password !== undefined) {
    changes.password_hash = await hashPassword(input.password);
    changes.password_changed_at = new Date();
    changedFields.push('password');
  }
  if (isRoleChange) changes.role = input.role;

  await ctx.db.transaction().execute(async (trx) => {
    const trxCtx = { ...ctx, db: trx };
    if (Object.keys(changes).length > 0) await updateUser(trx, id, changes);
    // A new password set by someone else ends the user's sessions, as a reset does.
    if (input.password !== undefined && id !== actor.userId) await deleteSessionsOfUser(trx, id);
    if (changedFields.length > 0) {
      await recordAudit(trxCtx, {
        action: 'user.edited',
        targetType: 'user',
        targetId: id,
        details: { username: user.username, fields: changedFields },
      });
    }
    if (isRoleChange && input.role !== undefined) {
      await recordAudit(trxCtx, {
        action: 'user.role_changed',
        targetType: 'user',
        targetId: id,
        details: { username: user.username, from: user.role, to: input.role, toLabel: ROLE_LABELS[input.role] },
      });
      // Administrators see every account: their assignments would be meaningless.
      if (input.role === ROLES.administrator) {
        const removed = await deleteAllAssignments(trx, id);
        if (removed.length > 0) {
          await recordAudit(trxCtx, {
            action: 'user.accounts_removed',
            targetType: 'user',
            targetId: id,
            details: { username: user.username, accountIds: removed, reason: 'became Administrator' },
          });
        }
      }
    }
  });
  return getStaffUser(ctx, id);
}

/** Makes the user's assignments exactly these accounts, recording what was added and removed. */
export async function setStaffUserAccounts(ctx: ServiceContext, id: string, accountIds: readonly string[]): Promise<UserDetailResponse> {
  const user = await requireStaff(ctx, id);
  const wanted = await assertAccountsExist(ctx, accountIds);
  if (user.role === ROLES.administrator && wanted.length > 0) refuseAdministratorAssignment();
  const current = await findAssignedAccountIds(ctx.db, id);
  const added = wanted.filter((accountId) => !current.includes(accountId));
  const removed = current.filter((accountId) => !wanted.includes(accountId));
  await applyAssignmentChanges(ctx, user, added, removed);
  return getStaffUser(ctx, id);
}

export async function assignStaffUserAccount(ctx: ServiceContext, id: string, accountId: string): Promise<UserDetailResponse> {
  const user = await requireStaff(ctx, id);
  await assertAccountsExist(ctx, [accountId]);
  if (user.role === ROLES.administrator) refuseAdministratorAssignment();
  const current = await findAssignedAccountIds(ctx.db, id);
  await applyAssignmentChanges(ctx, user, current.includes(accountId) ? [] : [accountId], []);
  return getStaffUser(ctx, id);
}

export async function removeStaffUserAccount(ctx: ServiceContext, id: string, accountId: string): Promise<UserDetailResponse> {
  const user = await requireStaff(ctx, id);
  const current = await findAssignedAccountIds(ctx.db, id);
  if (!current.includes(accountId)) throw notFound('Account assignment');
  await applyAssignmentChanges(ctx, user, [], [accountId]);
  return getStaffUser(ctx, id);
}

async function applyAssignmentChanges(ctx: ServiceContext, user: UserRow, added: string[], removed: string[]): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const trxCtx = { ...ctx, db: trx };
    await insertAssignments(trx, user.id, added);
    await deleteAssignments(trx, user.id, removed);
    if (added.length > 0) {
      await recordAudit(trxCtx, {
        action: 'user.accounts_assigned',
        targetType: 'user',
        targetId: user.id,
        details: { username: user.username, accountIds: added },
      });
    }
    if (removed.length > 0) {
      await recordAudit(trxCtx, {
        action: 'user.accounts_removed',
        targetType: 'user',
        targetId: user.id,
        details: { username: user.username, accountIds: removed },
      });
    }
  });
}

/**
 * Disables the user and ends their sessions at once (stricter than the seed, which lets a running
 * session go on); their API keys stop working too while they are disabled.
 */
export async function disableStaffUser(ctx: ServiceContext, id: string): Promise<UserDetailResponse> {
  const actor = actorOf(ctx);
  const user = await requireStaff(ctx, id);
  if (user.id === actor.userId) throw new AppError('conflict', 'You cannot disable your own user account.');
  if (!user.is_disabled) {
    await ctx.db.transaction().execute(async (trx) => {
      await updateUser(trx, id, { is_disabled: true });
      await deleteSessionsOfUser(trx, id);
      await recordAudit(
        { ...ctx, db: trx },
        { action: 'user.disabled', targetType: 'user', targetId: id, details: { username: user.username } },
      );
    });
  }
  return getStaffUser(ctx, id);
}

export async function enableStaffUser(ctx: ServiceContext, id: string): Promise<UserDetailResponse> {
  const user = await requireStaff(ctx, id);
  if (user.is_disabled) {
    await ctx.db.transaction().execute(async (trx) => {
      await updateUser(trx, id, { is_disabled: false });
      await recordAudit(
        { ...ctx, db: trx },
        { action: 'user.enabled', targetType: 'user', targetId: id, details: { username: user.username } },
      );
    });
  }
  return getStaffUser(ctx, id);
}

/**
 * Deletes a disabled staff user and transfers their objects to the successor, an enabled staff
 * user. What moves, stays or goes is USER_DELETION_OBJECTS: scans and imports, assigned support
 * cases and integrations move to the successor; the foreign keys do the rest (logos and
 * custom-name history keep their rows with the creator set to null; API keys, sessions and
 * assignments are deleted); audit entries have no foreign key and stay as they are.
 */
export async function deleteStaffUser(ctx: ServiceContext, id: string, successorUserId: string): Promise<DeletedUserResponse> {
  const actor = actorOf(ctx);
  const user = await requireStaff(ctx, id);
  if (user.id === actor.userId) throw new AppError('conflict', 'You cannot delete your own user account.');
  if (!user.is_disabled) {
    throw new AppError('conflict', `Disable ${user.username} before deleting them: only disabled users can be deleted.`);
  }
  const successor = await findStaffById(ctx.db, successorUserId);
  const successorProblem =
    !successor || successor.id === user.id
      ? 'Select another staff user as the new object owner.'
      : successor.is_disabled
        ? `${successor.username} is disabled: select an enabled user as the new object owner.`
        : null;
  if (successorProblem || !successor) {
    const message = successorProblem ?? 'Select another staff user as the new object owner.';
    throw new AppError('validation_failed', message, { issues: [{ path: 'query.successorUserId', message }] });
  }
  await ctx.db.transaction().execute(async (trx) => {
    await deleteSessionsOfUser(trx, id);
    // Historical scan results (imports) move to the new owner, as the seed's table says.
    const scansTransferred = await transferScans(trx, id, successor.id);
    // Support cases assigned to the user move to the new owner too (issue 7).
    const casesTransferred = await transferSupportCases(trx, id, successor.id);
    // Integrations the user created move to the new owner too (issue 8).
    const integrationsTransferred = await transferIntegrations(trx, id, successor.id);
    await deleteUserById(trx, id);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'user.deleted',
        targetType: 'user',
        targetId: id,
        details: {
          username: user.username,
          successorUserId: successor.id,
          successorUsername: successor.username,
          scansTransferred,
          casesTransferred,
          integrationsTransferred,
        },
      },
    );
  });
  return { id, successorUserId: successor.id };
}

/** Whether the username's domain is approved for this deployment (callers that word their own refusal). */
export function isUsernameInApprovedDomain(ctx: Pick<ServiceContext, 'db'>, username: string): Promise<boolean> {
  return isApprovedDomain(ctx.db, domainOf(username.trim()));
}
