import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import type { Actor } from '../../../../common/permissions.js';
import {
  AcceptedResponse,
  PasswordPolicyResponse,
  SessionResponse,
  TokenInfoResponse,
  type ForgotPasswordBody,
  type MeResponse,
  type ResetPasswordBody,
  type SignInBody,
} from '../../../../common/schemas/auth.js';
import { SignInChallengeResponse } from '../../../../common/schemas/two-factor.js';
import { apiRequest, isApiError } from '../../lib/api-client';
import { markSessionActive, markSessionEnded, markSignedOut } from './session-marker';

export const sessionQueryKey = ['auth', 'session'] as const;

/** The signed-in session, or null when nobody is signed in (a 401 here is an answer, not an error). */
async function fetchSession(signal: AbortSignal): Promise<SessionResponse | null> {
  try {
    const session = await apiRequest('/api/auth/session', { schema: SessionResponse, signal });
    markSessionActive();
    return session;
  } catch (error) {
    if (isApiError(error) && error.status === 401) return null;
    throw error;
  }
}

export function useSession() {
  return useQuery({
    queryKey: sessionQueryKey,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: 60_000,
  });
}

/** The CSRF token of the current session, for the X-CSRF-Token header of writes. */
export function useCsrfToken(): string | null {
  const { data } = useSession();
  return data?.csrfToken ?? null;
}

/** The signed-in user as the permission table sees them. */
export function toActor(user: MeResponse): Actor {
  return {
    userId: user.id,
    username: user.username,
    kind: user.kind,
    role: user.role,
    isSupportAgent: user.isSupportAgent,
    accountId: user.accountId ?? undefined,
    canManageCases: user.canManageCases,
    isPrimaryContact: user.isPrimaryContact,
    assignedAccountIds: user.assignedAccountIds,
  };
}

function dropCachedData(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
}

/** Stores a session the server just opened (sign-in, first-administrator setup). */
export function storeSession(queryClient: QueryClient, session: SessionResponse): void {
  markSessionActive();
  dropCachedData(queryClient);
  queryClient.setQueryData(sessionQueryKey, session);
}

/**
 * The server answered 401 to a signed-in call: forget everything cached. The session guard then
 * sends the person to sign in with "Your session has ended" and returns them afterwards.
 */
export function endExpiredSession(queryClient: QueryClient): void {
  markSessionEnded();
  queryClient.setQueryData(sessionQueryKey, null);
  dropCachedData(queryClient);
}

/** The person signed out (or changed their password): forget everything, and say nothing about an ended session. */
function forgetSession(queryClient: QueryClient): void {
  markSignedOut();
  queryClient.setQueryData(sessionQueryKey, null);
  dropCachedData(queryClient);
}

/** The sign-in answer: a session, or (two-factor) a challenge for the code step and no session yet. */
const SignInResponse = z.union([SessionResponse, SignInChallengeResponse]);

export function isSignInChallenge(answer: z.infer<typeof SignInResponse>): answer is SignInChallengeResponse {
  return 'secondFactorRequired' in answer;
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SignInBody) => apiRequest('/api/auth/sign-in', { method: 'POST', body, schema: SignInResponse }),
    // A 401 here means wrong credentials, not an ended session.
    meta: { isSessionStart: true },
    onSuccess: (answer) => {
      if (!isSignInChallenge(answer)) storeSession(queryClient, answer);
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: () => apiRequest('/api/auth/sign-out', { method: 'POST', csrfToken }),
    meta: { isSessionStart: true },
    // Whatever the server said, this browser no longer holds a usable session.
    onSettled: () => forgetSession(queryClient),
  });
}

export function usePasswordPolicy() {
  return useQuery({
    queryKey: ['auth', 'password-policy'],
    queryFn: ({ signal }) => apiRequest('/api/auth/password-policy', { schema: PasswordPolicyResponse, signal }),
    staleTime: Infinity,
  });
}

export function useForgotPassword() {
  return useMutation({
    mutationFn: (body: ForgotPasswordBody) => apiRequest('/api/auth/forgot-password', { method: 'POST', body, schema: AcceptedResponse }),
  });
}

/** Checks a reset link before the form is shown; answers the username it resets. */
export function useResetToken(token: string) {
  return useQuery({
    queryKey: ['auth', 'reset-token', token],
    queryFn: ({ signal }) =>
      apiRequest('/api/auth/reset-password/inspect', { method: 'POST', body: { token }, schema: TokenInfoResponse, signal }),
    enabled: token.length > 0,
    retry: false,
    staleTime: Infinity,
  });
}

export function useResetPassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ResetPasswordBody) => apiRequest('/api/auth/reset-password', { method: 'POST', body, schema: AcceptedResponse }),
    // The server ends this browser's session (if any) when the password changes.
    onSuccess: () => forgetSession(queryClient),
  });
}
