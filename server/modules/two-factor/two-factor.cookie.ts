import type { FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import { CHALLENGE_COOKIE, CHALLENGE_COOKIE_PATH } from './two-factor.service.js';
import { ATTEMPT_LIFETIME_MS } from './two-factor.rules.js';

/**
 * The sign-in challenge cookie: httpOnly, SameSite=Strict, sent only to the code step's paths and
 * gone after ten minutes. Nothing but the code step reads it; it is not a session.
 */
export function setChallengeCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(CHALLENGE_COOKIE, token, {
    path: CHALLENGE_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'strict',
    secure: config.isHttps,
    maxAge: ATTEMPT_LIFETIME_MS / 1000,
  });
}

export function clearChallengeCookie(reply: FastifyReply): void {
  reply.clearCookie(CHALLENGE_COOKIE, { path: CHALLENGE_COOKIE_PATH });
}
