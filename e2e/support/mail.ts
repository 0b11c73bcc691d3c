import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  recipients: string[];
  from: string;
  subject: string;
  text: string;
}

export interface MailServer {
  /** smtp://127.0.0.1:PORT, for the server's SMTP_URL. */
  readonly url: string;
  readonly messages: ReceivedMail[];
  /** The first message (already received or still to come) addressed to `to`. */
  waitForMessage(to: string, options?: { timeoutMs?: number }): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

function formatAddresses(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((address) => address.text).join(', ');
}

/**
 * A real SMTP server on loopback (no TLS, no authentication required) that parses every message
 * it accepts, so journeys read the mail Bulwark actually sent over SMTP.
 */
export async function startMailServer(): Promise<MailServer> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<{ to: string; resolve: (mail: ReceivedMail) => void }>();

  const isFor = (mail: ReceivedMail, to: string) => mail.recipients.includes(to.toLowerCase());

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: ReceivedMail = {
            recipients: session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase()),
            from: formatAddresses(parsed.from),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
          };
          messages.push(mail);
          for (const waiter of waiters) {
            if (isFor(mail, waiter.to)) {
              waiters.delete(waiter);
              waiter.resolve(mail);
            }
          }
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitForMessage(to, { timeoutMs = 15_000 } = {}) {
      const received = messages.find((mail) => isFor(mail, to));
      if (received) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const waiter = {
          to,
          resolve: (mail: ReceivedMail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = messages.map((mail) => `${mail.recipients.join(', ')}: ${mail.subject}`).join('; ') || 'none';
          reject(new Error(`No mail to ${to} within ${timeoutMs / 1000} s (received: ${seen})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
