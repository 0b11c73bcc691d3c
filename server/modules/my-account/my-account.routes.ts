import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  ChangePasswordBody,
  ChangePasswordResponse,
  ConfirmEmailBody,
  ConfirmEmailResponse,
  ProfileResponse,
  RevokedSessionsResponse,
  SessionIdParams,
  SessionListResponse,
  UpdateProfileBody,
  UpdateProfileResponse,
} from '../../../common/schemas/my-account.js';
import { authorize, contextOf } from '../../http/authenticate.js';
import { AppError } from '../../lib/app-error.js';
import {
  changePassword,
  confirmEmailChange,
  getProfile,
  listOwnSessions,
  revokeOtherSessions,
  revokeOwnSession,
  updateProfile,
} from './my-account.service.js';

function currentSessionId(request: FastifyRequest): string {
  if (!request.session) throw new AppError('unauthenticated', 'Sign in to continue.');
  return request.session.id;
}

/** My Account: every signed-in user's own profile, password and sessions. */
export async function myAccountRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['my-account'];

  routes.get(
    '/api/my-account/profile',
    { preHandler: authorize('self:read'), schema: { tags, summary: 'Your Name and Email', response: { 200: ProfileResponse } } },
    async (request) => getProfile(contextOf(request)),
  );

  routes.patch(
    '/api/my-account/profile',
    {
      preHandler: authorize('self:manage'),
      schema: {
        tags,
        summary: 'Save your Name and Email (a new Email needs the current password and is confirmed by a mailed link)',
        body: UpdateProfileBody,
        response: { 200: UpdateProfileResponse },
      },
    },
    async (request) => updateProfile(contextOf(request), request.body),
  );

  routes.post(
    '/api/my-account/email/confirm',
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Confirm a new Email with the link mailed to it (single use, 24 hours)',
        body: ConfirmEmailBody,
        response: { 200: ConfirmEmailResponse },
      },
    },
    async (request) => confirmEmailChange(contextOf(request), request.body.token),
  );

  routes.post(
    '/api/my-account/password',
    {
      preHandler: authorize('self:manage'),
      schema: {
        tags,
        summary: 'Change your password; your other sessions are signed out',
        body: ChangePasswordBody,
        response: { 200: ChangePasswordResponse },
      },
    },
    async (request) => changePassword(contextOf(request), currentSessionId(request), request.body),
  );

  routes.get(
    '/api/my-account/sessions',
    {
      preHandler: authorize('self:read'),
      schema: { tags, summary: 'Your active sessions', response: { 200: SessionListResponse } },
    },
    async (request) => listOwnSessions(contextOf(request), currentSessionId(request)),
  );

  routes.delete(
    '/api/my-account/sessions/:id',
    {
      preHandler: authorize('self:manage'),
      schema: { tags, summary: 'Sign out one of your other sessions', params: SessionIdParams, response: { 200: RevokedSessionsResponse } },
    },
    async (request) => revokeOwnSession(contextOf(request), currentSessionId(request), request.params.id),
  );

  routes.post(
    '/api/my-account/sessions/sign-out-others',
    {
      preHandler: authorize('self:manage'),
      schema: { tags, summary: 'Sign out every session of yours but this one', response: { 200: RevokedSessionsResponse } },
    },
    async (request) => revokeOtherSessions(contextOf(request), currentSessionId(request)),
  );
}
