import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ApiKeysStatusResponse, GeneratedApiKeysResponse } from '../../../common/schemas/api-keys.js';
import { UserIdParams } from '../../../common/schemas/users.js';
import { authorize, contextOf } from '../../http/authenticate.js';
import { generateOwnApiKeys, generateStaffApiKeys, getOwnApiKeysStatus } from './api-keys.service.js';

/** API keys for the MSSP portal API: your own (My Account) and, for Administrators, another user's. */
export async function apiKeysRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['api-keys'];

  routes.get(
    '/api/me/api-keys',
    {
      preHandler: authorize('self:read'),
      schema: {
        tags,
        summary: 'Whether you have API keys and when they were last used (never the keys)',
        response: { 200: ApiKeysStatusResponse },
      },
    },
    async (request) => getOwnApiKeysStatus(contextOf(request)),
  );

  routes.post(
    '/api/me/api-keys',
    {
      preHandler: authorize('self:manage'),
      schema: {
        tags,
        summary: 'Generate your API keys, replacing any previous pair; shown once',
        response: { 201: GeneratedApiKeysResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await generateOwnApiKeys(contextOf(request))),
  );

  routes.post(
    '/api/admin/users/:id/api-keys',
    {
      preHandler: authorize('users:manage'),
      schema: {
        tags,
        summary: "Generate a staff user's API keys, replacing any previous pair; shown once",
        params: UserIdParams,
        response: { 201: GeneratedApiKeysResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await generateStaffApiKeys(contextOf(request), request.params.id)),
  );
}
