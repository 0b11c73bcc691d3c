import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DomainListResponse, DomainResponse } from '../../../../common/schemas/domains.js';
import { apiRequest } from '../../lib/api-client';
import { useCsrfToken } from '../auth';

const domainsQueryKey = ['domains'] as const;

export function useApprovedDomains() {
  return useQuery({
    queryKey: domainsQueryKey,
    queryFn: ({ signal }) => apiRequest('/api/admin/domains', { schema: DomainListResponse, signal }),
  });
}

export function useAddDomain() {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (domain: string) =>
      apiRequest('/api/admin/domains', { method: 'POST', body: { domain }, csrfToken, schema: DomainResponse }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: domainsQueryKey }),
  });
}

export function useRemoveDomain() {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (domain: string) => apiRequest(`/api/admin/domains/${encodeURIComponent(domain)}`, { method: 'DELETE', csrfToken }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: domainsQueryKey }),
  });
}
