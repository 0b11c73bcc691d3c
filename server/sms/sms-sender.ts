import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';

/** Sends one text message. Throws SmsDeliveryError with a message fit to show a person. */
export interface SmsSender {
  sendTextMessage(to: string, body: string): Promise<void>;
}

export class SmsDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmsDeliveryError';
  }
}

/** The sender the configuration asks for: the outbox by default, Twilio with SMS_PROVIDER=twilio. */
export function createSmsSender(sms: Config['sms'], log: FastifyBaseLogger): SmsSender {
  return sms.kind === 'twilio' ? createTwilioSender(sms, log) : createOutboxSender(sms.directory, log);
}

/**
 * Writes each message as a JSON file ({ to, body, at }) under DATA_DIR/outbox, so Bulwark can be
 * tried without a provider. The log line names the file, never the message body (it holds a code).
 */
export function createOutboxSender(directory: string, log: FastifyBaseLogger): SmsSender {
  return {
    async sendTextMessage(to, body) {
      const at = new Date().toISOString();
      await fs.mkdir(directory, { recursive: true, mode: 0o700 });
      const file = path.join(directory, `sms-${at.replace(/[:.]/g, '-')}-${crypto.randomBytes(4).toString('hex')}.json`);
      await fs.writeFile(file, `${JSON.stringify({ to, body, at }, null, 2)}\n`, { mode: 0o600 });
      log.info({ to: maskPhone(to), file }, 'text message written to the outbox (no SMS provider set)');
    },
  };
}

type TwilioSettings = Extract<Config['sms'], { kind: 'twilio' }>;

/**
 * Twilio's Programmable Messaging REST API: POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json,
 * form-encoded To, From and Body, HTTP basic authentication with the Account SID and Auth Token.
 */
export function createTwilioSender(settings: TwilioSettings, log: FastifyBaseLogger): SmsSender {
  const url = `${settings.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`;
  return {
    async sendTextMessage(to, body) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({ To: to, From: settings.from, Body: body }).toString(),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (error) {
        log.warn({ err: error, to: maskPhone(to) }, 'could not reach Twilio');
        throw new SmsDeliveryError('The text message could not be sent: the SMS provider could not be reached. Try again later.');
      }
      if (response.ok) {
        const sent = (await response.json().catch(() => ({}))) as { sid?: unknown };
        log.info({ to: maskPhone(to), sid: typeof sent.sid === 'string' ? sent.sid : undefined }, 'text message sent through Twilio');
        return;
      }
      const failure = (await response.json().catch(() => ({}))) as { code?: unknown; message?: unknown };
      log.warn(
        { status: response.status, code: failure.code, message: failure.message, to: maskPhone(to) },
        'Twilio refused a text message',
      );
      throw new SmsDeliveryError(describeTwilioFailure(response.status, failure.code));
    },
  };
}

/** Twilio's status and error code, as a sentence a person can act on. */
export function describeTwilioFailure(status: number, code: unknown): string {
  if (status === 401 || status === 403 || code === 20003) {
    return "The text message could not be sent: the SMS provider refused Bulwark's credentials. Ask your administrator to check the Twilio settings.";
  }
  if (code === 21211 || code === 21614 || code === 21408) {
    return 'The text message could not be sent: the SMS provider cannot deliver to this phone number. Check the number.';
  }
  if (status === 429) return 'The text message could not be sent: the SMS provider is busy. Try again in a minute.';
  return 'The text message could not be sent: the SMS provider answered with an error. Try again later.';
}

/** +1******0123: enough for a person reading the log, not the whole number. */
export function maskPhone(phone: string): string {
  return phone.length <= 6 ? '***' : `${phone.slice(0, 2)}${'*'.repeat(phone.length - 6)}${phone.slice(-4)}`;
}
