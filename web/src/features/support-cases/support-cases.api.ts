import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { ErrorBody, type ErrorIssue } from '../../../../common/errors.js';
import {
  AccountContactsResponse,
  CaseDetailResponse,
  CaseListResponse,
  QueuesResponse,
  SuggestionStatsResponse,
  SuggestionsResponse,
  SupportAgentsResponse,
  SupportCatalogResponse,
  SupportOverviewResponse,
  type CaseListQuery,
  type CaseReplyBody,
  type CreateCustomerCareCaseBody,
  type CreateTechnicalCaseBody,
  type SuggestionsBody,
  type UpdateCaseBody,
} from '../../../../common/schemas/support-cases.js';
import { ApiError, apiRequest, buildPath } from '../../lib/api-client';
import { useCsrfToken } from '../auth';

/** What looked like a secret, as the server's 422 secret_detected names it. */
export interface SecretFinding {
  kind: string;
  preview: string;
}

/**
 * An API error with the extra fields Support refusals carry: the seed's reason of an `ineligible`
 * 403 and the findings of a `secret_detected` 422. The forms need both to answer the contact.
 */
export class SupportApiError extends ApiError {
  readonly reason: string | null;
  readonly findings: SecretFinding[];

  constructor(status: number, code: string, message: string, issues: ErrorIssue[], reason: string | null, findings: SecretFinding[]) {
    super(status, code, message, issues);
    this.name = 'SupportApiError';
    this.reason = reason;
    this.findings = findings;
  }
}

export function isSecretDetected(error: unknown): error is SupportApiError {
  return error instanceof SupportApiError && error.code === 'secret_detected';
}

interface WriteOptions<Schema extends z.ZodType> {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  csrfToken: string | null;
  schema?: Schema;
}

/**
 * A write to the Support API. Like apiRequest (same headers, same ApiError for the rest of the
 * app), but it keeps the reason and findings of the error body, which apiRequest drops.
 */
async function sendSupportWrite<Schema extends z.ZodType = z.ZodUnknown>(
  path: string,
  options: WriteOptions<Schema>,
): Promise<z.infer<Schema>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.csrfToken) headers['X-CSRF-Token'] = options.csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Could not reach Bulwark. Check your connection and try again.');
  }
  const text = await response.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = undefined;
    }
  }
  if (!response.ok) {
    const parsed = ErrorBody.safeParse(body);
    if (!parsed.success) {
      throw new ApiError(response.status, 'internal', `Bulwark answered with an unexpected error (HTTP ${response.status}). Try again.`);
    }
    const { code, message, issues, reason, findings } = parsed.data.error;
    throw new SupportApiError(
      response.status,
      code,
      message,
      issues ?? [],
      reason ?? null,
      (findings ?? []).map(({ kind, preview }) => ({ kind, preview })),
    );
  }
  if (!options.schema) return body as z.infer<Schema>;
  const result = options.schema.safeParse(body);
  if (!result.success) {
    throw new ApiError(response.status, 'invalid_response', 'Bulwark answered in a form this page does not understand. Reload the page.');
  }
  return result.data;
}

const CreatedCase = z.object({ id: z.uuid(), number: z.string() }).loose();

export const supportCasesKeys = {
  all: ['support-cases'] as const,
  overview: ['support-cases', 'overview'] as const,
  catalog: ['support-cases', 'catalog'] as const,
  list: (query: CaseListQuery) => ['support-cases', 'list', query] as const,
  detail: (caseId: string) => ['support-cases', 'detail', caseId] as const,
  queues: ['support-cases', 'queues'] as const,
  agents: ['support-cases', 'agents'] as const,
  suggestionStats: ['support-cases', 'suggestion-stats'] as const,
  contacts: ['support-cases', 'contacts'] as const,
};

/** Public: who the caller is for Support, and whether each kind of case is open to them (with the seed's message when not). */
export function useSupportOverview() {
  return useQuery({
    queryKey: supportCasesKeys.overview,
    queryFn: ({ signal }) => apiRequest('/api/support/overview', { schema: SupportOverviewResponse, signal }),
  });
}

export function useSupportCatalog(isEnabled = true) {
  return useQuery({
    queryKey: supportCasesKeys.catalog,
    queryFn: ({ signal }) => apiRequest('/api/support/catalog', { schema: SupportCatalogResponse, signal }),
    enabled: isEnabled,
    staleTime: 5 * 60_000,
  });
}

function useInvalidateCases() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: supportCasesKeys.all });
}

export function useCreateCustomerCareCase() {
  const csrfToken = useCsrfToken();
  const invalidate = useInvalidateCases();
  return useMutation({
    mutationFn: (body: CreateCustomerCareCaseBody) =>
      sendSupportWrite('/api/support/cases/customer-care', { method: 'POST', body, csrfToken, schema: CreatedCase }),
    onSuccess: () => void invalidate(),
  });
}

export function useSuggestions() {
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (body: SuggestionsBody) =>
      sendSupportWrite('/api/support/suggestions', { method: 'POST', body, csrfToken, schema: SuggestionsResponse }),
  });
}

export function useRecordSuggestionOutcome() {
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: ({ visitId, outcome }: { visitId: string; outcome: 'left' | 'continued' }) =>
      sendSupportWrite(`/api/support/suggestions/${encodeURIComponent(visitId)}/outcome`, { method: 'POST', body: { outcome }, csrfToken }),
  });
}

export function useCreateTechnicalCase() {
  const csrfToken = useCsrfToken();
  const invalidate = useInvalidateCases();
  return useMutation({
    mutationFn: (body: CreateTechnicalCaseBody) =>
      sendSupportWrite('/api/support/cases/technical', { method: 'POST', body, csrfToken, schema: CreatedCase }),
    onSuccess: () => void invalidate(),
  });
}

/** The list query as URL parameters (page and pageSize are numbers here; the schema's input type widens them). */
function toSearchParams(query: CaseListQuery): Record<string, string | number | undefined> {
  const { page, pageSize, ...rest } = query;
  return { ...rest, page: typeof page === 'number' ? page : undefined, pageSize: typeof pageSize === 'number' ? pageSize : undefined };
}

export function useCases(query: CaseListQuery) {
  return useQuery({
    queryKey: supportCasesKeys.list(query),
    queryFn: ({ signal }) => apiRequest(buildPath('/api/support/cases', toSearchParams(query)), { schema: CaseListResponse, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useCase(caseId: string) {
  return useQuery({
    queryKey: supportCasesKeys.detail(caseId),
    queryFn: ({ signal }) => apiRequest(`/api/support/cases/${encodeURIComponent(caseId)}`, { schema: CaseDetailResponse, signal }),
  });
}

function casePath(caseId: string, rest = ''): string {
  return `/api/support/cases/${encodeURIComponent(caseId)}${rest}`;
}

export function attachmentPath(caseId: string, attachmentId: string): string {
  return casePath(caseId, `/attachments/${encodeURIComponent(attachmentId)}`);
}

export function useReplyToCase(caseId: string) {
  const csrfToken = useCsrfToken();
  const invalidate = useInvalidateCases();
  return useMutation({
    mutationFn: (body: CaseReplyBody) => sendSupportWrite(casePath(caseId, '/messages'), { method: 'POST', body, csrfToken }),
    onSuccess: () => void invalidate(),
  });
}

export function useCaseTransition(caseId: string) {
  const csrfToken = useCsrfToken();
  const invalidate = useInvalidateCases();
  return useMutation({
    mutationFn: (transition: 'close' | 'reopen') => sendSupportWrite(casePath(caseId, `/${transition}`), { method: 'POST', csrfToken }),
    onSuccess: () => void invalidate(),
  });
}

export function useUpdateCase(caseId: string) {
  const csrfToken = useCsrfToken();
  const invalidate = useInvalidateCases();
  return useMutation({
    mutationFn: (body: UpdateCaseBody) => sendSupportWrite(casePath(caseId), { method: 'PATCH', body, csrfToken }),
    onSuccess: () => void invalidate(),
  });
}

export function useRemoveAttachment(caseId: string) {
  const csrfToken = useCsrfToken();
  const invalidate = useInvalidateCases();
  return useMutation({
    mutationFn: (attachmentId: string) => sendSupportWrite(attachmentPath(caseId, attachmentId), { method: 'DELETE', csrfToken }),
    onSuccess: () => void invalidate(),
  });
}

export function useQueues() {
  return useQuery({
    queryKey: supportCasesKeys.queues,
    queryFn: ({ signal }) => apiRequest('/api/support/queues', { schema: QueuesResponse, signal }),
    refetchInterval: 60_000,
  });
}

export function useSupportAgents(isEnabled: boolean) {
  return useQuery({
    queryKey: supportCasesKeys.agents,
    queryFn: ({ signal }) => apiRequest('/api/support/agents', { schema: SupportAgentsResponse, signal }),
    enabled: isEnabled,
    staleTime: 5 * 60_000,
  });
}

export function useSuggestionStats() {
  return useQuery({
    queryKey: supportCasesKeys.suggestionStats,
    queryFn: ({ signal }) => apiRequest('/api/support/suggestion-stats', { schema: SuggestionStatsResponse, signal }),
  });
}

export function useAccountContacts() {
  return useQuery({
    queryKey: supportCasesKeys.contacts,
    queryFn: ({ signal }) => apiRequest('/api/support/account-contacts', { schema: AccountContactsResponse, signal }),
  });
}

export function useSetManageCases() {
  const csrfToken = useCsrfToken();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, canManageCases }: { userId: string; canManageCases: boolean }) =>
      sendSupportWrite(`/api/support/account-contacts/${encodeURIComponent(userId)}/manage-cases`, {
        method: 'PUT',
        body: { canManageCases },
        csrfToken,
      }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: supportCasesKeys.contacts }),
  });
}
