import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { CHAT_CLOSE_CODES, type ChatServerFrame } from '../../../common/schemas/support-chat.js';
import { notificationsOf } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import {
  CHAT_CHANNEL,
  parseNotification,
  presentMessage,
  readMessagesAfter,
  readStatus,
  type ChatNotification,
} from './support-chat.service.js';

const PAGE = 500;

/** One open socket of this node on one chat. */
export interface ChatConnection {
  readonly socket: WebSocket;
  readonly sessionId: string;
  readonly userId: string;
  /** The last message id sent to it; null until the client sent `resume`. */
  lastSentId: string | null;
  isSyncing: boolean;
  needsSync: boolean;
}

export interface ChatHub {
  add(connection: ChatConnection): void;
  remove(connection: ChatConnection): void;
  /** Sends every stored message after connection.lastSentId, then keeps it live. */
  sync(connection: ChatConnection): void;
  send(connection: ChatConnection, frame: ChatServerFrame): void;
  close(): Promise<void>;
}

/**
 * Fans chat out to this node's sockets. Every change is stored first and then NOTIFY'd with just
 * the session (and message) id; each node LISTENs once and, for the chats it has sockets on,
 * reads what the socket has not had yet from the database. So a notification that arrives late,
 * twice, or (after the LISTEN connection dropped) never, still loses no message.
 */
export async function createChatHub(db: Kysely<Database>, log: FastifyBaseLogger): Promise<ChatHub> {
  const notifications = notificationsOf(db);
  if (!notifications) throw new Error('Chat needs a database opened by openDatabase (LISTEN/NOTIFY).');
  const bySession = new Map<string, Set<ChatConnection>>();

  const send = (connection: ChatConnection, frame: ChatServerFrame) => {
    if (connection.socket.readyState === 1) connection.socket.send(JSON.stringify(frame));
  };

  const syncOnce = async (connection: ChatConnection) => {
    for (;;) {
      const after = connection.lastSentId;
      if (after === null || connection.socket.readyState !== 1) return;
      const rows = await readMessagesAfter(db, connection.sessionId, after, PAGE);
      for (const row of rows) send(connection, { type: 'message', message: presentMessage(row) });
      const last = rows.at(-1);
      if (last) connection.lastSentId = String(last.id);
      if (rows.length < PAGE) return;
    }
  };

  const sync = (connection: ChatConnection) => {
    if (connection.isSyncing) {
      connection.needsSync = true;
      return;
    }
    connection.isSyncing = true;
    void (async () => {
      try {
        do {
          connection.needsSync = false;
          await syncOnce(connection);
        } while (connection.needsSync);
      } catch (error) {
        log.warn({ err: error, chatId: connection.sessionId }, 'chat: could not read messages for a socket');
      } finally {
        connection.isSyncing = false;
      }
    })();
  };

  const sendStatus = async (sessionId: string) => {
    const connections = bySession.get(sessionId);
    if (!connections || connections.size === 0) return;
    const status = await readStatus(db, sessionId);
    if (!status) return;
    for (const connection of connections) {
      send(connection, { type: 'status', status: status.status, agentName: status.agentName });
      if (status.status === 'ended') {
        // Deliver the last messages (the "ended the chat" line), then close.
        sync(connection);
        setTimeout(() => connection.socket.close(CHAT_CLOSE_CODES.ended, 'The chat has ended.'), 1000).unref();
      }
    }
  };

  const onNotification = (notification: ChatNotification) => {
    const connections = bySession.get(notification.s);
    if (!connections) return;
    if (notification.k === 'm') {
      for (const connection of connections) sync(connection);
    } else if (notification.k === 's') {
      sendStatus(notification.s).catch((error: unknown) =>
        log.warn({ err: error, chatId: notification.s }, 'chat: could not send a status'),
      );
    } else {
      for (const connection of connections) {
        if (connection.userId !== notification.u) send(connection, { type: 'typing', from: notification.n, authorKind: notification.a });
      }
    }
  };

  const unlisten = await notifications.listen(CHAT_CHANNEL, (payload) => {
    const notification = parseNotification(payload);
    if (notification) onNotification(notification);
  });
  // Notifications sent while the LISTEN connection was down were missed: catch every socket up.
  const stopReconnect = notifications.onReconnect(() => {
    for (const [sessionId, connections] of bySession) {
      for (const connection of connections) sync(connection);
      void sendStatus(sessionId).catch(() => undefined);
    }
  });

  return {
    add(connection) {
      let set = bySession.get(connection.sessionId);
      if (!set) {
        set = new Set();
        bySession.set(connection.sessionId, set);
      }
      set.add(connection);
    },
    remove(connection) {
      const set = bySession.get(connection.sessionId);
      set?.delete(connection);
      if (set?.size === 0) bySession.delete(connection.sessionId);
    },
    sync,
    send,
    async close() {
      stopReconnect();
      for (const connections of bySession.values())
        for (const connection of connections) connection.socket.close(1001, 'Server shutting down');
      bySession.clear();
      await unlisten().catch(() => undefined);
    },
  };
}
