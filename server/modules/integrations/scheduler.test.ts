import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../test/build-test-app.js';
import { createStaff, signIn, type SignedIn } from '../../test/factories.js';
import { databaseNow } from './integrations.repository.js';
import { runJob, startIntegrationWorker, tick } from './scheduler.js';
import { buildIntegrationsTestApp, TEST_CONNECTORS } from './test-app.js';

describe('the integrations scheduler', () => {
  let t: TestApp;
  let admin: SignedIn;
  let file: string;

  beforeAll(async () => {
    t = await buildIntegrationsTestApp();
    admin = await signIn(t.app, (await createStaff(t.ctx, { role: 64 })).username);
    file = path.join(t.dataDir, 'records.json');
    fs.writeFileSync(
      file,
      JSON.stringify([
        { host: 'a.example.test', pluginId: 1 },
        { host: 'b.example.test', pluginId: 2 },
      ]),
    );
  });
  afterAll(() => t.close());

  const create = async (name: string, enabled = true) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/integrations',
      payload: { connector: 'test.json-file', name, values: { path: file }, pollingIntervalMinutes: 10, enabled },
      headers: admin.writeHeaders,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string }>().id;
  };
  const streamOf = (id: string) =>
    t.ctx.db.selectFrom('integration_streams').selectAll().where('integration_id', '=', id).executeTakeFirstOrThrow();
  const waitFor = async (check: () => Promise<boolean>, what: string) => {
    const deadline = Date.now() + 40_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it('claims each due stream once, moves it one interval on, and skips disabled and backing-off ones', async () => {
    const due = await create('Due');
    const disabled = await create('Disabled', false);
    const backingOff = await create('Backing off');
    await t.ctx.db
      .updateTable('integration_streams')
      .set({ backoff_until: new Date(Date.now() + 60_000) })
      .where('integration_id', '=', backingOff)
      .execute();
    const claimed = await tick(t.app.services);
    expect(claimed).toEqual([{ integrationId: due, stream: 'records', trigger: 'schedule', requestedAt: expect.any(String) as string }]);
    const next = (await streamOf(due)).next_run_at!.getTime();
    expect(next).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect(next).toBeLessThanOrEqual(Date.now() + 10 * 60_000);
    expect(await tick(t.app.services)).toEqual([]);
    expect((await streamOf(disabled)).next_run_at).toBeNull();
  });

  it('runs queued jobs on the worker: scheduled runs and Poll Now', async () => {
    await startIntegrationWorker(t.app.services, TEST_CONNECTORS);
    const runsOf = (id: string) => t.ctx.db.selectFrom('integration_runs').selectAll().where('integration_id', '=', id).execute();
    const [due] = await t.ctx.db.selectFrom('integrations').select('id').where('name', '=', 'Due').execute();
    await waitFor(async () => (await runsOf(due!.id)).some((run) => run.status === 'succeeded'), 'the scheduled run');
    expect(await runsOf(due!.id)).toMatchObject([{ trigger: 'schedule', status: 'succeeded', fetched: 2 }]);

    const polled = await create('Polled', true);
    // Not yet ticked: Poll Now alone makes it run.
    const response = await t.app.inject({ method: 'POST', url: `/api/integrations/${polled}/poll-now`, headers: admin.writeHeaders });
    expect(response.json()).toEqual({ queued: ['records'] });
    await waitFor(async () => (await runsOf(polled)).some((run) => run.status === 'succeeded'), 'the polled run');
    expect(await runsOf(polled)).toMatchObject([{ trigger: 'poll_now', status: 'succeeded' }]);
    const status = await t.app.inject({ method: 'GET', url: `/api/integrations/${polled}`, headers: { cookie: admin.cookie } });
    expect(status.json()).toMatchObject({ health: 'healthy', streams: [{ lastFetched: 2, totalFetched: 2 }] });
  }, 90_000);

  it('skips a queued run once a run of its stream started after it was queued (Poll Now twice, or during a queued scheduled run)', async () => {
    const id = await create('Pressed twice');
    const runsOf = () => t.ctx.db.selectFrom('integration_runs').select(['trigger', 'status']).where('integration_id', '=', id).execute();
    const requestedAt = (await databaseNow(t.ctx.db)).toISOString();
    const job = { integrationId: id, stream: 'records', trigger: 'poll_now', requestedAt };
    expect(await runJob(t.app.services, TEST_CONNECTORS, job)).toMatchObject({ status: 'succeeded', fetched: 2 });
    // The same request again (the second press, queued before the first run started): covered.
    expect(await runJob(t.app.services, TEST_CONNECTORS, job)).toEqual({ status: 'skipped', reason: 'covered' });
    expect(await runJob(t.app.services, TEST_CONNECTORS, { ...job, trigger: 'schedule' })).toEqual({
      status: 'skipped',
      reason: 'covered',
    });
    expect(await runsOf()).toEqual([{ trigger: 'poll_now', status: 'succeeded' }]);
    // Asked for after that run started: it runs.
    const later = { ...job, requestedAt: (await databaseNow(t.ctx.db)).toISOString() };
    expect(await runJob(t.app.services, TEST_CONNECTORS, later)).toMatchObject({ status: 'succeeded' });
    // A job queued before requestedAt existed (none given) still runs.
    const { requestedAt: _none, ...legacy } = job;
    expect(await runJob(t.app.services, TEST_CONNECTORS, legacy)).toMatchObject({ status: 'succeeded' });
    expect(await runsOf()).toHaveLength(3);
    // A malformed requestedAt is not a job.
    expect(await runJob(t.app.services, TEST_CONNECTORS, { ...job, requestedAt: 'yesterday' })).toBeNull();
  });
});
