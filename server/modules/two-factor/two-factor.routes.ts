import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AcceptedResponse, SessionResponse } from '../../../common/schemas/auth.js';
import {
  AddPasskeyBody,
  AttemptBody,
  BackupEmailBody,
  CodeSentResponse,
  ConfirmCodeBody,
  FactorConfiguredResponse,
  PasskeyIdParams,
  PasskeyOptionsResponse,
  PasskeyResponse,
  RecoveryCodesResponse,
  SecondFactorBody,
  SignInChallengeResponse,
  SmsSetupStartedResponse,
  StartSmsSetupBody,
  TotpSetupResponse,
  TwoFactorStatusResponse,
} from '../../../common/schemas/two-factor.js';
import { authorize, contextOf } from '../../http/authenticate.js';
import { AppError } from '../../lib/app-error.js';
import { presentSession, setSessionCookie } from '../auth/auth.routes.js';
import { openSignedInSession } from '../auth/auth.service.js';
import { clearChallengeCookie } from './two-factor.cookie.js';
import {
  CHALLENGE_COOKIE,
  confirmSmsSetup,
  confirmTotpSetup,
  describeSignInChallenge,
  disableTwoFactor,
  finishPasskeyRegistration,
  getOwnTwoFactorStatus,
  passkeySignInOptions,
  passSecondFactor,
  regenerateRecoveryCodes,
  removePasskey,
  removeTotp,
  resendSmsSetupCode,
  sendSignInCode,
  startPasskeyRegistration,
  startSmsSetup,
  startTotpSetup,
  updateBackupEmail,
} from './two-factor.service.js';

const challengeTokenOf = (request: FastifyRequest) => request.cookies[CHALLENGE_COOKIE];

/**
 * Two-factor authentication. Every /api/two-factor route acts on the signed-in user only: there
 * is no user id in any path or body, so nobody (an Administrator included) can set up or remove
 * another user's factors (the seed's rule). The /api/auth/second-factor routes are the code step
 * of sign-in; they read only the challenge cookie, never a session.
 */
export async function twoFactorRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { config } = app.services;
  const setup = { tags: ['two-factor'] };
  const selfRead = { preHandler: authorize('self:read'), config: { allowsTwoFactorSetup: true } };
  const selfManage = { preHandler: authorize('self:manage'), config: { allowsTwoFactorSetup: true } };

  // --- The code step of sign-in -------------------------------------------------------------

  routes.get(
    '/api/auth/second-factor',
    {
      config: { isPublic: true },
      schema: { ...setup, summary: 'The sign-in waiting for its second step', response: { 200: SignInChallengeResponse } },
    },
    async (request, reply) => {
      try {
        return await describeSignInChallenge(contextOf(request), challengeTokenOf(request));
      } catch (error) {
        if (error instanceof AppError && error.code === 'unauthenticated') clearChallengeCookie(reply);
        throw error;
      }
    },
  );

  routes.post(
    '/api/auth/second-factor/send',
    {
      config: { isPublic: true },
      schema: {
        ...setup,
        summary: 'Text the sign-in code (again); at most once per 30 s, 5 per hour',
        response: { 200: CodeSentResponse },
      },
    },
    async (request) => sendSignInCode(contextOf(request), challengeTokenOf(request)),
  );

  routes.post(
    '/api/auth/second-factor/passkey-options',
    {
      config: { isPublic: true },
      schema: { ...setup, summary: 'WebAuthn options to sign in with a passkey', response: { 200: PasskeyOptionsResponse } },
    },
    async (request) => passkeySignInOptions(contextOf(request), challengeTokenOf(request)),
  );

  routes.post(
    '/api/auth/second-factor',
    {
      config: { isPublic: true },
      schema: {
        ...setup,
        summary: 'Finish signing in with a code, a recovery code or a passkey',
        body: SecondFactorBody,
        response: { 200: SessionResponse },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      let passed;
      try {
        passed = await passSecondFactor(ctx, challengeTokenOf(request), request.body);
      } catch (error) {
        if (error instanceof AppError && error.code === 'unauthenticated') clearChallengeCookie(reply);
        throw error;
      }
      clearChallengeCookie(reply);
      const signedIn = await openSignedInSession(ctx, passed.user, passed.rememberMe);
      setSessionCookie(reply, config, signedIn.token);
      return presentSession(config, signedIn);
    },
  );

  // --- My Account: the signed-in user's own factors -----------------------------------------

  routes.get(
    '/api/two-factor',
    { ...selfRead, schema: { ...setup, summary: 'Your two-factor settings', response: { 200: TwoFactorStatusResponse } } },
    async (request) => getOwnTwoFactorStatus(contextOf(request)),
  );

  routes.post(
    '/api/two-factor/sms',
    {
      ...selfManage,
      schema: {
        ...setup,
        summary: 'Two-Factor Setup, Next: text a verification code to this mobile phone number',
        body: StartSmsSetupBody,
        response: { 200: SmsSetupStartedResponse },
      },
    },
    async (request) => startSmsSetup(contextOf(request), request.body),
  );

  routes.post(
    '/api/two-factor/sms/resend',
    {
      ...selfManage,
      schema: { ...setup, summary: 'Resend Code', body: AttemptBody, response: { 200: CodeSentResponse } },
    },
    async (request) => resendSmsSetupCode(contextOf(request), request.body.attemptId),
  );

  routes.post(
    '/api/two-factor/sms/confirm',
    {
      ...selfManage,
      schema: { ...setup, summary: 'Verification Code, Next', body: ConfirmCodeBody, response: { 200: FactorConfiguredResponse } },
    },
    async (request) => confirmSmsSetup(contextOf(request), request.body),
  );

  routes.put(
    '/api/two-factor/sms/backup-email',
    {
      ...selfManage,
      schema: { ...setup, summary: 'Send backup email, Save', body: BackupEmailBody, response: { 200: AcceptedResponse } },
    },
    async (request) => {
      await updateBackupEmail(contextOf(request), request.body);
      return { message: 'Your backup email settings are saved.' };
    },
  );

  routes.delete(
    '/api/two-factor',
    {
      ...selfManage,
      schema: { ...setup, summary: 'Disable Two-Factor: deletes the phone number and every other setting', response: { 204: z.null() } },
    },
    async (request, reply) => {
      await disableTwoFactor(contextOf(request));
      return reply.status(204).send(null);
    },
  );

  routes.post(
    '/api/two-factor/totp',
    { ...selfManage, schema: { ...setup, summary: 'Start adding an authenticator app', response: { 200: TotpSetupResponse } } },
    async (request) => startTotpSetup(contextOf(request)),
  );

  routes.post(
    '/api/two-factor/totp/confirm',
    {
      ...selfManage,
      schema: {
        ...setup,
        summary: 'Confirm the authenticator app with a code',
        body: ConfirmCodeBody,
        response: { 200: FactorConfiguredResponse },
      },
    },
    async (request) => confirmTotpSetup(contextOf(request), request.body),
  );

  routes.delete(
    '/api/two-factor/totp',
    { ...selfManage, schema: { ...setup, summary: 'Remove the authenticator app', response: { 204: z.null() } } },
    async (request, reply) => {
      await removeTotp(contextOf(request));
      return reply.status(204).send(null);
    },
  );

  routes.post(
    '/api/two-factor/recovery-codes',
    {
      ...selfManage,
      schema: { ...setup, summary: 'Generate new recovery codes (the old ones stop working)', response: { 200: RecoveryCodesResponse } },
    },
    async (request) => regenerateRecoveryCodes(contextOf(request)),
  );

  routes.post(
    '/api/two-factor/passkeys/options',
    { ...selfManage, schema: { ...setup, summary: 'WebAuthn options to add a passkey', response: { 200: PasskeyOptionsResponse } } },
    async (request) => startPasskeyRegistration(contextOf(request)),
  );

  routes.post(
    '/api/two-factor/passkeys',
    {
      ...selfManage,
      schema: { ...setup, summary: 'Add a passkey', body: AddPasskeyBody, response: { 201: PasskeyResponse } },
    },
    async (request, reply) => reply.status(201).send(await finishPasskeyRegistration(contextOf(request), request.body)),
  );

  routes.delete(
    '/api/two-factor/passkeys/:id',
    { ...selfManage, schema: { ...setup, summary: 'Remove a passkey', params: PasskeyIdParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await removePasskey(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
