import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  CreateUserBody,
  DeletedUserResponse,
  DeleteUserQuery,
  SetUserAccountsBody,
  UpdateUserBody,
  UserAccountParams,
  UserDetailResponse,
  UserIdParams,
  UserListResponse,
} from '../../../common/schemas/users.js';
import { authorize, contextOf } from '../../http/authenticate.js';
import {
  assignStaffUserAccount,
  createStaffUser,
  deleteStaffUser,
  disableStaffUser,
  enableStaffUser,
  getStaffUser,
  listStaffUsers,
  removeStaffUserAccount,
  setStaffUserAccounts,
  updateStaffUser,
} from './users.service.js';

/** The Users page: staff management, Administrators only. */
export async function usersRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['users'];
  const preHandler = authorize('users:manage');

  routes.get(
    '/api/admin/users',
    { preHandler, schema: { tags, summary: 'Every staff user, for the users table', response: { 200: UserListResponse } } },
    async (request) => listStaffUsers(contextOf(request)),
  );

  routes.post(
    '/api/admin/users',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Create a staff user (username in an approved domain)',
        body: CreateUserBody,
        response: { 201: UserDetailResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await createStaffUser(contextOf(request), request.body)),
  );

  routes.get(
    '/api/admin/users/:id',
    {
      preHandler,
      schema: { tags, summary: 'A staff user with their assigned accounts', params: UserIdParams, response: { 200: UserDetailResponse } },
    },
    async (request) => getStaffUser(contextOf(request), request.params.id),
  );

  routes.patch(
    '/api/admin/users/:id',
    {
      preHandler,
      schema: { tags, summary: 'Edit a staff user', params: UserIdParams, body: UpdateUserBody, response: { 200: UserDetailResponse } },
    },
    async (request) => updateStaffUser(contextOf(request), request.params.id, request.body),
  );

  routes.put(
    '/api/admin/users/:id/accounts',
    {
      preHandler,
      schema: {
        tags,
        summary: "Set the user's assigned accounts (non-administrators only)",
        params: UserIdParams,
        body: SetUserAccountsBody,
        response: { 200: UserDetailResponse },
      },
    },
    async (request) => setStaffUserAccounts(contextOf(request), request.params.id, request.body.accountIds),
  );

  routes.post(
    '/api/admin/users/:id/accounts/:accountId',
    {
      preHandler,
      schema: { tags, summary: 'Assign the user to one account', params: UserAccountParams, response: { 200: UserDetailResponse } },
    },
    async (request) => assignStaffUserAccount(contextOf(request), request.params.id, request.params.accountId),
  );

  routes.delete(
    '/api/admin/users/:id/accounts/:accountId',
    {
      preHandler,
      schema: { tags, summary: 'Remove the user from one account', params: UserAccountParams, response: { 200: UserDetailResponse } },
    },
    async (request) => removeStaffUserAccount(contextOf(request), request.params.id, request.params.accountId),
  );

  routes.post(
    '/api/admin/users/:id/disable',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Disable a user: their sessions end and their API keys stop working',
        params: UserIdParams,
        response: { 200: UserDetailResponse },
      },
    },
    async (request) => disableStaffUser(contextOf(request), request.params.id),
  );

  routes.post(
    '/api/admin/users/:id/enable',
    { preHandler, schema: { tags, summary: 'Enable a disabled user', params: UserIdParams, response: { 200: UserDetailResponse } } },
    async (request) => enableStaffUser(contextOf(request), request.params.id),
  );

  routes.delete(
    '/api/admin/users/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Delete a disabled user, transferring their objects to successorUserId',
        params: UserIdParams,
        querystring: DeleteUserQuery,
        response: { 200: DeletedUserResponse },
      },
    },
    async (request) => deleteStaffUser(contextOf(request), request.params.id, request.query.successorUserId),
  );
}
