import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AccountListResponse, ListAccountsQuery } from '../../../common/schemas/accounts.js';
import { authorize, contextOf } from '../../http/authenticate.js';
import { listAccounts } from './accounts.service.js';

export async function accountsRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/accounts',
    {
      preHandler: authorize('accounts:list'),
      schema: {
        tags: ['accounts'],
        summary: 'Customer accounts the caller may see, searched, sorted and paged on the server',
        querystring: ListAccountsQuery,
        response: { 200: AccountListResponse },
      },
    },
    async (request) => listAccounts(contextOf(request), request.query),
  );
}
