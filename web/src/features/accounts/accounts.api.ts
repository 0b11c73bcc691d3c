import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  AccountContactResponse,
  AccountDetailsResponse,
  AccountListResponse,
  type CreateAccountBody,
  type ListAccountsQuery,
  type UpdateAccountBody,
} from '../../../../common/schemas/accounts.js';
import type { CreateContactBody, UpdateContactBody } from '../../../../common/schemas/contacts.js';
import { AssignLogoResponse } from '../../../../common/schemas/logos.js';
import { apiRequest, buildPath } from '../../lib/api-client';
import { useCsrfToken } from '../auth';

const accountsQueryKey = ['accounts'] as const;
const accountPath = (id: string) => `/api/accounts/${encodeURIComponent(id)}`;

/** One page of the customer accounts the signed-in person may see, searched and sorted by the server. */
export function useAccounts(query: ListAccountsQuery) {
  return useQuery({
    queryKey: [...accountsQueryKey, 'list', query],
    queryFn: ({ signal }) => apiRequest(buildPath('/api/accounts', { ...query }), { schema: AccountListResponse, signal }),
    // Keep the current page on screen while the next one (or a new sort) loads.
    placeholderData: keepPreviousData,
  });
}

/** One account with its licences, subscriptions, contacts and custom name history; idle without an id. */
export function useAccount(id: string | null) {
  return useQuery({
    queryKey: [...accountsQueryKey, 'detail', id],
    queryFn: ({ signal }) => apiRequest(accountPath(id ?? ''), { schema: AccountDetailsResponse, signal }),
    enabled: id !== null,
  });
}

/** Every account mutation refreshes the accounts table and details (and the logos' account counts). */
function useAccountMutation<Input, Output>(mutationFn: (input: Input, csrfToken: string | null) => Promise<Output>) {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (input: Input) => mutationFn(input, csrfToken),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: accountsQueryKey }),
        queryClient.invalidateQueries({ queryKey: ['logos'] }),
      ]);
    },
  });
}

export function useCreateAccount() {
  return useAccountMutation((body: CreateAccountBody, csrfToken) =>
    apiRequest('/api/accounts', { method: 'POST', body, csrfToken, schema: AccountDetailsResponse }),
  );
}

export function useUpdateAccount() {
  return useAccountMutation(({ id, body }: { id: string; body: UpdateAccountBody }, csrfToken) =>
    apiRequest(accountPath(id), { method: 'PATCH', body, csrfToken, schema: AccountDetailsResponse }),
  );
}

export function useSetAccountActive() {
  return useAccountMutation(({ id, isActive }: { id: string; isActive: boolean }, csrfToken) =>
    apiRequest(`${accountPath(id)}/${isActive ? 'reactivate' : 'deactivate'}`, {
      method: 'POST',
      csrfToken,
      schema: AccountDetailsResponse,
    }),
  );
}

export function useCreateContact() {
  return useAccountMutation(({ accountId, body }: { accountId: string; body: CreateContactBody }, csrfToken) =>
    apiRequest(`${accountPath(accountId)}/contacts`, { method: 'POST', body, csrfToken, schema: AccountContactResponse }),
  );
}

export function useUpdateContact() {
  return useAccountMutation(
    ({ accountId, contactId, body }: { accountId: string; contactId: string; body: UpdateContactBody }, csrfToken) =>
      apiRequest(`${accountPath(accountId)}/contacts/${encodeURIComponent(contactId)}`, {
        method: 'PATCH',
        body,
        csrfToken,
        schema: AccountContactResponse,
      }),
  );
}

export function useRemoveContact() {
  return useAccountMutation(({ accountId, contactId }: { accountId: string; contactId: string }, csrfToken) =>
    apiRequest(`${accountPath(accountId)}/contacts/${encodeURIComponent(contactId)}`, { method: 'DELETE', csrfToken }),
  );
}

/** Assigns a logo to the accounts, or removes theirs with logoId null ("(No Logo)"). */
export function useAssignLogo() {
  return useAccountMutation((body: { logoId: string | null; accountIds: string[] }, csrfToken) =>
    apiRequest('/api/accounts/logo', { method: 'PUT', body, csrfToken, schema: AssignLogoResponse }),
  );
}
