import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { TENABLE_NOT_FOUND, TenableError } from '../mssp-api/mssp-api.errors.js';
import type { CreateTenableUserBody, UpdateTenableUserBody } from '../mssp-api/mssp-api.schemas.js';
import { instanceContextOf, requireInInstance } from '../instance-api/instance-api.js';
import type { InstanceUserRef } from './instance-users.repository.js';
import { presentInstanceUser } from './instance-users.presenters.js';
import {
  changeInstanceUserPassword,
  createInstanceUser,
  deleteInstanceUser,
  generateInstanceUserKeys,
  getInstanceUser,
  listInstanceUsers,
  updateInstanceUser,
} from './instance-users.service.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The integer ids are at most 2^52 (16 decimal digits). */
const INTEGER_ID_PATTERN = /^\d{1,16}$/;

function parseInstanceUserRef(id: string): InstanceUserRef | null {
  if (UUID_PATTERN.test(id)) return { uuid: id.toLowerCase() };
  if (INTEGER_ID_PATTERN.test(id)) return { integerId: Number(id) };
  return null;
}

/** The id or uuid in a path; anything that cannot name a user is simply not found. */
function instanceUserRefOf(id: string): InstanceUserRef {
  const ref = parseInstanceUserRef(id);
  if (!ref) throw new TenableError(404, TENABLE_NOT_FOUND);
  return ref;
}

/**
 * /users with an instance's keys (a contact's, or a staff user's child keys): that instance's
 * users. Reads need Basic ('instance:read'; Tenable lets any user list the container's users),
 * changes need Administrator ('instance-users:manage'). The /users routes (users-api.routes.ts)
 * pick this or the portal's staff users by the caller's keys.
 */
export const instanceUsersApi = {
  authorizeRead: requireInInstance('instance:read'),
  authorizeManage: requireInInstance('instance-users:manage'),

  async list(request: FastifyRequest) {
    const ctx = instanceContextOf(request);
    return { users: (await listInstanceUsers(ctx)).map((user) => presentInstanceUser(user, ctx.accountId)) };
  },

  async get(request: FastifyRequest, id: string) {
    const ctx = instanceContextOf(request);
    return presentInstanceUser(await getInstanceUser(ctx, instanceUserRefOf(id)), ctx.accountId);
  },

  async create(request: FastifyRequest, body: z.infer<typeof CreateTenableUserBody>) {
    const ctx = instanceContextOf(request);
    return presentInstanceUser(await createInstanceUser(ctx, body), ctx.accountId);
  },

  async update(request: FastifyRequest, id: string, body: z.infer<typeof UpdateTenableUserBody>) {
    const ctx = instanceContextOf(request);
    return presentInstanceUser(await updateInstanceUser(ctx, instanceUserRefOf(id), body), ctx.accountId);
  },

  async remove(request: FastifyRequest, id: string, successorId: string | undefined) {
    const ctx = instanceContextOf(request);
    const ref = instanceUserRefOf(id);
    // A successor that cannot name a user is bad input (400), not a missing path (404).
    const successor = successorId === undefined ? undefined : parseInstanceUserRef(successorId);
    if (successor === null) throw new TenableError(400, { error: 'successor_user_uuid must name another enabled user of this instance.' });
    await deleteInstanceUser(ctx, ref, successor);
  },

  async setEnabled(request: FastifyRequest, id: string, enabled: boolean) {
    const ctx = instanceContextOf(request);
    return presentInstanceUser(await updateInstanceUser(ctx, instanceUserRefOf(id), { enabled }), ctx.accountId);
  },

  async generateKeys(request: FastifyRequest, id: string) {
    const keys = await generateInstanceUserKeys(instanceContextOf(request), instanceUserRefOf(id));
    return { accessKey: keys.accessKey, secretKey: keys.secretKey };
  },

  async changePassword(request: FastifyRequest, id: string, body: { password: string; current_password?: string }) {
    await changeInstanceUserPassword(instanceContextOf(request), instanceUserRefOf(id), {
      password: body.password,
      currentPassword: body.current_password,
    });
  },
};
