import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { authenticateApiKeyHeader } from '../modules/api-keys/api-keys.service.js';
import { impersonate } from '../modules/api-keys/impersonation.js';
import { recordAudit } from '../modules/audit/audit.service.js';
import { TENABLE_FORBIDDEN, TENABLE_NOT_FOUND } from '../modules/mssp-api/mssp-api.errors.js';
import { contextOf, originOf } from './authenticate.js';
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
declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The one customer instance the request's API keys reach: a contact's own account, or the
     * account of a staff user's temporary child keys. Null for portal keys (and sessions).
     */
    instanceAccountId: string | null;
    /** True when the request came with temporary child keys (they never reach the MSSP API). */
    isChildKey: boolean;
  }
}

export const apiKeyAuthPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('instanceAccountId', null);
  app.decorateRequest('isChildKey', false);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isTenablePath(request.url) || request.is404) return;
    if (request.routeOptions.config?.isPublic === true) return;
    // Node lowercases header names, so X-APIKeys, X-ApiKeys and x-apikeys all arrive here.
    const header = request.headers['x-apikeys'];
    const caller = await authenticateApiKeyHeader(request.server.services, typeof header === 'string' ? header : null, originOf(request));
    if (!caller) return reply.status(401).type('application/json; charset=utf-8').send(TENABLE_UNAUTHORIZED);
    const { actor } = caller;
    request.instanceAccountId = caller.instanceAccountId;
    request.isChildKey = caller.isChildKey;
    const impersonateHeader = request.headers['x-impersonate'];
    // Impersonation belongs to the MSSP API: an instance's keys (a contact's, or child keys) cannot use it.
    if (typeof impersonateHeader === 'string' && caller.instanceAccountId !== null) {
      return reply.status(403).type('application/json; charset=utf-8').send(TENABLE_FORBIDDEN);
    }
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
