import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  AccountDetailsResponse,
  AccountIdParams,
  AccountListResponse,
  CreateAccountBody,
  ListAccountsQuery,
  UpdateAccountBody,
} from '../../../common/schemas/accounts.js';
import { authorize, contextOf } from '../../http/authenticate.js';
import { createAccount, getAccount, listAccounts, setAccountActivation, updateAccount } from './accounts.service.js';

export async function accountsRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
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
    async (request) => listAccounts(contextOf(request), request.query, request.directoryVersion),
  );

  routes.post(
    '/api/accounts',
    {
      preHandler: authorize('accounts:manage'),
      schema: {
        tags: ['accounts'],
        summary: 'Create a customer account and its instance (the account id is the container UUID)',
        body: CreateAccountBody,
        response: { 201: AccountDetailsResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await createAccount(contextOf(request), request.body)),
  );

  routes.get(
    '/api/accounts/:id',
    {
      // Staff see the accounts in their scope; any other id answers 404 from the repository.
      preHandler: authorize('accounts:list'),
      schema: {
        tags: ['accounts'],
        summary: 'One account: licences, subscriptions, contacts and the custom name history',
        params: AccountIdParams,
        response: { 200: AccountDetailsResponse },
      },
    },
    async (request) => getAccount(contextOf(request), request.params.id),
  );

  routes.patch(
    '/api/accounts/:id',
    {
      preHandler: authorize('accounts:manage'),
      schema: {
        tags: ['accounts'],
        summary: 'Edit an account (custom name changes are recorded in its history)',
        params: AccountIdParams,
        body: UpdateAccountBody,
        response: { 200: AccountDetailsResponse },
      },
    },
    async (request) => updateAccount(contextOf(request), request.params.id, request.body),
  );

  routes.post(
    '/api/accounts/:id/deactivate',
    {
      preHandler: authorize('accounts:manage'),
      schema: {
        tags: ['accounts'],
        summary: "Deactivate an account: its data stays, its contacts' sign-in stops",
        params: AccountIdParams,
        response: { 200: AccountDetailsResponse },
      },
    },
    async (request) => setAccountActivation(contextOf(request), request.params.id, false),
  );

  routes.post(
    '/api/accounts/:id/reactivate',
    {
      preHandler: authorize('accounts:manage'),
      schema: { tags: ['accounts'], summary: 'Reactivate an account', params: AccountIdParams, response: { 200: AccountDetailsResponse } },
    },
    async (request) => setAccountActivation(contextOf(request), request.params.id, true),
  );
}
