import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../lib/logger.js';
import { createOutboxSender, createSmsSender, SmsDeliveryError } from './sms-sender.js';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'a-twilio-auth-token-for-tests';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local stand-in for api.twilio.com that records each request and answers as Twilio does. */
async function startFakeTwilio(answer: (request: Received) => { status: number; body: unknown }) {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(entry);
      const { status, body } = answer(entry);
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const log = createLogger('silent', { pretty: false });

describe('Twilio adapter', () => {
  let fake: Awaited<ReturnType<typeof startFakeTwilio>>;
  let status = 201;
  let errorBody: unknown = {};
  beforeAll(async () => {
    fake = await startFakeTwilio(() =>
      status === 201 ? { status, body: { sid: 'SM123', status: 'queued' } } : { status, body: errorBody },
    );
  });
  afterAll(() => fake.close());

  function sender() {
    const config = loadConfig(
      {},
      {
        DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-sms-')),
        SMS_PROVIDER: 'twilio',
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_FROM: '+15005550006',
        TWILIO_BASE_URL: fake.url,
      },
    );
    return createSmsSender(config.sms, log);
  }

  it('POSTs the form-encoded message to the Messages resource with basic authentication', async () => {
    status = 201;
    await sender().sendTextMessage('+12015550123', 'Your Bulwark verification code is 123456.');
    const request = fake.received.at(-1);
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      To: '+12015550123',
      From: '+15005550006',
      Body: 'Your Bulwark verification code is 123456.',
    });
  });

  it.each([
    [401, { code: 20003, message: 'Authenticate' }, "refused Bulwark's credentials"],
    [400, { code: 21211, message: "The 'To' number is not a valid phone number." }, 'cannot deliver to this phone number'],
    [429, { code: 20429, message: 'Too Many Requests' }, 'the SMS provider is busy'],
    [500, {}, 'answered with an error'],
  ])('maps a %i answer to a clear message', async (answerStatus, body, message) => {
    status = answerStatus;
    errorBody = body;
    const sending = sender().sendTextMessage('+12015550123', 'x');
    await expect(sending).rejects.toBeInstanceOf(SmsDeliveryError);
    await expect(sending).rejects.toThrow(message);
  });

  it('says so when Twilio cannot be reached', async () => {
    const config = loadConfig(
      {},
      {
        DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-sms-')),
        SMS_PROVIDER: 'twilio',
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_FROM: '+15005550006',
        TWILIO_BASE_URL: 'http://127.0.0.1:1',
      },
    );
    await expect(createSmsSender(config.sms, log).sendTextMessage('+12015550123', 'x')).rejects.toThrow('could not be reached');
  });
});

describe('outbox adapter', () => {
  it('writes { to, body, at } as a JSON file and logs the file, not the body', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-outbox-'));
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    await createOutboxSender(dir, logger).sendTextMessage('+12015550123', 'Your Bulwark verification code is 654321.');
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(1);
    const message = JSON.parse(fs.readFileSync(path.join(dir, files[0] ?? ''), 'utf8'));
    expect(message).toMatchObject({ to: '+12015550123', body: 'Your Bulwark verification code is 654321.' });
    expect(Date.parse(message.at)).not.toBeNaN();
    expect(lines.join('')).toContain(files[0]);
    expect(lines.join('')).not.toContain('654321');
  });
});

describe('SMS configuration', () => {
  it('lists every Twilio setting missing when SMS_PROVIDER=twilio', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-sms-'));
    try {
      loadConfig({}, { DATA_DIR: dataDir, SMS_PROVIDER: 'twilio' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'TWILIO_ACCOUNT_SID: required when SMS_PROVIDER=twilio',
        'TWILIO_AUTH_TOKEN: required when SMS_PROVIDER=twilio',
        'TWILIO_FROM: required when SMS_PROVIDER=twilio',
      ]);
    }
  });

  it('defaults to the outbox under DATA_DIR and refuses a malformed Account SID', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-sms-'));
    expect(loadConfig({}, { DATA_DIR: dataDir }).sms).toEqual({ kind: 'outbox', directory: path.join(dataDir, 'outbox') });
    expect(() => loadConfig({}, { DATA_DIR: dataDir, SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: 'nope' })).toThrow(
      'TWILIO_ACCOUNT_SID: must be AC followed by 32 hexadecimal characters',
    );
  });
});
