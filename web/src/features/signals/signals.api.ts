import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  SignalDetailResponse,
  SignalSearchResponse,
  SignalSettingsResponse,
  type UpdateSignalSettingsBody,
} from '../../../../common/schemas/signals.js';
import { apiRequest, buildPath } from '../../lib/api-client';
import { useCsrfToken } from '../auth';
import { SIGNALS_PAGE_SIZE, toSignalQuery, type SignalFilters } from './url-filters';

const signalsQueryKey = ['signals'] as const;

/** One page of the signals matching the filters, with the facet counts. */
export function useSignals(filters: SignalFilters) {
  const query = { ...toSignalQuery(filters), page: filters.page, pageSize: SIGNALS_PAGE_SIZE };
  return useQuery({
    queryKey: [...signalsQueryKey, 'search', query],
    queryFn: ({ signal }) => apiRequest(buildPath('/api/signals', query), { schema: SignalSearchResponse, signal }),
    placeholderData: keepPreviousData,
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
