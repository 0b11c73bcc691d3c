import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AcceptedResponse, SessionResponse } from '../../../../common/schemas/auth.js';
import {
  CodeSentResponse,
  FactorConfiguredResponse,
  PasskeyOptionsResponse,
  PasskeyResponse,
  RecoveryCodesResponse,
  SmsSetupStartedResponse,
  TotpSetupResponse,
  TwoFactorStatusResponse,
  type SecondFactorBody,
} from '../../../../common/schemas/two-factor.js';
import { ApiError, apiRequest } from '../../lib/api-client';
import { sessionQueryKey, storeSession, useCsrfToken } from '../auth';

const statusQueryKey = ['two-factor', 'me'] as const;

export function useTwoFactorStatus() {
  return useQuery({
    queryKey: statusQueryKey,
    queryFn: ({ signal }) => apiRequest('/api/two-factor', { schema: TwoFactorStatusResponse, signal }),
  });
}

/** After any change: the status, and the session (whose "setup required" flag may have cleared). */
function useRefreshTwoFactor() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: statusQueryKey });
    void queryClient.invalidateQueries({ queryKey: sessionQueryKey });
  };
}

export function useStartSmsSetup() {
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (phone: string) =>
      apiRequest('/api/two-factor/sms', { method: 'POST', csrfToken, body: { phone }, schema: SmsSetupStartedResponse }),
  });
}

export function useResendSmsSetupCode() {
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (attemptId: string) =>
      apiRequest('/api/two-factor/sms/resend', { method: 'POST', csrfToken, body: { attemptId }, schema: CodeSentResponse }),
  });
}

export function useConfirmSmsSetup() {
  const csrfToken = useCsrfToken();
  const refresh = useRefreshTwoFactor();
  return useMutation({
    onSuccess: refresh,
    mutationFn: (body: { attemptId: string; code: string }) =>
      apiRequest('/api/two-factor/sms/confirm', { method: 'POST', csrfToken, body, schema: FactorConfiguredResponse }),
  });
}

export function useSaveBackupEmail() {
  const csrfToken = useCsrfToken();
  const refresh = useRefreshTwoFactor();
  return useMutation({
    mutationFn: (sendBackupEmail: boolean) =>
      apiRequest('/api/two-factor/sms/backup-email', { method: 'PUT', csrfToken, body: { sendBackupEmail }, schema: AcceptedResponse }),
    onSuccess: refresh,
  });
}

export function useDisableTwoFactor() {
  const csrfToken = useCsrfToken();
  const refresh = useRefreshTwoFactor();
  return useMutation({
    mutationFn: () => apiRequest('/api/two-factor', { method: 'DELETE', csrfToken }),
    onSuccess: refresh,
  });
}

export function useStartTotpSetup() {
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: () => apiRequest('/api/two-factor/totp', { method: 'POST', csrfToken, schema: TotpSetupResponse }),
  });
}

export function useConfirmTotpSetup() {
  const csrfToken = useCsrfToken();
  const refresh = useRefreshTwoFactor();
  return useMutation({
    onSuccess: refresh,
    mutationFn: (body: { attemptId: string; code: string }) =>
      apiRequest('/api/two-factor/totp/confirm', { method: 'POST', csrfToken, body, schema: FactorConfiguredResponse }),
  });
}

export function useRemoveTotp() {
  const csrfToken = useCsrfToken();
  const refresh = useRefreshTwoFactor();
  return useMutation({
    mutationFn: () => apiRequest('/api/two-factor/totp', { method: 'DELETE', csrfToken }),
    onSuccess: refresh,
  });
}

export function useRegenerateRecoveryCodes() {
  const csrfToken = useCsrfToken();
  const refresh = useRefreshTwoFactor();
  return useMutation({
    mutationFn: () => apiRequest('/api/two-factor/recovery-codes', { method: 'POST', csrfToken, schema: RecoveryCodesResponse }),
    onSuccess: refresh,
  });
}

/** The browser's passkey prompt turned down or failed: a clear message, not a stack trace. */
function describeWebAuthnFailure(error: unknown): ApiError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError') return new ApiError(0, 'webauthn_cancelled', 'The passkey prompt was closed or timed out. Try again.');
  if (name === 'InvalidStateError') return new ApiError(0, 'webauthn_exists', 'This device already holds a passkey for your user.');
  return new ApiError(0, 'webauthn_failed', 'This browser could not use a passkey here.');
}

/** Options from the server, the browser's prompt, then the response back to the server. */
export function useAddPasskey() {
  const csrfToken = useCsrfToken();
  const refresh = useRefreshTwoFactor();
  return useMutation({
    mutationFn: async (name: string) => {
      const { attemptId, options } = await apiRequest('/api/two-factor/passkeys/options', {
        method: 'POST',
        csrfToken,
        schema: PasskeyOptionsResponse,
      });
      let response;
      try {
        response = await startRegistration({ optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON });
      } catch (error) {
        throw describeWebAuthnFailure(error);
      }
      return apiRequest('/api/two-factor/passkeys', {
        method: 'POST',
        csrfToken,
        body: { attemptId, name, response },
        schema: PasskeyResponse,
      });
    },
    onSuccess: refresh,
  });
}

export function useRemovePasskey() {
  const csrfToken = useCsrfToken();
  const refresh = useRefreshTwoFactor();
  return useMutation({
    mutationFn: (id: string) => apiRequest(`/api/two-factor/passkeys/${encodeURIComponent(id)}`, { method: 'DELETE', csrfToken }),
    onSuccess: refresh,
  });
}

// --- The code step of sign-in (no session yet: the challenge cookie goes along by itself) ---

export function useSendSignInCode() {
  return useMutation({
    mutationFn: () => apiRequest('/api/auth/second-factor/send', { method: 'POST', schema: CodeSentResponse }),
    meta: { isSessionStart: true },
  });
}

export function usePassSecondFactor() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SecondFactorBody) => apiRequest('/api/auth/second-factor', { method: 'POST', body, schema: SessionResponse }),
    // A 401 here means the attempt ended, not that a session did.
    meta: { isSessionStart: true },
    onSuccess: (session) => storeSession(queryClient, session),
  });
}

export function usePasskeySignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const { options } = await apiRequest('/api/auth/second-factor/passkey-options', { method: 'POST', schema: PasskeyOptionsResponse });
      let response;
      try {
        response = await startAuthentication({ optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON });
      } catch (error) {
        throw describeWebAuthnFailure(error);
      }
      return apiRequest('/api/auth/second-factor', {
        method: 'POST',
        body: { method: 'passkey', response: response as unknown as Record<string, unknown> },
        schema: SessionResponse,
      });
    },
    meta: { isSessionStart: true },
    onSuccess: (session) => storeSession(queryClient, session),
  });
}
