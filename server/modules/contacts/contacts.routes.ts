import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AccountContactResponse, AccountIdParams } from '../../../common/schemas/accounts.js';
import { ContactParams, CreateContactBody, UpdateContactBody } from '../../../common/schemas/contacts.js';
import { authorize, contextOf } from '../../http/authenticate.js';
import { createContact, removeContact, updateContact } from './contacts.service.js';

export async function contactsRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post(
    '/api/accounts/:id/contacts',
    {
      preHandler: authorize('accounts:manage'),
      schema: {
        tags: ['accounts'],
        summary: 'Add a contact to an account; an invitation mail lets them choose a password',
        params: AccountIdParams,
        body: CreateContactBody,
        response: { 201: AccountContactResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await createContact(contextOf(request), request.params.id, request.body)),
  );

  routes.patch(
    '/api/accounts/:id/contacts/:contactId',
    {
      preHandler: authorize('accounts:manage'),
      schema: {
        tags: ['accounts'],
        summary: 'Edit a contact: name, role, Manage Cases, Primary Contact',
        params: ContactParams,
        body: UpdateContactBody,
        response: { 200: AccountContactResponse },
      },
    },
    async (request) => updateContact(contextOf(request), request.params.id, request.params.contactId, request.body),
  );

  routes.delete(
    '/api/accounts/:id/contacts/:contactId',
    {
      preHandler: authorize('accounts:manage'),
      schema: { tags: ['accounts'], summary: 'Remove a contact', params: ContactParams },
    },
    async (request, reply) => {
      await removeContact(contextOf(request), request.params.id, request.params.contactId);
      return reply.status(204).send();
    },
  );
}
