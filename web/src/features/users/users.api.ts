import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AccountListResponse } from '../../../../common/schemas/accounts.js';
import {
  DeletedUserResponse,
  UserDetailResponse,
  UserListResponse,
  type CreateUserBody,
  type UpdateUserBody,
} from '../../../../common/schemas/users.js';
import { apiRequest, buildPath } from '../../lib/api-client';
import { useCsrfToken } from '../auth';

const usersQueryKey = ['users'] as const;
const userPath = (id: string) => `/api/admin/users/${encodeURIComponent(id)}`;

export function useStaffUsers() {
  return useQuery({
    queryKey: [...usersQueryKey, 'list'],
    queryFn: ({ signal }) => apiRequest('/api/admin/users', { schema: UserListResponse, signal }),
  });
}

export function useStaffUser(id: string) {
  return useQuery({
    queryKey: [...usersQueryKey, 'detail', id],
    queryFn: ({ signal }) => apiRequest(userPath(id), { schema: UserDetailResponse, signal }),
    retry: false,
  });
}

/** Every user mutation refreshes the users table and the user's own page. */
function useUserMutation<Input, Output>(mutationFn: (input: Input, csrfToken: string | null) => Promise<Output>) {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (input: Input) => mutationFn(input, csrfToken),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersQueryKey }),
  });
}

export function useCreateUser() {
  return useUserMutation((body: CreateUserBody, csrfToken) =>
    apiRequest('/api/admin/users', { method: 'POST', body, csrfToken, schema: UserDetailResponse }),
  );
}

export function useUpdateUser() {
  return useUserMutation(({ id, body }: { id: string; body: UpdateUserBody }, csrfToken) =>
    apiRequest(userPath(id), { method: 'PATCH', body, csrfToken, schema: UserDetailResponse }),
  );
}

export function useSetUserAccounts() {
  return useUserMutation(({ id, accountIds }: { id: string; accountIds: string[] }, csrfToken) =>
    apiRequest(`${userPath(id)}/accounts`, { method: 'PUT', body: { accountIds }, csrfToken, schema: UserDetailResponse }),
  );
}

export function useSetUserEnabled() {
  return useUserMutation(({ id, isEnabled }: { id: string; isEnabled: boolean }, csrfToken) =>
    apiRequest(`${userPath(id)}/${isEnabled ? 'enable' : 'disable'}`, { method: 'POST', csrfToken, schema: UserDetailResponse }),
  );
}

export function useDeleteUser() {
  return useUserMutation(({ id, successorUserId }: { id: string; successorUserId: string }, csrfToken) =>
    apiRequest(buildPath(userPath(id), { successorUserId }), { method: 'DELETE', csrfToken, schema: DeletedUserResponse }),
  );
}

export const ASSIGNABLE_ACCOUNTS_PAGE_SIZE = 200;

/** The accounts offered in Assign Accounts, searched on the server. */
export function useAssignableAccounts(search: string, isEnabled: boolean) {
  return useQuery({
    queryKey: ['accounts', 'assignable', search],
    queryFn: ({ signal }) =>
      apiRequest(buildPath('/api/accounts', { search, pageSize: ASSIGNABLE_ACCOUNTS_PAGE_SIZE }), { schema: AccountListResponse, signal }),
    enabled: isEnabled,
    placeholderData: keepPreviousData,
  });
}
