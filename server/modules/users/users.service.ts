import { checkPassword } from '../../../common/password-policy.js';
import { ROLES, isRoleValue, type Actor } from '../../../common/permissions.js';
import type { MeResponse } from '../../../common/schemas/auth.js';
import type { UserRow } from '../../db/schema.js';
import { AppError } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { hashPassword } from '../../lib/crypto.js';
import { findUserByUsername, insertApprovedDomain, insertUser } from './users.repository.js';

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
