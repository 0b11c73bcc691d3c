import { z } from 'zod';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { describePasswordPolicy } from '../../../common/password-policy.js';
import {
  AcceptedResponse,
  ForgotPasswordBody,
  PasswordPolicyResponse,
  ResetPasswordBody,
  SessionResponse,
  SignInBody,
  TokenBody,
  TokenInfoResponse,
} from '../../../common/schemas/auth.js';
import { SignInChallengeResponse } from '../../../common/schemas/two-factor.js';
import type { Config } from '../../config.js';
import { contextOf, SESSION_COOKIE } from '../../http/authenticate.js';
import { AppError } from '../../lib/app-error.js';
import { presentAssisting } from '../assist/assist.service.js';
import { setChallengeCookie } from '../two-factor/two-factor.cookie.js';
import { isTwoFactorSetupRequired } from '../two-factor/two-factor.service.js';
import { presentMe } from '../users/users.service.js';
import {
  csrfTokenFor,
  FORGOT_PASSWORD_MESSAGE,
  inspectResetToken,
  requestPasswordReset,
  resetPassword,
  signIn,
  signOut,
  type SignedInSession,
} from './auth.service.js';

/** httpOnly, SameSite=Lax, Secure over https; no Max-Age, so it ends when the browser closes. */
export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.isHttps });
}

export function presentSession(
  config: Config,
  signedIn: Pick<SignedInSession, 'session' | 'user' | 'assignedAccountIds'>,
): SessionResponse {
  return {
    user: presentMe(signedIn.user, signedIn.assignedAccountIds),
    csrfToken: csrfTokenFor({ config }, signedIn.session.id),
    idleTimeoutMinutes: signedIn.session.is_persistent ? null : config.session.idleMinutes,
  };
}

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { config } = app.services;

  routes.post(
    '/api/auth/sign-in',
    {
      config: { isPublic: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username and password (202: the second factor is asked next)',
        body: SignInBody,
        response: { 200: SessionResponse, 202: SignInChallengeResponse },
      },
    },
    async (request, reply) => {
      const outcome = await signIn(contextOf(request), request.body);
      if (outcome.kind === 'challenge') {
        // No session yet: only the code step (POST /api/auth/second-factor) can finish this sign-in.
        setChallengeCookie(reply, config, outcome.token);
        return reply.status(202).send(outcome.response);
      }
      setSessionCookie(reply, config, outcome.token);
      return { ...presentSession(config, outcome), twoFactorSetupRequired: await isTwoFactorSetupRequired(app.services, outcome.user) };
    },
  );

  routes.get(
    '/api/auth/session',
    {
      config: { allowsTwoFactorSetup: true },
      schema: { tags: ['auth'], summary: 'The signed-in user and the CSRF token', response: { 200: SessionResponse } },
    },
    async (request) => {
      if (!request.session || !request.sessionUser) throw new AppError('unauthenticated', 'Sign in to continue.');
      const session = presentSession(config, {
        session: request.session,
        user: request.sessionUser,
        assignedAccountIds: request.assignedAccountIds,
      });
      // While assisting, user is the assisted user; assisting names the Administrator (user assist).
      const twoFactorSetupRequired = await isTwoFactorSetupRequired(app.services, {
        id: request.session.user_id,
        kind: request.sessionUser.kind,
      });
      return { ...session, assisting: presentAssisting(request.actor), twoFactorSetupRequired };
    },
  );

  routes.post(
    '/api/auth/sign-out',
    { config: { allowsTwoFactorSetup: true }, schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.null() } } },
    async (request, reply) => {
      if (request.session) await signOut(contextOf(request), request.session);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  routes.get(
    '/api/auth/password-policy',
    {
      config: { isPublic: true },
      schema: { tags: ['auth'], summary: 'The password policy in force', response: { 200: PasswordPolicyResponse } },
    },
    async () => ({ ...config.passwordPolicy, description: describePasswordPolicy(config.passwordPolicy) }),
  );

  routes.post(
    '/api/auth/forgot-password',
    {
      config: { isPublic: true },
      schema: {
        tags: ['auth'],
        summary: 'Mail a single-use reset link (valid one hour)',
        body: ForgotPasswordBody,
        response: { 202: AcceptedResponse },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(contextOf(request), request.body);
      return reply.status(202).send({ message: FORGOT_PASSWORD_MESSAGE });
    },
  );

  routes.post(
    '/api/auth/reset-password/inspect',
    {
      config: { isPublic: true },
      schema: { tags: ['auth'], summary: 'Check a reset link and name its user', body: TokenBody, response: { 200: TokenInfoResponse } },
    },
    async (request) => inspectResetToken(contextOf(request), request.body.token),
  );

  routes.post(
    '/api/auth/reset-password',
    {
      config: { isPublic: true },
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with a reset link',
        body: ResetPasswordBody,
        response: { 200: AcceptedResponse },
      },
    },
    async (request, reply) => {
      await resetPassword(contextOf(request), request.body);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { message: 'Your password has been changed. Sign in with the new password.' };
    },
  );
}
