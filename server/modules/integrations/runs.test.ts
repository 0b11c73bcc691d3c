import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../../test/build-test-app.js';
import { createAccount, createStaff, signIn, type SignedIn } from '../../test/factories.js';
import { ConnectorError, type ConnectorDefinition, type StreamRunContext } from './connector.js';
import { CONNECTORS } from './connectors/index.js';
import {
  exportStatus,
  json,
  startFaultServer,
  tooManyRequests,
  unauthorized,
  type FaultServer,
} from './connectors/tenable/fault-server.js';
import { createTenableConnector } from './connectors/tenable/tenable-connector.js';
import { jsonFileConnector, normaliseJsonFinding } from './connectors/json-file/json-file-connector.js';
import { batchesOf, runIntegrationStream, USER_AGENT } from './runs.js';
import { sweepAbandonedRuns } from './scheduler.js';
import { buildIntegrationsTestApp } from './test-app.js';

/** A connector whose runs the test scripts, one function per run. */
type Script = (ctx: StreamRunContext) => Promise<void>;
const scripts: Script[] = [];
const SECRET = 'scripted-secret-value-7f3a';

const scriptedConnector: ConnectorDefinition = {
  id: 'test.scripted',
  label: 'Scripted (tests)',
  logName: 'scripted',
  description: 'Runs what the test scripts.',
  category: 'Testing',
  authMethod: 'Token',
  multiInstance: true,
  vendorDocs: { label: 'None', url: 'https://example.invalid/' },
  prerequisites: [],
  fields: [
    { name: 'host', label: 'Host', kind: 'text', required: true, defaultValue: null, description: '' },
    { name: 'token', label: 'Token', kind: 'secret', required: true, defaultValue: null, description: '' },
  ],
  streams: [
    { name: 'vulnerabilities', label: 'Vulnerabilities', noun: 'vulnerabilities', defaultIntervalMinutes: 30 },
    { name: 'assets', label: 'Assets', noun: 'assets', defaultIntervalMinutes: 60 },
  ],
  validate: () => ({}),
  testConnection: async () => ({ message: 'ok' }),
  async runStream(ctx) {
    const script = scripts.shift();
    if (!script) throw new Error('no script for this run');
    await script(ctx);
  },
};

function finding(index: number, lastFound: string | null = '2026-01-01T00:00:00.000Z') {
  return {
    host: `host-${index}.example.test`,
    ip: `10.0.${Math.floor(index / 250)}.${index % 250}`,
    pluginId: 10_000 + (index % 7),
    pluginName: `Plugin ${index % 7}`,
    port: 443,
    protocol: 'tcp',
    severity: index % 5,
    state: 'OPEN',
    cve: index === 3 ? ['CVE-2021-44228'] : [],
    lastFound,
  };
}

describe('batchesOf', () => {
  const sizes = (count: number, size: number) =>
    batchesOf(
      Array.from({ length: count }, (_, index) => index),
      size,
    ).map((batch) => batch.length);

  it('splits into an even number of batches of even size, none above the limit, every item once in order', () => {
    expect(sizes(25_000, 5_000)).toEqual([4_167, 4_167, 4_167, 4_167, 4_167, 4_165]);
    expect(sizes(11, 3)).toEqual([3, 3, 3, 2]);
    expect(sizes(7, 3)).toEqual([2, 2, 2, 1]);
    expect(sizes(5, 5)).toEqual([5]);
    expect(sizes(0, 5)).toEqual([]);
    expect(batchesOf([1, 2, 3, 4, 5], 2).flat()).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('the run engine', () => {
  let t: TestApp;
  let admin: SignedIn;
  const pinoLines: string[] = [];
  const connectors = [...CONNECTORS, jsonFileConnector, scriptedConnector];

  beforeAll(async () => {
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          pinoLines.push(chunk.toString());
          done();
        },
      }),
    );
    t = await buildIntegrationsTestApp({}, { connectors, logger });
    admin = await signIn(t.app, (await createStaff(t.ctx, { role: 64 })).username);
  });
  afterAll(() => t.close());
  beforeEach(() => {
    scripts.length = 0;
  });

  const services = () => t.app.services;
  const create = async (body: Record<string, unknown>) => {
    const response = await t.app.inject({ method: 'POST', url: '/api/integrations', payload: body, headers: admin.writeHeaders });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string; health: string }>();
  };
  const createScripted = (name: string, extra: Record<string, unknown> = {}) =>
    create({
      connector: 'test.scripted',
      name,
      values: { host: 'source.test', token: SECRET },
      pollingIntervalMinutes: 30,
      enabled: true,
      ...extra,
    });
  const read = async (id: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/integrations/${id}`, headers: { cookie: admin.cookie } })).json();
  const logs = async (id: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/integrations/${id}/logs`, headers: { cookie: admin.cookie } }))
      .json<{ lines: { line: string }[] }>()
      .lines.map((l) => l.line);
  const streamOf = (id: string, stream: string) =>
    t.ctx.db
      .selectFrom('integration_streams')
      .selectAll()
      .where('integration_id', '=', id)
      .where('stream', '=', stream)
      .executeTakeFirstOrThrow();
  const run = (id: string, stream = 'vulnerabilities') => runIntegrationStream(services(), connectors, id, stream, 'schedule');

  it('runs the JSON file connector: ledger, chunks, artifacts, cursor at the run start, one log line, pending → healthy', async () => {
    const file = path.join(t.dataDir, 'findings.json');
    const records = [...Array.from({ length: 148 }, (_, i) => finding(i)), finding(148, null), finding(149, null)];
    fs.writeFileSync(file, JSON.stringify(records));
    const account = await createAccount(t.ctx);
    const integration = await create({
      connector: 'test.json-file',
      name: 'Findings file',
      values: { path: file },
      pollingIntervalMinutes: 30,
      enabled: true,
      targetAccountId: account.id,
    });
    expect(integration.health).toBe('pending');

    // Batches of 7: each chunk is stored and merged by several transactions, two at a time.
    const outcome = await runIntegrationStream(services(), connectors, integration.id, 'records', 'poll_now', { storeBatch: 7 });
    expect(outcome).toMatchObject({ status: 'succeeded', fetched: 150 });
    const runs = await t.ctx.db.selectFrom('integration_runs').selectAll().where('integration_id', '=', integration.id).execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      status: 'succeeded',
      trigger: 'poll_now',
      fetched: 150,
      stored: 150,
      duplicates: 0,
      chunks_total: 2,
      chunks_done: 2,
    });
    const chunks = await t.ctx.db
      .selectFrom('integration_run_chunks')
      .selectAll()
      .where('run_id', '=', runs[0]!.id)
      .orderBy('chunk_id')
      .execute();
    expect(chunks.map((chunk) => [chunk.chunk_id, chunk.records, chunk.stored])).toEqual([
      [1, 100, 100],
      [2, 50, 50],
    ]);
    const stream = await streamOf(integration.id, 'records');
    expect(stream.cursor?.toISOString()).toBe(runs[0]!.started_at.toISOString());
    expect(Number(stream.total_fetched)).toBe(150);
    expect(stream.in_flight).toBeNull();
    const artifacts = await t.ctx.db
      .selectFrom('signal_artifacts')
      .select('account_id')
      .where('integration_id', '=', integration.id)
      .execute();
    expect(artifacts).toHaveLength(150);
    expect(artifacts.every((artifact) => artifact.account_id === account.id)).toBe(true);
    // Merged into the target account's instance.
    const findings = await t.ctx.db.selectFrom('findings').select('id').where('account_id', '=', account.id).execute();
    expect(findings.length).toBe(150);

    expect(await logs(integration.id)).toEqual(['[INFO] json-file: fetched 150 records']);
    const pinoLine = pinoLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === '[INFO] json-file: fetched 150 records');
    expect(pinoLine).toMatchObject({ integrationId: integration.id, integrationName: 'Findings file', stream: 'records', fetched: 150 });
    const status = await read(integration.id);
    expect(status.health).toBe('healthy');
    expect(status.streams[0]).toMatchObject({ name: 'records', health: 'healthy', lastFetched: 150, totalFetched: 150, running: false });

    // The next run fetches only what is new since the cursor; records fetched again are duplicates, stored once.
    const second = await runIntegrationStream(services(), connectors, integration.id, 'records', 'schedule');
    expect(second).toMatchObject({ status: 'succeeded', fetched: 2 });
    const last = await t.ctx.db
      .selectFrom('integration_runs')
      .selectAll()
      .where('id', '=', second.status === 'succeeded' ? second.runId : '')
      .executeTakeFirstOrThrow();
    expect(last).toMatchObject({ stored: 0, duplicates: 2 });
    expect(await t.ctx.db.selectFrom('signal_artifacts').select('id').where('integration_id', '=', integration.id).execute()).toHaveLength(
      150,
    );
    expect(await logs(integration.id)).toEqual(['[INFO] json-file: fetched 2 records', '[INFO] json-file: fetched 150 records']);
  });

  it('hands the connector its values, the user agent, the cursor and the start time', async () => {
    const integration = await createScripted('Context check');
    let seen: StreamRunContext | undefined;
    scripts.push(async (ctx) => {
      seen = ctx;
    });
    await run(integration.id);
    expect(seen?.values).toEqual({ host: 'source.test', token: SECRET });
    expect(seen?.userAgent).toMatch(/^Integration\/1\.0 \(Bulwark; Bulwark; Build\/\d+\.\d+\.\d+.*\)$/);
    expect(seen?.userAgent).toBe(USER_AGENT);
    expect(seen?.cursor).toBeNull();
    expect(seen?.inFlight).toBeNull();
    const cursor = (await streamOf(integration.id, 'vulnerabilities')).cursor;
    expect(cursor?.toISOString()).toBe(seen?.startedAt.toISOString());
    scripts.push(async (ctx) => {
      seen = ctx;
    });
    await run(integration.id);
    expect(seen?.cursor?.toISOString()).toBe(cursor?.toISOString());
  });

  it('fails on an authentication error: red with the advice, cursor unchanged, one ERROR line, secrets redacted', async () => {
    const integration = await createScripted('Bad keys');
    scripts.push(async () => {
      throw new ConnectorError('auth', `The source refused the key ${SECRET}.`, { status: 401 });
    });
    const outcome = await run(integration.id);
    expect(outcome).toMatchObject({ status: 'failed', errorKind: 'auth' });
    expect((await streamOf(integration.id, 'vulnerabilities')).cursor).toBeNull();
    const status = await read(integration.id);
    expect(status.health).toBe('failing');
    expect(status.streams[0]).toMatchObject({
      health: 'failing',
      lastError: { kind: 'auth', message: 'The source refused the key ••••.' },
    });
    expect(status.streams[1]).toMatchObject({ health: 'pending' });
    expect(await logs(integration.id)).toEqual([
      '[ERROR] scripted: vulnerabilities run failed: Authentication failed (401): The source refused the key ••••.',
    ]);
  });

  it('answers an unexpected error as internal, with details only in pino', async () => {
    const integration = await createScripted('Internal');
    scripts.push(async () => {
      throw new TypeError('cannot read property of undefined (deep detail)');
    });
    expect(await run(integration.id)).toMatchObject({ status: 'failed', errorKind: 'internal' });
    const [line] = await logs(integration.id);
    expect(line).toMatch(/^\[ERROR\] scripted: vulnerabilities run failed: Internal error: /);
    expect(line).not.toContain('deep detail');
    expect(pinoLines.some((entry) => entry.includes('deep detail'))).toBe(true);
  });

  it('is partial (amber) when some chunks were stored before a failure; the cursor stays and in_flight is kept', async () => {
    const integration = await createScripted('Half way');
    scripts.push(async (ctx) => {
      await ctx.remember({ exportId: 'export-1', startedAt: ctx.startedAt.toISOString(), since: null, chunksDone: [] });
      await ctx.storeChunk(1, [normaliseJsonFinding(finding(1), 0)]);
      throw new ConnectorError('bad_response', 'Chunk 2 was truncated.');
    });
    expect(await run(integration.id)).toMatchObject({ status: 'partial', errorKind: 'bad_response' });
    const stream = await streamOf(integration.id, 'vulnerabilities');
    expect(stream.cursor).toBeNull();
    expect(stream.in_flight).toMatchObject({ exportId: 'export-1', chunksDone: [1] });
    expect((await read(integration.id)).streams[0].health).toBe('degraded');
    const [runRow] = await t.ctx.db.selectFrom('integration_runs').selectAll().where('integration_id', '=', integration.id).execute();
    expect(runRow).toMatchObject({ status: 'partial', export_id: 'export-1', chunks_done: 1, fetched: 1 });

    // The next run resumes that export: it receives inFlight, and on success the cursor is the export's start.
    let resumed: StreamRunContext | undefined;
    scripts.push(async (ctx) => {
      resumed = ctx;
    });
    await run(integration.id);
    expect(resumed?.inFlight).toMatchObject({ exportId: 'export-1', chunksDone: [1] });
    expect(resumed?.startedAt.toISOString()).toBe(stream.in_flight?.startedAt);
    const after = await streamOf(integration.id, 'vulnerabilities');
    expect(after.cursor?.toISOString()).toBe(stream.in_flight?.startedAt);
    expect(after.in_flight).toBeNull();
  });

  it('is amber while backing off and after a rate limit, and green again after a success', async () => {
    const integration = await createScripted('Backing off');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reported!: () => void;
    const hasReported = new Promise<void>((resolve) => (reported = resolve));
    scripts.push(async (ctx) => {
      await ctx.reportBackoff(new Date(Date.now() + 60_000), 'HTTP 429, Retry-After 60');
      reported();
      await gate;
    });
    const running = run(integration.id);
    await hasReported;
    const during = await read(integration.id);
    expect(during.streams[0]).toMatchObject({ health: 'degraded', running: true });
    expect(during.streams[0].backingOffUntil).not.toBeNull();
    release();
    expect(await running).toMatchObject({ status: 'succeeded' });
    expect((await read(integration.id)).streams[0]).toMatchObject({ health: 'healthy', backingOffUntil: null });
    const lines = await logs(integration.id);
    expect(lines[0]).toBe('[INFO] scripted: fetched 0 vulnerabilities');
    expect(lines[1]).toMatch(/^\[WARN\] scripted: vulnerabilities backing off until .+: HTTP 429, Retry-After 60$/);

    scripts.push(async () => {
      throw new ConnectorError('rate_limited', 'Still rate limited after 5 attempts.');
    });
    await run(integration.id);
    expect((await read(integration.id)).streams[0].health).toBe('degraded');
  });

  it('does nothing when a run of the stream is alive', async () => {
    const integration = await createScripted('Overlap');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const hasStarted = new Promise<void>((resolve) => (started = resolve));
    scripts.push(async () => {
      started();
      await gate;
    });
    const first = run(integration.id);
    await hasStarted;
    expect(await run(integration.id)).toEqual({ status: 'already_running' });
    // Another stream of the same integration is free to run.
    scripts.push(async () => {});
    expect(await run(integration.id, 'assets')).toMatchObject({ status: 'succeeded' });
    release();
    expect(await first).toMatchObject({ status: 'succeeded' });
    const runs = await t.ctx.db.selectFrom('integration_runs').select('stream').where('integration_id', '=', integration.id).execute();
    expect(runs.map((row) => row.stream).sort()).toEqual(['assets', 'vulnerabilities']);
  });

  it('sweeps a run whose node died, keeping its export, and the next run resumes it', async () => {
    const integration = await createScripted('Crashed');
    const inFlight = {
      exportId: 'export-crashed',
      startedAt: '2026-11-22T10:00:00.000Z',
      since: '2026-11-21T10:00:00.000Z',
      chunksDone: [1, 2],
    };
    await t.ctx.db
      .updateTable('integration_streams')
      .set({ in_flight: JSON.stringify(inFlight) })
      .where('integration_id', '=', integration.id)
      .where('stream', '=', 'vulnerabilities')
      .execute();
    const dead = await t.ctx.db
      .insertInto('integration_runs')
      .values({
        integration_id: integration.id,
        stream: 'vulnerabilities',
        trigger: 'schedule',
        heartbeat_at: new Date(Date.now() - 3 * 60_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // While it is "alive", nothing else runs.
    expect(await run(integration.id)).toEqual({ status: 'already_running' });
    expect(await sweepAbandonedRuns(services(), connectors)).toBe(1);
    const swept = await t.ctx.db.selectFrom('integration_runs').selectAll().where('id', '=', dead.id).executeTakeFirstOrThrow();
    expect(swept).toMatchObject({ status: 'failed', error_kind: 'abandoned' });
    expect(await logs(integration.id)).toEqual([
      expect.stringMatching(/^\[ERROR\] scripted: vulnerabilities run failed: Run interrupted: /),
    ]);
    expect((await read(integration.id)).streams[0].health).toBe('failing');

    let resumed: StreamRunContext | undefined;
    scripts.push(async (ctx) => {
      resumed = ctx;
      await ctx.remember(null);
    });
    expect(await run(integration.id)).toMatchObject({ status: 'succeeded' });
    expect(resumed?.inFlight).toEqual(inFlight);
    expect(resumed?.startedAt.toISOString()).toBe(inFlight.startedAt);
    expect((await streamOf(integration.id, 'vulnerabilities')).cursor?.toISOString()).toBe(inFlight.startedAt);
  });

  it('stops a running run when the integration is disabled', async () => {
    const integration = await createScripted('Disabled mid-run');
    let started!: () => void;
    const hasStarted = new Promise<void>((resolve) => (started = resolve));
    scripts.push(async (ctx) => {
      started();
      await ctx.sleep(60_000, ctx.signal);
    });
    const running = run(integration.id);
    await hasStarted;
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/api/integrations/${integration.id}`,
      payload: { enabled: false },
      headers: admin.writeHeaders,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().health).toBe('disabled');
    expect(await running).toMatchObject({ status: 'failed' });
    const [row] = await t.ctx.db.selectFrom('integration_runs').selectAll().where('integration_id', '=', integration.id).execute();
    expect(row).toMatchObject({ status: 'failed', error_kind: 'cancelled' });
    expect(await logs(integration.id)).toEqual([expect.stringMatching(/^\[ERROR\] scripted: vulnerabilities run failed: Run stopped: /)]);
    // A disabled integration does not run.
    expect(await run(integration.id)).toEqual({ status: 'skipped', reason: 'disabled' });
  });

  it('stops a run whose row another node ended (its heartbeat finds it no longer running)', async () => {
    const integration = await createScripted('Ended elsewhere');
    let started!: () => void;
    const hasStarted = new Promise<void>((resolve) => (started = resolve));
    scripts.push(async (ctx) => {
      started();
      await ctx.sleep(60_000, ctx.signal);
    });
    const running = runIntegrationStream(services(), connectors, integration.id, 'vulnerabilities', 'schedule', { heartbeatMs: 100 });
    await hasStarted;
    await t.ctx.db
      .updateTable('integration_runs')
      .set({ status: 'failed', error_kind: 'cancelled', error: 'Stopped on another node.', finished_at: new Date() })
      .where('integration_id', '=', integration.id)
      .execute();
    expect(await running).toMatchObject({ status: 'failed', errorKind: 'cancelled' });
    const [row] = await t.ctx.db.selectFrom('integration_runs').selectAll().where('integration_id', '=', integration.id).execute();
    expect(row).toMatchObject({ status: 'failed', error: 'Stopped on another node.' });
    // The node that ended it writes its line; this one adds none.
    expect(await logs(integration.id)).toEqual([]);
  });

  it('stores a chunk exactly once: a chunk id repeated in a run stores nothing the second time', async () => {
    const integration = await createScripted('Twice');
    scripts.push(async (ctx) => {
      await ctx.storeChunk(1, [normaliseJsonFinding(finding(500), 0)]);
      await ctx.storeChunk(1, [normaliseJsonFinding(finding(501), 0)]);
    });
    expect(await run(integration.id)).toMatchObject({ status: 'partial', errorKind: 'internal' });
    const artifacts = await t.ctx.db
      .selectFrom('signal_artifacts')
      .select('host_name')
      .where('integration_id', '=', integration.id)
      .execute();
    expect(artifacts.map((artifact) => artifact.host_name)).toEqual(['host-500.example.test']);
  });

  it("stores a chunk in batches, two at a time: each record once, one ledger row with the chunk's counts", async () => {
    const integration = await createScripted('Batches');
    const records = Array.from({ length: 11 }, (_, i) => normaliseJsonFinding(finding(600 + i), 0));
    // A fingerprint repeated inside the chunk is stored once, whichever batch it would have fallen in.
    const repeated = { ...normaliseJsonFinding(finding(600), 0), fingerprint: records[0]!.fingerprint };
    scripts.push(async (ctx) => {
      expect(await ctx.storeChunk(1, [...records, repeated])).toEqual({ stored: 11, duplicates: 1 });
    });
    const outcome = await runIntegrationStream(services(), connectors, integration.id, 'vulnerabilities', 'schedule', { storeBatch: 3 });
    expect(outcome).toMatchObject({ status: 'succeeded', fetched: 12 });
    const [runRow] = await t.ctx.db.selectFrom('integration_runs').selectAll().where('integration_id', '=', integration.id).execute();
    expect(runRow).toMatchObject({ fetched: 12, stored: 11, duplicates: 1, chunks_done: 1 });
    const chunks = await t.ctx.db.selectFrom('integration_run_chunks').selectAll().where('run_id', '=', runRow!.id).execute();
    expect(chunks.map((chunk) => [chunk.chunk_id, chunk.records, chunk.stored, chunk.duplicates])).toEqual([[1, 12, 11, 1]]);
    const artifacts = await t.ctx.db
      .selectFrom('signal_artifacts')
      .select('host_name')
      .where('integration_id', '=', integration.id)
      .orderBy('host_name')
      .execute();
    expect(artifacts.map((artifact) => artifact.host_name)).toEqual(records.map((_, i) => `host-${600 + i}.example.test`).sort());
  });

  it('stores nothing more of a chunk once the run was ended elsewhere', async () => {
    const integration = await createScripted('Ended before storing');
    scripts.push(async (ctx) => {
      await t.ctx.db
        .updateTable('integration_runs')
        .set({ status: 'failed', error_kind: 'cancelled', error: 'Stopped on another node.', finished_at: new Date() })
        .where('integration_id', '=', integration.id)
        .execute();
      await ctx.storeChunk(1, [normaliseJsonFinding(finding(700), 0), normaliseJsonFinding(finding(701), 0)]);
    });
    expect(
      await runIntegrationStream(services(), connectors, integration.id, 'vulnerabilities', 'schedule', { storeBatch: 1 }),
    ).toMatchObject({
      status: 'failed',
      errorKind: 'cancelled',
    });
    expect(await t.ctx.db.selectFrom('signal_artifacts').select('id').where('integration_id', '=', integration.id).execute()).toEqual([]);
  });

  it('deletes an integration that has fetched records: its artifacts stay, without it', async () => {
    const [integration] = await t.ctx.db.selectFrom('integrations').select('id').where('name', '=', 'Findings file').execute();
    const response = await t.app.inject({ method: 'DELETE', url: `/api/integrations/${integration!.id}`, headers: admin.writeHeaders });
    expect(response.statusCode).toBe(204);
    expect(await t.ctx.db.selectFrom('integration_runs').select('id').where('integration_id', '=', integration!.id).execute()).toEqual([]);
    const kept = await t.ctx.db
      .selectFrom('signal_artifacts')
      .select('integration_id')
      .where('integration_name', '=', 'Findings file')
      .execute();
    expect(kept).toHaveLength(150);
    expect(kept.every((artifact) => artifact.integration_id === null)).toBe(true);
  });

  it('never writes the secret to pino, the log lines or the audit log', async () => {
    const all = [
      ...pinoLines,
      JSON.stringify(await t.ctx.db.selectFrom('integration_logs').selectAll().execute()),
      JSON.stringify(await t.ctx.db.selectFrom('audit_events').selectAll().execute()),
      JSON.stringify(await t.ctx.db.selectFrom('integrations').selectAll().execute()),
    ].join('\n');
    expect(all).not.toContain(SECRET);
  });
});

describe('the run engine with the Tenable connector against a scripted fault server', () => {
  const ACCESS_KEY = 'ak-engine-0123456789abcdef0123456789abcdef0123456789abcdef01234567';
  const SECRET_KEY = 'sk-engine-fedcba9876543210fedcba9876543210fedcba9876543210fedcba98';
  const EXPORT_ID = '1a2b3c4d-0000-4000-8000-00000000e1e1';
  let t: TestApp;
  let admin: SignedIn;
  let server: FaultServer;
  const tenable = createTenableConnector({ requestTimeoutMs: 500 });
  const connectors = [tenable, jsonFileConnector];
  // Backoff waits pass at once; the engine still records them (the tile's amber).
  const instant = { sleep: async (_ms: number, signal?: AbortSignal) => signal?.throwIfAborted() };

  beforeAll(async () => {
    server = await startFaultServer();
    t = await buildIntegrationsTestApp({}, { connectors });
    admin = await signIn(t.app, (await createStaff(t.ctx, { role: 64 })).username);
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  const read = async (id: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/integrations/${id}`, headers: { cookie: admin.cookie } })).json();
  const lines = async (id: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/integrations/${id}/logs`, headers: { cookie: admin.cookie } }))
      .json<{ lines: { line: string }[] }>()
      .lines.map((line) => line.line);
  const run = (id: string) => runIntegrationStream(t.app.services, connectors, id, 'vulnerabilities', 'schedule', { environment: instant });
  const vuln = (n: number) => ({
    asset: { uuid: `b0000000-0000-4000-8000-${String(n).padStart(12, '0')}`, hostname: `tenable-host${n}`, ipv4: `10.9.0.${n}` },
    plugin: { id: 20_000 + n, name: `Plugin ${n}`, cve: ['CVE-2024-0001'] },
    port: { port: 443, protocol: 'tcp', service: 'www' },
    severity: 'high',
    severity_id: 3,
    state: 'OPEN',
    first_found: '2026-01-01T00:00:00Z',
    last_found: '2026-11-01T00:00:00.000Z',
  });

  it('is red with the authentication advice on 401, amber on repeated 429, green after a success', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/integrations',
      payload: {
        connector: 'signal-client.tenable',
        name: 'Fault source',
        values: { fqdn: server.url, accessKey: ACCESS_KEY, secretKey: SECRET_KEY },
        pollingIntervalMinutes: 30,
        enabled: true,
      },
      headers: admin.writeHeaders,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;

    server.route('POST', '/vulns/export', unauthorized());
    expect(await run(id)).toMatchObject({ status: 'failed', errorKind: 'auth' });
    const failing = await read(id);
    expect(failing.health).toBe('failing');
    expect(failing.streams[0]).toMatchObject({ health: 'failing', lastError: { kind: 'auth' } });
    expect((await lines(id))[0]).toMatch(/^\[ERROR\] tenable: vulnerabilities run failed: Authentication failed \(401\): /);

    server.reset();
    server.route('POST', '/vulns/export', tooManyRequests());
    expect(await run(id)).toMatchObject({ status: 'failed', errorKind: 'rate_limited' });
    const amber = await read(id);
    expect(amber.streams[0]).toMatchObject({ health: 'degraded', lastError: { kind: 'rate_limited' } });
    expect(amber.health).toBe('degraded');
    const afterRateLimit = await lines(id);
    expect(afterRateLimit[0]).toMatch(/^\[ERROR\] tenable: vulnerabilities run failed: Rate limited \(429\): /);
    expect(afterRateLimit.filter((line) => line.startsWith('[WARN] tenable: vulnerabilities backing off until'))).toHaveLength(5);

    server.reset();
    server.route('POST', '/vulns/export', tooManyRequests('1'), json({ export_uuid: EXPORT_ID }));
    server.route('GET', `/vulns/export/${EXPORT_ID}/status`, exportStatus('FINISHED', [1]));
    server.route('GET', `/vulns/export/${EXPORT_ID}/chunks/1`, json([vuln(1), vuln(2)]));
    expect(await run(id)).toMatchObject({ status: 'succeeded', fetched: 2 });
    const green = await read(id);
    expect(green.streams[0]).toMatchObject({ health: 'healthy', lastFetched: 2, backingOffUntil: null, lastError: null });
    expect((await lines(id))[0]).toBe('[INFO] tenable: fetched 2 vulnerabilities');
    expect(server.requestsTo('POST', '/vulns/export')[0]?.headers['user-agent']).toBe(USER_AGENT);

    const everything = JSON.stringify([
      await t.ctx.db.selectFrom('integration_logs').selectAll().execute(),
      await t.ctx.db.selectFrom('integration_runs').selectAll().execute(),
      await t.ctx.db.selectFrom('audit_events').selectAll().execute(),
    ]);
    expect(everything).not.toContain(ACCESS_KEY);
    expect(everything).not.toContain(SECRET_KEY);
  });
});
