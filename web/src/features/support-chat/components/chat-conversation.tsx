import { Alert, Anchor, Badge, Button, Group, Loader, Paper, ScrollArea, Stack, Text, Textarea } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import {
  CHAT_MESSAGE_MAX_LENGTH,
  CHAT_WAITING_TEXT,
  type ChatMessageResponse,
  type ChatSessionDetailResponse,
  type ChatStatus,
} from '../../../../../common/schemas/support-chat.js';
import { getErrorMessage } from '../../../lib/api-client';
import { useEndChat } from '../support-chat.api';
import { useChatConnection, type PendingMessage } from '../use-chat-connection';

const TIME_FORMAT = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

export const CHAT_STATUS_LABELS: Record<ChatStatus, string> = { waiting: 'Waiting', active: 'Active', ended: 'Ended' };
const STATUS_COLORS: Record<ChatStatus, string> = { waiting: 'orange', active: 'green', ended: 'gray' };

export function ChatStatusBadge({ status }: { status: ChatStatus }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" radius="sm">
      {CHAT_STATUS_LABELS[status]}
    </Badge>
  );
}

function MessageLine({ message, isOwn }: { message: ChatMessageResponse; isOwn: boolean }) {
  if (message.authorKind === 'system') {
    return (
      <Text size="xs" c="dimmed" ta="center" data-testid="chat-system-message">
        {message.body}
      </Text>
    );
  }
  return (
    <Stack gap={2} align={isOwn ? 'flex-end' : 'flex-start'} data-testid="chat-message" data-author-kind={message.authorKind}>
      <Text size="xs" c="dimmed">
        {message.authorName} · {TIME_FORMAT.format(new Date(message.createdAt))}
      </Text>
      <Paper
        px="sm"
        py={6}
        radius="md"
        bg={isOwn ? 'var(--mantine-color-blue-light)' : 'var(--mantine-color-default-hover)'}
        maw="80%"
        style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
      >
        <Text size="sm">{message.body}</Text>
      </Paper>
    </Stack>
  );
}

function PendingLine({ message, onRetry }: { message: PendingMessage; onRetry: () => void }) {
  return (
    <Stack gap={2} align="flex-end">
      <Paper px="sm" py={6} radius="md" withBorder maw="80%" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', opacity: 0.7 }}>
        <Text size="sm">{message.body}</Text>
      </Paper>
      {message.error ? (
        <Group gap={6}>
          <Text size="xs" c="red" role="alert">
            {message.error}
          </Text>
          <Anchor component="button" type="button" size="xs" onClick={onRetry}>
            Retry
          </Anchor>
        </Group>
      ) : (
        <Text size="xs" c="dimmed">
          Sending…
        </Text>
      )}
    </Stack>
  );
}

interface ChatConversationProps {
  session: ChatSessionDetailResponse;
  /** Who is looking: decides which side is "own" and where the case link goes. */
  viewer: 'contact' | 'agent';
  /** Above the conversation (the agent's Accept button, say). */
  actions?: ReactNode;
}

/** One chat, live: the messages, who is typing, the reply box and End chat; after the end, the link to the case. */
export function ChatConversation({ session, viewer, actions }: ChatConversationProps) {
  const live = useChatConnection(session.id, session.messages, session.status !== 'ended' && session.can.send);
  const end = useEndChat();
  const [draft, setDraft] = useState('');
  const [draftError, setDraftError] = useState<string | null>(null);
  const viewport = useRef<HTMLDivElement>(null);

  const status = session.status === 'ended' ? 'ended' : (live.status ?? session.status);
  const agentName = live.agentName ?? session.agent?.name ?? null;
  const messages = live.messages.length >= session.messages.length ? live.messages : session.messages;
  const canWrite = status !== 'ended' && session.can.send;
  const casePath = viewer === 'contact' ? `/support/cases/${session.case.id}` : `/support-console/cases/${session.case.id}`;

  useEffect(() => {
    viewport.current?.scrollTo({ top: viewport.current.scrollHeight });
  }, [messages.length, live.pending.length, live.typing]);

  const send = () => {
    const error = live.send(draft);
    setDraftError(error);
    if (!error) setDraft('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      send();
    }
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs">
          <ChatStatusBadge status={status} />
          <Text size="sm" c="dimmed">
            Case{' '}
            <Anchor component={Link} to={casePath}>
              {session.case.number}
            </Anchor>{' '}
            · {session.product}
            {session.productVersion ? ` ${session.productVersion}` : ''} · {session.operatingSystem}
            {viewer === 'agent' ? ` · ${session.account.name}` : ''}
          </Text>
        </Group>
        <Group gap="xs">
          {actions}
          {status !== 'ended' && session.can.end && (
            <Button variant="default" color="red" loading={end.isPending} onClick={() => end.mutate(session.id)}>
              End chat
            </Button>
          )}
        </Group>
      </Group>
      {end.isError && (
        <Text c="red" size="sm" role="alert">
          {getErrorMessage(end.error)}
        </Text>
      )}

      {status === 'waiting' && viewer === 'contact' && (
        <Alert color="blue" variant="light" icon={<Loader size="sm" />} data-testid="chat-waiting">
          {CHAT_WAITING_TEXT}
        </Alert>
      )}
      {status === 'active' && agentName && viewer === 'contact' && (
        <Text size="sm" c="dimmed">
          You are chatting with {agentName}.
        </Text>
      )}
      {live.connection === 'reconnecting' && status !== 'ended' && (
        <Alert color="yellow" variant="light" icon={<IconPlugConnectedX aria-hidden />}>
          Connection lost. Reconnecting… Messages you write now are sent once the connection is back.
        </Alert>
      )}

      <Paper withBorder p={0}>
        <ScrollArea h={420} viewportRef={viewport} type="auto">
          <Stack gap="sm" p="md" role="log" aria-label="Conversation" aria-live="polite">
            {messages.map((message) => (
              <MessageLine key={message.id} message={message} isOwn={message.authorKind === viewer} />
            ))}
            {live.pending.map((message) => (
              <PendingLine key={message.clientId} message={message} onRetry={() => live.retry(message.clientId)} />
            ))}
          </Stack>
        </ScrollArea>
      </Paper>
      <Text size="sm" c="dimmed" h={20} aria-live="polite" data-testid="chat-typing">
        {live.typing && status === 'active' ? `${live.typing} is typing…` : ''}
      </Text>

      {canWrite && (
        <Stack gap="xs">
          <Textarea
            label="Message"
            placeholder={status === 'waiting' ? 'Add details while you wait' : 'Write a message'}
            autosize
            minRows={2}
            maxRows={8}
            maxLength={CHAT_MESSAGE_MAX_LENGTH}
            value={draft}
            error={draftError}
            description="Enter sends; Shift+Enter starts a new line."
            onChange={(event) => {
              setDraft(event.currentTarget.value);
              live.notifyTyping();
            }}
            onKeyDown={onKeyDown}
          />
          <Group justify="flex-end">
            <Button onClick={send}>Send</Button>
          </Group>
        </Stack>
      )}

      {status === 'ended' && (
        <Alert color="gray" variant="light" data-testid="chat-ended">
          <Text size="sm">
            This chat has ended. Its transcript is kept on case{' '}
            <Anchor component={Link} to={casePath}>
              {session.case.number}
            </Anchor>
            .
          </Text>
        </Alert>
      )}
    </Stack>
  );
}
