import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  ConnectorListResponse,
  IntegrationListResponse,
  IntegrationResponse,
  LogListResponse,
  PollNowResponse,
  RunListResponse,
  TestConnectionResponse,
  type CreateIntegrationBody,
  type TestConnectionBody,
  type UpdateIntegrationBody,
} from '../../../../common/schemas/integrations.js';
import { apiRequest, buildPath } from '../../lib/api-client';
import { useCsrfToken } from '../auth';

const integrationsQueryKey = ['integrations'] as const;
const integrationPath = (id: string) => `/api/integrations/${encodeURIComponent(id)}`;

/** While a stream runs, the tiles refresh this often; otherwise they refresh slowly (the scheduler may start a run). */
export const RUNNING_REFRESH_MS = 3_000;
export const IDLE_REFRESH_MS = 30_000;

/** Whether any stream of these integrations is running now (the tiles then refresh every few seconds). */
export function isAnyStreamRunning(integrations: readonly IntegrationResponse[]): boolean {
  return integrations.some((integration) => integration.streams.some((stream) => stream.running));
}

/** The connector catalogue: what each connector needs and collects. */
export function useConnectors() {
  return useQuery({
    queryKey: [...integrationsQueryKey, 'connectors'],
    queryFn: ({ signal }) => apiRequest('/api/integrations/connectors', { schema: ConnectorListResponse, signal }),
    staleTime: 5 * 60_000,
  });
}

export function useIntegrations() {
  return useQuery({
    queryKey: [...integrationsQueryKey, 'list'],
    queryFn: ({ signal }) => apiRequest('/api/integrations', { schema: IntegrationListResponse, signal }),
    refetchInterval: (query) =>
      query.state.data && isAnyStreamRunning(query.state.data.integrations) ? RUNNING_REFRESH_MS : IDLE_REFRESH_MS,
  });
}

/** `isEager`: refresh every few seconds even before a run shows as running (just after Poll Now). */
export function useIntegration(id: string, isEager = false) {
  return useQuery({
    queryKey: [...integrationsQueryKey, 'detail', id],
    queryFn: ({ signal }) => apiRequest(integrationPath(id), { schema: IntegrationResponse, signal }),
    refetchInterval: (query) =>
      isEager || (query.state.data && isAnyStreamRunning([query.state.data])) ? RUNNING_REFRESH_MS : IDLE_REFRESH_MS,
  });
}

/** The run ledger, newest first; refreshed with the tile while something runs. */
export function useIntegrationRuns(id: string, page: number, pageSize: number, isRunning: boolean) {
  return useQuery({
    queryKey: [...integrationsQueryKey, 'runs', id, page, pageSize],
    queryFn: ({ signal }) => apiRequest(buildPath(`${integrationPath(id)}/runs`, { page, pageSize }), { schema: RunListResponse, signal }),
    placeholderData: keepPreviousData,
    refetchInterval: isRunning ? RUNNING_REFRESH_MS : IDLE_REFRESH_MS,
  });
}

export function useIntegrationLogs(id: string, limit: number, isRunning: boolean) {
  return useQuery({
    queryKey: [...integrationsQueryKey, 'logs', id, limit],
    queryFn: ({ signal }) => apiRequest(buildPath(`${integrationPath(id)}/logs`, { limit }), { schema: LogListResponse, signal }),
    placeholderData: keepPreviousData,
    refetchInterval: isRunning ? RUNNING_REFRESH_MS : IDLE_REFRESH_MS,
  });
}

/** Every integration mutation refreshes the tiles, the ledger and the log. */
function useIntegrationMutation<Input, Output>(mutationFn: (input: Input, csrfToken: string | null) => Promise<Output>) {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (input: Input) => mutationFn(input, csrfToken),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: integrationsQueryKey });
    },
  });
}

export function useCreateIntegration() {
  return useIntegrationMutation((body: CreateIntegrationBody, csrfToken) =>
    apiRequest('/api/integrations', { method: 'POST', body, csrfToken, schema: IntegrationResponse }),
  );
}

export function useUpdateIntegration() {
  return useIntegrationMutation(({ id, body }: { id: string; body: UpdateIntegrationBody }, csrfToken) =>
    apiRequest(integrationPath(id), { method: 'PATCH', body, csrfToken, schema: IntegrationResponse }),
  );
}

export function useDeleteIntegration() {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (id: string) => apiRequest(integrationPath(id), { method: 'DELETE', csrfToken }),
    onSuccess: async (_data, id) => {
      queryClient.removeQueries({ queryKey: [...integrationsQueryKey, 'detail', id] });
      await queryClient.invalidateQueries({ queryKey: [...integrationsQueryKey, 'list'] });
    },
  });
}

export function usePollNow() {
  return useIntegrationMutation((id: string, csrfToken) =>
    apiRequest(`${integrationPath(id)}/poll-now`, { method: 'POST', csrfToken, schema: PollNowResponse }),
  );
}

/** Not cached: a test asks the source now, with the form's current values. */
export function useTestConnection() {
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (body: TestConnectionBody) =>
      apiRequest('/api/integrations/test-connection', { method: 'POST', body, csrfToken, schema: TestConnectionResponse }),
  });
}
