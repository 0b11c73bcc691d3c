import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { endExpiredSession } from '../features/auth';
import { isApiError } from '../lib/api-client';

/** Client errors other than a timeout will not go away by asking again. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500 && error.status !== 408) return false;
  return failureCount < 2;
}

/**
 * The app's QueryClient. This is where a 401 gets its meaning: from any call other than those
 * that start a session (sign-in, setup, sign-out), it means the session has ended.
 */
export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        if (isApiError(error) && error.status === 401) endExpiredSession(queryClient);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _result, mutation) => {
        if (mutation.meta?.isSessionStart === true) return;
        if (isApiError(error) && error.status === 401) endExpiredSession(queryClient);
      },
    }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 15_000 },
      mutations: { retry: false },
    },
  });
  return queryClient;
}
