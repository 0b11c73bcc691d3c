import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { instanceContextOf, requireInInstance, useInstanceApi } from '../instance-api/instance-api.js';
import { tenableErrorHandler } from '../mssp-api/mssp-api.errors.js';
import { EmptyResponse, TenableKeys } from '../mssp-api/mssp-api.schemas.js';
import { presentInstanceUser } from './instance-users.presenters.js';
import {
  ChangePasswordBody,
  InstanceUser,
  ServerProperties,
  ServerStatus,
  SessionResponse,
  UpdateSessionBody,
} from './instance-users.schemas.js';
import { changeOwnPassword, generateOwnInstanceKeys, updateOwnProfile } from './instance-users.service.js';
import { describeServer, describeSession } from './session-and-server.service.js';
import { usersApiRoutes } from './users-api.routes.js';

/** GET /server/status: public, as Tenable's; it says only that the server answers. */
async function serverStatusRoutes(app: FastifyInstance): Promise<void> {
  app.setErrorHandler(tenableErrorHandler);
  app.withTypeProvider<ZodTypeProvider>().get(
    '/server/status',
    {
      config: { isPublic: true },
      schema: { tags: ['tenable-server'], summary: 'Whether the server is ready (no keys needed)', response: { 200: ServerStatus } },
    },
    async () => ({ code: 200 as const, status: 'ready' as const }),
  );
}

/** The session (the caller's own user) and the instance's server properties, behind the instance gate. */
async function sessionRoutes(app: FastifyInstance): Promise<void> {
  useInstanceApi(app);
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tenable-session'];
  const anyUser = { onRequest: requireInInstance('instance:read') };

  routes.get(
    '/session',
    { ...anyUser, schema: { tags, summary: "The caller's user and the instance's container", response: { 200: SessionResponse } } },
    async (request) => describeSession(instanceContextOf(request)),
  );

  routes.put(
    '/session',
    {
      ...anyUser,
      schema: {
        tags,
        summary: "Change your own name and email (the instance's own users)",
        body: UpdateSessionBody,
        response: { 200: InstanceUser },
      },
    },
    async (request) => {
      const ctx = instanceContextOf(request);
      return presentInstanceUser(await updateOwnProfile(ctx, request.body ?? {}), ctx.accountId);
    },
  );

  routes.put(
    '/session/keys',
    {
      ...anyUser,
      schema: { tags, summary: 'Replace your own API keys; shown once (not with child keys)', response: { 200: TenableKeys } },
    },
    async (request) => {
      const keys = await generateOwnInstanceKeys(instanceContextOf(request));
      return { accessKey: keys.accessKey, secretKey: keys.secretKey };
    },
  );

  routes.put(
    '/session/chpasswd',
    {
      ...anyUser,
      schema: {
        tags,
        summary: 'Change your own password (current_password required)',
        body: ChangePasswordBody,
        response: { 200: EmptyResponse },
      },
    },
    async (request) => {
      await changeOwnPassword(instanceContextOf(request), {
        password: request.body.password,
        currentPassword: request.body.current_password,
      });
      return {};
    },
  );

  routes.get(
    '/server/properties',
    {
      ...anyUser,
      schema: { tags: ['tenable-server'], summary: "The server's and instance's properties", response: { 200: ServerProperties } },
    },
    async (request) => describeServer(instanceContextOf(request)),
  );
}

/**
 * An instance's users, their keys, the session and server information (tenable-api.md section 5).
 * Three sibling contexts, because their gates differ: /server/status is public, /session and
 * /server/properties are an instance's, and /users serves portal keys and an instance's keys alike.
 */
export async function instanceUsersApiRoutes(app: FastifyInstance): Promise<void> {
  await app.register(serverStatusRoutes);
  await app.register(sessionRoutes);
  await app.register(usersApiRoutes);
}
