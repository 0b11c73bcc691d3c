import zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError, type FindingRecord, type InFlightExport } from '../../connector.js';
import {
  exportStatus,
  forbidden,
  html,
  json,
  notFound,
  serverError,
  startFaultServer,
  tooManyRequests,
  unauthorized,
  type FaultServer,
} from './fault-server.js';
import { createFakeRunContext, FAKE_USER_AGENT, type FakeRunContext } from './fake-run-context.js';
import { backoffDelayMs, DEFAULT_TENABLE_LIMITS, parseRetryAfter } from './tenable-client.js';
import { createTenableConnector, DEFAULT_EXPORT_LIMITS } from './tenable-connector.js';
import { OVERLAP_WINDOW_MS } from './tenable-export.js';

// Distinctive secrets, so a leak into a log line or an error message cannot hide.
const ACCESS_KEY = 'ak5e1f0c2d9b8a7e6f5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2';
const SECRET_KEY = 'sk0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';
const EXPORT_ID = '0f6a1c2e-9d3b-4e8a-b7c6-5d4e3f2a1b0c';
const CURSOR = new Date('2026-11-22T14:30:00.000Z');

const connector = createTenableConnector({ requestTimeoutMs: 300 });

let server: FaultServer;

beforeAll(async () => {
  server = await startFaultServer();
});
afterEach(() => server.reset());
afterAll(async () => {
  await server?.close();
});

function finding(n: number, extra: Record<string, unknown> = {}) {
  return {
    asset: { uuid: `a0000000-0000-4000-8000-${String(n).padStart(12, '0')}`, hostname: `host${n}`, ipv4: `10.0.0.${n}` },
    plugin: { id: 10_000 + n, name: `Plugin ${n}`, cve: ['CVE-2024-0001'] },
    port: { port: 443, protocol: 'tcp', service: 'www' },
    severity: 'high',
    severity_id: 3,
    state: 'OPEN',
    first_found: '2026-01-01T00:00:00Z',
    last_found: '2026-11-01T00:00:00.000Z',
    ...extra,
  };
}

function values() {
  return { fqdn: server.url, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, caCertificate: '' };
}

function expectNoSecrets(fake: FakeRunContext, error: unknown) {
  const texts = [...fake.logs, ...fake.backoffs.map((backoff) => backoff.reason)];
  if (error instanceof Error) texts.push(error.message, JSON.stringify(error));
  for (const text of texts) {
    expect(text).not.toContain(ACCESS_KEY);
    expect(text).not.toContain(SECRET_KEY);
  }
}

async function run(
  stream: 'vulnerabilities' | 'assets',
  options: { cursor?: Date | null; inFlight?: InFlightExport | null; random?: () => number; definition?: typeof connector } = {},
) {
  const fake = createFakeRunContext({
    values: values(),
    stream,
    cursor: options.cursor ?? null,
    inFlight: options.inFlight,
    random: options.random,
  });
  let error: unknown = null;
  try {
    await (options.definition ?? connector).runStream(fake.ctx);
  } catch (caught) {
    error = caught;
  }
  expectNoSecrets(fake, error);
  return { fake, error };
}

function expectKind(error: unknown, kind: string) {
  expect(error).toBeInstanceOf(ConnectorError);
  expect((error as ConnectorError).kind).toBe(kind);
}

/** A vulns export that is created, then FINISHED with these chunks listed. */
function scriptVulns(chunks: Record<number, unknown>, statuses = [exportStatus('FINISHED', Object.keys(chunks).map(Number))]) {
  server.route('POST', '/vulns/export', json({ export_uuid: EXPORT_ID }));
  server.route('GET', `/vulns/export/${EXPORT_ID}/status`, ...statuses);
  for (const [id, body] of Object.entries(chunks)) server.route('GET', `/vulns/export/${EXPORT_ID}/chunks/${id}`, json(body));
}

const chunkIdsOf = (fake: FakeRunContext) => fake.stored.map((chunk) => chunk.chunkId);

describe('a healthy export', () => {
  it('sends the keys, the User-Agent and the window, and stores each chunk once, in order', async () => {
    scriptVulns({ 1: [finding(1), finding(2)], 2: [finding(3)] }, [
      exportStatus('QUEUED', []),
      exportStatus('PROCESSING', [1]),
      exportStatus('FINISHED', [1, 2], { total_chunks: 2 }),
    ]);
    const { fake, error } = await run('vulnerabilities', { cursor: CURSOR });
    expect(error).toBeNull();

    const [create] = server.requestsTo('POST', '/vulns/export');
    expect(create!.headers['x-apikeys']).toBe(`accessKey=${ACCESS_KEY}; secretKey=${SECRET_KEY}`);
    expect(create!.headers['user-agent']).toBe(FAKE_USER_AGENT);
    expect(create!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(create!.body)).toEqual({
      num_assets: 50,
      include_unlicensed: true,
      filters: { state: ['OPEN', 'REOPENED', 'FIXED'], since: (CURSOR.getTime() - OVERLAP_WINDOW_MS) / 1000 },
    });
    expect(OVERLAP_WINDOW_MS).toBe(60 * 60_000);
    expect(server.requests.every((request) => request.headers['x-apikeys'] === create!.headers['x-apikeys'])).toBe(true);

    expect(chunkIdsOf(fake)).toEqual([1, 2]);
    expect(fake.stored.flatMap((chunk) => chunk.records.map((record) => (record as FindingRecord).plugin.id))).toEqual([
      10_001, 10_002, 10_003,
    ]);
    expect(server.requestsTo('GET', /\/chunks\//).map((request) => request.path)).toEqual([
      `/vulns/export/${EXPORT_ID}/chunks/1`,
      `/vulns/export/${EXPORT_ID}/chunks/2`,
    ]);
    expect(fake.remembered).toEqual([
      {
        exportId: EXPORT_ID,
        startedAt: fake.ctx.startedAt.toISOString(),
        since: new Date(CURSOR.getTime() - OVERLAP_WINDOW_MS).toISOString(),
        chunksDone: [],
      },
      expect.objectContaining({ chunksDone: [1] }),
      expect.objectContaining({ chunksDone: [1, 2] }),
      null,
    ]);
    expect(fake.totals).toEqual([2]);
    // One empty poll (QUEUED) waited the first step; the poll after new chunks did not wait.
    expect(fake.sleeps).toEqual([1_000]);
  });

  it("keeps each record's text exactly as the chunk sent it (the raw record stored), pretty-printed or not", async () => {
    const first = JSON.stringify(finding(1), null, 2);
    const second = JSON.stringify({ ...finding(2), output: 'brackets ] } [ {, quotes \\" and \\u0000 in text' });
    const body = `[\n  ${first} ,\n${second}\n]\n`;
    server.route('POST', '/vulns/export', json({ export_uuid: EXPORT_ID }));
    server.route('GET', `/vulns/export/${EXPORT_ID}/status`, exportStatus('FINISHED', [1]));
    server.route('GET', `/vulns/export/${EXPORT_ID}/chunks/1`, json(body, 200, { 'content-type': 'application/json' }));
    const { fake, error } = await run('vulnerabilities');
    expect(error).toBeNull();
    const records = fake.stored.flatMap((chunk) => chunk.records);
    expect(records.map((record) => Buffer.from(record.rawBytes ?? []).toString('utf8'))).toEqual([first, second]);
    // The text is the record: the parsed object is not kept beside it.
    expect(records.map((record) => JSON.parse(Buffer.from(record.rawBytes ?? []).toString('utf8')) as unknown)).toEqual(JSON.parse(body));
    expect(records.map((record) => record.raw)).toEqual([undefined, undefined]);
  });

  it('reads a chunk sent gzip-compressed, or in pieces without a length, as it reads one sent whole', async () => {
    const texts = [JSON.stringify(finding(1)), JSON.stringify({ ...finding(2), output: 'café ] 日本' })];
    const body = `[${texts.join(',')}]`;
    const sent = {
      whole: json(body, 200, { 'content-type': 'application/json' }),
      gzip: json(zlib.gzipSync(Buffer.from(body, 'utf8')), 200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }),
      chunked: { ...json(body, 200, { 'content-type': 'application/json' }), chunked: true },
    };
    for (const [how, response] of Object.entries(sent)) {
      server.reset();
      server.route('POST', '/vulns/export', json({ export_uuid: EXPORT_ID }));
      server.route('GET', `/vulns/export/${EXPORT_ID}/status`, exportStatus('FINISHED', [1]));
      server.route('GET', `/vulns/export/${EXPORT_ID}/chunks/1`, response);
      const { fake, error } = await run('vulnerabilities');
      expect(error, how).toBeNull();
      const records = fake.stored.flatMap((chunk) => chunk.records);
      expect(
        records.map((record) => Buffer.from(record.rawBytes ?? []).toString('utf8')),
        how,
      ).toEqual(texts);
    }
  });

  it('keeps no text of a chunk that is not valid UTF-8: its records are stored as parsed', async () => {
    const text = JSON.stringify([{ ...finding(1), output: 'caf_' }]);
    const body = Buffer.from(text, 'utf8');
    body[text.indexOf('caf_') + 3] = 0xe9; // Latin-1 é: not UTF-8
    server.route('POST', '/vulns/export', json({ export_uuid: EXPORT_ID }));
    server.route('GET', `/vulns/export/${EXPORT_ID}/status`, exportStatus('FINISHED', [1]));
    server.route('GET', `/vulns/export/${EXPORT_ID}/chunks/1`, json(body, 200, { 'content-type': 'application/json' }));
    const { fake, error } = await run('vulnerabilities');
    expect(error).toBeNull();
    const records = fake.stored.flatMap((chunk) => chunk.records);
    expect(records).toHaveLength(1);
    expect(records[0]!.rawBytes).toBeUndefined();
    expect((records[0]!.raw as { output: string }).output).toBe('caf\ufffd');
  });

  it('fails a chunk whose array does not close as a bad response, never as fewer records', async () => {
    const body = JSON.stringify([finding(1), finding(2)]).slice(0, -1);
    server.route('POST', '/vulns/export', json({ export_uuid: EXPORT_ID }));
    server.route('GET', `/vulns/export/${EXPORT_ID}/status`, exportStatus('FINISHED', [1]));
    server.route('GET', `/vulns/export/${EXPORT_ID}/chunks/1`, json(body, 200, { 'content-type': 'application/json' }));
    const { fake, error } = await run('vulnerabilities');
    expectKind(error, 'bad_response');
    expect((error as Error).message).toMatch(/does not parse/);
    expect(fake.stored).toEqual([]);
  });

  it('asks for all history on the first run (no since), FIXED included', async () => {
    scriptVulns({ 1: [] });
    const { error } = await run('vulnerabilities', { cursor: null });
    expect(error).toBeNull();
    expect(JSON.parse(server.requestsTo('POST', '/vulns/export')[0]!.body)).toEqual({
      num_assets: 50,
      include_unlicensed: true,
      filters: { state: ['OPEN', 'REOPENED', 'FIXED'] },
    });
  });

  it('exports assets by updated_at, and treats null and [] chunks as empty (still handed over, so the ledger has them)', async () => {
    server.route('POST', '/assets/export', json({ export_uuid: EXPORT_ID }));
    server.route('GET', `/assets/export/${EXPORT_ID}/status`, json({ status: 'FINISHED', chunks_available: [1, 2, 3] }));
    server.route(
      'GET',
      `/assets/export/${EXPORT_ID}/chunks/1`,
      json([{ id: 'asset-1', ipv4s: ['10.0.0.1'], fqdns: ['one.example'], updated_at: '2026-11-01T00:00:00Z' }]),
    );
    server.route('GET', `/assets/export/${EXPORT_ID}/chunks/2`, json(null));
    server.route('GET', `/assets/export/${EXPORT_ID}/chunks/3`, json([]));
    const { fake, error } = await run('assets', { cursor: CURSOR });
    expect(error).toBeNull();
    expect(JSON.parse(server.requestsTo('POST', '/assets/export')[0]!.body)).toEqual({
      chunk_size: 1000,
      filters: { updated_at: (CURSOR.getTime() - OVERLAP_WINDOW_MS) / 1000 },
    });
    expect(fake.stored.map((chunk) => [chunk.chunkId, chunk.records.length])).toEqual([
      [1, 1],
      [2, 0],
      [3, 0],
    ]);
    expect(fake.stored[0]!.records[0]).toMatchObject({
      kind: 'asset',
      asset: { sourceId: 'asset-1', ipv4: '10.0.0.1', fqdn: 'one.example' },
    });
    expect(fake.totals).toEqual([3]);
  });

  it('polls with a capped backoff while nothing is new', async () => {
    scriptVulns({ 1: [finding(1)] }, [...Array.from({ length: 9 }, () => exportStatus('PROCESSING', [])), exportStatus('FINISHED', [1])]);
    const { fake, error } = await run('vulnerabilities');
    expect(error).toBeNull();
    expect(fake.sleeps).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000]);
    expect(chunkIdsOf(fake)).toEqual([1]);
  });
});

describe('rate limits and server errors', () => {
  it('waits Retry-After (seconds) on 429 and reports the backoff first', async () => {
    scriptVulns({ 1: [finding(1)] });
    server.route('POST', '/vulns/export', tooManyRequests('7'), json({ export_uuid: EXPORT_ID }));
    const { fake, error } = await run('vulnerabilities');
    expect(error).toBeNull();
    expect(server.requestsTo('POST', '/vulns/export')).toHaveLength(2);
    expect(fake.sleeps).toEqual([7_000]);
    expect(fake.backoffs).toHaveLength(1);
    expect(fake.backoffs[0]!.until.getTime() - fake.backoffs[0]!.at.getTime()).toBe(7_000);
    expect(fake.backoffs[0]!.reason).toMatch(/429/);
    expect(chunkIdsOf(fake)).toEqual([1]);
  });

  it('waits Retry-After given as an HTTP date', async () => {
    scriptVulns({ 1: [] });
    const fakeNow = new Date('2026-11-22T15:00:00.000Z');
    server.route(
      'GET',
      `/vulns/export/${EXPORT_ID}/status`,
      tooManyRequests(new Date(fakeNow.getTime() + 12_000).toUTCString()),
      exportStatus('FINISHED', [1]),
    );
    const { fake, error } = await run('vulnerabilities');
    expect(error).toBeNull();
    expect(fake.sleeps).toEqual([12_000]);
  });

  it('backs off exponentially with jitter when 429 has no Retry-After, then fails rate_limited', async () => {
    server.route('POST', '/vulns/export', tooManyRequests());
    const { fake, error } = await run('vulnerabilities', { random: () => 0.5 });
    expectKind(error, 'rate_limited');
    expect(server.requestsTo('POST', '/vulns/export')).toHaveLength(DEFAULT_TENABLE_LIMITS.maxAttempts);
    // base 1 s doubled per attempt, "equal jitter" (half fixed, half random: 0.5 -> 75 %)
    expect(fake.sleeps).toEqual([750, 1_500, 3_000, 6_000, 12_000]);
    expect(fake.backoffs).toHaveLength(5);
    expect(fake.remembered).toEqual([]);
  });

  it('caps the exponential backoff', () => {
    const limits = { backoffBaseMs: 1_000, backoffCapMs: 60_000 };
    expect(backoffDelayMs(1, limits, () => 0)).toBe(500);
    expect(backoffDelayMs(1, limits, () => 0.999_999)).toBe(1_000);
    expect(backoffDelayMs(30, limits, () => 0.999_999)).toBe(60_000);
    expect(backoffDelayMs(30, limits, () => 0)).toBe(30_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = new Date('2026-11-22T15:00:00.000Z');
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 15:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 14:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('fails rate_limited at once when Retry-After is longer than a run should wait', async () => {
    server.route('POST', '/vulns/export', tooManyRequests('3600'));
    const { fake, error } = await run('vulnerabilities');
    expectKind(error, 'rate_limited');
    expect((error as ConnectorError).details.retryAfterSeconds).toBe(3600);
    expect(server.requestsTo('POST', '/vulns/export')).toHaveLength(1);
    expect(fake.sleeps).toEqual([]);
  });

  it('retries 500 like 429 and carries on', async () => {
    scriptVulns({ 1: [finding(1)] });
    server.route('GET', `/vulns/export/${EXPORT_ID}/status`, serverError(500), serverError(503), exportStatus('FINISHED', [1]));
    const { fake, error } = await run('vulnerabilities', { random: () => 0.5 });
    expect(error).toBeNull();
    expect(fake.sleeps).toEqual([750, 1_500]);
    expect(fake.backoffs).toHaveLength(2);
    expect(chunkIdsOf(fake)).toEqual([1]);
  });

  it('fails bad_response with the status after the 5xx attempts', async () => {
    server.route('POST', '/vulns/export', serverError(502));
    const { error } = await run('vulnerabilities');
    expectKind(error, 'bad_response');
    expect((error as ConnectorError).details.status).toBe(502);
    expect((error as Error).message).toMatch(/502/);
    expect(server.requestsTo('POST', '/vulns/export')).toHaveLength(DEFAULT_TENABLE_LIMITS.maxAttempts);
  });

  it('fails 401 as auth and 403 as forbidden at once', async () => {
    server.route('POST', '/vulns/export', unauthorized());
    const first = await run('vulnerabilities');
    expectKind(first.error, 'auth');
    expect(server.requests).toHaveLength(1);
    expect(first.fake.sleeps).toEqual([]);

    server.reset();
    scriptVulns({ 1: [] });
    server.route('GET', `/vulns/export/${EXPORT_ID}/status`, forbidden());
    const second = await run('vulnerabilities');
    expectKind(second.error, 'forbidden');
    expect(server.requestsTo('GET', /status/)).toHaveLength(1);
  });
});

describe('exports that fail', () => {
  it('fails export_failed on FINISHED with chunks_failed, and forgets the export', async () => {
    scriptVulns({ 1: [finding(1)] }, [exportStatus('FINISHED', [1], { chunks_failed: [2], reason: 'chunk 2 failed' })]);
    const { fake, error } = await run('vulnerabilities');
    expectKind(error, 'export_failed');
    expect((error as Error).message).toMatch(/failed chunks 2/);
    expect(fake.remembered.at(-1)).toBeNull();
  });

  it('fails export_failed on ERROR (with the reason) and on CANCELLED', async () => {
    scriptVulns({}, [exportStatus('PROCESSING', []), exportStatus('ERROR', [], { reason: 'disk full' })]);
    const failed = await run('vulnerabilities');
    expectKind(failed.error, 'export_failed');
    expect((failed.error as Error).message).toMatch(/ERROR.*disk full/);
    expect(failed.fake.remembered.at(-1)).toBeNull();

    server.reset();
    scriptVulns({}, [exportStatus('CANCELLED', [])]);
    const cancelled = await run('vulnerabilities');
    expectKind(cancelled.error, 'export_failed');
    expect(cancelled.fake.remembered.at(-1)).toBeNull();
  });

  it('forgets a remembered export the source no longer knows (404), so the next run starts a new one', async () => {
    server.route('GET', `/vulns/export/${EXPORT_ID}/status`, notFound());
    const inFlight = { exportId: EXPORT_ID, startedAt: '2026-11-22T14:00:00.000Z', since: null, chunksDone: [1] };
    const { fake, error } = await run('vulnerabilities', { inFlight });
    expectKind(error, 'export_failed');
    expect(server.requestsTo('POST', '/vulns/export')).toHaveLength(0);
    expect(fake.remembered).toEqual([null]);
    expect(fake.stored).toEqual([]);
  });

  it('cancels an export that never finishes, fails timeout and forgets it', async () => {
    scriptVulns({ 1: [finding(1)] }, [exportStatus('PROCESSING', [1])]);
    server.route('POST', `/vulns/export/${EXPORT_ID}/cancel`, json({ status: 'CANCELLED' }));
    const { fake, error } = await run('vulnerabilities');
    expectKind(error, 'timeout');
    expect(server.requestsTo('POST', `/vulns/export/${EXPORT_ID}/cancel`)).toHaveLength(1);
    expect(fake.remembered.at(-1)).toBeNull();
    expect(chunkIdsOf(fake)).toEqual([1]);
    expect(fake.now().getTime() - fake.ctx.startedAt.getTime()).toBe(DEFAULT_EXPORT_LIMITS.exportTimeoutMs);
    expect(Math.max(...fake.sleeps)).toBe(30_000);
    // about 60 minutes of polls, no more: 1 + 2 + 4 + 8 + 16 s, then every 30 s
    expect(server.requestsTo('GET', /status/).length).toBeLessThan(130);
  });

  it('the export timeout is configurable', async () => {
    scriptVulns({}, [exportStatus('QUEUED', [])]);
    const { fake, error } = await run('vulnerabilities', { definition: createTenableConnector({ exportTimeoutMs: 5_000 }) });
    expectKind(error, 'timeout');
    expect(fake.sleeps).toEqual([1_000, 2_000, 2_000]);
  });
});

describe('bad chunks lose nothing and store nothing twice', () => {
  it('retries a truncated chunk 3 times, fails bad_response, keeps the export, and the next run resumes it without a new export', async () => {
    scriptVulns({ 1: [finding(1)], 3: [finding(3)] }, [exportStatus('FINISHED', [1, 2, 3])]);
    server.route('GET', `/vulns/export/${EXPORT_ID}/chunks/2`, { body: '[{"asset":{"uuid":"x"},"plug' });
    const first = await run('vulnerabilities', { cursor: CURSOR });
    expectKind(first.error, 'bad_response');
    expect((first.error as Error).message).toMatch(/Chunk 2/);
    expect(server.requestsTo('GET', `/vulns/export/${EXPORT_ID}/chunks/2`)).toHaveLength(4);
    expect(chunkIdsOf(first.fake)).toEqual([1]);
    const kept = first.fake.remembered.at(-1);
    expect(kept).toMatchObject({ exportId: EXPORT_ID, chunksDone: [1] });

    server.route('GET', `/vulns/export/${EXPORT_ID}/chunks/2`, json([finding(2)]));
    const before = server.requests.length;
    const second = await run('vulnerabilities', { cursor: CURSOR, inFlight: kept! });
    expect(second.error).toBeNull();
    const resumed = server.requests.slice(before).map((request) => `${request.method} ${request.path}`);
    expect(resumed).toEqual([
      `GET /vulns/export/${EXPORT_ID}/status`,
      `GET /vulns/export/${EXPORT_ID}/chunks/2`,
      `GET /vulns/export/${EXPORT_ID}/chunks/3`,
    ]);
    expect(chunkIdsOf(second.fake)).toEqual([2, 3]);
    expect([...chunkIdsOf(first.fake), ...chunkIdsOf(second.fake)]).toEqual([1, 2, 3]);
    expect(second.fake.remembered).toEqual([
      expect.objectContaining({ chunksDone: [1, 2] }),
      expect.objectContaining({ chunksDone: [1, 2, 3] }),
      null,
    ]);
  });

  it('forgets a resumed export whose chunk fails again (expired at the source), so the next run starts a new one', async () => {
    scriptVulns({ 1: [finding(1)] }, [exportStatus('FINISHED', [1, 2])]);
    server.route('GET', `/vulns/export/${EXPORT_ID}/chunks/2`, notFound());
    const kept = { exportId: EXPORT_ID, startedAt: new Date().toISOString(), since: null, chunksDone: [1] };
    const { fake, error } = await run('vulnerabilities', { cursor: CURSOR, inFlight: kept });
    expectKind(error, 'bad_response');
    expect((error as Error).message).toMatch(/forgotten/);
    expect(fake.stored).toEqual([]);
    expect(fake.remembered.at(-1)).toBeNull();
    expect(server.requestsTo('POST', '/vulns/export')).toHaveLength(0);
  });

  it('retries a chunk listed but missing (404) and stores it once when it comes', async () => {
    scriptVulns({ 1: [finding(1)] });
    server.route('GET', `/vulns/export/${EXPORT_ID}/chunks/1`, notFound(), notFound(), json([finding(1)]));
    const { fake, error } = await run('vulnerabilities');
    expect(error).toBeNull();
    expect(chunkIdsOf(fake)).toEqual([1]);
    expect(server.requestsTo('GET', /chunks/)).toHaveLength(3);
  });

  it('fails bad_response for a chunk that stays missing, never storing it as empty', async () => {
    scriptVulns({}, [exportStatus('FINISHED', [1])]);
    server.route('GET', `/vulns/export/${EXPORT_ID}/chunks/1`, notFound());
    const { fake, error } = await run('vulnerabilities');
    expectKind(error, 'bad_response');
    expect((error as ConnectorError).details.status).toBe(404);
    expect(server.requestsTo('GET', /chunks/)).toHaveLength(4);
    expect(fake.stored).toEqual([]);
    expect(fake.remembered.at(-1)).toMatchObject({ chunksDone: [] });
  });

  it('retries a chunk whose connection is cut mid-body', async () => {
    scriptVulns({ 1: [finding(1), finding(2)] });
    const body = JSON.stringify([finding(1), finding(2)]);
    server.route('GET', `/vulns/export/${EXPORT_ID}/chunks/1`, { body, cutAfterBytes: 40 }, json([finding(1), finding(2)]));
    const { fake, error } = await run('vulnerabilities');
    expect(error).toBeNull();
    expect(fake.stored.map((chunk) => chunk.records.length)).toEqual([2]);
  });

  it('rejects a chunk with a record lacking its asset uuid or plugin id', async () => {
    scriptVulns({ 1: [finding(1), { ...finding(2), plugin: { name: 'no id' } }] });
    const { fake, error } = await run('vulnerabilities');
    expectKind(error, 'bad_response');
    expect((error as Error).message).toMatch(/plugin\.id/);
    expect(fake.stored).toEqual([]);
  });

  it('rejects a chunk that is a JSON object instead of an array', async () => {
    scriptVulns({ 1: { records: [] } });
    const { error } = await run('vulnerabilities');
    expectKind(error, 'bad_response');
  });
});

describe('sources that are not what they seem', () => {
  it('fails bad_response on an HTML page where JSON was expected', async () => {
    server.route('POST', '/vulns/export', html(200));
    const { error } = await run('vulnerabilities');
    expectKind(error, 'bad_response');
    expect((error as Error).message).toMatch(/HTML/);
    expect(server.requests).toHaveLength(1);
  });

  it('fails bad_response on a status of the wrong shape', async () => {
    scriptVulns({}, [json([1, 2, 3])]);
    const { error } = await run('vulnerabilities');
    expectKind(error, 'bad_response');
  });

  it('fails bad_response on an export response without export_uuid', async () => {
    server.route('POST', '/vulns/export', json({ uuid: 42 }));
    const { error } = await run('vulnerabilities');
    expectKind(error, 'bad_response');
  });

  it('adopts the running export on 409', async () => {
    const running = '11111111-2222-4333-8444-555555555555';
    server.route('POST', '/vulns/export', json({ active_job_id: running, failure_reason: 'conflict' }, 409));
    server.route('GET', `/vulns/export/${running}/status`, exportStatus('FINISHED', [1]));
    server.route('GET', `/vulns/export/${running}/chunks/1`, json([finding(1)]));
    const { fake, error } = await run('vulnerabilities');
    expect(error).toBeNull();
    expect(server.requestsTo('POST', '/vulns/export')).toHaveLength(1);
    expect(fake.remembered[0]).toMatchObject({ exportId: running, chunksDone: [] });
    expect(chunkIdsOf(fake)).toEqual([1]);
  });

  it('fails unreachable after a few attempts when the connection is refused', async () => {
    const closed = await startFaultServer();
    const port = closed.port;
    await closed.close();
    const fake = createFakeRunContext({ values: { ...values(), fqdn: `http://127.0.0.1:${port}` }, stream: 'vulnerabilities' });
    const error = await connector.runStream(fake.ctx).catch((caught: unknown) => caught);
    expectKind(error, 'unreachable');
    expect(fake.sleeps).toHaveLength(DEFAULT_TENABLE_LIMITS.networkAttempts - 1);
    expect(fake.backoffs).toEqual([]);
    expectNoSecrets(fake, error);
  });

  it('times a request out (connect + response) and retries it like a network error', async () => {
    scriptVulns({ 1: [] });
    server.route('GET', `/vulns/export/${EXPORT_ID}/status`, { hang: true }, exportStatus('FINISHED', [1]));
    const { fake, error } = await run('vulnerabilities');
    expect(error).toBeNull();
    expect(server.requestsTo('GET', /status/)).toHaveLength(2);
    expect(fake.sleeps).toHaveLength(1);
    expect(fake.logs.some((line) => /did not answer/.test(line))).toBe(true);
  });

  it('fails unreachable when every attempt times out', async () => {
    server.route('POST', '/vulns/export', { hang: true });
    const { error } = await run('vulnerabilities');
    expectKind(error, 'unreachable');
    expect(server.requestsTo('POST', '/vulns/export')).toHaveLength(DEFAULT_TENABLE_LIMITS.networkAttempts);
  });

  it('stops when the run is aborted', async () => {
    scriptVulns({}, [exportStatus('PROCESSING', [])]);
    const fake = createFakeRunContext({ values: values(), stream: 'vulnerabilities' });
    const reason = new Error('shutting down');
    // The source hears the third status poll and the run is aborted while it waits for the answer.
    let polls = 0;
    server.route('GET', `/vulns/export/${EXPORT_ID}/status`, () => {
      polls += 1;
      if (polls === 3) fake.abort(reason);
      return exportStatus('PROCESSING', []);
    });
    await expect(connector.runStream(fake.ctx)).rejects.toBe(reason);
    expect(polls).toBe(3);
  });
});
