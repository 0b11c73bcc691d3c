import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { authenticateApiKeys } from '../modules/api-keys/api-keys.service.js';
import { impersonate } from '../modules/api-keys/impersonation.js';
import { recordAudit } from '../modules/audit/audit.service.js';
import { TENABLE_FORBIDDEN, TENABLE_NOT_FOUND } from '../modules/mssp-api/mssp-api.errors.js';
import { contextOf } from './authenticate.js';
import { isTenablePath } from './paths.js';

/** The Tenable.io 401 body (tenable-api.md 1.4); the same for a missing, malformed or wrong key. */
export const TENABLE_UNAUTHORIZED = { statusCode: 401, error: 'Unauthorized', message: 'Invalid credentials.' } as const;

/**
 * Authenticates the Tenable-compatible API (the paths of paths.ts TENABLE_PREFIXES) with the
 * X-ApiKeys header only: session cookies never reach these paths (authenticate.ts skips them).
 * Deny by default: a route that exists and is not marked `isPublic` answers 401 without valid
 * keys of an enabled user; unknown paths fall through to the not-found handler's JSON 404.
 * What the keys' user may then reach is the routes' business (a portal key reaches the MSSP API).
 * An Administrator's keys may add `X-Impersonate: username=<username>` to act as that portal user
 * (impersonation.ts); a refusal is audited and answered 400, 403 or 404 in Tenable's shapes.
 */
export const apiKeyAuthPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isTenablePath(request.url) || request.is404) return;
    if (request.routeOptions.config?.isPublic === true) return;
    // Node lowercases header names, so X-APIKeys, X-ApiKeys and x-apikeys all arrive here.
    const header = request.headers['x-apikeys'];
    const actor = await authenticateApiKeys(request.server.services, typeof header === 'string' ? header : null);
    if (!actor) return reply.status(401).type('application/json; charset=utf-8').send(TENABLE_UNAUTHORIZED);
    const impersonateHeader = request.headers['x-impersonate'];
    if (typeof impersonateHeader === 'string') {
      const result = await impersonate(request.server.services, actor, impersonateHeader);
      if (!result.ok) {
        request.actor = actor;
        await recordAudit(contextOf(request), {
          action: 'api_keys.impersonation_refused',
          outcome: 'failure',
          details: { header: impersonateHeader.slice(0, 300), reason: result.refusal },
        });
        const [status, body] = {
          malformed: [400, { error: result.message }] as const,
          forbidden: [403, TENABLE_FORBIDDEN] as const,
          not_found: [404, TENABLE_NOT_FOUND] as const,
        }[result.refusal];
        return reply.status(status).type('application/json; charset=utf-8').send(body);
      }
      request.actor = result.actor;
      request.assignedAccountIds = [...result.actor.assignedAccountIds];
      return;
    }
    request.actor = actor;
    request.assignedAccountIds = [...actor.assignedAccountIds];
  });
});
