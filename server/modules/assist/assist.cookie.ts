import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { ServiceContext } from '../../lib/context.js';
import { resolveAssist } from './assist.service.js';

/** The second cookie an assist adds beside the Administrator's own session cookie, which stays as it is. */
export const ASSIST_COOKIE = 'bulwark_assist';

/** httpOnly, SameSite=Lax, Secure over https, no Max-Age: the grant itself ends the assist. */
export function setAssistCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(ASSIST_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.isHttps });
}

export function clearAssistCookie(reply: FastifyReply): void {
  reply.clearCookie(ASSIST_COOKIE, { path: '/' });
}

/**
 * Called by the authentication hook once the session is resolved: a valid assist cookie makes the
 * request the assisted user's (actor, user, assigned accounts), with the Administrator kept in
 * actor.assistedBy; any other assist cookie is cleared. The session, and so the CSRF token, stay
 * the Administrator's.
 */
export async function applyAssistCookie(request: FastifyRequest, reply: FastifyReply, ctx: ServiceContext): Promise<void> {
  const token = request.cookies[ASSIST_COOKIE];
  if (!token) return;
  const assisted =
    request.session && request.actor ? await resolveAssist(ctx, token, { id: request.session.id, userId: request.actor.userId }) : null;
  if (!assisted) {
    clearAssistCookie(reply);
    return;
  }
  request.actor = assisted.actor;
  request.sessionUser = assisted.user;
  request.assignedAccountIds = assisted.assignedAccountIds;
}
