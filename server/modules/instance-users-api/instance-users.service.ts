import { can, isRoleValue, ROLE_VALUES, type Actor, type RoleValue } from '../../../common/permissions.js';
import type { GeneratedApiKeysResponse } from '../../../common/schemas/api-keys.js';
import type { UserUpdate } from '../../db/schema.js';
import { AppError, notFound } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { hashPassword, verifyPassword } from '../../lib/crypto.js';
import { generateApiKeysFor } from '../api-keys/api-keys.service.js';
import { recordAudit } from '../audit/audit.service.js';
import { freeSupportPin } from '../contacts/contacts.service.js';
import {
  deleteSessionsOfUser,
  deleteUserById,
  findUserByUsername,
  insertUser,
  transferScans,
  updateUser,
} from '../users/users.repository.js';
import { assertPasswordMeetsPolicy, isUsernameInApprovedDomain } from '../users/users.service.js';
import {
  findInstanceUser,
  findInstanceUsers,
  findUserWithKeyUse,
  type InstanceUserRef,
  type InstanceUserRow,
} from './instance-users.repository.js';

/**
 * An instance's users (the contacts of its account) through the Tenable-compatible API. The routes
 * authorize by the policy table ('instance:read' to read, 'instance-users:manage' to write); these
 * functions hold the rules: scoped to the one instance the keys reach (another instance's user is
 * not found), no changing your own enabled flag or role and no deleting yourself (409), Tenable's
 * approved-domain and password rules, and an audit event for every change. The portal's contacts
 * service is not reused as such because it scopes by the staff user's assigned accounts, which a
 * contact's keys do not have; its Support PIN and the users module's rules are.
 */
export type InstanceContext = ServiceContext & { accountId: string };

export const APPROVED_DOMAIN_MESSAGE = "The username provided is not a part of the current Container's approved domains.";

function actorOf(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new AppError('unauthenticated', 'Invalid credentials.');
  return ctx.actor;
}

function roleOf(permissions: number): RoleValue {
  if (!isRoleValue(permissions)) {
    throw new AppError('validation_failed', `Invalid permissions value ${permissions}: use one of ${ROLE_VALUES.join(', ')}.`);
  }
  return permissions;
}

export function listInstanceUsers(ctx: InstanceContext): Promise<InstanceUserRow[]> {
  return findInstanceUsers(ctx.db, ctx.accountId);
}

export async function getInstanceUser(ctx: InstanceContext, ref: InstanceUserRef): Promise<InstanceUserRow> {
  const user = await findInstanceUser(ctx.db, ctx.accountId, ref);
  if (!user) throw notFound('User');
  return user;
}

async function reload(ctx: InstanceContext, id: string): Promise<InstanceUserRow> {
  return getInstanceUser(ctx, { uuid: id });
}

export interface NewInstanceUser {
  username: string;
  password: string;
  permissions: number;
  name?: string;
  email?: string | null;
}

/** POST /users: a new contact of the instance's account, who may sign in at once with the password. */
export async function createInstanceUser(ctx: InstanceContext, input: NewInstanceUser): Promise<InstanceUserRow> {
  const role = roleOf(input.permissions);
  const username = input.username.trim();
  if (!(await isUsernameInApprovedDomain(ctx, username))) throw new AppError('validation_failed', APPROVED_DOMAIN_MESSAGE);
  assertPasswordMeetsPolicy(ctx, input.password, username);
  const passwordHash = await hashPassword(input.password);
  const created = await ctx.db.transaction().execute(async (trx) => {
    if (await findUserByUsername(trx, username)) throw new AppError('conflict', `A user named ${username} already exists.`);
    const user = await insertUser(trx, {
      kind: 'contact',
      username,
      name: input.name?.trim() || username,
      email: input.email?.trim() || null,
      password_hash: passwordHash,
      password_changed_at: new Date(),
      role,
      account_id: ctx.accountId,
      support_pin: await freeSupportPin(trx),
    });
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'instance_user.created',
        targetType: 'user',
        targetId: user.id,
        accountId: ctx.accountId,
        details: { username, role },
      },
    );
    return user;
  });
  return reload(ctx, created.id);
}

export interface InstanceUserChanges {
  permissions?: number;
  name?: string;
  email?: string | null;
  enabled?: boolean;
}

/** Which columns change and their audit names; unchanged values are left out. */
function changesOf(user: InstanceUserRow, input: InstanceUserChanges): { changes: UserUpdate; fields: string[] } {
  const changes: UserUpdate = {};
  const fields: string[] = [];
  if (input.permissions !== undefined && input.permissions !== user.role) {
    changes.role = roleOf(input.permissions);
    fields.push('permissions');
  }
  if (input.name !== undefined && input.name.trim() !== user.name) {
    changes.name = input.name.trim();
    fields.push('name');
  }
  const email = input.email === undefined ? undefined : input.email?.trim() || null;
  if (email !== undefined && email !== user.email) {
    changes.email = email;
    fields.push('email');
  }
  if (input.enabled !== undefined && input.enabled === user.is_disabled) {
    changes.is_disabled = !input.enabled;
    fields.push('enabled');
  }
  return { changes, fields };
}

/**
 * PUT /users/{id} and PUT /users/{id}/enabled. Your own enabled flag and role cannot change (409),
 * so an Administrator cannot lock themselves out; checked before anything is written. Disabling a
 * user ends their sessions, and their keys stop working while they are disabled.
 */
export async function updateInstanceUser(ctx: InstanceContext, ref: InstanceUserRef, input: InstanceUserChanges): Promise<InstanceUserRow> {
  const actor = actorOf(ctx);
  const user = await getInstanceUser(ctx, ref);
  const { changes, fields } = changesOf(user, input);
  if (user.id === actor.userId && fields.includes('enabled')) {
    throw new AppError('conflict', 'You cannot change whether your own user account is enabled.');
  }
  if (user.id === actor.userId && fields.includes('permissions')) throw new AppError('conflict', 'You cannot change your own role.');
  if (fields.length === 0) return user;
  await ctx.db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, changes);
    if (changes.is_disabled === true) await deleteSessionsOfUser(trx, user.id);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'instance_user.edited',
        targetType: 'user',
        targetId: user.id,
        accountId: ctx.accountId,
        details: { username: user.username, fields, ...(changes.role === undefined ? {} : { from: user.role, to: changes.role }) },
      },
    );
  });
  return reload(ctx, user.id);
}

/**
 * DELETE /users/{id}: the user's scans move to the successor (an enabled user of the same
 * instance; by default the caller, when the caller is one), then the user, their sessions and
 * keys are deleted. Deleting yourself is a conflict.
 */
export async function deleteInstanceUser(ctx: InstanceContext, ref: InstanceUserRef, successorRef?: InstanceUserRef): Promise<void> {
  const actor = actorOf(ctx);
  const user = await getInstanceUser(ctx, ref);
  if (user.id === actor.userId) throw new AppError('conflict', 'You cannot delete your own user account.');
  const successor = await findInstanceUser(ctx.db, ctx.accountId, successorRef ?? { uuid: actor.userId });
  if (!successor || successor.id === user.id || successor.is_disabled) {
    throw new AppError('validation_failed', 'successor_user_uuid must name another enabled user of this instance, who receives the scans.');
  }
  await ctx.db.transaction().execute(async (trx) => {
    await deleteSessionsOfUser(trx, user.id);
    const scansTransferred = await transferScans(trx, user.id, successor.id);
    await deleteUserById(trx, user.id);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'instance_user.deleted',
        targetType: 'user',
        targetId: user.id,
        accountId: ctx.accountId,
        details: { username: user.username, successorUserId: successor.id, successorUsername: successor.username, scansTransferred },
      },
    );
  });
}

/** PUT /users/{id}/keys: a new pair for the user, replacing the previous one at once. */
export async function generateInstanceUserKeys(ctx: InstanceContext, ref: InstanceUserRef): Promise<GeneratedApiKeysResponse> {
  return generateApiKeysFor(ctx, await getInstanceUser(ctx, ref));
}

/**
 * PUT /users/{id}/chpasswd and PUT /session/chpasswd. Any user may change their own password,
 * with the current one; an Administrator may set another user's without it, and that user's
 * sessions end, as after a reset.
 */
export async function changeInstanceUserPassword(
  ctx: InstanceContext,
  ref: InstanceUserRef,
  input: { password: string; currentPassword?: string },
): Promise<void> {
  const actor = actorOf(ctx);
  const user = await getInstanceUser(ctx, ref);
  const isSelf = user.id === actor.userId;
  if (!isSelf && !can(actor, 'instance-users:manage', { accountId: ctx.accountId })) {
    throw new AppError('forbidden', "Only Administrators set other users' passwords.");
  }
  if (isSelf) {
    const isCurrentRight =
      user.password_hash !== null &&
      input.currentPassword !== undefined &&
      (await verifyPassword(user.password_hash, input.currentPassword));
    if (!isCurrentRight) throw new AppError('validation_failed', 'The current password is not correct.');
  }
  assertPasswordMeetsPolicy(ctx, input.password, user.username);
  const passwordHash = await hashPassword(input.password);
  await ctx.db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { password_hash: passwordHash, password_changed_at: new Date() });
    if (!isSelf) await deleteSessionsOfUser(trx, user.id);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'instance_user.edited',
        targetType: 'user',
        targetId: user.id,
        accountId: ctx.accountId,
        details: { username: user.username, fields: ['password'] },
      },
    );
  });
}

/* ---- The session: the caller's own user ---- */

/** The caller's own user row: a contact of the instance, or the staff user holding child keys. */
export async function getSessionUser(ctx: InstanceContext) {
  const user = await findUserWithKeyUse(ctx.db, actorOf(ctx).userId);
  if (!user) throw new AppError('unauthenticated', 'Invalid credentials.');
  return user;
}

/**
 * The caller as one of this instance's users. Staff reach an instance only through child keys and
 * are not its users: changing their profile or minting lasting keys here is refused (their own
 * keys would be portal keys, which never reach an instance).
 */
function ownInstanceUserRef(ctx: InstanceContext): InstanceUserRef {
  const actor = actorOf(ctx);
  if (actor.kind !== 'contact' || actor.accountId !== ctx.accountId) {
    throw new AppError('forbidden', "Only the instance's own users have a profile and keys here.");
  }
  return { uuid: actor.userId };
}

/** PUT /session: your own name and email. */
export async function updateOwnProfile(ctx: InstanceContext, input: { name?: string; email?: string | null }): Promise<InstanceUserRow> {
  return updateInstanceUser(ctx, ownInstanceUserRef(ctx), { name: input.name, email: input.email });
}

/** PUT /session/keys: your own new pair, replacing the previous one. */
export async function generateOwnInstanceKeys(ctx: InstanceContext): Promise<GeneratedApiKeysResponse> {
  return generateInstanceUserKeys(ctx, ownInstanceUserRef(ctx));
}

/** PUT /session/chpasswd: your own password (the current one is required). */
export async function changeOwnPassword(ctx: InstanceContext, input: { password: string; currentPassword?: string }): Promise<void> {
  await changeInstanceUserPassword(ctx, ownInstanceUserRef(ctx), input);
}
