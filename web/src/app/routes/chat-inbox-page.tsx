import { Anchor, Button, Paper, Skeleton, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { ChatSessionResponse } from '../../../../common/schemas/support-chat.js';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { getErrorMessage } from '../../lib/api-client';
import { ChatConversation, ChatStatusBadge, useAcceptChat, useChat, useChats } from '../../features/support-chat';
import { PermissionGate } from '../permission-gate';

/** The inbox refreshes this often (new chats appear without a reload). */
const INBOX_REFRESH_MS = 5000;

function formatWaiting(since: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - new Date(since).getTime()) / 60_000));
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function AcceptButton({ chat }: { chat: Pick<ChatSessionResponse, 'id' | 'account'> }) {
  const accept = useAcceptChat();
  const navigate = useNavigate();
  return (
    <>
      <Button
        size="xs"
        loading={accept.isPending}
        aria-label={`Accept the chat of ${chat.account.name}`}
        onClick={() => accept.mutate(chat.id, { onSuccess: () => void navigate(`/support-console/chats/${chat.id}`) })}
      >
        Accept
      </Button>
      {accept.isError && (
        <Text c="red" size="xs" role="alert">
          {getErrorMessage(accept.error)}
        </Text>
      )}
    </>
  );
}

function Inbox() {
  const chats = useChats(INBOX_REFRESH_MS);
  const now = useNow(30_000);
  if (chats.isPending) return <Skeleton h={240} />;
  if (chats.isError) return <QueryErrorAlert error={chats.error} onRetry={() => void chats.refetch()} title="Could not load the chats" />;
  if (chats.data.items.length === 0) {
    return (
      <Paper withBorder p="xl">
        <Text c="dimmed" ta="center">
          No chats are waiting. New ones appear here by themselves.
        </Text>
      </Paper>
    );
  }
  return (
    <Paper withBorder shadow="xs">
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing="sm" highlightOnHover aria-label="Chats">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Account</Table.Th>
              <Table.Th>Contact</Table.Th>
              <Table.Th>Product</Table.Th>
              <Table.Th>Case</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Waiting</Table.Th>
              <Table.Th>
                <span className="bulwark-visually-hidden">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {chats.data.items.map((chat) => (
              <Table.Tr key={chat.id} data-testid="chat-row">
                <Table.Td>{chat.account.name}</Table.Td>
                <Table.Td>{chat.contact?.name ?? '—'}</Table.Td>
                <Table.Td>
                  {chat.product}
                  {chat.productVersion ? ` ${chat.productVersion}` : ''}
                </Table.Td>
                <Table.Td>{chat.case.number}</Table.Td>
                <Table.Td>
                  <ChatStatusBadge status={chat.status} />
                  {chat.agent && (
                    <Text size="xs" c="dimmed">
                      {chat.agent.name}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{chat.status === 'waiting' ? formatWaiting(chat.createdAt, now) : '—'}</Table.Td>
                <Table.Td>
                  {chat.can.accept ? (
                    <AcceptButton chat={chat} />
                  ) : chat.can.send ? (
                    <Anchor component={Link} to={`/support-console/chats/${chat.id}`} size="sm">
                      Open
                    </Anchor>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function AgentChat({ sessionId }: { sessionId: string }) {
  const chat = useChat(sessionId);
  if (chat.isPending) return <Skeleton h={480} />;
  if (chat.isError) return <QueryErrorAlert error={chat.error} onRetry={() => void chat.refetch()} title="Could not load the chat" />;
  return (
    <>
      <Paper withBorder p="md" mb="md">
        <Text size="sm" fw={600}>
          {chat.data.contact?.name ?? 'Contact'} · {chat.data.account.name}
        </Text>
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
          {chat.data.description}
        </Text>
      </Paper>
      <ChatConversation session={chat.data} viewer="agent" actions={chat.data.can.accept ? <AcceptButton chat={chat.data} /> : null} />
    </>
  );
}

/** Support agents' chat inbox: waiting and active chats with their waiting time; Accept; the conversation. */
export function ChatInboxPage() {
  const { sessionId } = useParams();
  return (
    <PermissionGate action="support:work">
      <PageHeader
        title={sessionId ? 'Chat' : 'Chat inbox'}
        description={
          sessionId ? (
            <Anchor component={Link} to="/support-console/chats" size="sm">
              Back to the chat inbox
            </Anchor>
          ) : (
            'Chats of the accounts you look after: waiting ones first. Accept one to answer it.'
          )
        }
      />
      {sessionId ? <AgentChat key={sessionId} sessionId={sessionId} /> : <Inbox />}
    </PermissionGate>
  );
}
