import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acceptEmptyJsonBodies, instanceGate } from '../instance-api/instance-api.js';
import { TENABLE_NOT_FOUND, TenableError, tenableErrorHandler } from '../mssp-api/mssp-api.errors.js';
import {
  CreateTenableUserBody,
  DeleteTenableUserQuery,
  EmptyResponse,
  SetEnabledBody,
  TenableKeys,
  TenableUser,
  TenableUserList,
  UpdateTenableUserBody,
  UserIdParams,
} from '../mssp-api/mssp-api.schemas.js';
import { portalUsersApi, requirePortalKeys } from '../mssp-api/portal-users.handlers.js';
import { instanceUsersApi } from './instance-users.handlers.js';
import { ChangePasswordBody, InstanceUser, InstanceUserList } from './instance-users.schemas.js';

/** An instance's keys reach its users; portal keys (instanceAccountId null) the portal's staff. */
function isInstanceCaller(request: FastifyRequest): boolean {
  return request.instanceAccountId !== null;
}

function usersApiOf(request: FastifyRequest) {
  return isInstanceCaller(request) ? instanceUsersApi : portalUsersApi;
}

const readers = { onRequest: (request: FastifyRequest) => usersApiOf(request).authorizeRead(request) };
const managers = { onRequest: (request: FastifyRequest) => usersApiOf(request).authorizeManage(request) };

/** Either shape, as the caller's keys decide; the response schema is still the final filter. */
const AnyUser = z.union([InstanceUser, TenableUser]);
const AnyUserList = z.union([InstanceUserList, TenableUserList]);

/**
 * /users… (tenable-api.md section 5) for both kinds of keys, since Fastify serves one route per
 * path: with an instance's keys (a contact's, or staff child keys) these are that instance's users
 * behind the instance gate (instance-users.handlers.ts); with portal keys, the portal's staff users
 * behind the MSSP API's guard (mssp-api/portal-users.handlers.ts). Each side keeps its own rules.
 */
export async function usersApiRoutes(app: FastifyInstance): Promise<void> {
  app.setErrorHandler(tenableErrorHandler);
  acceptEmptyJsonBodies(app);
  app.addHook('onRequest', async (request) => (isInstanceCaller(request) ? instanceGate(request) : requirePortalKeys(request)));

  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tenable-users'];

  routes.get(
    '/users',
    {
      ...readers,
      schema: { tags, summary: "The instance's users (instance keys) or the portal's staff (portal keys)", response: { 200: AnyUserList } },
    },
    async (request) => usersApiOf(request).list(request),
  );

  routes.get(
    '/users/:user_id',
    {
      ...readers,
      schema: {
        tags,
        summary: "One user, by id or uuid; another instance's user is not found",
        params: UserIdParams,
        response: { 200: AnyUser },
      },
    },
    async (request) => usersApiOf(request).get(request, request.params.user_id),
  );

  routes.post(
    '/users',
    {
      ...managers,
      schema: {
        tags,
        summary: 'Create a user (username in an approved domain; password per the policy); Administrators',
        body: CreateTenableUserBody,
        response: { 200: AnyUser },
      },
    },
    async (request) => usersApiOf(request).create(request, request.body),
  );

  routes.put(
    '/users/:user_id',
    {
      ...managers,
      schema: {
        tags,
        summary: 'Edit a user: permissions, name, email, enabled (not your own enabled flag or role: 409)',
        params: UserIdParams,
        body: UpdateTenableUserBody,
        response: { 200: AnyUser },
      },
    },
    async (request) => usersApiOf(request).update(request, request.params.user_id, request.body ?? {}),
  );

  routes.delete(
    '/users/:user_id',
    {
      ...managers,
      schema: {
        tags,
        summary: "Delete a user; their scans go to successor_user_uuid (default: the key's user); not yourself (409)",
        params: UserIdParams,
        querystring: DeleteTenableUserQuery,
        response: { 200: EmptyResponse },
      },
    },
    async (request) => {
      await usersApiOf(request).remove(request, request.params.user_id, request.query.successor_user_uuid);
      return {};
    },
  );

  routes.put(
    '/users/:user_id/enabled',
    {
      ...managers,
      schema: {
        tags,
        summary: 'Enable or disable a user (not yourself: 409)',
        params: UserIdParams,
        body: SetEnabledBody,
        response: { 200: AnyUser },
      },
    },
    async (request) => usersApiOf(request).setEnabled(request, request.params.user_id, request.body.enabled),
  );

  routes.put(
    '/users/:user_id/keys',
    {
      ...managers,
      schema: {
        tags,
        summary: "Replace a user's API keys; the new pair is shown once",
        params: UserIdParams,
        response: { 200: TenableKeys },
      },
    },
    async (request) => usersApiOf(request).generateKeys(request, request.params.user_id),
  );

  routes.put(
    '/users/:user_id/chpasswd',
    {
      ...readers,
      schema: {
        tags,
        summary: "Change a password: your own with current_password, another user's as an Administrator (instance keys only)",
        params: UserIdParams,
        body: ChangePasswordBody,
        response: { 200: EmptyResponse },
      },
    },
    async (request) => {
      // The portal's staff change passwords in the web app (with their second factor), not here.
      if (!isInstanceCaller(request)) throw new TenableError(404, TENABLE_NOT_FOUND);
      await instanceUsersApi.changePassword(request, request.params.user_id, request.body);
      return {};
    },
  );
}
