import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTORS } from '../server/modules/integrations/connectors/index.js';
import { runIntegrationStream } from '../server/modules/integrations/runs.js';
import { buildTestApp, type TestApp } from '../server/test/build-test-app.js';
import { createAccount, createContact, createStaff } from '../server/test/factories.js';
import { importFixture } from '../server/test/instance-api.js';
import { seedDemoIntegration } from './demo-integration.js';

// The demo's integration reads a demo account through Bulwark's own Tenable API, over real HTTP
// on loopback: created as the service creates any, and its first run fetches that account's findings.
const FIXTURE =
  'nessus/tenable__Tenable.io-SDK-for-Python__TestExamples.test_workbench.yaml__i02__GET_workbenches_export_ID_download.nessus';

describe('the demo integration', () => {
  let t: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    t = await buildTestApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  const services = () => ({ ...t.app.services, origin: { ip: null, userAgent: 'npm run demo' } });

  it("uses the API keys of the account's highest-role contact, seals them, and its first run fetches the account's findings", async () => {
    const administrator = await createStaff(t.ctx, { role: 64, username: 'demo-admin@mssp.example' });
    const account = await createAccount(t.ctx, { name: 'Demo Source Inc' });
    await createContact(t.ctx, account.id, { role: 16, username: 'a-basic@source.example' });
    const owner = await createContact(t.ctx, account.id, { role: 32, username: 'z-standard@source.example' });
    await importFixture(t.ctx, account.id, FIXTURE);

    const summary = await seedDemoIntegration(services(), { accountId: account.id, accountName: account.name, baseUrl });
    expect(summary).toMatchObject({ name: 'Tenable: Demo Source Inc', keyOwner: owner.username, baseUrl });

    const integration = await t.ctx.db
      .selectFrom('integrations')
      .selectAll()
      .where('id', '=', summary!.integrationId)
      .executeTakeFirstOrThrow();
    expect(integration).toMatchObject({ enabled: true, target_account_id: null, owner_user_id: administrator.id });
    const keys = await t.ctx.db.selectFrom('api_keys').select('access_key').where('user_id', '=', owner.id).executeTakeFirstOrThrow();
    // The access key is a setting's secret like the secret key: neither is stored in clear.
    expect(JSON.stringify(integration)).not.toContain(keys.access_key);
    const streams = await t.ctx.db
      .selectFrom('integration_streams')
      .select(['stream', 'next_run_at'])
      .where('integration_id', '=', integration.id)
      .execute();
    expect(streams.map((stream) => stream.stream).sort()).toEqual(['assets', 'vulnerabilities']);
    expect(streams.every((stream) => stream.next_run_at !== null)).toBe(true);
    const audited = await t.ctx.db.selectFrom('audit_events').select(['action', 'actor_user_id']).execute();
    expect(audited).toContainEqual({ action: 'integration.created', actor_user_id: administrator.id });
    expect(audited).toContainEqual({ action: 'api_keys.generated', actor_user_id: administrator.id });

    const run = await runIntegrationStream(t.app.services, CONNECTORS, integration.id, 'vulnerabilities', 'schedule');
    const findings = await t.ctx.db.selectFrom('findings').select('id').where('account_id', '=', account.id).execute();
    expect(findings.length).toBeGreaterThan(0);
    expect(run).toMatchObject({ status: 'succeeded', fetched: findings.length });
    const signals = await t.ctx.db.selectFrom('signal_artifacts').select('id').where('integration_id', '=', integration.id).execute();
    expect(signals).toHaveLength(findings.length);
  });

  it('creates nothing for an account without a contact allowed to use the API', async () => {
    const account = await createAccount(t.ctx, { name: 'No Keys Ltd' });
    await createContact(t.ctx, account.id, { role: 16, username: 'basic-only@nokeys.example' });
    expect(await seedDemoIntegration(services(), { accountId: account.id, accountName: account.name, baseUrl })).toBeNull();
    expect(await t.ctx.db.selectFrom('integrations').select('id').where('name', '=', 'Tenable: No Keys Ltd').execute()).toEqual([]);
  });
});
