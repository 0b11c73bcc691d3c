import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RawData } from 'ws';
import {
  CHAT_CLOSE_CODES,
  CHAT_MESSAGE_MAX_LENGTH,
  CHAT_MESSAGE_TOO_LONG,
  ChatClientFrame,
  ChatIdParams,
  ChatListResponse,
  ChatMessageResponse,
  ChatSessionDetailResponse,
  SendChatMessageBody,
  StartChatBody,
} from '../../../common/schemas/support-chat.js';
import { authorize, contextOf, SESSION_COOKIE } from '../../http/authenticate.js';
import { AppError } from '../../lib/app-error.js';
import { resolveSession } from '../auth/auth.service.js';
import { createChatHub, type ChatConnection } from './support-chat.hub.js';
import {
  acceptChat,
  endChat,
  getChat,
  listChats,
  openChatSocket,
  publishTyping,
  readStatus,
  sendMessage,
  sendSocketMessage,
  startChat,
} from './support-chat.service.js';

/** A frame is at most this many bytes (10,000 characters of up to 4 bytes, plus the JSON around them). */
const MAX_FRAME_BYTES = 64 * 1024;
/** Typing indicators go through NOTIFY: at most one per socket this often. */
const TYPING_INTERVAL_MS = 1500;
/** An open socket re-checks its sign-in and its part in the chat this often. */
const SESSION_RECHECK_MS = 60_000;

/** Browsers always send Origin on a WebSocket: one from another site is a cross-site hijack attempt. */
function isAllowedOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const publicOrigin = new URL(request.server.services.config.publicUrl).origin;
  return origin === publicOrigin || origin === `${request.protocol}://${request.host}`;
}

function toText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** Chat with Technical Support (issue 7): HTTP for the session's life, a WebSocket for the conversation. */
export async function supportChatRoutes(app: FastifyInstance): Promise<void> {
  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_FRAME_BYTES } });
  // An upgrade refused by a hook outside this plugin (sign-in) is answered over the raw socket,
  // which Node's HTTP server no longer tracks: close it when the client leaves, or it stays
  // half-open and holds up the server's shutdown.
  const upgraded = new WeakSet<object>();
  const onUpgrade = (rawRequest: object, socket: { once(event: 'end', listener: () => void): void; destroy(): void }) => {
    socket.once('end', () => {
      if (!upgraded.has(rawRequest)) socket.destroy();
    });
  };
  app.server.on('upgrade', onUpgrade);
  app.addHook('onClose', async () => {
    app.server.removeListener('upgrade', onUpgrade);
  });
  const hub = await createChatHub(app.services.db, app.services.log);
  app.addHook('onClose', () => hub.close());

  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['support chat'];
  const contactsOrAgents = authorize('support:visit');

  routes.get(
    '/api/support/chats',
    {
      preHandler: contactsOrAgents,
      schema: {
        tags,
        summary: 'Agents: the waiting and active chats of their accounts, waiting first. Contacts: their own chats.',
        response: { 200: ChatListResponse },
      },
    },
    async (request) => listChats(contextOf(request)),
  );

  routes.post(
    '/api/support/chats',
    {
      // Eligibility (the seed's three messages) is checked by the service, in the seed's order.
      schema: {
        tags,
        summary: 'Start a chat (the New Chat Support Session form); caseId null opens a new case',
        body: StartChatBody,
        response: { 201: ChatSessionDetailResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await startChat(contextOf(request), request.body)),
  );

  routes.get(
    '/api/support/chats/:id',
    {
      preHandler: contactsOrAgents,
      schema: {
        tags,
        summary: 'One chat with its messages (its contact, its agent, or agents while it waits)',
        params: ChatIdParams,
        response: { 200: ChatSessionDetailResponse },
      },
    },
    async (request) => getChat(contextOf(request), request.params.id),
  );

  routes.post(
    '/api/support/chats/:id/accept',
    {
      preHandler: authorize('support:work'),
      schema: {
        tags,
        summary: 'Accept a waiting chat (support agents); 409 when another agent was first',
        params: ChatIdParams,
        response: { 200: ChatSessionDetailResponse },
      },
    },
    async (request) => acceptChat(contextOf(request), request.params.id),
  );

  routes.post(
    '/api/support/chats/:id/end',
    {
      preHandler: contactsOrAgents,
      schema: {
        tags,
        summary: 'End the chat; its transcript is kept on the case',
        params: ChatIdParams,
        response: { 200: ChatSessionDetailResponse },
      },
    },
    async (request) => endChat(contextOf(request), request.params.id),
  );

  routes.post(
    '/api/support/chats/:id/messages',
    {
      preHandler: contactsOrAgents,
      schema: {
        tags,
        summary: 'Send a message without the socket; 404 for a chat that is not yours, 409 once it has ended',
        params: ChatIdParams,
        body: SendChatMessageBody,
        response: { 201: ChatMessageResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await sendMessage(contextOf(request), request.params.id, request.body.body)),
  );

  const socketAccess = new WeakMap<FastifyRequest, { role: 'contact' | 'agent'; name: string }>();

  routes.get(
    '/api/support/chats/:id/socket',
    {
      websocket: true,
      schema: {
        tags,
        summary: 'The conversation over a WebSocket (frames: see common/schemas/support-chat.ts)',
        params: ChatIdParams,
        hide: true,
      },
      // Refused before the upgrade (an HTTP error instead of a socket): a foreign Origin, a chat that is not yours.
      preHandler: async (request) => {
        if (!isAllowedOrigin(request)) throw new AppError('csrf_failed', 'Cross-origin request refused.');
        socketAccess.set(request, await openChatSocket(contextOf(request), request.params.id));
      },
    },
    (socket, request) => {
      upgraded.add(request.raw);
      const access = socketAccess.get(request);
      const actor = request.actor;
      if (!access || !actor) {
        socket.close(CHAT_CLOSE_CODES.notFound, 'Chat not found.');
        return;
      }
      const sessionId = request.params.id;
      const ctx = contextOf(request);
      const token = request.cookies[SESSION_COOKIE];
      const connection: ChatConnection = { socket, sessionId, userId: actor.userId, lastSentId: null, isSyncing: false, needsSync: false };
      hub.add(connection);
      let lastTypingAt = 0;
      let checkedAt = Date.now();
      let queue: Promise<void> = Promise.resolve();

      // Sign-in and part in the chat are re-checked now and then: a session signed out elsewhere,
      // or an agent no longer assigned to the account, stops being able to send.
      const isStillAllowed = async () => {
        if (Date.now() - checkedAt < SESSION_RECHECK_MS) return true;
        checkedAt = Date.now();
        const resolved = token ? await resolveSession(ctx, token) : null;
        if (!resolved) return false;
        // While an Administrator assists this user the session is the Administrator's: the part was checked on connect.
        if (resolved.actor.userId !== actor.userId) return actor.assistedBy?.userId === resolved.actor.userId;
        try {
          await openChatSocket({ ...ctx, actor: resolved.actor }, sessionId);
          return true;
        } catch {
          return false;
        }
      };

      const handle = async (data: RawData) => {
        let raw: unknown;
        try {
          raw = JSON.parse(toText(data));
        } catch {
          hub.send(connection, { type: 'error', code: 'malformed_json', message: 'Frames are JSON.' });
          return;
        }
        const parsed = ChatClientFrame.safeParse(raw);
        if (!parsed.success) {
          hub.send(connection, { type: 'error', code: 'validation_failed', message: 'Unknown frame.' });
          return;
        }
        const frame = parsed.data;
        if (!(await isStillAllowed())) {
          socket.close(CHAT_CLOSE_CODES.signedOut, 'Sign in to continue.');
          return;
        }
        if (frame.type === 'resume') {
          connection.lastSentId = frame.afterId;
          hub.sync(connection);
        } else if (frame.type === 'typing') {
          if (Date.now() - lastTypingAt < TYPING_INTERVAL_MS) return;
          lastTypingAt = Date.now();
          await publishTyping(ctx, sessionId, access);
        } else {
          const body = frame.body.trim();
          if (body.length === 0 || body.length > CHAT_MESSAGE_MAX_LENGTH) {
            const tooLong = body.length > CHAT_MESSAGE_MAX_LENGTH;
            hub.send(connection, {
              type: 'error',
              code: tooLong ? 'payload_too_large' : 'validation_failed',
              message: tooLong ? CHAT_MESSAGE_TOO_LONG : 'Write a message.',
              clientId: frame.clientId,
            });
            return;
          }
          try {
            const message = await sendSocketMessage(ctx, sessionId, access, body, frame.clientId || null);
            hub.send(connection, { type: 'ack', clientId: frame.clientId, id: message.id });
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            hub.send(connection, { type: 'error', code: error.code, message: error.message, clientId: frame.clientId });
          }
        }
      };

      socket.on('message', (data) => {
        // One frame at a time, so one person's messages are stored in the order they were sent.
        queue = queue
          .then(() => handle(data))
          .catch((error: unknown) => {
            request.log.error({ err: error, chatId: sessionId }, 'chat: a frame failed');
            hub.send(connection, { type: 'error', code: 'internal', message: 'Something went wrong. Try again.' });
          });
      });
      socket.on('close', () => hub.remove(connection));
      readStatus(ctx.db, sessionId).then(
        (status) => {
          if (status) hub.send(connection, { type: 'status', status: status.status, agentName: status.agentName });
        },
        (error: unknown) => request.log.warn({ err: error, chatId: sessionId }, 'chat: could not read the status'),
      );
    },
  );
}
