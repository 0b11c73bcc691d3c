import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListAssetsQuery, ListFindingsQuery } from '../../../common/schemas/instances.js';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createAccount } from '../../test/factories.js';
import { createInstanceCaller, importFixture } from '../../test/instance-api.js';
import { getFinding, getPlugin, listAssets, listFindings } from '../instances/instances.service.js';
import type { AssetRecord, ConnectorRecord, FindingRecord, RecordAsset, RecordPlugin } from './connector.js';
import { mergeFinding, mergeIntoInstance, reportedDatesOf, type ReportedFinding } from './instance-merge.js';

// The merge of an integration's records into its target account's instance, on a real database,
// checked through the instance's own services and its Tenable-compatible API.

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const observedAt = new Date('2026-11-20T12:00:00.000Z');
const source = { integrationName: 'Tenable EU', observedAt };

function host(overrides: Partial<RecordAsset>): RecordAsset {
  return {
    sourceId: null,
    hostName: null,
    fqdn: null,
    netbiosName: null,
    ipv4: null,
    ipv6: null,
    agentUuid: null,
    macAddress: null,
    operatingSystem: null,
    ...overrides,
  };
}

function plugin(id: number, overrides: Partial<RecordPlugin> = {}): RecordPlugin {
  return {
    id,
    name: `Plugin ${id}`,
    family: 'General',
    synopsis: `Synopsis of ${id}`,
    description: `Description of ${id}`,
    solution: 'Upgrade.',
    riskFactor: 'High',
    pluginType: 'remote',
    cvssBaseScore: null,
    cvssVector: null,
    cvss3BaseScore: 7.5,
    cvss3Vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
    cve: [`CVE-2026-${id}`],
    seeAlso: [],
    exploitAvailable: null,
    publicationDate: '2026-01-01',
    modificationDate: '2026-01-02T00:00:00Z',
    ...overrides,
  };
}

function finding(
  asset: RecordAsset,
  pluginId: number,
  options: Partial<Omit<FindingRecord, 'kind' | 'asset' | 'plugin'>> & { plugin?: Partial<RecordPlugin> } = {},
): FindingRecord {
  const { plugin: pluginOverrides, ...rest } = options;
  return {
    kind: 'finding',
    fingerprint: crypto.randomBytes(32).toString('hex'),
    severity: 'high',
    severityId: 3,
    state: 'OPEN',
    asset,
    plugin: plugin(pluginId, pluginOverrides),
    port: 443,
    protocol: 'TCP',
    service: 'www',
    output: `Output of ${pluginId}`,
    firstFound: '2026-11-01T10:00:00.000Z',
    lastFound: '2026-11-01T10:00:00.000Z',
    lastFixed: null,
    raw: {},
    ...rest,
  };
}

function assetRecord(asset: RecordAsset, lastSeen: string, firstSeen = lastSeen): AssetRecord {
  return {
    kind: 'asset',
    fingerprint: crypto.randomBytes(32).toString('hex'),
    asset,
    updatedAt: lastSeen,
    firstSeen,
    lastSeen,
    raw: {},
  };
}

function merge(accountId: string, records: ConnectorRecord[], at = source) {
  return t.ctx.db.transaction().execute((trx) => mergeIntoInstance(trx, accountId, records, at));
}

async function countsOf(accountId: string) {
  const count = async (table: 'assets' | 'findings' | 'finding_events' | 'plugins') => {
    const row = await t.ctx.db
      .selectFrom(table)
      .select(sql<number>`count(*)::int`.as('count'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    return row.count;
  };
  return {
    assets: await count('assets'),
    findings: await count('findings'),
    events: await count('finding_events'),
    plugins: await count('plugins'),
  };
}

async function directoryVersion(): Promise<number> {
  const row = await sql<{ version: number }>`select version::int as version from account_directory_version where id = 1`.execute(t.ctx.db);
  return row.rows[0]?.version ?? 0;
}

const findingsOf = async (accountId: string) => (await listFindings(t.ctx, accountId, ListFindingsQuery.parse({ sort: 'plugin' }))).items;
const assetsOf = async (accountId: string) => (await listAssets(t.ctx, accountId, ListAssetsQuery.parse({ pageSize: 200 }))).items;

const hostA = host({ hostName: 'web01', fqdn: 'Web01.Example.com', ipv4: '10.1.0.1', operatingSystem: 'Linux', sourceId: 'a-1' });
const hostB = host({ hostName: '10.1.0.2', ipv4: '10.1.0.2', sourceId: 'b-1' });

describe('merging fetched records into an instance', () => {
  it('creates assets, plugins and findings that the instance pages and its API show, and changes nothing the second time', async () => {
    const caller = await createInstanceCaller(t, { role: 64 });
    const versionBefore = await directoryVersion();
    const records = [
      finding(hostA, 1001, { port: 443 }),
      finding(hostA, 1002, { port: 0, severityId: 4, severity: 'critical' }),
      finding(hostB, 1001, {
        port: 80,
        state: 'FIXED',
        firstFound: '2026-10-01T00:00:00.000Z',
        lastFound: '2026-10-05T00:00:00.000Z',
        lastFixed: '2026-10-10T00:00:00.000Z',
      }),
    ];
    const result = await merge(caller.accountId, records);
    expect(result).toEqual({ assetsCreated: 2, assetsUpdated: 0, findingsCreated: 3, findingsUpdated: 0 });
    expect(await directoryVersion()).toBe(versionBefore + 1);

    const assets = await assetsOf(caller.accountId);
    expect(assets.map((asset) => [asset.fqdn, asset.ipv4]).sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
      ['web01.example.com', '10.1.0.1'],
      [null, '10.1.0.2'],
    ]);
    const findings = await findingsOf(caller.accountId);
    expect(findings.map((item) => [item.pluginId, item.port, item.protocol, item.state, item.severity])).toEqual(
      expect.arrayContaining([
        [1001, 443, 'tcp', 'OPEN', 3],
        [1002, 0, 'tcp', 'OPEN', 4],
        [1001, 80, 'tcp', 'FIXED', 3],
      ]),
    );
    // A FIXED finding the instance never had is created as history: found, then fixed.
    const fixed = findings.find((item) => item.state === 'FIXED');
    const detail = await getFinding(t.ctx, caller.accountId, fixed?.id as string);
    expect(detail.firstFound).toBe('2026-10-01T00:00:00.000Z');
    expect(detail.lastFixed).toBe('2026-10-10T00:00:00.000Z');
    expect(detail.output).toBe('Output of 1001');
    expect(detail.history.map((event) => [event.at, event.fromState, event.toState])).toEqual([
      ['2026-10-01T00:00:00.000Z', null, 'OPEN'],
      ['2026-10-10T00:00:00.000Z', 'OPEN', 'FIXED'],
    ]);
    const pluginDetail = await getPlugin(t.ctx, caller.accountId, 1001);
    expect(pluginDetail).toMatchObject({ name: 'Plugin 1001', cve: ['CVE-2026-1001'], modificationDate: '2026-01-02' });

    // The Tenable-compatible API of the instance shows them.
    const assetA = assets.find((asset) => asset.ipv4 === '10.1.0.1');
    const response = await t.app.inject({
      method: 'GET',
      url: `/workbenches/assets/${assetA?.id}/vulnerabilities`,
      headers: caller.headers,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ vulnerabilities: { plugin_id: number }[] }>();
    expect(body.vulnerabilities.map((vulnerability) => vulnerability.plugin_id).sort()).toEqual([1001, 1002]);

    // The same records again (another fetch of the same data): nothing changes.
    const before = await countsOf(caller.accountId);
    const again = await merge(
      caller.accountId,
      records.map((record) => ({ ...record, fingerprint: crypto.randomBytes(32).toString('hex') })),
    );
    expect(again).toEqual({ assetsCreated: 0, assetsUpdated: 0, findingsCreated: 0, findingsUpdated: 0 });
    expect(await countsOf(caller.accountId)).toEqual(before);
    expect(before).toEqual({ assets: 2, findings: 3, events: 4, plugins: 2 });
    expect(await directoryVersion()).toBe(versionBefore + 1);
  });

  it('puts a host an earlier Nessus import created on that asset, by FQDN or by address', async () => {
    const account = await createAccount(t.ctx, { name: 'Imported First Ltd' });
    await importFixture(
      t.ctx,
      account.id,
      'nessus/tenable__Tenable.io-SDK-for-Python__TestExamples.test_workbench.yaml__i02__GET_workbenches_export_ID_download.nessus',
    );
    const imported = await assetsOf(account.id);
    expect(imported).toHaveLength(4);
    const byFqdn = imported.find((asset) => asset.fqdn === 'target2.pubtarg.tenablesecurity.com');
    const byAddress = imported.find((asset) => asset.ipv4 === '10.10.10.1');
    expect(byFqdn).toBeDefined();
    expect(byAddress).toBeDefined();
    const importedFinding = (await findingsOf(account.id)).find((item) => item.assetId === byAddress?.id);
    expect(importedFinding?.state).toBe('OPEN');
    const before = await countsOf(account.id);

    const later = '2030-01-01T00:00:00.000Z';
    const result = await merge(account.id, [
      // Same FQDN at a new address (DHCP): the same asset, its address updated.
      finding(
        host({ hostName: 'target2.pubtarg.tenablesecurity.com', fqdn: 'TARGET2.pubtarg.tenablesecurity.com.', ipv4: '52.37.129.250' }),
        990001,
        {
          firstFound: later,
          lastFound: later,
        },
      ),
      // The imported finding on 10.10.10.1, now fixed.
      finding(host({ hostName: '10.10.10.1', ipv4: '10.10.10.1' }), importedFinding?.pluginId as number, {
        port: importedFinding?.port,
        protocol: (importedFinding?.protocol as string).toUpperCase(),
        state: 'FIXED',
        firstFound: '2017-01-01T00:00:00.000Z',
        lastFound: '2017-01-01T00:00:00.000Z',
        lastFixed: later,
      }),
    ]);
    expect(result).toEqual({ assetsCreated: 0, assetsUpdated: 2, findingsCreated: 1, findingsUpdated: 1 });
    const after = await assetsOf(account.id);
    expect(after).toHaveLength(4);
    expect(after.find((asset) => asset.id === byFqdn?.id)?.ipv4).toBe('52.37.129.250');
    expect(after.find((asset) => asset.id === byFqdn?.id)?.lastSeen).toBe(later);
    const fixed = await getFinding(t.ctx, account.id, importedFinding?.id as string);
    expect(fixed.state).toBe('FIXED');
    expect(fixed.lastFixed).toBe(later);
    expect(fixed.firstFound).toBe('2017-01-01T00:00:00.000Z');
    expect(fixed.history.map((event) => [event.fromState, event.toState])).toEqual([
      [null, 'OPEN'],
      ['OPEN', 'FIXED'],
    ]);
    expect(await countsOf(account.id)).toEqual({
      ...before,
      findings: before.findings + 1,
      events: before.events + 2,
      plugins: before.plugins + 1,
    });
  });

  it('follows a finding from OPEN to FIXED to REOPENED, and never back in time', async () => {
    const account = await createAccount(t.ctx);
    const at = (day: string) => `2026-${day}T00:00:00.000Z`;
    const open = finding(hostA, 2001, { firstFound: at('01-01'), lastFound: at('01-01') });
    expect(await merge(account.id, [open])).toMatchObject({ findingsCreated: 1 });
    const [created] = await findingsOf(account.id);
    const id = created?.id as string;

    const fixedRecord = finding(hostA, 2001, { state: 'FIXED', firstFound: at('01-01'), lastFound: at('01-01'), lastFixed: at('02-01') });
    expect(await merge(account.id, [fixedRecord])).toMatchObject({ findingsCreated: 0, findingsUpdated: 1 });
    expect(await getFinding(t.ctx, account.id, id)).toMatchObject({ state: 'FIXED', lastFixed: at('02-01'), lastFound: at('01-01') });

    const reopened = finding(hostA, 2001, {
      state: 'REOPENED',
      severityId: 4,
      output: 'Back again',
      firstFound: at('01-01'),
      lastFound: at('03-01'),
      lastFixed: at('02-01'),
    });
    expect(await merge(account.id, [reopened])).toMatchObject({ findingsUpdated: 1 });
    const detail = await getFinding(t.ctx, account.id, id);
    expect(detail).toMatchObject({
      state: 'REOPENED',
      severity: 4,
      output: 'Back again',
      firstFound: at('01-01'),
      lastFound: at('03-01'),
      lastFixed: at('02-01'),
      resurfacedAt: at('03-01'),
    });
    expect(detail.history.map((event) => [event.at, event.fromState, event.toState])).toEqual([
      [at('01-01'), null, 'OPEN'],
      [at('02-01'), 'OPEN', 'FIXED'],
      [at('03-01'), 'FIXED', 'REOPENED'],
    ]);

    // Older records arriving late: a fix from before the last sighting changes nothing; an older
    // sighting only moves first-found earlier.
    const lateFix = finding(hostA, 2001, { state: 'FIXED', firstFound: at('01-01'), lastFound: at('01-01'), lastFixed: at('02-15') });
    expect(await merge(account.id, [lateFix])).toMatchObject({ findingsUpdated: 0 });
    const lateSighting = finding(hostA, 2001, {
      severityId: 1,
      output: 'Old',
      firstFound: '2025-12-01T00:00:00.000Z',
      lastFound: at('01-05'),
    });
    expect(await merge(account.id, [lateSighting])).toMatchObject({ findingsUpdated: 1 });
    const final = await getFinding(t.ctx, account.id, id);
    expect(final).toMatchObject({
      state: 'REOPENED',
      severity: 4,
      output: 'Back again',
      firstFound: '2025-12-01T00:00:00.000Z',
      lastFound: at('03-01'),
    });
    expect(final.history).toHaveLength(3);

    // Several records of one finding in one chunk apply in time order, whatever their order in the chunk.
    const other = await createAccount(t.ctx);
    await merge(other.id, [reopened, fixedRecord, open]);
    const [single] = await findingsOf(other.id);
    const replayed = await getFinding(t.ctx, other.id, single?.id as string);
    expect(replayed.state).toBe('REOPENED');
    expect(replayed.history.map((event) => [event.at, event.fromState, event.toState])).toEqual([
      [at('01-01'), null, 'OPEN'],
      [at('02-01'), 'OPEN', 'FIXED'],
      [at('03-01'), 'FIXED', 'REOPENED'],
    ]);
  });

  it('merges into the target account only', async () => {
    const accountA = await createAccount(t.ctx, { name: 'Tenant A' });
    const accountB = await createAccount(t.ctx, { name: 'Tenant B' });
    await merge(accountB.id, [finding(hostB, 3001)]);
    const beforeB = await countsOf(accountB.id);
    const [assetOfB] = await assetsOf(accountB.id);

    // The same host in A: A's own asset, never B's.
    const result = await merge(accountA.id, [finding(hostB, 3001, { lastFound: '2026-11-10T00:00:00.000Z' }), finding(hostA, 3002)]);
    expect(result).toMatchObject({ assetsCreated: 2, findingsCreated: 2 });
    expect(await countsOf(accountB.id)).toEqual(beforeB);
    const [stillB] = await assetsOf(accountB.id);
    expect(stillB?.lastSeen).toBe(assetOfB?.lastSeen);
    expect((await assetsOf(accountA.id)).map((asset) => asset.id)).not.toContain(assetOfB?.id);
    expect((await findingsOf(accountB.id)).map((item) => item.lastFound)).toEqual(['2026-11-01T10:00:00.000Z']);
  });

  it('creates and updates assets from asset records, and bumps the directory version only when it created some', async () => {
    const account = await createAccount(t.ctx);
    const version = await directoryVersion();
    const server = host({
      hostName: 'db01',
      netbiosName: 'db01',
      ipv4: '10.2.0.9',
      macAddress: '00:11:22:33:44:55',
      operatingSystem: 'Windows 2019',
    });
    const first = await merge(account.id, [assetRecord(server, '2026-11-10T00:00:00.000Z', '2026-06-01T00:00:00.000Z')]);
    expect(first).toEqual({ assetsCreated: 1, assetsUpdated: 0, findingsCreated: 0, findingsUpdated: 0 });
    expect(await directoryVersion()).toBe(version + 1);
    const [created] = await assetsOf(account.id);
    expect(created).toMatchObject({ name: 'db01', netbiosName: 'DB01', ipv4: '10.2.0.9', firstSeen: '2026-06-01T00:00:00.000Z' });
    const row = await t.ctx.db
      .selectFrom('assets')
      .selectAll()
      .where('id', '=', created?.id as string)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      identity_kind: 'netbios',
      identity_value: 'DB01',
      kind: 'host',
      properties: { 'bulwark-integration': 'Tenable EU' },
    });

    // An older record only fills gaps; a newer one describes the asset.
    const older = await merge(account.id, [
      assetRecord({ ...server, operatingSystem: 'Windows 2012', ipv6: 'fe80::1' }, '2026-11-01T00:00:00.000Z'),
    ]);
    expect(older).toEqual({ assetsCreated: 0, assetsUpdated: 1, findingsCreated: 0, findingsUpdated: 0 });
    const newer = await merge(account.id, [assetRecord({ ...server, operatingSystem: 'Windows 2022' }, '2026-11-15T00:00:00.000Z')]);
    expect(newer).toMatchObject({ assetsCreated: 0, assetsUpdated: 1 });
    const [updated] = await assetsOf(account.id);
    expect(updated).toMatchObject({
      id: created?.id,
      operatingSystem: 'Windows 2022',
      ipv6: 'fe80::1',
      lastSeen: '2026-11-15T00:00:00.000Z',
    });
    expect(await directoryVersion()).toBe(version + 1);
    expect((await countsOf(account.id)).findings).toBe(0);
  });

  it('makes one asset of one host however many records of a chunk name it', async () => {
    const account = await createAccount(t.ctx);
    const result = await merge(account.id, [
      finding(host({ hostName: '10.3.0.1', ipv4: '10.3.0.1' }), 4001, { lastFound: '2026-11-01T00:00:00.000Z' }),
      finding(host({ hostName: 'app01', fqdn: 'app01.example.com', ipv4: '10.3.0.1' }), 4002, { lastFound: '2026-11-02T00:00:00.000Z' }),
      assetRecord(host({ fqdn: 'app01.example.com', agentUuid: 'AAAA-BBBB' }), '2026-11-03T00:00:00.000Z'),
    ]);
    expect(result).toMatchObject({ assetsCreated: 1, findingsCreated: 2 });
    const [asset] = await assetsOf(account.id);
    expect(asset).toMatchObject({ fqdn: 'app01.example.com', ipv4: '10.3.0.1', lastSeen: '2026-11-03T00:00:00.000Z' });

    // A record that names no host at all has no asset to go on: it is left out.
    expect(await merge(account.id, [finding(host({}), 4003)])).toEqual({
      assetsCreated: 0,
      assetsUpdated: 0,
      findingsCreated: 0,
      findingsUpdated: 0,
    });
    expect((await countsOf(account.id)).findings).toBe(2);
  });

  it('keeps the richer plugin text: a missing field or an older text does not replace it', async () => {
    const account = await createAccount(t.ctx);
    await merge(account.id, [finding(hostA, 5001)]);
    await merge(account.id, [
      finding(hostA, 5001, {
        lastFound: '2026-11-05T00:00:00.000Z',
        plugin: { description: null, synopsis: '', cve: [], family: null, modificationDate: '2026-03-01' },
      }),
    ]);
    expect(await getPlugin(t.ctx, account.id, 5001)).toMatchObject({
      description: 'Description of 5001',
      synopsis: 'Synopsis of 5001',
      family: 'General',
      cve: ['CVE-2026-5001'],
      modificationDate: '2026-03-01',
    });
    await merge(account.id, [finding(hostA, 5001, { plugin: { name: 'Old name', modificationDate: '2025-01-01' } })]);
    expect((await getPlugin(t.ctx, account.id, 5001)).name).toBe('Plugin 5001');
    await merge(account.id, [finding(hostA, 5001, { plugin: { name: 'New name', modificationDate: '2026-04-01' } })]);
    expect((await getPlugin(t.ctx, account.id, 5001)).name).toBe('New name');
  });
});

describe('mergeFinding', () => {
  const day = (value: string) => new Date(`2026-${value}T00:00:00.000Z`);
  const reported = (
    state: ReportedFinding['state'],
    lastFound: string,
    lastFixed: string | null = null,
    firstFound = '01-01',
  ): ReportedFinding => ({
    state,
    firstFound: day(firstFound),
    lastFound: day(lastFound),
    lastFixed: lastFixed ? day(lastFixed) : null,
  });

  it('reopens a fixed finding that a source reports open again', () => {
    const current = {
      state: 'FIXED' as const,
      firstFound: day('01-01'),
      lastFound: day('01-01'),
      lastFixed: day('02-01'),
      resurfacedAt: null,
    };
    const merged = mergeFinding(current, reported('OPEN', '03-01'));
    expect(merged?.next).toMatchObject({ state: 'REOPENED', lastFound: day('03-01'), lastFixed: day('02-01'), resurfacedAt: day('03-01') });
    expect(merged?.events).toEqual([{ at: day('03-01'), from: 'FIXED', to: 'REOPENED' }]);
  });

  it('records a fix and return that happened between two sightings the instance has', () => {
    const current = { state: 'OPEN' as const, firstFound: day('01-01'), lastFound: day('01-01'), lastFixed: null, resurfacedAt: null };
    const merged = mergeFinding(current, reported('REOPENED', '03-01', '02-01'));
    expect(merged?.events).toEqual([
      { at: day('02-01'), from: 'OPEN', to: 'FIXED' },
      { at: day('03-01'), from: 'FIXED', to: 'REOPENED' },
    ]);
  });

  it('changes nothing for a record no newer than the instance', () => {
    const current = { state: 'OPEN' as const, firstFound: day('01-01'), lastFound: day('03-01'), lastFixed: null, resurfacedAt: null };
    expect(mergeFinding(current, reported('FIXED', '01-01', '03-01'))).toBeNull();
    expect(mergeFinding(current, reported('OPEN', '03-01'))).toBeNull();
  });

  it('fills the dates a source leaves out', () => {
    const observed = new Date('2026-11-20T12:00:00.000Z');
    expect(reportedDatesOf({ state: 'FIXED', firstFound: null, lastFound: '2026-11-01T00:00:00Z', lastFixed: null }, observed)).toEqual({
      state: 'FIXED',
      firstFound: new Date('2026-11-01T00:00:00Z'),
      lastFound: new Date('2026-11-01T00:00:00Z'),
      lastFixed: observed,
    });
    expect(reportedDatesOf({ state: 'OPEN', firstFound: null, lastFound: null, lastFixed: null }, observed).lastFound).toEqual(observed);
  });
});
