import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { AccountListResponse, type ListAccountsQuery } from '../../../../common/schemas/accounts.js';
import { apiRequest, buildPath } from '../../lib/api-client';

/** One page of the customer accounts the signed-in person may see, searched and sorted by the server. */
export function useAccounts(query: ListAccountsQuery) {
  return useQuery({
    queryKey: ['accounts', 'list', query],
    queryFn: ({ signal }) => apiRequest(buildPath('/api/accounts', { ...query }), { schema: AccountListResponse, signal }),
    // Keep the current page on screen while the next one (or a new sort) loads.
    placeholderData: keepPreviousData,
  });
}
