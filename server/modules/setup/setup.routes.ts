import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { SessionResponse, TokenBody } from '../../../common/schemas/auth.js';
import { CompleteSetupBody, SetupStatusResponse } from '../../../common/schemas/setup.js';
import { contextOf } from '../../http/authenticate.js';
import { openSession } from '../auth/auth.service.js';
import { presentSession, setSessionCookie } from '../auth/auth.routes.js';
import { assertUsableSetupToken, completeSetup, isSetupNeeded } from './setup.service.js';

export async function setupRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { config } = app.services;

  routes.get(
    '/api/setup/status',
    {
      config: { isPublic: true },
      schema: {
        tags: ['setup'],
        summary: 'Whether the first Administrator is still to be created',
        response: { 200: SetupStatusResponse },
      },
    },
    async (request) => ({ isSetupNeeded: await isSetupNeeded(contextOf(request)) }),
  );

  routes.post(
    '/api/setup/inspect',
    {
      config: { isPublic: true },
      schema: { tags: ['setup'], summary: 'Check a setup link', body: TokenBody, response: { 200: SetupStatusResponse } },
    },
    async (request) => {
      await assertUsableSetupToken(contextOf(request), request.body.token);
      return { isSetupNeeded: true };
    },
  );

  routes.post(
    '/api/setup',
    {
      config: { isPublic: true },
      schema: {
        tags: ['setup'],
        summary: 'Create the first Administrator with the one-time setup link',
        body: CompleteSetupBody,
        response: { 201: SessionResponse },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const user = await completeSetup(ctx, request.body);
      const signedIn = await openSession(ctx, user);
      setSessionCookie(reply, config, signedIn.token);
      return reply.status(201).send(presentSession(config, signedIn));
    },
  );
}
