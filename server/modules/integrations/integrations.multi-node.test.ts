import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestApp } from '../../test/build-test-app.js';
import { createStaff } from '../../test/factories.js';
import type { ConnectorDefinition } from './connector.js';
import { jsonFileConnector } from './connectors/json-file/json-file-connector.js';
import { createIntegration } from './integrations.service.js';
import { runIntegrationStream } from './runs.js';
import { startIntegrationScheduler, tick } from './scheduler.js';
import { buildIntegrationsTestApp, TEST_CONNECTORS } from './test-app.js';

const SHARED_SECRETS = { SESSION_SECRET: 'shared-session-secret-for-two-nodes-0123456789', MASTER_KEY: 'cd'.repeat(32) };

/** A stream that takes a while, so two nodes' runs of it would overlap. */
const slowConnector: ConnectorDefinition = {
  ...jsonFileConnector,
  id: 'test.slow',
  async runStream(ctx) {
    await ctx.sleep(700, ctx.signal);
  },
};
const CONNECTORS = [...TEST_CONNECTORS, slowConnector];

// Two nodes need one PostgreSQL; PGlite is single-process.
describe.skipIf(!process.env.DATABASE_URL)('integrations on two nodes against one PostgreSQL', () => {
  let nodeA: TestApp;
  let nodeB: TestApp;
  let dropDatabase: () => Promise<void>;
  let file: string;
  let adminId: string;
  const stops: (() => void)[] = [];

  beforeAll(async () => {
    const shared = await createTestDatabase();
    dropDatabase = shared.drop;
    nodeA = await buildIntegrationsTestApp(SHARED_SECRETS, { database: shared.database, connectors: CONNECTORS });
    nodeB = await buildIntegrationsTestApp(SHARED_SECRETS, { database: shared.database, connectors: CONNECTORS });
    file = path.join(nodeA.dataDir, 'records.json');
    fs.writeFileSync(file, JSON.stringify([{ host: 'a.example.test', pluginId: 1 }]));
    adminId = (await createStaff(nodeA.ctx, { role: 64 })).id;
  });
  afterAll(async () => {
    for (const stop of stops) stop();
    await nodeA.close();
    await nodeB.close();
    await dropDatabase();
  });

  const actorCtx = (node: TestApp) => ({
    ...node.ctx,
    actor: {
      userId: adminId,
      username: 'admin',
      kind: 'staff' as const,
      role: 64 as const,
      isSupportAgent: false,
      canManageCases: false,
      isPrimaryContact: false,
      assignedAccountIds: [],
    },
  });
  const createMany = async (prefix: string, count: number, connector = 'test.json-file') => {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const created = await createIntegration(actorCtx(nodeA), CONNECTORS, {
        connector,
        name: `${prefix} ${index}`,
        values: { path: file },
        pollingIntervalMinutes: 60,
        streamIntervals: {},
        enabled: true,
        targetAccountId: null,
      });
      ids.push(created.id);
    }
    return ids;
  };
  const runsOf = (ids: string[]) =>
    nodeA.ctx.db.selectFrom('integration_runs').select(['integration_id', 'status']).where('integration_id', 'in', ids).execute();

  it('claims each due stream on exactly one node when both tick at the same time', async () => {
    const ids = await createMany('Tick', 30);
    const claims = [];
    for (let round = 0; round < 3; round += 1)
      claims.push(...(await Promise.all([tick(nodeA.app.services), tick(nodeB.app.services)])).flat());
    const claimed = claims.map((claim) => claim.integrationId).filter((id) => ids.includes(id));
    expect(claimed).toHaveLength(30);
    expect(new Set(claimed).size).toBe(30);
  });

  it('never runs one stream on both nodes at once', async () => {
    const [id] = await createMany('Slow', 1, 'test.slow');
    const outcomes = await Promise.all([
      runIntegrationStream(nodeA.app.services, CONNECTORS, id!, 'records', 'schedule'),
      runIntegrationStream(nodeB.app.services, CONNECTORS, id!, 'records', 'poll_now'),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['already_running', 'succeeded']);
    expect(await runsOf([id!])).toHaveLength(1);
  });

  it('runs each scheduled run exactly once with both schedulers and workers running', async () => {
    // The integrations of the first test were claimed but never run: they are not due again for an hour.
    const ids = await createMany('Scheduled', 12);
    stops.push(await startIntegrationScheduler(nodeA.app.services, CONNECTORS, 1));
    stops.push(await startIntegrationScheduler(nodeB.app.services, CONNECTORS, 1));
    const deadline = Date.now() + 60_000;
    while ((await runsOf(ids)).filter((run) => run.status === 'succeeded').length < ids.length) {
      if (Date.now() > deadline) throw new Error('the scheduled runs did not finish');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // A few more ticks on both nodes change nothing: the next runs are an interval away.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const runs = await runsOf(ids);
    expect(runs).toHaveLength(ids.length);
    expect(new Set(runs.map((run) => run.integration_id)).size).toBe(ids.length);
    expect(runs.every((run) => run.status === 'succeeded')).toBe(true);
  }, 90_000);
});
