import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  SignalCountsResponse,
  SignalDetailResponse,
  SignalResultsResponse,
  SignalSettingsResponse,
  type UpdateSignalSettingsBody,
} from '../../../../common/schemas/signals.js';
import { apiRequest, buildPath } from '../../lib/api-client';
import { useCsrfToken } from '../auth';
import { SIGNALS_PAGE_SIZE, toSignalQuery, type SignalFilters } from './url-filters';

const signalsQueryKey = ['signals'] as const;

/**
 * One page of the signals matching the filters, newest first. The page shows it as soon as it
 * arrives; the counts (useSignalCounts) may take longer on a large match and fill in after.
 */
export function useSignalResults(filters: SignalFilters) {
  const query = { ...toSignalQuery(filters), page: filters.page, pageSize: SIGNALS_PAGE_SIZE };
  return useQuery({
    queryKey: [...signalsQueryKey, 'results', query],
    queryFn: ({ signal }) => apiRequest(buildPath('/api/signals/results', query), { schema: SignalResultsResponse, signal }),
    placeholderData: keepPreviousData,
  });
}

/** The total and facet counts of the filters' whole match (not of the page: paging does not refetch them). */
export function useSignalCounts(filters: SignalFilters) {
  const query = toSignalQuery(filters);
  return useQuery({
    queryKey: [...signalsQueryKey, 'counts', query],
    queryFn: ({ signal }) => apiRequest(buildPath('/api/signals/counts', query), { schema: SignalCountsResponse, signal }),
  });
}

/** One signal with its raw record; idle without an id. */
export function useSignal(id: string | null) {
  return useQuery({
    queryKey: [...signalsQueryKey, 'detail', id],
    queryFn: ({ signal }) => apiRequest(`/api/signals/${encodeURIComponent(id ?? '')}`, { schema: SignalDetailResponse, signal }),
    enabled: id !== null,
  });
}

/** The download address of the results as CSV or JSON, with the filters in force. */
export function buildSignalExportPath(filters: SignalFilters, format: 'csv' | 'json'): string {
  return buildPath('/api/signals/export', { format, ...toSignalQuery(filters) });
}

export function useSignalSettings(isEnabled: boolean) {
  return useQuery({
    queryKey: [...signalsQueryKey, 'settings'],
    queryFn: ({ signal }) => apiRequest('/api/signals/settings', { schema: SignalSettingsResponse, signal }),
    enabled: isEnabled,
  });
}

export function useUpdateSignalSettings() {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (body: UpdateSignalSettingsBody) =>
      apiRequest('/api/signals/settings', { method: 'PUT', body, csrfToken, schema: SignalSettingsResponse }),
    onSuccess: (data) => queryClient.setQueryData([...signalsQueryKey, 'settings'], data),
  });
}
