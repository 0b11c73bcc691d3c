import type { FastifyInstance, FastifyRequest } from 'fastify';
import { can, type Action } from '../../../common/permissions.js';
import { contextOf } from '../../http/authenticate.js';
import type { ServiceContext } from '../../lib/context.js';
import { DEACTIVATED_INSTANCE_MESSAGE } from '../instances/instance-access.js';
import { gatewayBody, TENABLE_FORBIDDEN, TenableError, tenableErrorHandler } from '../mssp-api/mssp-api.errors.js';
import { enforceApiRateLimit } from './rate-limit.js';

/**
 * The gate of a customer instance's Tenable-compatible API (tenable-api.md sections 1–5). The keys
 * decide the instance (api-key-auth.ts sets request.instanceAccountId): a contact's keys reach
 * their own account's instance, a staff user's temporary child keys the account they were made
 * for; portal keys reach none (403, the seed keeps portal keys out of customer instances). A
 * deactivated account's instance answers 403 with the reason; child keys of a staff user who may
 * no longer see the account answer 403. Then each route asks the policy table for its action
 * (requireInInstance), which holds the role table of the API reference.
 */
export async function instanceGate(request: FastifyRequest): Promise<void> {
  const accountId = request.instanceAccountId;
  if (!request.actor || accountId === null) throw new TenableError(403, TENABLE_FORBIDDEN);
  const account = await request.server.services.db
    .selectFrom('customer_accounts')
    .select('is_active')
    .where('id', '=', accountId)
    .executeTakeFirst();
  if (!account) throw new TenableError(403, TENABLE_FORBIDDEN);
  if (!account.is_active) throw new TenableError(403, gatewayBody(403, DEACTIVATED_INSTANCE_MESSAGE));
  if (!can(request.actor, 'instance:read', { accountId })) throw new TenableError(403, TENABLE_FORBIDDEN);
  await enforceApiRateLimit(request, accountId);
}

/**
 * pyTenable sends bodiless PUTs and POSTs (…/keys, …/cancel) that may still say
 * application/json: an empty body is read as none instead of a 400.
 */
export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    return parseJson(request, text, done);
  });
}

/**
 * Makes an encapsulated Fastify plugin a part of the instance API: Tenable's error bodies, empty
 * JSON bodies tolerated, and the instance gate before every route. Call it first in the plugin.
 */
export function useInstanceApi(app: FastifyInstance): void {
  app.setErrorHandler(tenableErrorHandler);
  acceptEmptyJsonBodies(app);
  app.addHook('onRequest', instanceGate);
}

/** A route's pre-handler: the caller's role must allow the action in this instance (else 403 Insufficient scope). */
export function requireInInstance(action: Action) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!can(request.actor, action, { accountId: instanceAccountOf(request) })) throw new TenableError(403, TENABLE_FORBIDDEN);
  };
}

/** The instance (customer account id) the request's keys reach; only valid behind the gate. */
export function instanceAccountOf(request: FastifyRequest): string {
  if (request.instanceAccountId === null) throw new TenableError(403, TENABLE_FORBIDDEN);
  return request.instanceAccountId;
}

/** The service context of an instance API request, with the instance's account id. */
export function instanceContextOf(request: FastifyRequest): ServiceContext & { accountId: string } {
  return { ...contextOf(request), accountId: instanceAccountOf(request) };
}
