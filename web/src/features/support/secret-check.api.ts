import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { SecretCheckResponse } from '../../../../common/schemas/support.js';
import { apiRequest } from '../../lib/api-client';
import { useCsrfToken } from '../auth';

/**
 * The server's secret check of a description, keyed by the text so the latest text's answer wins.
 * A query rather than a mutation: the check changes nothing, and a newer text cancels an older one.
 */
export function useSecretCheck(text: string) {
  const csrfToken = useCsrfToken();
  return useQuery({
    queryKey: ['support', 'secret-check', text],
    queryFn: ({ signal }) =>
      apiRequest('/api/support/secret-check', { method: 'POST', body: { text }, csrfToken, schema: SecretCheckResponse, signal }),
    enabled: text.trim() !== '' && csrfToken !== null,
    // While the next text is checked, the last warning stays rather than flickering away.
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    // The key holds the description itself: drop it from the cache as soon as nothing shows it.
    gcTime: 0,
  });
}
