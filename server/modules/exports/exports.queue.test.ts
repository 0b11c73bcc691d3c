import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createInstanceCaller, importFixture, type InstanceCaller } from '../../test/instance-api.js';
import { startExportWorker } from './export-jobs.js';
import { fingerprintOf } from './export-filters.js';
import { walkLikeElastic, walkLikePyTenable } from './export-test-clients.js';
import { insertExportJob } from './exports.repository.js';
import { EXPORT_RETRY_AFTER_SECONDS } from './exports.service.js';

// Every export goes through the queue here (EXPORT_INLINE_MAX_ROWS=0) and an instance may run two
// at once: the paths of large exports, the identical-export 409 and the concurrency 429.
const FIXTURE = 'nessus/tenable__pyTenable__test_workbench_export_plugin_id.yaml__i03__GET_workbenches_export_ID_download.nessus';

let t: TestApp;
let a: InstanceCaller;
let stopWorker: (() => void) | null = null;

beforeAll(async () => {
  t = await buildTestApp({ EXPORT_INLINE_MAX_ROWS: '0', EXPORTS_MAX_CONCURRENT: '2' });
  a = await createInstanceCaller(t, { role: 32 });
  await importFixture(t.ctx, a.accountId, FIXTURE);
}, 120_000);

afterAll(async () => {
  stopWorker?.();
  await t?.close();
});

const post = (url: string, payload?: unknown) =>
  t.app.inject({ method: 'POST', url, headers: a.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: a.headers });
const idOf = (body: string) => (JSON.parse(body) as { export_uuid: string }).export_uuid;

describe('exports written by the background worker', () => {
  it('a queued export lists no chunk yet, refuses a chunk not ready with 400, and cancels', async () => {
    const created = await post('/vulns/export', { num_assets: 50, filters: { severity: ['info'] } });
    const exportId = idOf(created.body);
    expect(JSON.parse((await get(`/vulns/export/${exportId}/status`)).body)).toMatchObject({ status: 'QUEUED', chunks_available: [] });
    const early = await get(`/vulns/export/${exportId}/chunks/1`);
    expect(early.statusCode).toBe(400);
    expect(JSON.parse(early.body)).toEqual({ error: 'Chunk 1 is not ready yet' });
    const cancelled = await post(`/vulns/export/${exportId}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.headers['content-type']).toContain('application/json');
    expect(JSON.parse(cancelled.body)).toEqual({ status: 'CANCELLED' });
    expect(JSON.parse((await post(`/vulns/export/${exportId}/cancel`)).body)).toEqual({ status: 'CANCELLED' });
    const audited = await t.ctx.db.selectFrom('audit_events').select('target_id').where('action', '=', 'exports.cancelled').execute();
    expect(audited.map((event) => event.target_id)).toEqual([exportId]);
  });

  it('an identical running export answers 409 with its id, which pyTenable adopts', async () => {
    const body = { num_assets: 50, include_unlicensed: true, filters: { state: ['open'] } };
    const first = idOf((await post('/vulns/export', body)).body);
    const second = await post('/vulns/export', body);
    expect(second.statusCode).toBe(409);
    expect(JSON.parse(second.body)).toEqual({
      active_job_id: first,
      failure_reason: 'The request could not be completed due to a conflict with the ongoing export',
    });
    stopWorker = await startExportWorker(t.app.services);
    const walk = await walkLikePyTenable(t.app, a.headers, 'vulns', body, { pollScale: 0.25 });
    expect(walk.exportId).toBe(first);
    expect(walk.requests[0]).toBe('POST /vulns/export -> 409');
    const open = await t.ctx.db
      .selectFrom('findings')
      .select('id')
      .where('account_id', '=', a.accountId)
      .where('state', '=', 'OPEN')
      .execute();
    expect(walk.records).toHaveLength(open.length);
  }, 60_000);

  it('over the concurrency limit answers 429 with an integer Retry-After, and pyTenable retries after it', async () => {
    // Two running exports fill this instance (written as queued jobs no worker will take).
    const running: string[] = [];
    for (const created_at of [1, 2]) {
      const filters = { created_at };
      running.push(
        await insertExportJob(t.ctx.db, {
          accountId: a.accountId,
          type: 'assets',
          format: 'v1',
          filters,
          chunkSize: 100,
          fingerprint: fingerprintOf('assets', 'v1', 100, filters),
          requestedBy: null,
        }),
      );
    }
    const refused = await post('/vulns/export', { filters: {} });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe(String(EXPORT_RETRY_AFTER_SECONDS));
    expect(await t.ctx.db.selectFrom('export_jobs').select('id').where('status', 'in', ['QUEUED', 'PROCESSING']).execute()).toHaveLength(2);
    // pyTenable sleeps Retry-After seconds and sends again; one export is cancelled meanwhile.
    const walk = await walkLikePyTenable(
      t.app,
      a.headers,
      'vulns',
      { filters: {} },
      { pollScale: 0.25, whileWaiting: () => post(`/assets/export/${running[0]}/cancel`) },
    );
    expect(walk.requests.slice(0, 2)).toEqual(['POST /vulns/export -> 429', 'POST /vulns/export -> 200']);
    const open = await t.ctx.db.selectFrom('findings').select('id').where('account_id', '=', a.accountId).execute();
    expect(walk.records).toHaveLength(open.length);
  }, 60_000);

  it('Elastic waits for FINISHED before downloading, and cancels after its status timeout', async () => {
    const walk = await walkLikeElastic(
      t.app,
      a.headers,
      { num_assets: 50, filters: { since: 0, state: ['open', 'reopened', 'fixed'] } },
      { pollMs: 500 },
    );
    expect(walk.records.length).toBeGreaterThan(0);
    const downloads = walk.requests.filter((line) => line.includes('/chunks/'));
    const lastStatus = walk.requests.map((line) => line.includes('/status')).lastIndexOf(true);
    expect(walk.requests.indexOf(downloads[0] ?? '')).toBeGreaterThan(lastStatus);
    const timedOut = await walkLikeElastic(t.app, a.headers, { num_assets: 51, filters: {} }, { statusTimeoutPolls: 1 });
    expect(timedOut.requests.at(-1)).toMatch(/cancel -> 200$/);
  }, 60_000);
});
