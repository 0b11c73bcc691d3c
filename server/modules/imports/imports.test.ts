import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createAccount } from '../../test/factories.js';
import type { PluginSelection } from './finding-state.js';
import type { ImportEvent, StagedHost, StagedItem, StagedPlugin } from './import-records.js';
import { createScanRecord, failAbandonedImports, runImport } from './imports.service.js';

// The importer's own rules over a real database, fed with records built here (the .nessus parser
// has its own fixture-driven tests; the end-to-end import tests read real files).

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const host = (name: string, endedAt: string, extra: Partial<StagedHost> = {}): StagedHost => ({
  name,
  agentUuid: null,
  fqdn: null,
  netbiosName: null,
  ipv4: name,
  ipv6: null,
  hostname: null,
  macAddress: null,
  operatingSystem: 'Linux',
  credentialed: false,
  startedAt: null,
  endedAt,
  properties: { 'host-ip': name },
  ...extra,
});

const plugin = (id: number, family = 'General'): StagedPlugin => ({
  id,
  name: `Plugin ${id}`,
  family,
  riskFactor: 'High',
  synopsis: null,
  description: `Description of ${id}`,
  solution: null,
  pluginType: 'remote',
  cvssBaseScore: null,
  cvssVector: null,
  cvss3BaseScore: 7.5,
  cvss3Vector: null,
  cve: ['CVE-2026-0001'],
  bid: [],
  seeAlso: [],
  xrefs: [],
  exploitAvailable: null,
  publicationDate: '2026-01-01',
  modificationDate: '2026-01-02',
  attributes: {},
});

const item = (pluginId: number, port: number, severity = 3, output: string | null = null): StagedItem => ({
  pluginId,
  port,
  protocol: 'tcp',
  service: 'www',
  severity,
  output,
  compliance: null,
});

interface FileSpec {
  name?: string;
  fingerprint: string;
  hosts: { host: StagedHost; items: StagedItem[] }[];
  selection?: PluginSelection | null;
  failAfterHosts?: number;
}

async function* eventsOf(spec: FileSpec): AsyncGenerator<ImportEvent> {
  yield {
    type: 'scan',
    scan: { name: spec.name ?? 'Weekly scan', policyName: 'Basic Network Scan', pluginSelection: spec.selection ?? null },
  };
  for (const [index, entry] of spec.hosts.entries()) {
    if (spec.failAfterHosts !== undefined && index >= spec.failAfterHosts) throw new Error('Unexpected end of file at line 42.');
    yield { type: 'host', index, host: entry.host };
    for (const staged of entry.items) {
      yield { type: 'plugin', plugin: plugin(staged.pluginId) };
      yield { type: 'item', hostIndex: index, item: staged };
    }
    yield { type: 'progress', bytesRead: (index + 1) * 1000 };
  }
  yield { type: 'end', fingerprint: spec.fingerprint, warnings: [] };
}

async function importInto(accountId: string, spec: FileSpec) {
  const scanId = await createScanRecord(t.ctx, {
    accountId,
    name: 'upload.nessus',
    fileName: 'upload.nessus',
    fileSize: 1000,
    storageKey: null,
    ownerUserId: null,
  });
  return runImport(t.ctx, scanId, eventsOf(spec));
}

async function findingsOf(accountId: string) {
  return t.ctx.db
    .selectFrom('findings as f')
    .innerJoin('assets as a', 'a.id', 'f.asset_id')
    .select(['a.ipv4', 'f.plugin_id', 'f.port', 'f.state', 'f.first_found', 'f.last_found', 'f.last_fixed', 'f.resurfaced_at', 'f.output'])
    .where('f.account_id', '=', accountId)
    .orderBy('a.ipv4')
    .orderBy('f.plugin_id')
    .orderBy('f.port')
    .execute();
}

describe('importing scans into an instance', () => {
  it('opens findings, fixes the ones a later scan ran without reporting, and reopens them when they return', async () => {
    const account = await createAccount(t.ctx, { name: 'State Rules Inc' });
    const first = await importInto(account.id, {
      fingerprint: 'scan-1',
      hosts: [{ host: host('10.0.0.1', '2026-01-01T10:00:00Z'), items: [item(1001, 80), item(1002, 443), item(1003, 22)] }],
    });
    expect(first).toMatchObject({ status: 'completed', hostCount: 1, findingCount: 3 });
    // Later: 1001 still there; 1002 reported on another port (so it ran: 443 is fixed); 1003 not reported and its
    // family not in the (unknown) policy: no evidence it ran, so it stays open.
    await importInto(account.id, {
      fingerprint: 'scan-2',
      hosts: [{ host: host('10.0.0.1', '2026-01-08T10:00:00Z'), items: [item(1001, 80, 3, 'still here'), item(1002, 8443)] }],
    });
    let rows = await findingsOf(account.id);
    expect(rows.map((row) => [row.plugin_id, row.port, row.state])).toEqual([
      [1001, 80, 'OPEN'],
      [1002, 443, 'FIXED'],
      [1002, 8443, 'OPEN'],
      [1003, 22, 'OPEN'],
    ]);
    expect(rows[0]?.output).toBe('still here');
    expect(rows[1]?.last_fixed?.toISOString()).toBe('2026-01-08T10:00:00.000Z');
    expect(rows[1]?.last_found.toISOString()).toBe('2026-01-01T10:00:00.000Z');
    // Third scan: 1002/443 is back; the policy enabled family General, so 1003 ran and is fixed now.
    await importInto(account.id, {
      fingerprint: 'scan-3',
      selection: { families: new Map([['General', 'enabled']]), plugins: new Map() },
      hosts: [{ host: host('10.0.0.1', '2026-01-15T10:00:00Z'), items: [item(1001, 80), item(1002, 443)] }],
    });
    rows = await findingsOf(account.id);
    expect(rows.map((row) => [row.plugin_id, row.port, row.state])).toEqual([
      [1001, 80, 'OPEN'],
      [1002, 443, 'REOPENED'],
      [1002, 8443, 'FIXED'],
      [1003, 22, 'FIXED'],
    ]);
    expect(rows[1]?.resurfaced_at?.toISOString()).toBe('2026-01-15T10:00:00.000Z');
    expect(rows[1]?.first_found.toISOString()).toBe('2026-01-01T10:00:00.000Z');
    const history = await t.ctx.db
      .selectFrom('finding_events as e')
      .innerJoin('findings as f', 'f.id', 'e.finding_id')
      .select(['e.from_state', 'e.to_state'])
      .where('f.account_id', '=', account.id)
      .where('f.plugin_id', '=', 1002)
      .where('f.port', '=', 443)
      .orderBy('e.at')
      .execute();
    expect(history).toEqual([
      { from_state: null, to_state: 'OPEN' },
      { from_state: 'OPEN', to_state: 'FIXED' },
      { from_state: 'FIXED', to_state: 'REOPENED' },
    ]);
  });

  it('changes nothing when the same content is imported again, and says which scan it duplicates', async () => {
    const account = await createAccount(t.ctx, { name: 'Idempotent Ltd' });
    const spec: FileSpec = {
      fingerprint: 'same-content',
      hosts: [{ host: host('10.1.0.1', '2026-02-01T00:00:00Z'), items: [item(2001, 80)] }],
    };
    const first = await importInto(account.id, spec);
    const before = await findingsOf(account.id);
    const second = await importInto(account.id, spec);
    expect(second).toEqual({ status: 'duplicate', scanId: second.scanId, duplicateOf: first.scanId });
    expect(await findingsOf(account.id)).toEqual(before);
    const staged = await t.ctx.db.selectFrom('import_items').select('scan_id').where('scan_id', '=', second.scanId).execute();
    expect(staged).toEqual([]);
  });

  it('lands whole or not at all: a file that breaks half-way leaves no asset, finding or staged row', async () => {
    const account = await createAccount(t.ctx, { name: 'Atomic GmbH' });
    const outcome = await importInto(account.id, {
      fingerprint: 'broken',
      failAfterHosts: 1,
      hosts: [
        { host: host('10.2.0.1', '2026-03-01T00:00:00Z'), items: [item(3001, 80)] },
        { host: host('10.2.0.2', '2026-03-01T00:00:00Z'), items: [item(3002, 80)] },
      ],
    });
    expect(outcome).toMatchObject({ status: 'failed', error: 'Unexpected end of file at line 42.' });
    expect(await findingsOf(account.id)).toEqual([]);
    expect(await t.ctx.db.selectFrom('assets').select('id').where('account_id', '=', account.id).execute()).toEqual([]);
    expect(await t.ctx.db.selectFrom('import_hosts').select('scan_id').where('scan_id', '=', outcome.scanId).execute()).toEqual([]);
    const scan = await t.ctx.db.selectFrom('scans').select(['status', 'error']).where('id', '=', outcome.scanId).executeTakeFirstOrThrow();
    expect(scan).toEqual({ status: 'failed', error: 'Unexpected end of file at line 42.' });
  });

  it('keeps instances apart: the same host and plugin in another account is another asset and finding (cross-tenant)', async () => {
    const mine = await createAccount(t.ctx, { name: 'Tenant One' });
    const theirs = await createAccount(t.ctx, { name: 'Tenant Two' });
    const spec = (fingerprint: string): FileSpec => ({
      fingerprint,
      hosts: [{ host: host('192.168.1.10', '2026-04-01T00:00:00Z'), items: [item(4001, 80)] }],
    });
    expect((await importInto(mine.id, spec('tenant-file'))).status).toBe('completed');
    // The very same file is new content for the other instance.
    expect((await importInto(theirs.id, spec('tenant-file'))).status).toBe('completed');
    const assets = await t.ctx.db.selectFrom('assets').select(['id', 'account_id']).where('ipv4', '=', '192.168.1.10').execute();
    expect(new Set(assets.map((asset) => asset.account_id))).toEqual(new Set([mine.id, theirs.id]));
    // Fixing in one instance leaves the other untouched.
    await importInto(mine.id, {
      fingerprint: 'tenant-later',
      hosts: [{ host: host('192.168.1.10', '2026-04-08T00:00:00Z'), items: [item(4001, 8080)] }],
    });
    expect((await findingsOf(mine.id)).find((row) => row.port === 80)?.state).toBe('FIXED');
    expect((await findingsOf(theirs.id)).map((row) => row.state)).toEqual(['OPEN']);
  });

  it('matches hosts to assets across scans by the identity rule', async () => {
    const account = await createAccount(t.ctx, { name: 'Identity Corp' });
    await importInto(account.id, {
      fingerprint: 'id-1',
      hosts: [{ host: host('10.3.0.5', '2026-05-01T00:00:00Z'), items: [item(5001, 80)] }],
    });
    // Same IP, now with an FQDN: the same asset. Then another FQDN at that IP: a new asset.
    await importInto(account.id, {
      fingerprint: 'id-2',
      hosts: [{ host: host('10.3.0.5', '2026-05-02T00:00:00Z', { fqdn: 'web01.example.com' }), items: [item(5001, 80)] }],
    });
    await importInto(account.id, {
      fingerprint: 'id-3',
      hosts: [{ host: host('10.3.0.5', '2026-05-03T00:00:00Z', { fqdn: 'web02.example.com' }), items: [item(5001, 80)] }],
    });
    const assets = await t.ctx.db
      .selectFrom('assets')
      .select(['fqdn', 'first_seen'])
      .where('account_id', '=', account.id)
      .orderBy('first_seen')
      .execute();
    expect(assets.map((asset) => asset.fqdn)).toEqual(['web01.example.com', 'web02.example.com']);
  });

  it('marks an import abandoned by a crashed process as failed and deletes its staged rows', async () => {
    const account = await createAccount(t.ctx, { name: 'Crashed Import Co' });
    const scanId = await createScanRecord(t.ctx, {
      accountId: account.id,
      name: 'big.nessus',
      fileName: 'big.nessus',
      fileSize: 10,
      storageKey: null,
      ownerUserId: null,
    });
    const longAgo = new Date(Date.now() - 60 * 60_000);
    await t.ctx.db.updateTable('scans').set({ status: 'running', heartbeat_at: longAgo }).where('id', '=', scanId).execute();
    await t.ctx.db
      .insertInto('import_hosts')
      .values({ scan_id: scanId, host_index: 0, host: JSON.stringify(host('10.9.9.9', '2026-01-01T00:00:00Z')) })
      .execute();
    expect(await failAbandonedImports(t.ctx)).toBeGreaterThanOrEqual(1);
    const scan = await t.ctx.db.selectFrom('scans').select(['status', 'error']).where('id', '=', scanId).executeTakeFirstOrThrow();
    expect(scan.status).toBe('failed');
    expect(scan.error).toContain('Import the file again');
    expect(await t.ctx.db.selectFrom('import_hosts').select('scan_id').where('scan_id', '=', scanId).execute()).toEqual([]);
  });
});
