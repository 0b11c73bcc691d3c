import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { ErrorBody } from '../../../../common/errors.js';
import { InstanceResponse } from '../../../../common/schemas/instances.js';
import { ScanListResponse, ScanResponse } from '../../../../common/schemas/scans.js';
import { ApiError, apiRequest, buildPath } from '../../lib/api-client';
import { useCsrfToken } from '../auth';

/** Every query of one instance starts with this key: invalidating it refreshes all its pages. */
export function instanceQueryKey(accountId: string) {
  return ['instances', accountId] as const;
}

function instancePath(accountId: string, rest = ''): string {
  return `/api/instances/${encodeURIComponent(accountId)}${rest}`;
}

/** The instance of the current route (`/instances/:accountId/...`). */
export function useInstanceParams(): { accountId: string; basePath: string } {
  const { accountId = '' } = useParams();
  return { accountId, basePath: `/instances/${encodeURIComponent(accountId)}` };
}

export function useInstance(accountId: string) {
  return useQuery({
    queryKey: [...instanceQueryKey(accountId), 'instance'],
    queryFn: ({ signal }) => apiRequest(instancePath(accountId), { schema: InstanceResponse, signal }),
    enabled: accountId !== '',
    // 404 (not visible) and 403 (deactivated) will not change by asking again.
    retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
  });
}

/** Staff: record entering an instance from the portal (audited), before opening it. */
export function useEnterInstance() {
  const csrfToken = useCsrfToken();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (accountId: string) => apiRequest(instancePath(accountId, '/sso'), { method: 'POST', csrfToken }),
    onSuccess: (_data, accountId) => queryClient.invalidateQueries({ queryKey: instanceQueryKey(accountId) }),
  });
}

/** Staff: record leaving an instance for the portal (audited). */
export function useLeaveInstance() {
  const csrfToken = useCsrfToken();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (accountId: string) => apiRequest(instancePath(accountId, '/sso/leave'), { method: 'POST', csrfToken }),
    onSettled: (_data, _error, accountId) => queryClient.removeQueries({ queryKey: instanceQueryKey(accountId) }),
  });
}

function isScanActive(scan: ScanResponse): boolean {
  return scan.status === 'queued' || scan.status === 'running';
}

/** The instance's scans, newest first; polled every second while any on the page is importing. */
export function useScans(accountId: string, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...instanceQueryKey(accountId), 'scans', { page, pageSize }],
    queryFn: ({ signal }) =>
      apiRequest(buildPath(instancePath(accountId, '/scans'), { page, pageSize }), { schema: ScanListResponse, signal }),
    refetchInterval: (query) => (query.state.data?.items.some(isScanActive) ? 1000 : false),
    placeholderData: (previous) => previous,
  });
}

/** One scan; polled every second while queued or running. */
export function useScan(accountId: string, scanId: string | null) {
  return useQuery({
    queryKey: [...instanceQueryKey(accountId), 'scans', 'one', scanId],
    queryFn: ({ signal }) =>
      apiRequest(instancePath(accountId, `/scans/${encodeURIComponent(scanId ?? '')}`), { schema: ScanResponse, signal }),
    enabled: scanId !== null,
    refetchInterval: (query) => (query.state.data && !isScanActive(query.state.data) ? false : 1000),
  });
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * Sends one .nessus file to the import endpoint as multipart/form-data with XMLHttpRequest, the
 * one browser API that reports upload progress. Resolves with the queued scan (202).
 */
export function uploadScanFile(
  accountId: string,
  file: File,
  csrfToken: string | null,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<ScanResponse> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', instancePath(accountId, '/scans/import'));
    request.withCredentials = true;
    request.setRequestHeader('Accept', 'application/json');
    if (csrfToken) request.setRequestHeader('X-CSRF-Token', csrfToken);
    request.upload.onprogress = (event) => onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    request.onerror = () => reject(new ApiError(0, 'network_error', 'Could not reach Bulwark. Check your connection and try again.'));
    request.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    request.onload = () => {
      let body: unknown;
      try {
        body = request.responseText ? JSON.parse(request.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (request.status >= 200 && request.status < 300) {
        const parsed = ScanResponse.safeParse(body);
        if (parsed.success) resolve(parsed.data);
        else
          reject(
            new ApiError(request.status, 'invalid_response', 'Bulwark answered in a form this page does not understand. Reload the page.'),
          );
        return;
      }
      const parsed = ErrorBody.safeParse(body);
      if (parsed.success) reject(new ApiError(request.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.issues));
      else
        reject(new ApiError(request.status, 'internal', `Bulwark answered with an unexpected error (HTTP ${request.status}). Try again.`));
    };
    signal?.addEventListener('abort', () => request.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}

/** History state the Accounts page's single sign-on button leaves: entering is already recorded. */
export interface SsoState {
  isEntered: boolean;
}

export function readSsoState(state: unknown): SsoState {
  return { isEntered: typeof state === 'object' && state !== null && (state as Record<string, unknown>).isSsoEntered === true };
}

/** The state to navigate with after recording the entering. */
export const SSO_ENTERED_STATE = { isSsoEntered: true } as const;

/** Uploads one file to the instance's import, reporting bytes sent; resolves with the queued scan. */
export function useUploadScan(accountId: string) {
  const csrfToken = useCsrfToken();
  return (file: File, onProgress: (progress: UploadProgress) => void, signal?: AbortSignal) =>
    uploadScanFile(accountId, file, csrfToken, onProgress, signal);
}

/** After an import finishes: every page of the instance (dashboard, lists, licences) reloads. */
export function useRefreshInstance(accountId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: instanceQueryKey(accountId) });
}
