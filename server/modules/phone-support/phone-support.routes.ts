import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  PhoneNumbersResponse,
  PinLookupQuery,
  PinLookupResponse,
  ReplacePhoneNumbersBody,
  SupportPinResponse,
} from '../../../common/schemas/phone-support.js';
import { authorize, contextOf } from '../../http/authenticate.js';
import {
  getOwnSupportPin,
  listPhoneNumbers,
  lookUpContactByPin,
  regenerateSupportPin,
  replacePhoneNumbers,
} from './phone-support.service.js';

/** Phone Support (issue 7): the numbers callers dial, contacts' Support PINs, and agents' PIN lookup. */
export async function phoneSupportRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['support'];

  routes.get(
    '/api/support/phone-numbers',
    {
      // The Support page shows the numbers to anonymous visitors too.
      config: { isPublic: true },
      schema: { tags, summary: 'Support phone numbers by region', response: { 200: PhoneNumbersResponse } },
    },
    async (request) => listPhoneNumbers(contextOf(request)),
  );

  routes.put(
    '/api/support/phone-numbers',
    {
      preHandler: authorize('settings:manage'),
      schema: {
        tags,
        summary: 'Replace every Support phone number',
        body: ReplacePhoneNumbersBody,
        response: { 200: PhoneNumbersResponse },
      },
    },
    async (request) => replacePhoneNumbers(contextOf(request), request.body),
  );

  routes.get(
    '/api/support/pin',
    {
      preHandler: authorize('support:use'),
      schema: { tags, summary: "The signed-in contact's Support PIN", response: { 200: SupportPinResponse } },
    },
    async (request, reply) => {
      // The PIN proves who a caller is: no cache should keep it.
      reply.header('Cache-Control', 'no-store');
      return getOwnSupportPin(contextOf(request));
    },
  );

  routes.post(
    '/api/support/pin/regenerate',
    {
      preHandler: authorize('support:use'),
      schema: { tags, summary: 'Give the signed-in contact a new Support PIN', response: { 200: SupportPinResponse } },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return regenerateSupportPin(contextOf(request));
    },
  );

  routes.get(
    '/api/support/pin-lookup',
    {
      preHandler: authorize('support:work'),
      schema: {
        tags,
        summary: "Find the contact a caller's Support PIN names, in the agent's accounts",
        querystring: PinLookupQuery,
        response: { 200: PinLookupResponse },
      },
    },
    async (request) => lookUpContactByPin(contextOf(request), request.query.pin),
  );
}
