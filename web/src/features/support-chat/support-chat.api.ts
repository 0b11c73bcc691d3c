import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ChatListResponse, ChatSessionDetailResponse, type StartChatBody } from '../../../../common/schemas/support-chat.js';
import { apiRequest } from '../../lib/api-client';
import { useCsrfToken } from '../auth';

export const supportChatKeys = {
  all: ['support-chat'] as const,
  list: ['support-chat', 'list'] as const,
  detail: (sessionId: string) => ['support-chat', 'detail', sessionId] as const,
};

const chatPath = (sessionId: string, rest = '') => `/api/support/chats/${encodeURIComponent(sessionId)}${rest}`;

/** Agents: the waiting and active chats of their accounts (refreshed every few seconds). Contacts: their own. */
export function useChats(refetchIntervalMs: number | false = false) {
  return useQuery({
    queryKey: supportChatKeys.list,
    queryFn: ({ signal }) => apiRequest('/api/support/chats', { schema: ChatListResponse, signal }),
    refetchInterval: refetchIntervalMs,
  });
}

export function useChat(sessionId: string) {
  return useQuery({
    queryKey: supportChatKeys.detail(sessionId),
    queryFn: ({ signal }) => apiRequest(chatPath(sessionId), { schema: ChatSessionDetailResponse, signal }),
  });
}

function useChatWrite<Variables>(request: (variables: Variables, csrfToken: string | null) => Promise<ChatSessionDetailResponse>) {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (variables: Variables) => request(variables, csrfToken),
    onSuccess: (session) => {
      queryClient.setQueryData(supportChatKeys.detail(session.id), session);
      void queryClient.invalidateQueries({ queryKey: supportChatKeys.list });
    },
  });
}

/** The New Chat Support Session form's Submit. */
export function useStartChat() {
  return useChatWrite((body: StartChatBody, csrfToken) =>
    apiRequest('/api/support/chats', { method: 'POST', body, csrfToken, schema: ChatSessionDetailResponse }),
  );
}

export function useAcceptChat() {
  return useChatWrite((sessionId: string, csrfToken) =>
    apiRequest(chatPath(sessionId, '/accept'), { method: 'POST', csrfToken, schema: ChatSessionDetailResponse }),
  );
}

export function useEndChat() {
  return useChatWrite((sessionId: string, csrfToken) =>
    apiRequest(chatPath(sessionId, '/end'), { method: 'POST', csrfToken, schema: ChatSessionDetailResponse }),
  );
}
