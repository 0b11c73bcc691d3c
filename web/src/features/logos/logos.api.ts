import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ErrorBody } from '../../../../common/errors.js';
import { LogoListResponse, LogoResponse } from '../../../../common/schemas/logos.js';
import { ApiError, apiRequest, buildPath } from '../../lib/api-client';
import { useCsrfToken } from '../auth';

const logosQueryKey = ['logos'] as const;

export function useLogos(isEnabled = true) {
  return useQuery({
    queryKey: [...logosQueryKey, 'list'],
    queryFn: ({ signal }) => apiRequest('/api/logos', { schema: LogoListResponse, signal }),
    enabled: isEnabled,
  });
}

export interface LogoFormValues {
  name?: string;
  file?: File | null;
}

/**
 * Sends the Add/Edit Logo form as multipart/form-data (the one request of the app that is not
 * JSON), with the same CSRF header and error shape as apiRequest.
 */
async function sendLogoForm(path: string, method: 'POST' | 'PATCH', values: LogoFormValues, csrfToken: string | null) {
  const form = new FormData();
  if (values.name !== undefined) form.append('name', values.name);
  if (values.file) form.append('file', values.file, values.file.name);
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      body: form,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(csrfToken ? { 'X-CSRF-Token': csrfToken } : {}) },
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Could not reach Bulwark. Check your connection and try again.');
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = ErrorBody.safeParse(body);
    if (parsed.success) throw new ApiError(response.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.issues);
    throw new ApiError(response.status, 'internal', `Bulwark answered with an unexpected error (HTTP ${response.status}). Try again.`);
  }
  return LogoResponse.parse(body);
}

function useLogoMutation<Input, Output>(mutationFn: (input: Input, csrfToken: string | null) => Promise<Output>) {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (input: Input) => mutationFn(input, csrfToken),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: logosQueryKey }),
        queryClient.invalidateQueries({ queryKey: ['accounts'] }),
      ]);
    },
  });
}

export function useCreateLogo() {
  return useLogoMutation((values: LogoFormValues, csrfToken) => sendLogoForm('/api/logos', 'POST', values, csrfToken));
}

export function useUpdateLogo() {
  return useLogoMutation(({ id, values }: { id: string; values: LogoFormValues }, csrfToken) =>
    sendLogoForm(`/api/logos/${encodeURIComponent(id)}`, 'PATCH', values, csrfToken),
  );
}

export function useDeleteLogo() {
  return useLogoMutation((id: string, csrfToken) => apiRequest(`/api/logos/${encodeURIComponent(id)}`, { method: 'DELETE', csrfToken }));
}

/** The URL of a logo's PNG; the version changes with the file, so the browser may cache it. */
export function logoImageUrl(logoId: string, version?: string | null): string {
  return buildPath(`/api/logos/${encodeURIComponent(logoId)}/image`, { v: version ?? undefined });
}
