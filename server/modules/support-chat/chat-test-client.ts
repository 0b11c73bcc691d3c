import { WebSocket } from 'ws';
import type { ChatClientFrame, ChatServerFrame } from '../../../common/schemas/support-chat.js';

/** A chat socket for tests and the benchmark: every frame received is kept, and awaited by predicate. */
export interface ChatTestSocket {
  readonly socket: WebSocket;
  readonly frames: ChatServerFrame[];
  send(frame: ChatClientFrame): void;
  waitFor<T extends ChatServerFrame>(predicate: (frame: ChatServerFrame) => frame is T, timeoutMs?: number): Promise<T>;
  waitFor(predicate: (frame: ChatServerFrame) => boolean, timeoutMs?: number): Promise<ChatServerFrame>;
  /** Resolves with the close code. */
  closed: Promise<number>;
  close(): void;
}

/** Opens the socket; rejects with the HTTP status when the server refuses the upgrade. */
export function openChatSocket(
  baseUrl: string,
  sessionId: string,
  cookie: string,
  options: { origin?: string; onFrame?: (frame: ChatServerFrame) => void } = {},
): Promise<ChatTestSocket> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/api/support/chats/${sessionId}/socket`;
  const socket = new WebSocket(url, { headers: { cookie, ...(options.origin ? { origin: options.origin } : {}) } });
  const frames: ChatServerFrame[] = [];
  const waiters = new Set<{ predicate: (frame: ChatServerFrame) => boolean; resolve: (frame: ChatServerFrame) => void }>();
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as ChatServerFrame;
    frames.push(frame);
    options.onFrame?.(frame);
    for (const waiter of waiters) {
      if (waiter.predicate(frame)) {
        waiters.delete(waiter);
        waiter.resolve(frame);
      }
    }
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const client: ChatTestSocket = {
    socket,
    frames,
    send: (frame) => socket.send(JSON.stringify(frame)),
    waitFor(predicate: (frame: ChatServerFrame) => boolean, timeoutMs = 5000): Promise<ChatServerFrame> {
      const found = frames.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (frame: ChatServerFrame) => {
            clearTimeout(timer);
            resolve(frame);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`No matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames).slice(0, 2000)}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    closed,
    close: () => socket.close(),
  } as ChatTestSocket;
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    // Without an 'unexpected-response' listener ws aborts the refused handshake itself (closing the
    // connection) and reports "Unexpected server response: <status>".
    socket.once('error', (error) => {
      const status = /Unexpected server response: (\d+)/.exec(error.message)?.[1];
      reject(Object.assign(error, { status: status === undefined ? undefined : Number(status) }));
    });
  });
}

/** A message frame with this body. */
export const isMessage =
  (body: string) =>
  (frame: ChatServerFrame): frame is Extract<ChatServerFrame, { type: 'message' }> =>
    frame.type === 'message' && frame.message.body === body;
