import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { can, type Action, type Actor, type Resource } from '../../common/permissions.js';
import type { SessionRow, UserRow } from '../db/schema.js';
import { AppError } from '../lib/app-error.js';
import type { AppServices, ServiceContext } from '../lib/context.js';
import { applyAssistCookie } from '../modules/assist/assist.cookie.js';
import { csrfTokenFor, resolveSession } from '../modules/auth/auth.service.js';
import { isTwoFactorSetupRequired, TWO_FACTOR_REQUIRED_MESSAGE } from '../modules/two-factor/two-factor.service.js';
import { isApiPath, isTenablePath } from './paths.js';

export const SESSION_COOKIE = 'bulwark_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Opt out of authentication. Every other route needs a signed-in user (deny by default). */
    isPublic?: boolean;
    /** Open to staff who must still set up two-factor (REQUIRE_STAFF_TWO_FACTOR): session, sign-out, two-factor setup. */
    allowsTwoFactorSetup?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    session: SessionRow | null;
    sessionUser: UserRow | null;
    assignedAccountIds: string[];
    /** The accounts data version read with the session, or null (see auth.repository SessionLookup). */
    directoryVersion: string | null;
  }
  interface FastifyInstance {
    services: AppServices;
  }
}

export function originOf(request: FastifyRequest) {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null };
}

/** The service context for this request: shared services plus who is asking and from where. */
export function contextOf(request: FastifyRequest): ServiceContext {
  return { ...request.server.services, log: request.log, actor: request.actor, origin: originOf(request) };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origins a browser may write from: PUBLIC_URL's, and the one the request itself was sent to. */
function isAllowedOrigin(request: FastifyRequest, origin: string): boolean {
  const publicOrigin = new URL(request.server.services.config.publicUrl).origin;
  const ownOrigin = `${request.protocol}://${request.host}`;
  return origin === publicOrigin || origin === ownOrigin;
}

/**
 * Resolves the session cookie on every API request, refuses cross-origin writes, requires the
 * CSRF header on cookie-authenticated writes, and denies anything not marked public to anonymous
 * callers.
 */
export const authenticationPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.decorateRequest('sessionUser', null);
  app.decorateRequest('assignedAccountIds', null as unknown as string[]);
  app.decorateRequest('directoryVersion', null);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    request.assignedAccountIds = [];
    if (!isApiPath(request.url) || isTenablePath(request.url)) return;

    const isWrite = !SAFE_METHODS.has(request.method);
    if (isWrite) {
      const origin = request.headers.origin;
      const fetchSite = request.headers['sec-fetch-site'];
      if ((origin && !isAllowedOrigin(request, origin)) || (!origin && fetchSite === 'cross-site')) {
        throw new AppError('csrf_failed', 'Cross-origin request refused.');
      }
    }

    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const resolved = await resolveSession(contextOf(request), token);
      if (resolved) {
        request.actor = resolved.actor;
        request.session = resolved.session;
        request.sessionUser = resolved.user;
        request.assignedAccountIds = resolved.assignedAccountIds;
        request.directoryVersion = resolved.directoryVersion;
      } else {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }

    // User assist: a valid assist cookie of this Administrator's session makes the request the
    // assisted user's (actor.assistedBy keeps the Administrator); any other one is cleared.
    await applyAssistCookie(request, reply, contextOf(request));

    const isPublic = request.routeOptions.config?.isPublic === true || request.is404;
    if (isPublic) return;
    if (!request.actor || !request.session) throw new AppError('unauthenticated', 'Sign in to continue.');
    if (isWrite) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || sent !== csrfTokenFor(request.server.services, request.session.id)) {
        throw new AppError('csrf_failed', 'Missing or wrong CSRF token; reload the page and try again.');
      }
    }
    // REQUIRE_STAFF_TWO_FACTOR: staff without a second factor may only read their session, sign
    // out and set one up (routes marked allowsTwoFactorSetup). Checked on the real user, not an assisted one.
    if (request.routeOptions.config?.allowsTwoFactorSetup !== true) {
      const realUser = request.actor.assistedBy
        ? { id: request.actor.assistedBy.userId, kind: 'staff' as const }
        : { id: request.actor.userId, kind: request.actor.kind };
      if (await isTwoFactorSetupRequired(request.server.services, realUser)) {
        throw new AppError('two_factor_required', TWO_FACTOR_REQUIRED_MESSAGE);
      }
    }
  });
});

/** A pre-handler that refuses with 403 unless the policy table allows the action. */
export function authorize(action: Action, resourceOf?: (request: FastifyRequest) => Resource) {
  return async (request: FastifyRequest) => {
    if (!can(request.actor, action, resourceOf?.(request))) {
      throw new AppError('forbidden', 'You do not have permission to do that.');
    }
  };
}
