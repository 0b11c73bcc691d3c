import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/build-test-app.js';
import { createInstanceCaller, importFixture, type InstanceCaller } from '../../../../test/instance-api.js';
import type { AssetRecord, FindingRecord } from '../../connector.js';
import { createFakeRunContext } from './fake-run-context.js';
import { tenableConnector } from './tenable-connector.js';

// Bulwark's own Tenable-compatible API as a real source, over real HTTP on loopback: an instance
// with real .nessus fixtures (42 hosts x 1 finding, 4 hosts x 30 findings), read back through the
// connector, must give every finding and asset of the instance, once.
const MANY_HOSTS = 'nessus/tenable__pyTenable__test_workbench_export_plugin_id.yaml__i03__GET_workbenches_export_ID_download.nessus';
const SEVERITIES =
  'nessus/tenable__Tenable.io-SDK-for-Python__TestExamples.test_workbench.yaml__i02__GET_workbenches_export_ID_download.nessus';
const KNOWN_PLUGIN = 97_509; // RHEL 7 : kernel (RHSA-2017:0386)
const KNOWN_CVE = 'CVE-2016-8655';

let t: TestApp;
let caller: InstanceCaller;
let baseUrl: string;
let keys: { accessKey: string; secretKey: string };

beforeAll(async () => {
  t = await buildTestApp();
  caller = await createInstanceCaller(t, { role: 32 });
  for (const fixture of [MANY_HOSTS, SEVERITIES]) await importFixture(t.ctx, caller.accountId, fixture);
  // One finding fixed, so FIXED records must come too.
  const first = await t.ctx.db
    .selectFrom('findings')
    .select('id')
    .where('account_id', '=', caller.accountId)
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  await t.ctx.db
    .updateTable('findings')
    .set({ state: 'FIXED', last_fixed: new Date('2025-01-10T00:00:00Z') })
    .where('id', '=', first.id)
    .execute();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const match = /accessKey=([^;]+); secretKey=(.+)$/.exec(caller.apiKeys)!;
  keys = { accessKey: match[1]!, secretKey: match[2]! };
}, 120_000);

afterAll(async () => {
  await t?.close();
});

function values() {
  return { fqdn: baseUrl, accessKey: keys.accessKey, secretKey: keys.secretKey, caCertificate: '' };
}

async function runStream(stream: 'vulnerabilities' | 'assets', cursor: Date | null = null) {
  const fake = createFakeRunContext({ values: values(), stream, cursor, startedAt: new Date() });
  await tenableConnector.runStream(fake.ctx);
  for (const line of fake.logs) expect(line).not.toContain(keys.secretKey);
  return fake;
}

describe('Bulwark as the source', () => {
  it('Test Connection names the key owner', async () => {
    const fake = createFakeRunContext({ values: values(), stream: 'vulnerabilities' });
    await expect(tenableConnector.testConnection({ ...fake.ctx, values: values(), signal: fake.ctx.signal })).resolves.toEqual({
      message: `Connected as ${caller.username}`,
    });
  });

  it('fetches every finding of the instance once, FIXED included, with the known plugin and CVE', async () => {
    const fake = await runStream('vulnerabilities');
    const records = fake.stored.flatMap((chunk) => chunk.records) as FindingRecord[];
    expect(new Set(fake.stored.map((chunk) => chunk.chunkId)).size).toBe(fake.stored.length);
    expect(fake.remembered.at(-1)).toBeNull();

    const rows = await t.ctx.db
      .selectFrom('findings')
      .select(['asset_id', 'plugin_id', 'port', 'protocol', 'state'])
      .where('account_id', '=', caller.accountId)
      .execute();
    expect(rows.length).toBe(72);
    expect(records).toHaveLength(rows.length);
    const keyOf = (assetId: string, pluginId: number, port: number, protocol: string, state: string) =>
      `${assetId}|${pluginId}|${port}|${protocol.toUpperCase()}|${state}`;
    expect(
      records.map((record) => keyOf(record.asset.sourceId!, record.plugin.id, record.port, record.protocol, record.state)).sort(),
    ).toEqual(rows.map((row) => keyOf(row.asset_id, row.plugin_id, row.port, row.protocol, row.state)).sort());
    expect(new Set(records.map((record) => record.fingerprint)).size).toBe(records.length);
    expect(records.filter((record) => record.state === 'FIXED')).toHaveLength(1);

    const known = records.filter((record) => record.plugin.id === KNOWN_PLUGIN);
    expect(known.length).toBe(rows.filter((row) => row.plugin_id === KNOWN_PLUGIN).length);
    expect(known.length).toBeGreaterThan(0);
    expect(known[0]!.plugin.cve).toContain(KNOWN_CVE);
    expect(known[0]!.plugin.name).toBe('RHEL 7 : kernel (RHSA-2017:0386)');
    expect(known[0]!.severity).toBe('high');
  });

  it('a second run from the first run’s cursor brings nothing new: every record it sees has a fingerprint already stored', async () => {
    const first = await runStream('vulnerabilities');
    const seen = new Set(first.stored.flatMap((chunk) => chunk.records.map((record) => record.fingerprint)));
    const second = await runStream('vulnerabilities', first.ctx.startedAt);
    for (const record of second.stored.flatMap((chunk) => chunk.records)) expect(seen.has(record.fingerprint)).toBe(true);
  });

  it('fetches every asset of the instance', async () => {
    const fake = await runStream('assets');
    const records = fake.stored.flatMap((chunk) => chunk.records) as AssetRecord[];
    const rows = await t.ctx.db.selectFrom('assets').select(['id', 'ipv4', 'fqdn']).where('account_id', '=', caller.accountId).execute();
    expect(rows.length).toBe(46);
    expect(records.map((record) => record.asset.sourceId).sort()).toEqual(rows.map((row) => row.id).sort());
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const record of records) {
      expect(record.asset.ipv4).toBe(byId.get(record.asset.sourceId!)!.ipv4);
      expect(record.updatedAt).not.toBeNull();
    }
  });
});
