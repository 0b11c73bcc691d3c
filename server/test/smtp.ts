import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtpServer {
  url: string;
  messages: ParsedMail[];
  /** Resolves with the first message to that address, waiting up to 10 s. */
  waitForMessage(to: string): Promise<ParsedMail>;
  close(): Promise<void>;
}

function isAddressedTo(message: ParsedMail, to: string): boolean {
  const recipients = Array.isArray(message.to) ? message.to : message.to ? [message.to] : [];
  return recipients.some((group) => group.value.some((address) => address.address?.toLowerCase() === to.toLowerCase()));
}

/** A real SMTP server on loopback (smtp-server) that keeps every message it receives. */
export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = [];
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          messages.push(parsed);
          for (const wake of waiters.splice(0)) wake();
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitForMessage(to) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const found = messages.find((message) => isAddressedTo(message, to));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no mail to ${to} within 10 s (got ${messages.length})`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function linkIn(message: ParsedMail): string {
  const match = /https?:\/\/\S+/.exec(message.text ?? '');
  if (!match) throw new Error(`no link in message: ${message.text}`);
  return match[0];
}
