import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AssistStartedResponse, StartAssistBody } from '../../../common/schemas/assist.js';
import { authorize, contextOf } from '../../http/authenticate.js';
import { AppError } from '../../lib/app-error.js';
import { clearAssistCookie, setAssistCookie } from './assist.cookie.js';
import { ALREADY_ASSISTING_MESSAGE, startAssist, stopAssist } from './assist.service.js';

/** No assist within an assist: said plainly, before the policy table (which would only say 403). */
async function refuseWhileAssisting(request: FastifyRequest): Promise<void> {
  if (request.actor?.assistedBy) throw new AppError('conflict', ALREADY_ASSISTING_MESSAGE);
}

function sessionIdOf(request: FastifyRequest): string {
  if (!request.session) throw new AppError('unauthenticated', 'Sign in to continue.');
  return request.session.id;
}

/** User assist: an Administrator acts as another staff user from their own session. */
export async function assistRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['assist'];
  const { config } = app.services;

  routes.post(
    '/api/assist',
    {
      preHandler: [refuseWhileAssisting, authorize('assist:start')],
      schema: {
        tags,
        summary: 'Start assisting a staff user (not an Administrator) with a reason; sets the assist cookie',
        body: StartAssistBody,
        response: { 201: AssistStartedResponse },
      },
    },
    async (request, reply) => {
      const started = await startAssist(contextOf(request), sessionIdOf(request), request.body);
      setAssistCookie(reply, config, started.token);
      return reply.status(201).send(started.response);
    },
  );

  routes.post(
    '/api/assist/stop',
    {
      preHandler: authorize('assist:stop'),
      schema: { tags, summary: 'Stop assisting; back to your own session', response: { 204: z.null() } },
    },
    async (request, reply) => {
      await stopAssist(contextOf(request), sessionIdOf(request));
      clearAssistCookie(reply);
      return reply.status(204).send(null);
    },
  );
}
