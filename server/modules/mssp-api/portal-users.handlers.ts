import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { isRoleValue, ROLE_VALUES } from '../../../common/permissions.js';
import { authorize, contextOf } from '../../http/authenticate.js';
import type { ServiceContext } from '../../lib/context.js';
import { generateStaffApiKeys } from '../api-keys/api-keys.service.js';
import {
  createStaffUser,
  deleteStaffUser,
  disableStaffUser,
  enableStaffUser,
  getStaffUser,
  isUsernameInApprovedDomain,
  listStaffUsers,
  updateStaffUser,
} from '../users/users.service.js';
import { gatewayBody, TENABLE_FORBIDDEN, TENABLE_NOT_FOUND, TenableError } from './mssp-api.errors.js';
import { portalContainerUuid, presentTenableUser } from './mssp-api.presenters.js';
import type { CreateTenableUserBody, UpdateTenableUserBody } from './mssp-api.schemas.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const APPROVED_DOMAIN_MESSAGE = "The username provided is not a part of the current Container's approved domains.";
const OWN_ENABLED_MESSAGE = 'You cannot change whether your own user account is enabled.';

/**
 * The MSSP API's guard: portal keys of staff users only. Contacts' keys and staff's temporary
 * child keys reach one customer instance, never the portal's API.
 */
export async function requirePortalKeys(request: FastifyRequest): Promise<void> {
  if (request.actor?.kind !== 'staff' || request.isChildKey) throw new TenableError(403, TENABLE_FORBIDDEN);
}

/** The id in the path, when it can name a portal user: anything else is simply not found. */
function existingId(id: string): string {
  if (!UUID_PATTERN.test(id)) throw new TenableError(404, TENABLE_NOT_FOUND);
  return id.toLowerCase();
}

function roleOf(permissions: number | undefined) {
  if (permissions === undefined) return undefined;
  if (!isRoleValue(permissions)) {
    throw new TenableError(400, { error: `Invalid permissions value ${permissions}: use one of ${ROLE_VALUES.join(', ')}.` });
  }
  return permissions;
}

function presentUser(ctx: ServiceContext, user: Parameters<typeof presentTenableUser>[0]) {
  return presentTenableUser(user, portalContainerUuid(ctx.config));
}

const onlyAdministrators = authorize('users:manage');

/**
 * /users with portal keys (tenable-api.md section 5): the portal's staff users, Administrators
 * only. Each call is one call of the users service behind the Users page, so its rules and audit
 * events are theirs. The /users routes (instance-users-api/users-api.routes.ts) pick this or an
 * instance's users by the caller's keys.
 */
export const portalUsersApi = {
  authorizeRead: onlyAdministrators,
  authorizeManage: onlyAdministrators,

  async list(request: FastifyRequest) {
    const ctx = contextOf(request);
    return { users: (await listStaffUsers(ctx)).items.map((user) => presentUser(ctx, user)) };
  },

  async get(request: FastifyRequest, id: string) {
    const ctx = contextOf(request);
    return presentUser(ctx, await getStaffUser(ctx, existingId(id)));
  },

  async create(request: FastifyRequest, body: z.infer<typeof CreateTenableUserBody>) {
    const ctx = contextOf(request);
    const role = roleOf(body.permissions);
    if (role === undefined) throw new TenableError(400, { error: 'permissions is required.' });
    if (!(await isUsernameInApprovedDomain(ctx, body.username))) throw new TenableError(400, { error: APPROVED_DOMAIN_MESSAGE });
    const user = await createStaffUser(ctx, {
      username: body.username,
      password: body.password,
      role,
      name: body.name || body.username,
      email: body.email,
      isSupportAgent: false,
      accountIds: [],
    });
    return presentUser(ctx, user);
  },

  async update(request: FastifyRequest, rawId: string, body: z.infer<typeof UpdateTenableUserBody>) {
    const ctx = contextOf(request);
    const id = existingId(rawId);
    const role = roleOf(body.permissions);
    const current = await getStaffUser(ctx, id);
    const isEnabledChange = body.enabled !== undefined && body.enabled === current.isDisabled;
    // Checked before anything changes, so a refused call changes nothing.
    if (isEnabledChange && id === ctx.actor?.userId) throw new TenableError(409, gatewayBody(409, OWN_ENABLED_MESSAGE));
    let user = await updateStaffUser(ctx, id, { name: body.name, email: body.email, role });
    if (isEnabledChange) user = body.enabled ? await enableStaffUser(ctx, id) : await disableStaffUser(ctx, id);
    return presentUser(ctx, user);
  },

  /** Deletes a disabled portal user; their objects go to the successor (default: the key's user). */
  async remove(request: FastifyRequest, rawId: string, successorId: string | undefined) {
    const ctx = contextOf(request);
    const id = existingId(rawId);
    const successor = successorId ?? ctx.actor?.userId ?? '';
    if (!UUID_PATTERN.test(successor)) throw new TenableError(400, { error: 'successor_user_uuid must be the UUID of a portal user.' });
    await deleteStaffUser(ctx, id, successor.toLowerCase());
  },

  async setEnabled(request: FastifyRequest, rawId: string, enabled: boolean) {
    const ctx = contextOf(request);
    const id = existingId(rawId);
    if (id === ctx.actor?.userId) throw new TenableError(409, gatewayBody(409, OWN_ENABLED_MESSAGE));
    const user = enabled ? await enableStaffUser(ctx, id) : await disableStaffUser(ctx, id);
    return presentUser(ctx, user);
  },

  async generateKeys(request: FastifyRequest, id: string) {
    const keys = await generateStaffApiKeys(contextOf(request), existingId(id));
    return { accessKey: keys.accessKey, secretKey: keys.secretKey };
  },
};
