import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  CHAT_CLOSE_CODES,
  CHAT_MESSAGE_MAX_LENGTH,
  CHAT_MESSAGE_TOO_LONG,
  ChatServerFrame,
  type ChatClientFrame,
  type ChatMessageResponse,
  type ChatStatus,
} from '../../../../common/schemas/support-chat.js';
import { supportChatKeys } from './support-chat.api';

/** How long a typing indicator shows without a new one. */
const TYPING_SHOWN_MS = 4000;
/** At most one typing frame this often. */
const TYPING_SEND_INTERVAL_MS = 2000;
const MAX_RETRY_DELAY_MS = 10_000;

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface PendingMessage {
  clientId: string;
  body: string;
  /** Set when the server refused it (the message stays for the person to copy or retry). */
  error: string | null;
}

export interface ChatConnection {
  messages: ChatMessageResponse[];
  pending: PendingMessage[];
  status: ChatStatus | null;
  agentName: string | null;
  /** Who is typing on the other side, shown for a few seconds. */
  typing: string | null;
  connection: ConnectionState;
  send(body: string): string | null;
  notifyTyping(): void;
  retry(clientId: string): void;
}

function mergeMessages(current: ChatMessageResponse[], incoming: ChatMessageResponse[]): ChatMessageResponse[] {
  const byId = new Map(current.map((message) => [message.id, message]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0));
}

function socketUrl(sessionId: string): string {
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${window.location.host}/api/support/chats/${encodeURIComponent(sessionId)}/socket`;
}

function newClientId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * The live side of one chat: a WebSocket that reconnects by itself (with back-off) and, on every
 * (re)connect, asks for every message after the last one it has, so a dropped connection loses
 * nothing. Messages typed while disconnected wait and are sent once the socket is back.
 */
export function useChatConnection(sessionId: string, initialMessages: ChatMessageResponse[], isEnabled: boolean): ChatConnection {
  const queryClient = useQueryClient();
  const [messages, setMessages] = useState<ChatMessageResponse[]>(initialMessages);
  const [pending, setPending] = useState<PendingMessage[]>([]);
  const [status, setStatus] = useState<ChatStatus | null>(null);
  const [agentName, setAgentName] = useState<string | null>(null);
  const [typing, setTyping] = useState<string | null>(null);
  const [connection, setConnection] = useState<ConnectionState>('connecting');

  const socketRef = useRef<WebSocket | null>(null);
  const lastIdRef = useRef<string>(initialMessages.at(-1)?.id ?? '0');
  const pendingRef = useRef<PendingMessage[]>([]);
  const lastTypingSentRef = useRef(0);

  const updatePending = useCallback((update: (current: PendingMessage[]) => PendingMessage[]) => {
    pendingRef.current = update(pendingRef.current);
    setPending(pendingRef.current);
  }, []);

  const sendFrame = useCallback((frame: ChatClientFrame): boolean => {
    const socket = socketRef.current;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }, []);

  useEffect(() => {
    if (!isEnabled) return undefined;
    let isDisposed = false;
    let attempt = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let typingTimer: ReturnType<typeof setTimeout> | undefined;

    const handleFrame = (frame: ChatServerFrame) => {
      if (frame.type === 'message') {
        const id = frame.message.id;
        if (BigInt(id) > BigInt(lastIdRef.current)) lastIdRef.current = id;
        setMessages((current) => mergeMessages(current, [frame.message]));
        if (frame.message.authorKind !== 'system') setTyping(null);
      } else if (frame.type === 'ack') {
        updatePending((current) => current.filter((message) => message.clientId !== frame.clientId));
      } else if (frame.type === 'typing') {
        setTyping(frame.from);
        clearTimeout(typingTimer);
        typingTimer = setTimeout(() => setTyping(null), TYPING_SHOWN_MS);
      } else if (frame.type === 'status') {
        setStatus(frame.status);
        setAgentName(frame.agentName);
        void queryClient.invalidateQueries({ queryKey: supportChatKeys.detail(sessionId) });
        void queryClient.invalidateQueries({ queryKey: supportChatKeys.list });
      } else if (frame.clientId) {
        const { clientId, message } = frame;
        updatePending((current) =>
          current.map((pendingMessage) => (pendingMessage.clientId === clientId ? { ...pendingMessage, error: message } : pendingMessage)),
        );
      }
    };

    const connect = () => {
      if (isDisposed) return;
      const socket = new WebSocket(socketUrl(sessionId));
      socketRef.current = socket;
      socket.onopen = () => {
        attempt = 0;
        setConnection('open');
        socket.send(JSON.stringify({ type: 'resume', afterId: lastIdRef.current } satisfies ChatClientFrame));
        // Messages typed while the socket was down (or not acknowledged before it dropped) go now.
        for (const message of pendingRef.current) {
          if (message.error === null)
            socket.send(JSON.stringify({ type: 'message', body: message.body, clientId: message.clientId } satisfies ChatClientFrame));
        }
      };
      socket.onmessage = (event: MessageEvent<string>) => {
        try {
          const parsed = ChatServerFrame.safeParse(JSON.parse(event.data));
          if (parsed.success) handleFrame(parsed.data);
        } catch {
          // Not JSON: ignore it.
        }
      };
      socket.onclose = (event) => {
        if (socketRef.current === socket) socketRef.current = null;
        if (isDisposed) return;
        const isFinal =
          event.code === CHAT_CLOSE_CODES.ended || event.code === CHAT_CLOSE_CODES.notFound || event.code === CHAT_CLOSE_CODES.signedOut;
        if (isFinal) {
          setConnection('closed');
          void queryClient.invalidateQueries({ queryKey: supportChatKeys.detail(sessionId) });
          return;
        }
        setConnection('reconnecting');
        const delay = Math.min(MAX_RETRY_DELAY_MS, 500 * 2 ** attempt);
        attempt += 1;
        retryTimer = setTimeout(connect, delay);
      };
    };

    connect();
    return () => {
      isDisposed = true;
      clearTimeout(retryTimer);
      clearTimeout(typingTimer);
      socketRef.current?.close(1000, 'Page left');
      socketRef.current = null;
    };
  }, [sessionId, isEnabled, queryClient, updatePending]);

  const send = useCallback(
    (text: string): string | null => {
      const body = text.trim();
      if (body.length === 0) return 'Write a message.';
      if (body.length > CHAT_MESSAGE_MAX_LENGTH) return CHAT_MESSAGE_TOO_LONG;
      const clientId = newClientId();
      updatePending((current) => [...current, { clientId, body, error: null }]);
      sendFrame({ type: 'message', body, clientId });
      return null;
    },
    [sendFrame, updatePending],
  );

  const notifyTyping = useCallback(() => {
    if (Date.now() - lastTypingSentRef.current < TYPING_SEND_INTERVAL_MS) return;
    if (sendFrame({ type: 'typing' })) lastTypingSentRef.current = Date.now();
  }, [sendFrame]);

  const retry = useCallback(
    (clientId: string) => {
      const message = pendingRef.current.find((candidate) => candidate.clientId === clientId);
      if (!message) return;
      updatePending((current) => current.map((candidate) => (candidate.clientId === clientId ? { ...candidate, error: null } : candidate)));
      sendFrame({ type: 'message', body: message.body, clientId });
    },
    [sendFrame, updatePending],
  );

  return { messages, pending, status, agentName, typing, connection, send, notifyTyping, retry };
}
