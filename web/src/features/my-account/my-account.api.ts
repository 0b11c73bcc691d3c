import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  ChangePasswordResponse,
  ConfirmEmailResponse,
  ProfileResponse,
  RevokedSessionsResponse,
  SessionListResponse,
  UpdateProfileResponse,
  type ChangePasswordBody,
  type UpdateProfileBody,
} from '../../../../common/schemas/my-account.js';
import { apiRequest } from '../../lib/api-client';
import { sessionQueryKey, useCsrfToken } from '../auth';

const profileQueryKey = ['my-account', 'profile'] as const;
const sessionsQueryKey = ['my-account', 'sessions'] as const;

export function useProfile() {
  return useQuery({
    queryKey: profileQueryKey,
    queryFn: ({ signal }) => apiRequest('/api/my-account/profile', { schema: ProfileResponse, signal }),
  });
}

/** Saves Name and Email; the signed-in user shown in the header is refreshed too. */
export function useUpdateProfile() {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (body: UpdateProfileBody) =>
      apiRequest('/api/my-account/profile', { method: 'PATCH', body, csrfToken, schema: UpdateProfileResponse }),
    onSuccess: (response) => {
      queryClient.setQueryData(profileQueryKey, response.profile);
      void queryClient.invalidateQueries({ queryKey: sessionQueryKey });
    },
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (body: ChangePasswordBody) =>
      apiRequest('/api/my-account/password', { method: 'POST', body, csrfToken, schema: ChangePasswordResponse }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionsQueryKey }),
  });
}

/** Opens an email confirmation link (works with or without a session). */
export function useConfirmEmail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: string) =>
      apiRequest('/api/my-account/email/confirm', { method: 'POST', body: { token }, schema: ConfirmEmailResponse }),
    // A 401 cannot come from this public call; never treat a refusal as an ended session.
    meta: { isSessionStart: true },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: profileQueryKey });
      void queryClient.invalidateQueries({ queryKey: sessionQueryKey });
    },
  });
}

export function useOwnSessions() {
  return useQuery({
    queryKey: sessionsQueryKey,
    queryFn: ({ signal }) => apiRequest('/api/my-account/sessions', { schema: SessionListResponse, signal }),
  });
}

export function useSignOutSession() {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest(`/api/my-account/sessions/${encodeURIComponent(id)}`, { method: 'DELETE', csrfToken, schema: RevokedSessionsResponse }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: sessionsQueryKey }),
  });
}

export function useSignOutOtherSessions() {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: () =>
      apiRequest('/api/my-account/sessions/sign-out-others', { method: 'POST', csrfToken, schema: RevokedSessionsResponse }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: sessionsQueryKey }),
  });
}
