import { z } from 'zod';
import { CASE_DESCRIPTION_MAX_LENGTH, OperatingSystem } from './support-cases.js';

/**
 * Chat with Technical Support (issue 7): the contract between server/modules/support-chat and
 * web/src/features/support-chat, over HTTP and over the WebSocket.
 */

export const CHAT_MESSAGE_MAX_LENGTH = 10_000;
export const CHAT_MESSAGE_TOO_LONG = `Keep a chat message under ${CHAT_MESSAGE_MAX_LENGTH.toLocaleString('en-US')} characters.`;
export const CHAT_WAITING_TEXT = 'Waiting for a support engineer…';
/** The Support Case Number menu's choice for "I do not have a case yet". */
export const NEW_CASE_LABEL = 'New Case';

export const CHAT_STATUSES = ['waiting', 'active', 'ended'] as const;
export const ChatStatus = z.enum(CHAT_STATUSES);
export type ChatStatus = z.infer<typeof ChatStatus>;

const messageBody = z.string().trim().min(1, 'Write a message.').max(CHAT_MESSAGE_MAX_LENGTH, CHAT_MESSAGE_TOO_LONG);

/** POST /api/support/chats: the New Chat Support Session form. caseId null is the "New Case" choice. */
export const StartChatBody = z.object({
  product: z.string().trim().min(1, 'Select a product.').max(200),
  productVersion: z.string().trim().max(100).nullable().default(null),
  operatingSystem: OperatingSystem,
  caseId: z.uuid().nullable(),
  description: z
    .string()
    .trim()
    .min(1, 'Enter a description.')
    .max(CASE_DESCRIPTION_MAX_LENGTH, `Keep the description under ${CASE_DESCRIPTION_MAX_LENGTH.toLocaleString('en-US')} characters.`),
});
export type StartChatBody = z.input<typeof StartChatBody>;

export const ChatMessageResponse = z.object({
  /** bigserial, as a string: ordered, so a reconnecting client asks for everything after the last it has. */
  id: z.string(),
  sessionId: z.uuid(),
  authorUserId: z.uuid().nullable(),
  authorName: z.string(),
  authorKind: z.enum(['contact', 'agent', 'system']),
  body: z.string(),
  createdAt: z.iso.datetime(),
});
export type ChatMessageResponse = z.infer<typeof ChatMessageResponse>;

const person = z.object({ id: z.uuid(), name: z.string() });

export const ChatSessionResponse = z.object({
  id: z.uuid(),
  status: ChatStatus,
  case: z.object({ id: z.uuid(), number: z.string() }),
  account: z.object({ id: z.uuid(), name: z.string() }),
  contact: person.nullable(),
  agent: person.nullable(),
  product: z.string(),
  productVersion: z.string().nullable(),
  operatingSystem: z.string(),
  description: z.string(),
  createdAt: z.iso.datetime(),
  acceptedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  /** What the caller may do: the pages show only these actions. */
  can: z.object({ accept: z.boolean(), send: z.boolean(), end: z.boolean() }),
});
export type ChatSessionResponse = z.infer<typeof ChatSessionResponse>;

export const ChatSessionDetailResponse = ChatSessionResponse.extend({ messages: z.array(ChatMessageResponse) });
export type ChatSessionDetailResponse = z.infer<typeof ChatSessionDetailResponse>;

/** GET /api/support/chats: agents get the waiting and active chats of their accounts; contacts their own. */
export const ChatListResponse = z.object({ items: z.array(ChatSessionResponse) });
export type ChatListResponse = z.infer<typeof ChatListResponse>;

export const ChatIdParams = z.object({ id: z.uuid() });

/** POST /api/support/chats/:id/messages: the fallback when the socket is not open. */
export const SendChatMessageBody = z.object({ body: messageBody });
export type SendChatMessageBody = z.input<typeof SendChatMessageBody>;

// ---- The socket: GET /api/support/chats/:id/socket -----------------------------------------------

/**
 * Client to server. A socket delivers messages only after `resume`: the client sends the last id it
 * has ('0' for none) and receives every later message, then each new one as it is stored.
 */
export const ChatClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), body: z.string(), clientId: z.string().max(100) }),
  z.object({ type: z.literal('typing') }),
  z.object({ type: z.literal('resume'), afterId: z.string().regex(/^\d{1,19}$/) }),
]);
export type ChatClientFrame = z.infer<typeof ChatClientFrame>;

/** Server to client. */
export const ChatServerFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), message: ChatMessageResponse }),
  /** The sender's own message was stored with this id. */
  z.object({ type: z.literal('ack'), clientId: z.string(), id: z.string() }),
  z.object({ type: z.literal('typing'), from: z.string(), authorKind: z.enum(['contact', 'agent']) }),
  z.object({ type: z.literal('status'), status: ChatStatus, agentName: z.string().nullable() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string(), clientId: z.string().optional() }),
]);
export type ChatServerFrame = z.infer<typeof ChatServerFrame>;

/** Close codes the server uses; the client reconnects after any other. */
export const CHAT_CLOSE_CODES = { ended: 4000, signedOut: 4401, notFound: 4404 } as const;
