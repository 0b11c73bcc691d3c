import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  PhoneNumbersResponse,
  PinLookupResponse,
  SupportPinResponse,
  type ReplacePhoneNumbersBody,
} from '../../../../common/schemas/phone-support.js';
import { apiRequest, buildPath } from '../../lib/api-client';
import { useCsrfToken } from '../auth';

const phoneNumbersQueryKey = ['support', 'phone-numbers'] as const;
const supportPinQueryKey = ['support', 'pin'] as const;

/** Public: anonymous visitors of the Support page see the numbers too. */
export function usePhoneNumbers() {
  return useQuery({
    queryKey: phoneNumbersQueryKey,
    queryFn: ({ signal }) => apiRequest('/api/support/phone-numbers', { schema: PhoneNumbersResponse, signal }),
  });
}

export function useReplacePhoneNumbers() {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (body: ReplacePhoneNumbersBody) =>
      apiRequest('/api/support/phone-numbers', { method: 'PUT', body, csrfToken, schema: PhoneNumbersResponse }),
    onSuccess: (data) => queryClient.setQueryData(phoneNumbersQueryKey, data),
  });
}

/** The signed-in contact's own PIN; only asked for when `isEnabled` (a contact is signed in). */
export function useSupportPin(isEnabled: boolean) {
  return useQuery({
    queryKey: supportPinQueryKey,
    queryFn: ({ signal }) => apiRequest('/api/support/pin', { schema: SupportPinResponse, signal }),
    enabled: isEnabled,
  });
}

export function useRegenerateSupportPin() {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: () => apiRequest('/api/support/pin/regenerate', { method: 'POST', csrfToken, schema: SupportPinResponse }),
    onSuccess: (data) => queryClient.setQueryData(supportPinQueryKey, data),
  });
}

/**
 * A mutation, not a query, although it reads: every lookup is audited and counted against the
 * agent's limit, so it runs only when the agent asks, never on refocus or remount.
 */
export function usePinLookup() {
  return useMutation({
    mutationFn: (pin: string) => apiRequest(buildPath('/api/support/pin-lookup', { pin }), { schema: PinLookupResponse }),
  });
}
