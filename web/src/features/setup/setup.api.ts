import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { SessionResponse } from '../../../../common/schemas/auth.js';
import { SetupStatusResponse, type CompleteSetupBody } from '../../../../common/schemas/setup.js';
import { apiRequest } from '../../lib/api-client';
import { storeSession } from '../auth';

/** Checks the one-time setup link before the form is shown. */
export function useSetupToken(token: string) {
  return useQuery({
    queryKey: ['setup', 'token', token],
    queryFn: ({ signal }) => apiRequest('/api/setup/inspect', { method: 'POST', body: { token }, schema: SetupStatusResponse, signal }),
    enabled: token.length > 0,
    retry: false,
    staleTime: Infinity,
  });
}

/** Creates the first Administrator; the server signs them in at once. */
export function useCompleteSetup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CompleteSetupBody) => apiRequest('/api/setup', { method: 'POST', body, schema: SessionResponse }),
    meta: { isSessionStart: true },
    onSuccess: (session) => storeSession(queryClient, session),
  });
}
