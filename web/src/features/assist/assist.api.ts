import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { AssistStartedResponse, type StartAssistBody } from '../../../../common/schemas/assist.js';
import { apiRequest } from '../../lib/api-client';
import { sessionQueryKey, useCsrfToken } from '../auth';

/** Where an assist starts (the seed: "the default MSSP Accounts page") and where stopping returns. */
export const ASSIST_START_PATH = '/accounts';
export const ASSIST_STOP_PATH = '/admin/users';

/** Every cached answer but the session's belonged to the other person: forget them. */
function forgetOtherAnswers(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
}

/**
 * Loads the session again after the server ended an assist by itself (time limit), and returns the
 * Administrator to the Users page.
 */
export async function returnFromAssist(queryClient: QueryClient, navigate: (path: string) => void | Promise<void>): Promise<void> {
  forgetOtherAnswers(queryClient);
  // The session first: the Users page is the Administrator's, not the assisted user's.
  await queryClient.refetchQueries({ queryKey: sessionQueryKey });
  await navigate(ASSIST_STOP_PATH);
}

export function useStartAssist() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (body: StartAssistBody) => apiRequest('/api/assist', { method: 'POST', body, csrfToken, schema: AssistStartedResponse }),
    onSuccess: async () => {
      forgetOtherAnswers(queryClient);
      // The page first (the Administrator may see it too), then the session: never the Users page as the assisted user.
      await navigate(ASSIST_START_PATH);
      await queryClient.refetchQueries({ queryKey: sessionQueryKey });
    },
  });
}

export function useStopAssist() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: () => apiRequest('/api/assist/stop', { method: 'POST', csrfToken }),
    onSuccess: () => returnFromAssist(queryClient, navigate),
  });
}
