import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../connector.js';
import { exportStatus, forbidden, html, json, notFound, startFaultServer, unauthorized, type FaultServer } from './fault-server.js';
import { createFakeRunContext, FAKE_USER_AGENT } from './fake-run-context.js';
import { parseBaseUrl } from './tenable-client.js';
import { tenableConnector } from './tenable-connector.js';

const ACCESS_KEY = 'ak0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';
const SECRET_KEY = 'sk0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';

function testEnv(values: Record<string, string>) {
  const fake = createFakeRunContext({ values, stream: 'vulnerabilities' });
  return { fake, env: { ...fake.ctx, values, signal: fake.ctx.signal } };
}

async function kindOf(promise: Promise<unknown>, message?: RegExp): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  expect((error as Error).message).not.toContain(SECRET_KEY);
  expect((error as Error).message).not.toContain(ACCESS_KEY);
  if (message) expect((error as Error).message).toMatch(message);
  return (error as ConnectorError).kind;
}

describe('the form', () => {
  it('keeps the catalogue metadata', () => {
    expect(tenableConnector.id).toBe('signal-client.tenable');
    expect(tenableConnector.fields.map((field) => field.name)).toEqual(['fqdn', 'accessKey', 'secretKey', 'caCertificate']);
    expect(tenableConnector.streams.map((stream) => [stream.name, stream.defaultIntervalMinutes])).toEqual([
      ['vulnerabilities', 30],
      ['assets', 60],
    ]);
  });

  it('reads a bare host, host:port or a full http(s) base URL', () => {
    const urlOf = (value: string) => {
      const parsed = parseBaseUrl(value);
      return 'url' in parsed ? parsed.url.origin : parsed.error;
    };
    expect(urlOf('cloud.tenable.com')).toBe('https://cloud.tenable.com');
    expect(urlOf('')).toBe('https://cloud.tenable.com');
    expect(urlOf('tenable.example.org:8443')).toBe('https://tenable.example.org:8443');
    expect(urlOf(' https://10.1.2.3:8834/ ')).toBe('https://10.1.2.3:8834');
    expect(urlOf('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(urlOf('HTTPS://Cloud.Tenable.com')).toBe('https://cloud.tenable.com');
  });

  it('names each bad value by its field', () => {
    const messagesOf = (values: Record<string, string>) => tenableConnector.validate({ accessKey: 'a', secretKey: 'b', ...values });
    expect(messagesOf({ fqdn: 'cloud.tenable.com' })).toEqual({});
    expect(messagesOf({ fqdn: 'https://tenable.example.org:8443/' })).toEqual({});
    for (const fqdn of [
      '',
      '   ',
      'cloud tenable.com',
      'https://user:pass@cloud.tenable.com',
      'user@cloud.tenable.com',
      'https://cloud.tenable.com/?x=1',
      'https://cloud.tenable.com/#top',
      'https://cloud.tenable.com/api/v1',
      'cloud.tenable.com/api',
      'ftp://cloud.tenable.com',
      'cloud.tenable.com:99999',
    ]) {
      expect(Object.keys(messagesOf({ fqdn })), fqdn).toEqual(['fqdn']);
    }
    expect(messagesOf({ fqdn: 'cloud.tenable.com', accessKey: 'abc def', secretKey: 'abc;def' })).toEqual({
      accessKey: expect.any(String),
      secretKey: expect.any(String),
    });
    expect(messagesOf({ fqdn: 'cloud.tenable.com', accessKey: ` ${ACCESS_KEY}\n`, secretKey: '' })).toEqual({});
    const notPem = messagesOf({ fqdn: 'cloud.tenable.com', caCertificate: 'hello' });
    expect(Object.keys(notPem)).toEqual(['caCertificate']);
    const brokenPem = messagesOf({
      fqdn: 'cloud.tenable.com',
      caCertificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
    });
    expect(Object.keys(brokenPem)).toEqual(['caCertificate']);
    const key = messagesOf({ fqdn: 'cloud.tenable.com', caCertificate: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' });
    expect(Object.keys(key)).toEqual(['caCertificate']);
  });
});

describe('Test Connection', () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  const values = () => ({ fqdn: server.url, accessKey: ACCESS_KEY, secretKey: SECRET_KEY });

  it('says who it connected as, from one GET /session with the keys and the User-Agent', async () => {
    server.reset();
    server.route('GET', '/session', json({ id: 7, username: 'api-user@example.com', permissions: 64 }));
    const { env } = testEnv(values());
    await expect(tenableConnector.testConnection(env)).resolves.toEqual({ message: 'Connected as api-user@example.com' });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers['x-apikeys']).toBe(`accessKey=${ACCESS_KEY}; secretKey=${SECRET_KEY}`);
    expect(server.requests[0]!.headers['user-agent']).toBe(FAKE_USER_AGENT);
  });

  it('falls back to /server/properties where there is no /session', async () => {
    server.reset();
    server.route('GET', '/session', notFound());
    server.route('GET', '/server/properties', json({ server_version: '10.7.0' }));
    const { env } = testEnv(values());
    await expect(tenableConnector.testConnection(env)).resolves.toEqual({ message: `Connected to ${server.host} (server 10.7.0)` });
  });

  it('fails auth, forbidden, rate_limited, bad_response and unreachable without retrying', async () => {
    const cases = [
      [unauthorized(), 'auth'],
      [forbidden(), 'forbidden'],
      [{ ...html(429), headers: { 'Retry-After': '30', 'Content-Type': 'text/html' } }, 'rate_limited'],
      [html(200), 'bad_response'],
      [{ body: '{"username": "trunc' }, 'bad_response'],
    ] as const;
    for (const [response, kind] of cases) {
      server.reset();
      server.route('GET', '/session', response);
      const { env, fake } = testEnv(values());
      expect(await kindOf(tenableConnector.testConnection(env))).toBe(kind);
      expect(server.requests).toHaveLength(1);
      expect(fake.sleeps).toEqual([]);
    }
    // A key with a character no header may carry fails auth, without the key in the message.
    server.reset();
    const broken = testEnv({ ...values(), secretKey: `${SECRET_KEY.slice(0, 10)}\n${SECRET_KEY.slice(10)}` });
    expect(await kindOf(tenableConnector.testConnection(broken.env))).toBe('auth');
    expect(server.requests).toHaveLength(0);
    // Keys pasted with a trailing newline are trimmed.
    server.route('GET', '/session', json({ username: 'trimmed' }));
    const padded = testEnv({ ...values(), accessKey: `${ACCESS_KEY}\n`, secretKey: ` ${SECRET_KEY} ` });
    await expect(tenableConnector.testConnection(padded.env)).resolves.toEqual({ message: 'Connected as trimmed' });
    expect(server.requests[0]!.headers['x-apikeys']).toBe(`accessKey=${ACCESS_KEY}; secretKey=${SECRET_KEY}`);

    const closed = await startFaultServer();
    await closed.close();
    const { env } = testEnv({ ...values(), fqdn: closed.url });
    expect(await kindOf(tenableConnector.testConnection(env))).toBe('unreachable');
  });
});

describe('TLS', () => {
  let directory: string;
  let server: FaultServer;
  let certificate: string;
  let otherCertificate: string;

  function selfSigned(name: string, subjectAltName: string): { key: string; cert: string } {
    const keyFile = path.join(directory, `${name}.key`);
    const certFile = path.join(directory, `${name}.crt`);
    execFileSync(
      '/usr/bin/openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '2',
        '-subj',
        `/CN=${name}`,
        '-addext',
        `subjectAltName=${subjectAltName}`,
      ],
      { stdio: 'ignore' },
    );
    return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8') };
  }

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'tenable-tls-'));
    const pair = selfSigned('bulwark-test-source', 'IP:127.0.0.1');
    certificate = pair.cert;
    otherCertificate = selfSigned('another-name', 'DNS:another.example').cert;
    server = await startFaultServer({ tls: pair });
    server.route('GET', '/session', json({ username: 'tls-user' }));
  });
  afterAll(async () => {
    await server?.close();
    if (directory) fs.rmSync(directory, { recursive: true, force: true });
  });

  it('fails tls at once for a self-signed certificate without the custom CA', async () => {
    const { env } = testEnv({ fqdn: server.host, accessKey: ACCESS_KEY, secretKey: SECRET_KEY });
    const before = server.requests.length;
    expect(await kindOf(tenableConnector.testConnection(env), /self-signed/)).toBe('tls');
    expect(server.requests.length).toBe(before);
  });

  it('fails tls for a certificate that does not match the host, even when trusted', async () => {
    const otherServer = await startFaultServer({ tls: selfSigned('mismatch', 'DNS:another.example') });
    try {
      const mismatched = fs.readFileSync(path.join(directory, 'mismatch.crt'), 'utf8');
      const { env } = testEnv({ fqdn: otherServer.host, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, caCertificate: mismatched });
      expect(await kindOf(tenableConnector.testConnection(env), /ALTNAME/)).toBe('tls');
    } finally {
      await otherServer.close();
    }
  });

  it('fails tls with an unrelated CA', async () => {
    const { env } = testEnv({ fqdn: server.host, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, caCertificate: otherCertificate });
    expect(await kindOf(tenableConnector.testConnection(env))).toBe('tls');
  });

  it('connects with the certificate as the custom CA, and runs a stream over https', async () => {
    expect(tenableConnector.validate({ fqdn: server.host, caCertificate: certificate })).toEqual({});
    const values = { fqdn: server.host, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, caCertificate: certificate };
    const { env } = testEnv(values);
    await expect(tenableConnector.testConnection(env)).resolves.toEqual({ message: 'Connected as tls-user' });

    server.route('POST', '/assets/export', json({ export_uuid: 'e1' }));
    server.route('GET', '/assets/export/e1/status', exportStatus('FINISHED', [1]));
    server.route('GET', '/assets/export/e1/chunks/1', json([{ id: 'asset-1', updated_at: '2026-11-01T00:00:00Z' }]));
    const fake = createFakeRunContext({ values, stream: 'assets' });
    await tenableConnector.runStream(fake.ctx);
    expect(fake.stored.map((chunk) => chunk.records.length)).toEqual([1]);
  });
});
