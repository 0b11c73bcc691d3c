import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../test/build-test-app.js';
import { createStaff, signIn, type SignedIn } from '../../test/factories.js';
import { updateRetentionDays } from '../signals/signals.repository.js';
import { sweepIntegrationHistory } from './integrations.sweeper.js';
import { buildIntegrationsTestApp } from './test-app.js';

const DAY = 86_400_000;

describe('the integrations history sweeper', () => {
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await buildIntegrationsTestApp();
    admin = await signIn(t.app, (await createStaff(t.ctx, { role: 64 })).username);
  });
  afterAll(() => t.close());

  it("deletes runs, their chunk rows and log lines older than the Signals retention, keeping each stream's last finished and last successful run", async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/integrations',
      payload: {
        connector: 'test.json-file',
        name: 'History',
        values: { path: '/nowhere.json' },
        pollingIntervalMinutes: 10,
        enabled: false,
      },
      headers: admin.writeHeaders,
    });
    expect(created.statusCode, created.body).toBe(201);
    const integrationId = created.json<{ id: string }>().id;
    await updateRetentionDays(t.ctx.db, 30);
    const now = new Date();
    const run = async (label: string, status: 'succeeded' | 'failed' | 'running', ageDays: number) => {
      const startedAt = new Date(now.getTime() - ageDays * DAY);
      // Inserted running (as the engine does), then ended: one running run per stream at a time.
      const row = await t.ctx.db
        .insertInto('integration_runs')
        .values({ integration_id: integrationId, stream: 'records', trigger: 'schedule', started_at: startedAt, error: label })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (status !== 'running') {
        await t.ctx.db
          .updateTable('integration_runs')
          .set({ status, finished_at: new Date(startedAt.getTime() + 60_000) })
          .where('id', '=', row.id)
          .execute();
      }
      await t.ctx.db
        .insertInto('integration_run_chunks')
        .values({ run_id: row.id, chunk_id: 1, records: 1, stored: 1, duplicates: 0 })
        .execute();
      await t.ctx.db
        .insertInto('integration_logs')
        .values({ integration_id: integrationId, run_id: row.id, at: startedAt, level: 'INFO', message: label })
        .execute();
      return row.id;
    };
    await run('oldest success', 'succeeded', 50);
    await run('old success', 'succeeded', 45);
    const lastSuccess = await run('last success, old', 'succeeded', 40);
    await run('old failure', 'failed', 38);
    const lastFinished = await run('last finished, old failure', 'failed', 35);
    const alive = await run('alive for long', 'running', 31);

    const deleted = await sweepIntegrationHistory(t.ctx, now, 1);
    expect(deleted).toEqual({ runs: 3, logLines: 6 });
    const runs = await t.ctx.db.selectFrom('integration_runs').select(['id']).where('integration_id', '=', integrationId).execute();
    expect(runs.map((row) => row.id).sort()).toEqual([lastSuccess, lastFinished, alive].sort());
    const chunks = await t.ctx.db.selectFrom('integration_run_chunks').select('run_id').execute();
    expect(chunks.map((row) => row.run_id).sort()).toEqual([lastSuccess, lastFinished, alive].sort());

    // Once newer runs end, the old ones are no longer the last: they go too; newer ones stay.
    await t.ctx.db.updateTable('integration_runs').set({ status: 'failed', finished_at: now }).where('id', '=', alive).execute();
    const recent = await run('recent', 'succeeded', 2);
    expect(await sweepIntegrationHistory(t.ctx, now)).toEqual({ runs: 2, logLines: 0 });
    const left = await t.ctx.db.selectFrom('integration_runs').select(['id']).where('integration_id', '=', integrationId).execute();
    expect(left.map((row) => row.id).sort()).toEqual([alive, recent].sort());
    const detail = await t.app.inject({ method: 'GET', url: `/api/integrations/${integrationId}/logs`, headers: { cookie: admin.cookie } });
    expect(detail.json<{ lines: { line: string }[] }>().lines.map((entry) => entry.line)).toEqual(['[INFO] recent']);
  });
});
