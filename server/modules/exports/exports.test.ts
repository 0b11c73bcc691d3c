import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createInstanceCaller, importFixture, type InstanceCaller } from '../../test/instance-api.js';
import { fingerprintOf } from './export-filters.js';
import { sweepExpiredChunks } from './export-jobs.js';
import { runExportJob } from './export-writer.js';
import { insertExportJob } from './exports.repository.js';
import { walkLikeElastic, walkLikePyTenable } from './export-test-clients.js';

// Two instances: A with real .nessus fixtures imported (42 hosts x 1 finding, 4 hosts x 30
// findings, and a compliance scan), B with nothing. Some of A's findings are then moved to FIXED
// and REOPENED with known dates, so the state and time filters have something to tell apart.
const MANY_HOSTS = 'nessus/tenable__pyTenable__test_workbench_export_plugin_id.yaml__i03__GET_workbenches_export_ID_download.nessus';
const SEVERITIES =
  'nessus/tenable__Tenable.io-SDK-for-Python__TestExamples.test_workbench.yaml__i02__GET_workbenches_export_ID_download.nessus';
const COMPLIANCE = 'nessus/SoteriaSoftwareLLC__openrmfpro-automation__hostsvr01.soteriasoft.internal_CIS_Docker_forOpenRMF.nessus';

let t: TestApp;
let a: InstanceCaller;
let b: InstanceCaller;
const FIXED_AT = Date.UTC(2025, 0, 10) / 1000;

async function post(caller: InstanceCaller, url: string, payload?: unknown) {
  return t.app.inject({ method: 'POST', url, headers: caller.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}
async function get(caller: InstanceCaller, url: string) {
  return t.app.inject({ method: 'GET', url, headers: caller.headers });
}

/** Every record of a vulns export with these filters, walked as pyTenable does. */
async function vulns(filters: Record<string, unknown>, numAssets = 500) {
  const walk = await walkLikePyTenable(t.app, a.headers, 'vulns', { num_assets: numAssets, include_unlicensed: true, filters });
  return walk.records as {
    asset: { uuid: string; ipv4?: string };
    plugin: { id: number; family: string; cve?: string[] };
    state: string;
    severity: string;
  }[];
}

beforeAll(async () => {
  t = await buildTestApp();
  a = await createInstanceCaller(t, { role: 32 });
  b = await createInstanceCaller(t, { role: 32 });
  for (const fixture of [MANY_HOSTS, SEVERITIES, COMPLIANCE]) await importFixture(t.ctx, a.accountId, fixture);
  const some = await t.ctx.db.selectFrom('findings').select('id').where('account_id', '=', a.accountId).orderBy('id').limit(6).execute();
  await t.ctx.db
    .updateTable('findings')
    .set({ state: 'FIXED', last_fixed: new Date(FIXED_AT * 1000) })
    .where(
      'id',
      'in',
      some.slice(0, 3).map((row) => row.id),
    )
    .execute();
  await t.ctx.db
    .updateTable('findings')
    .set({ state: 'REOPENED', resurfaced_at: new Date(FIXED_AT * 1000) })
    .where(
      'id',
      'in',
      some.slice(3).map((row) => row.id),
    )
    .execute();
}, 120_000);

afterAll(async () => {
  await t?.close();
});

async function countFindings(states: string[]) {
  const row = await t.ctx.db
    .selectFrom('findings')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('account_id', '=', a.accountId)
    .where('state', 'in', states as never[])
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

describe('walking an export', () => {
  it('is FINISHED with every chunk listed on the first status request, as pyTenable walks it', async () => {
    const walk = await walkLikePyTenable(t.app, a.headers, 'vulns', { num_assets: 50, include_unlicensed: true, filters: {} });
    expect(walk.requests.map((line) => line.replace(/[0-9a-f-]{36}/, 'ID'))).toEqual([
      'POST /vulns/export -> 200',
      'GET /vulns/export/ID/status -> 200',
      'GET /vulns/export/ID/chunks/1 -> 200',
      'GET /vulns/export/ID/status -> 200',
    ]);
    // Default state: OPEN and REOPENED.
    expect(walk.records).toHaveLength(await countFindings(['OPEN', 'REOPENED']));
  });

  it('groups num_assets assets per vulns chunk and never splits an asset', async () => {
    // The API's smallest num_assets is 50, more than this instance has: a job of 10 per chunk is written directly.
    const filters = { state: ['FIXED', 'OPEN', 'REOPENED'] };
    const exportId = await insertExportJob(t.ctx.db, {
      accountId: a.accountId,
      type: 'vulns',
      format: 'v1',
      filters,
      chunkSize: 10,
      fingerprint: fingerprintOf('vulns', 'v1', 10, filters),
      requestedBy: null,
    });
    await runExportJob(t.ctx, exportId);
    const status = JSON.parse((await get(a, `/vulns/export/${exportId}/status`)).body) as { chunks_available: number[]; status: string };
    const withFindings = await t.ctx.db
      .selectFrom('findings')
      .select((eb) => eb.fn.count<string>('asset_id').distinct().as('count'))
      .where('account_id', '=', a.accountId)
      .executeTakeFirstOrThrow();
    expect(status.status).toBe('FINISHED');
    expect(status.chunks_available).toHaveLength(Math.ceil(Number(withFindings.count) / 10));
    const chunkOfAsset = new Map<string, number>();
    let total = 0;
    for (const chunk of status.chunks_available) {
      const records = JSON.parse((await get(a, `/vulns/export/${exportId}/chunks/${chunk}`)).body) as { asset: { uuid: string } }[];
      total += records.length;
      for (const record of records) {
        expect(chunkOfAsset.get(record.asset.uuid) ?? chunk).toBe(chunk);
        chunkOfAsset.set(record.asset.uuid, chunk);
      }
      expect(new Set(records.map((record) => record.asset.uuid)).size).toBeLessThanOrEqual(10);
    }
    expect(chunkOfAsset.size).toBe(Number(withFindings.count));
    expect(total).toBe(await countFindings(['OPEN', 'REOPENED', 'FIXED']));
  });

  it('walks as Elastic does: since and lowercase states, chunks only once FINISHED', async () => {
    const walk = await walkLikeElastic(t.app, a.headers, { num_assets: 50, filters: { since: 0, state: ['open', 'reopened', 'fixed'] } });
    expect(walk.requests).toHaveLength(3);
    expect(walk.records).toHaveLength(await countFindings(['OPEN', 'REOPENED', 'FIXED']));
  });

  it('writes findings with values from the imported data', async () => {
    const [record] = (await vulns({ plugin_id: [19506] })) as unknown as Record<string, Record<string, unknown>>[];
    const finding = await t.ctx.db
      .selectFrom('findings')
      .innerJoin('assets', 'assets.id', 'findings.asset_id')
      .select(['findings.id', 'findings.asset_id', 'findings.first_found', 'assets.ipv4'])
      .where('findings.account_id', '=', a.accountId)
      .where('findings.asset_id', '=', String(record?.asset?.uuid))
      .where('findings.plugin_id', '=', 19506)
      .executeTakeFirstOrThrow();
    expect(record?.asset?.ipv4).toBe(finding.ipv4);
    expect(record?.finding_id).toBe(finding.id);
    expect(record?.first_found).toBe(finding.first_found.toISOString());
    expect(record?.plugin).toMatchObject({ id: 19506, name: 'Nessus Scan Information', family: 'Settings' });
    expect(record?.severity).toBe('info');
  });
});

describe('filters', () => {
  const byPlugin = (records: { plugin: { id: number } }[]) => new Set(records.map((record) => record.plugin.id));

  it('state: default OPEN and REOPENED; FIXED only when asked, in any case', async () => {
    const fixed = await vulns({ state: ['fixed'] });
    expect(fixed).toHaveLength(3);
    expect(new Set(fixed.map((record) => record.state))).toEqual(new Set(['FIXED']));
    expect((await vulns({ state: ['Reopened'] })).every((record) => record.state === 'REOPENED')).toBe(true);
  });

  it('severity narrows', async () => {
    const all = await vulns({});
    const high = await vulns({ severity: ['HIGH', 'critical'] });
    expect(high.length).toBeGreaterThan(0);
    expect(high.length).toBeLessThan(all.length);
    expect(high.every((record) => record.severity === 'high' || record.severity === 'critical')).toBe(true);
  });

  it('since: open findings seen since, plus findings fixed since', async () => {
    const future = Math.floor(Date.UTC(2030, 0, 1) / 1000);
    expect(await vulns({ since: future, state: ['OPEN', 'FIXED'] })).toHaveLength(0);
    expect(await vulns({ since: FIXED_AT - 1, state: ['FIXED'] })).toHaveLength(3);
    expect(await vulns({ since: FIXED_AT + 1, state: ['FIXED'] })).toHaveLength(0);
  });

  it('first_found, last_found and last_fixed narrow (with state)', async () => {
    const all = await vulns({ state: ['OPEN', 'REOPENED', 'FIXED'] });
    const dates = await t.ctx.db
      .selectFrom('findings')
      .select((eb) => [eb.fn.max('first_found').as('first'), eb.fn.max('last_found').as('last')])
      .where('account_id', '=', a.accountId)
      .executeTakeFirstOrThrow();
    const newest = (value: unknown) => Math.floor(new Date(value as string).getTime() / 1000);
    const firstFound = await vulns({ first_found: newest(dates.first), state: ['OPEN', 'REOPENED', 'FIXED'] });
    expect(firstFound.length).toBeGreaterThan(0);
    expect(firstFound.length).toBeLessThan(all.length);
    const lastFound = await vulns({ last_seen: newest(dates.last), state: ['OPEN', 'REOPENED', 'FIXED'] });
    expect(lastFound.length).toBeGreaterThan(0);
    expect(lastFound.length).toBeLessThan(all.length);
    expect(await vulns({ last_fixed: FIXED_AT, state: ['OPEN', 'REOPENED', 'FIXED'] })).toHaveLength(3);
  });

  it('plugin_id, plugin_family and cve_id narrow', async () => {
    expect(byPlugin(await vulns({ plugin_id: ['19506'] }))).toEqual(new Set([19506]));
    const settings = await vulns({ plugin_family: ['settings'] });
    expect(settings.length).toBeGreaterThan(0);
    expect(settings.every((record) => record.plugin.family === 'Settings')).toBe(true);
    const withCve = (await vulns({})).find((record) => (record.plugin.cve ?? []).length > 0);
    const cve = withCve?.plugin.cve?.[0] ?? 'CVE-none';
    const byCve = await vulns({ cve_id: [cve.toLowerCase()] });
    expect(byCve.length).toBeGreaterThan(0);
    expect(byCve.every((record) => record.plugin.cve?.includes(cve))).toBe(true);
  });

  it('network_id, cidr_range and tags narrow', async () => {
    // Walked here rather than through vulns() so that an empty walk names its requests (CI once saw one).
    const walk = await walkLikePyTenable(t.app, a.headers, 'vulns', { num_assets: 500, include_unlicensed: true, filters: {} });
    const all = walk.records as Awaited<ReturnType<typeof vulns>>;
    expect(all.length, `an export of every open finding came back empty: ${walk.requests.join('; ')}`).toBeGreaterThan(0);
    expect(await vulns({ network_id: '00000000-0000-0000-0000-000000000000' })).toHaveLength(all.length);
    expect(await vulns({ network_id: '11111111-1111-1111-1111-111111111111' })).toHaveLength(0);
    const ip = all.find((record) => record.asset.ipv4)?.asset.ipv4 ?? '';
    // CI once saw no record with an IPv4 here: say what the walk brought back.
    const seen = [...new Set(all.map((record) => JSON.stringify(record.asset)))].slice(0, 5);
    expect(ip, `no IPv4 among ${all.length} records (assets ${seen.join(', ')}): ${walk.requests.join('; ')}`).not.toBe('');
    const single = await vulns({ cidr_range: `${ip}/32` });
    expect(single.length).toBeGreaterThan(0);
    expect(single.every((record) => record.asset.ipv4 === ip)).toBe(true);
    // Bulwark's assets carry no tags: asking for a tag finds nothing rather than everything.
    expect(await vulns({ 'tag.Location': ['Dallas'] })).toHaveLength(0);
  });

  it('assets: time, network, has_plugin_results, types (v2) and terminated filters narrow', async () => {
    const assets = async (type: 'assets' | 'assets/v2', filters: Record<string, unknown>) =>
      (await walkLikePyTenable(t.app, a.headers, type, { chunk_size: 100, filters })).records;
    const all = await assets('assets', {});
    expect(all.length).toBe(48);
    expect(await assets('assets', { updated_at: Math.floor(Date.now() / 1000) + 3600 })).toHaveLength(0);
    expect(await assets('assets', { created_at: 0, network_id: '00000000-0000-0000-0000-000000000000' })).toHaveLength(48);
    expect(await assets('assets', { is_terminated: true })).toHaveLength(0);
    expect(await assets('assets', { is_terminated: false })).toHaveLength(48);
    const lastSeen = await t.ctx.db
      .selectFrom('assets')
      .select((eb) => eb.fn.max('last_seen').as('last'))
      .where('account_id', '=', a.accountId)
      .executeTakeFirstOrThrow();
    const recent = await assets('assets', { last_assessed: Math.floor(new Date(lastSeen.last as unknown as string).getTime() / 1000) });
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(48);
    expect(await assets('assets/v2', { types: ['webapp'] })).toHaveLength(0);
    expect(await assets('assets/v2', { since: 0, types: ['host'] })).toHaveLength(48);
    const withResults = await assets('assets', { has_plugin_results: true });
    expect(withResults.length).toBeGreaterThan(0);
    expect(withResults.every((record) => record.has_plugin_results === true)).toBe(true);
    expect(withResults.length).toBeLessThan(48);
  });

  const FUTURE = Math.floor(Date.UTC(2030, 0, 1) / 1000);
  const OTHER_NETWORK = '11111111-1111-1111-1111-111111111111';

  it.each<['assets' | 'assets/v2', Record<string, unknown>]>([
    ['assets', { created_at: FUTURE }],
    ['assets', { updated_at: FUTURE }],
    ['assets', { first_scan_time: FUTURE }],
    ['assets', { last_authenticated_scan_time: FUTURE }],
    ['assets', { last_assessed: FUTURE }],
    ['assets', { network_id: OTHER_NETWORK }],
    ['assets', { terminated_at: 0 }],
    ['assets', { deleted_at: 0 }],
    ['assets', { is_deleted: true }],
    ['assets', { 'tag.Location': 'Dallas' }],
    ['assets/v2', { since: FUTURE }],
  ])('%s filter %j narrows to nothing here', async (type, filters) => {
    expect((await walkLikePyTenable(t.app, a.headers, type, { chunk_size: 100, filters: {} })).records.length).toBe(48);
    expect((await walkLikePyTenable(t.app, a.headers, type, { chunk_size: 100, filters })).records).toHaveLength(0);
  });

  it.each<Record<string, unknown>>([
    { first_seen: FUTURE },
    { last_seen: FUTURE },
    { last_observed: FUTURE },
    { since: FUTURE },
    { network_id: OTHER_NETWORK },
    { ipv6_addresses: ['2001:db8::1'] },
    { tags: { Location: ['Dallas'] } },
  ])('compliance filter %j narrows to nothing here', async (filters) => {
    expect((await walkLikePyTenable(t.app, a.headers, 'compliance', { filters: {} })).records.length).toBeGreaterThan(0);
    expect((await walkLikePyTenable(t.app, a.headers, 'compliance', { filters })).records).toHaveLength(0);
  });

  it('compliance: results, plugin, audit file, addresses, assets and time filters narrow', async () => {
    const compliance = async (body: Record<string, unknown>) => (await walkLikePyTenable(t.app, a.headers, 'compliance', body)).records;
    const all = await compliance({ filters: {} });
    expect(all.length).toBeGreaterThan(0);
    const failed = await compliance({ filters: { compliance_results: ['failed'] } });
    expect(failed.every((record) => record.status === 'FAILED')).toBe(true);
    expect(failed.length).toBeLessThan(all.length);
    const first = all[0] as { asset_uuid: string; audit_file: string; plugin_id: number };
    expect(await compliance({ filters: { plugin_id: [999999] } })).toHaveLength(0);
    expect((await compliance({ filters: { plugin_id: [first.plugin_id] } })).length).toBeGreaterThan(0);
    expect(await compliance({ filters: { audit_file_name: 'none.audit' } })).toHaveLength(0);
    expect(await compliance({ filters: { ipv4_addresses: ['192.0.2.254'] } })).toHaveLength(0);
    const oneAsset = await compliance({ asset: [first.asset_uuid], filters: {} });
    expect(oneAsset.every((record) => record.asset_uuid === first.asset_uuid)).toBe(true);
    expect(await compliance({ filters: { last_seen: Math.floor(Date.UTC(2030, 0, 1) / 1000) } })).toHaveLength(0);
    expect(await compliance({ filters: { first_seen: 0 } })).toHaveLength(all.length);
  });
});

describe('bad input gets the documented status and body, and creates nothing', () => {
  const exportCount = async () =>
    Number(
      (
        await t.ctx.db
          .selectFrom('export_jobs')
          .select((eb) => eb.fn.countAll<string>().as('count'))
          .executeTakeFirstOrThrow()
      ).count,
    );

  it.each([
    [{ filters: { nope: 1 } }, 'Unknown filter: nope'],
    [{ filters: { last_found: 1700000000 } }, 'state is required with last_found'],
    [{ filters: { since: 1, first_found: 1, state: ['OPEN'] } }, 'since cannot be combined with first_found'],
    [{ filters: { state: ['CLOSED'] } }, 'filters.state'],
    [{ filters: { since: 'yesterday' } }, 'filters.since'],
    [{ filters: { cidr_range: '10.0.0.0/40' } }, 'filters.cidr_range'],
  ])('POST /vulns/export %j → 400', async (body, message) => {
    const before = await exportCount();
    const response = await post(a, '/vulns/export', body);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/json');
    expect((JSON.parse(response.body) as { error: string }).error).toContain(message);
    expect(await exportCount()).toBe(before);
  });

  it('accepts numeric strings where numbers are expected', async () => {
    const response = await post(a, '/vulns/export', { num_assets: '50', filters: { since: '1451606400', plugin_id: ['19506'] } });
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(
      (await get(a, `/vulns/export/${(JSON.parse(response.body) as { export_uuid: string }).export_uuid}/status`)).body,
    );
    expect(body).toMatchObject({ status: 'FINISHED', num_assets_per_chunk: 50, filters: { since: 1451606400, plugin_id: [19506] } });
  });

  it('refuses a wrongly typed num_assets and a missing chunk_size with 400', async () => {
    expect((await post(a, '/vulns/export', { num_assets: 'many' })).statusCode).toBe(400);
    expect((await post(a, '/assets/export', { filters: {} })).statusCode).toBe(400);
    expect((await post(a, '/assets/export', { chunk_size: 100, filters: { since: 1 } })).statusCode).toBe(400);
  });

  it('unknown exports and chunks answer 404; a chunk past the end of a finished export 404', async () => {
    const unknown = '6b1c2f55-0000-4000-8000-000000000000';
    expect((await get(a, `/vulns/export/${unknown}/status`)).statusCode).toBe(404);
    expect((await get(a, `/vulns/export/${unknown}/chunks/1`)).statusCode).toBe(404);
    expect((await get(a, '/vulns/export/not-a-uuid/status')).statusCode).toBe(404);
    const { exportId } = await walkLikePyTenable(t.app, a.headers, 'vulns', { filters: {} });
    const past = await get(a, `/vulns/export/${exportId}/chunks/99`);
    expect(past.statusCode).toBe(404);
    expect(JSON.parse(past.body)).toEqual({ statusCode: 404, error: 'Not Found', message: 'Not Found' });
    expect((await get(a, `/vulns/export/${exportId}/chunks/x`)).statusCode).toBe(400);
  });
});

describe('cancel, expiry, tenants and roles', () => {
  it('cancelling a finished export is refused in Tenable words; an unknown one is 404', async () => {
    const { exportId } = await walkLikePyTenable(t.app, a.headers, 'assets', { chunk_size: 100 });
    const finished = await post(a, `/assets/export/${exportId}/cancel`);
    expect(finished.statusCode).toBe(400);
    expect(JSON.parse(finished.body)).toEqual({ status: 400, message: 'Cannot cancel a completed job' });
    const unknown = await post(a, '/assets/export/6b1c2f55-0000-4000-8000-000000000000/cancel');
    expect(JSON.parse(unknown.body)).toEqual({ status: 404, message: 'Job with UUID: 6b1c2f55-0000-4000-8000-000000000000 not found' });
  });

  it('expired chunks answer 404 and the sweeper deletes their files', async () => {
    const { exportId } = await walkLikePyTenable(t.app, a.headers, 'vulns', { filters: {} });
    const chunk = await t.ctx.db
      .selectFrom('export_chunks')
      .select('storage_key')
      .where('export_id', '=', exportId)
      .executeTakeFirstOrThrow();
    const file = path.join(t.config.dataDir, 'files', chunk.storage_key);
    expect(fs.existsSync(file)).toBe(true);
    await t.ctx.db
      .updateTable('export_jobs')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', exportId)
      .execute();
    expect((await get(a, `/vulns/export/${exportId}/chunks/1`)).statusCode).toBe(404);
    expect(JSON.parse((await get(a, `/vulns/export/${exportId}/status`)).body)).toMatchObject({ status: 'FINISHED', chunks_available: [] });
    expect(await sweepExpiredChunks(t.ctx)).toBeGreaterThan(0);
    expect(fs.existsSync(file)).toBe(false);
  });

  it("another instance's keys get 404 for this instance's export and chunks", async () => {
    const { exportId } = await walkLikePyTenable(t.app, a.headers, 'vulns', { filters: { severity: ['info'] } });
    for (const url of [`/vulns/export/${exportId}/status`, `/vulns/export/${exportId}/chunks/1`]) {
      expect((await get(b, url)).statusCode).toBe(404);
    }
    expect((await post(b, `/vulns/export/${exportId}/cancel`)).statusCode).toBe(404);
    expect((JSON.parse((await get(b, '/vulns/export/status')).body) as { exports: unknown[] }).exports).toEqual([]);
    expect((await get(a, `/assets/export/${exportId}/status`)).statusCode).toBe(404);
  });

  it('Basic and Scan Operator get 403; Standard may export', async () => {
    for (const role of [16, 24] as const) {
      const caller = await createInstanceCaller(t, { accountId: a.accountId, role });
      const response = await post(caller, '/vulns/export', { filters: {} });
      expect(response.statusCode).toBe(403);
      expect(JSON.parse(response.body)).toEqual({ statusCode: 403, error: 'Forbidden', message: 'Insufficient scope' });
    }
    expect((await post(a, '/assets/export', { chunk_size: 100, filters: {} })).statusCode).toBe(200);
  });

  it('audits exports created', async () => {
    const events = await t.ctx.db
      .selectFrom('audit_events')
      .select(['action', 'account_id'])
      .where('action', '=', 'exports.created')
      .execute();
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((event) => event.account_id === a.accountId)).toBe(true);
  });
});
