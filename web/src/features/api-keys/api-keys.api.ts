import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiKeysStatusResponse, GeneratedApiKeysResponse } from '../../../../common/schemas/api-keys.js';
import { apiRequest } from '../../lib/api-client';
import { useCsrfToken } from '../auth';

const ownKeysQueryKey = ['api-keys', 'me'] as const;

/** Whether you have API keys, and when they were made and last used (never the keys). */
export function useOwnApiKeysStatus() {
  return useQuery({
    queryKey: ownKeysQueryKey,
    queryFn: ({ signal }) => apiRequest('/api/me/api-keys', { schema: ApiKeysStatusResponse, signal }),
  });
}

/** Generates your own pair, replacing the previous one. The answer is the only copy of the secret key. */
export function useGenerateOwnApiKeys() {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: () => apiRequest('/api/me/api-keys', { method: 'POST', csrfToken, schema: GeneratedApiKeysResponse }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ownKeysQueryKey }),
  });
}

/** Edit User → Generate API Keys (Administrators). */
export function useGenerateUserApiKeys(userId: string) {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: () =>
      apiRequest(`/api/admin/users/${encodeURIComponent(userId)}/api-keys`, {
        method: 'POST',
        csrfToken,
        schema: GeneratedApiKeysResponse,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}
