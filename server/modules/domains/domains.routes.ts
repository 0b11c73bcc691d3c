import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AddDomainBody, DomainListResponse, DomainParams, DomainResponse } from '../../../common/schemas/domains.js';
import { authorize, contextOf } from '../../http/authenticate.js';
import { addDomain, listDomains, removeDomain } from './domains.service.js';

/** Settings → Domains: the domains staff usernames may be in. */
export async function domainsRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['domains'];
  const preHandler = authorize('settings:manage');

  routes.get(
    '/api/admin/domains',
    {
      preHandler,
      schema: { tags, summary: 'Approved username domains, with how many users use each', response: { 200: DomainListResponse } },
    },
    async (request) => listDomains(contextOf(request)),
  );

  routes.post(
    '/api/admin/domains',
    { preHandler, schema: { tags, summary: 'Approve a username domain', body: AddDomainBody, response: { 201: DomainResponse } } },
    async (request, reply) => reply.status(201).send(await addDomain(contextOf(request), request.body.domain)),
  );

  routes.delete(
    '/api/admin/domains/:domain',
    { preHandler, schema: { tags, summary: 'Remove an approved domain no user is in', params: DomainParams } },
    async (request, reply) => {
      await removeDomain(contextOf(request), request.params.domain);
      return reply.status(204).send();
    },
  );
}
