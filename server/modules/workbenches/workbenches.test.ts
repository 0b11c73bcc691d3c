import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createInstanceCaller, createPortalCaller, importFixture, type InstanceCaller } from '../../test/instance-api.js';
import { createWorkbenchInstance, findRichestAsset } from './workbenches.test-support.js';

const NOT_FOUND = { statusCode: 404, error: 'Not Found', message: 'Not Found' };
const FORBIDDEN = { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope' };

type Body = Record<string, unknown>;
interface Catalogue {
  filters: { name: string; operators: string[]; control: { regex: string; list?: string[] } }[];
}

let t: TestApp;
let a: InstanceCaller;
let b: InstanceCaller;
let richAsset: { id: string; pluginId: number };
/** A finding made Active (seen again), one Resurfaced, one Fixed, one seen today, one on port 22. */
let stateful: { active: string; resurfaced: string; fixed: string };

beforeAll(async () => {
  // Hundreds of workbench calls in a minute: the rate limit is not what these tests are about.
  t = await buildTestApp({ API_REQUESTS_PER_MINUTE: '100000' });
  a = await createWorkbenchInstance(t);
  b = await createInstanceCaller(t, { role: 16 });
  await importFixture(t.ctx, b.accountId, 'nessus/siteblindado__nessus-report-parser__very_simple.xml');
  richAsset = await findRichestAsset(t, a.accountId);
  // One import per host leaves every finding New: give three of them a history, and one a recent sighting.
  const findings = await t.ctx.db
    .selectFrom('findings')
    .select('id')
    .where('account_id', '=', a.accountId)
    .where('severity', '>', 0)
    .orderBy('id')
    .limit(4)
    .execute();
  const [active, resurfaced, fixed, recent] = findings.map((row) => row.id);
  if (!active || !resurfaced || !fixed || !recent) throw new Error('the fixtures have too few findings');
  stateful = { active, resurfaced, fixed };
  await t.ctx.db
    .updateTable('findings')
    .set({ last_found: sql`last_found + interval '7 days'` })
    .where('id', '=', active)
    .execute();
  await t.ctx.db.updateTable('findings').set({ state: 'REOPENED', resurfaced_at: new Date() }).where('id', '=', resurfaced).execute();
  await t.ctx.db.updateTable('findings').set({ state: 'FIXED', last_fixed: new Date() }).where('id', '=', fixed).execute();
  await t.ctx.db.updateTable('findings').set({ last_found: new Date() }).where('id', '=', recent).execute();
}, 240_000);

afterAll(async () => {
  await t.close();
});

async function get(url: string, caller: { headers: Record<string, string> } = a) {
  const response = await t.app.inject({ method: 'GET', url, headers: caller.headers });
  return { status: response.statusCode, body: response.json<Body>() };
}

function filterQuery(filters: [string, string, string][], searchType?: 'and' | 'or'): string {
  const parts = filters.flatMap(([name, quality, value], index) => [
    `filter.${index}.filter=${encodeURIComponent(name)}`,
    `filter.${index}.quality=${quality}`,
    `filter.${index}.value=${encodeURIComponent(value)}`,
  ]);
  if (searchType) parts.push(`filter.search_type=${searchType}`);
  return parts.join('&');
}

async function vulnerabilityCount(query = ''): Promise<number> {
  const { status, body } = await get(`/workbenches/vulnerabilities?${query}`);
  expect(status).toBe(200);
  return body.total_vulnerability_count as number;
}

async function assetCount(query = ''): Promise<number> {
  const { status, body } = await get(`/workbenches/assets?${query}`);
  expect(status).toBe(200);
  return body.total as number;
}

/** A value of one column of the rich asset, for the asset filters. */
async function richAssetRow() {
  return t.ctx.db.selectFrom('assets').selectAll().where('id', '=', richAsset.id).executeTakeFirstOrThrow();
}

/** The latest day (YYYY/MM/DD) of a date column in instance A: date-lt it leaves out the latest rows. */
async function latestDay(table: 'assets' | 'findings', column: 'first_seen' | 'last_seen' | 'first_found' | 'last_found'): Promise<string> {
  const row = await t.ctx.db
    .selectFrom(table)
    .select(sql<string>`to_char(max(${sql.ref(column)}) at time zone 'UTC', 'YYYY/MM/DD')`.as('day'))
    .where('account_id', '=', a.accountId)
    .executeTakeFirstOrThrow();
  return row.day;
}

async function someNetbiosName(): Promise<string> {
  const row = await t.ctx.db
    .selectFrom('assets')
    .select('netbios_name')
    .where('account_id', '=', a.accountId)
    .where('netbios_name', 'is not', null)
    .orderBy('netbios_name')
    .executeTakeFirstOrThrow();
  return row.netbios_name ?? '';
}

/**
 * One narrowing case per filter of the vulnerability catalogue: [name, operator, value]. Each must
 * leave some findings and fewer than none would (the default scope: open findings).
 */
async function vulnerabilityCases(): Promise<Record<string, [string, string]>> {
  const asset = await richAssetRow();
  const plugin = await t.ctx.db
    .selectFrom('plugins')
    .select(['name', 'family', 'cve'])
    .where('account_id', '=', a.accountId)
    .where('id', '=', richAsset.pluginId)
    .executeTakeFirstOrThrow();
  const cve = await t.ctx.db
    .selectFrom('plugins')
    .select(sql<string>`cve[1]`.as('cve'))
    .where('account_id', '=', a.accountId)
    .where(sql<boolean>`cardinality(cve) > 0`)
    .executeTakeFirstOrThrow();
  return {
    'plugin.id': ['eq', String(richAsset.pluginId)],
    'plugin.name': ['match', plugin.name.slice(0, 12)],
    'plugin.family': ['eq', plugin.family ?? ''],
    'plugin.attributes.plugin_type': ['eq', 'local'],
    'plugin.attributes.exploit_available': ['eq', 'true'],
    'plugin.attributes.cve.raw': ['eq', cve.cve],
    output: ['match', 'SSH'],
    severity: ['eq', 'Critical,High'],
    'tracking.state': ['eq', 'Resurfaced,Active'],
    'tracking.first_found': ['date-lt', await latestDay('findings', 'first_found')],
    'tracking.last_found': ['date-lt', await latestDay('findings', 'last_found')],
    'port.port': ['eq', '22'],
    'port.protocol': ['eq', 'udp'],
    'host.id': ['eq', richAsset.id],
    'host.target': ['match', asset.fqdn ?? ''],
    ipv4: ['eq', `${(asset.ipv4 ?? '').split('.').slice(0, 3).join('.')}.0/24`],
    fqdn: ['eq', asset.fqdn ?? ''],
    netbios_name: ['eq', await someNetbiosName()],
    operating_system: ['match', 'Linux'],
    mac_address: ['eq', asset.mac_address ?? ''],
    first_scan_time: ['date-lt', await latestDay('assets', 'first_seen')],
    last_scan_time: ['date-lt', await latestDay('assets', 'last_seen')],
    last_authenticated_scan_time: ['date-gt', '2000/01/01'],
  };
}

describe('filter catalogues', () => {
  it('list the filters in Tenable’s shape, each with a regex its list labels pass', async () => {
    for (const path of ['/filters/workbenches/assets', '/filters/workbenches/vulnerabilities', '/filters/scans/reports']) {
      const { status, body } = await get(path);
      expect(status).toBe(200);
      for (const filter of (body as unknown as Catalogue).filters) {
        expect(filter.operators.length).toBeGreaterThan(0);
        // pyTenable reads list[0] and checks every value against both the list and the regex.
        if (filter.control.list) {
          expect(filter.control.list.length).toBeGreaterThan(0);
          for (const label of filter.control.list) expect(label).toMatch(new RegExp(filter.control.regex, 'i'));
        }
      }
    }
  });
});

describe('every vulnerability filter narrows the workbench', () => {
  it('has a case for every filter the catalogue lists', async () => {
    const { body } = await get('/filters/workbenches/vulnerabilities');
    expect(Object.keys(await vulnerabilityCases()).sort()).toEqual(
      (body as unknown as Catalogue).filters.map((filter) => filter.name).sort(),
    );
  });

  it('narrows for each filter', async () => {
    const all = await vulnerabilityCount();
    const withFixed = all + 1;
    for (const [name, [quality, value]] of Object.entries(await vulnerabilityCases())) {
      const count = await vulnerabilityCount(filterQuery([[name, quality, value]]));
      // A state filter may reach fixed findings, which the default scope leaves out.
      const ceiling = name === 'tracking.state' ? withFixed : all;
      expect({ name, count, isNarrowed: count > 0 && count < ceiling }).toEqual({ name, count, isNarrowed: true });
    }
  });

  it('reaches fixed findings only through tracking.state, and maps each state', async () => {
    const pluginOf = async (id: string) =>
      (await t.ctx.db.selectFrom('findings').select('plugin_id').where('id', '=', id).executeTakeFirstOrThrow()).plugin_id;
    for (const [state, findingId] of [
      ['Fixed', stateful.fixed],
      ['Resurfaced', stateful.resurfaced],
      ['Active', stateful.active],
    ] as const) {
      const { body } = await get(`/workbenches/vulnerabilities?${filterQuery([['tracking.state', 'eq', state]])}`);
      const groups = body.vulnerabilities as Body[];
      expect(groups).toContainEqual(expect.objectContaining({ plugin_id: await pluginOf(findingId), vulnerability_state: state }));
      expect(groups.every((group) => group.vulnerability_state === state)).toBe(true);
    }
    const { body: open } = await get('/workbenches/vulnerabilities');
    const { body: everything } = await get(
      `/workbenches/vulnerabilities?${filterQuery([['tracking.state', 'eq', 'New,Active,Resurfaced,Fixed']])}`,
    );
    expect(everything.total_vulnerability_count).toBe((open.total_vulnerability_count as number) + 1);
  });

  it('ors the filters with filter.search_type=or', async () => {
    const critical = await vulnerabilityCount(filterQuery([['severity', 'eq', 'Critical']]));
    const udp = await vulnerabilityCount(filterQuery([['port.protocol', 'eq', 'udp']]));
    const both = [['severity', 'eq', 'Critical'] as [string, string, string], ['port.protocol', 'eq', 'udp'] as [string, string, string]];
    expect(await vulnerabilityCount(filterQuery(both, 'or'))).toBeGreaterThan(Math.max(critical, udp));
    expect(await vulnerabilityCount(filterQuery(both, 'and'))).toBeLessThan(Math.min(critical, udp) + 1);
  });

  it('narrows with pyTenable’s shortcuts and date_range', async () => {
    const all = await vulnerabilityCount();
    for (const query of ['authenticated=true', 'exploitable=true', 'resolvable=true', 'severity=high', 'severity=HIGH', 'date_range=30']) {
      const count = await vulnerabilityCount(query);
      expect({ query, isNarrowed: count > 0 && count < all }).toEqual({ query, isNarrowed: true });
    }
  });

  it('accepts severities as numeric strings, as labels in any case', async () => {
    const byLabel = await vulnerabilityCount(filterQuery([['severity', 'eq', 'Critical']]));
    expect(await vulnerabilityCount(filterQuery([['severity', 'eq', '4']]))).toBe(byLabel);
    expect(await vulnerabilityCount(filterQuery([['severity', 'eq', 'critical']]))).toBe(byLabel);
    expect(await vulnerabilityCount('date_range=0')).toBe(await vulnerabilityCount());
  });

  it('applies the filters to the per-asset and per-plugin endpoints too', async () => {
    const high = filterQuery([['severity', 'eq', 'Info']]);
    const { body: all } = await get(`/workbenches/assets/${richAsset.id}/vulnerabilities`);
    const { body: info } = await get(`/workbenches/assets/${richAsset.id}/vulnerabilities?${high}`);
    expect(info.total_vulnerability_count as number).toBeLessThan(all.total_vulnerability_count as number);
    const { body: assetsAll } = await get('/workbenches/assets/vulnerabilities');
    const { body: assetsOne } = await get(`/workbenches/assets/vulnerabilities?${filterQuery([['host.id', 'eq', richAsset.id]])}`);
    expect((assetsOne.assets as Body[]).map((asset) => asset.id)).toEqual([richAsset.id]);
    expect(assetsOne.total_asset_count as number).toBeLessThan(assetsAll.total_asset_count as number);
  });
});

describe('every asset filter narrows the asset workbench', () => {
  async function assetCases(): Promise<Record<string, [string, string]>> {
    const asset = await richAssetRow();
    return {
      'host.id': ['eq', richAsset.id],
      'host.target': ['eq', asset.ipv4 ?? ''],
      ipv4: ['eq', asset.ipv4 ?? ''],
      fqdn: ['match', (asset.fqdn ?? '').split('.').slice(-2).join('.')],
      netbios_name: ['match', (await someNetbiosName()).slice(0, 4).toLowerCase()],
      operating_system: ['match', 'Linux'],
      mac_address: ['eq', (asset.mac_address ?? '').toUpperCase()],
      first_scan_time: ['date-lt', await latestDay('assets', 'first_seen')],
      last_scan_time: ['date-lt', await latestDay('assets', 'last_seen')],
      last_authenticated_scan_time: ['date-gt', '2000/01/01'],
      has_plugin_results: ['eq', 'true'],
    };
  }

  it('has a case for every filter the catalogue lists', async () => {
    const { body } = await get('/filters/workbenches/assets');
    expect(Object.keys(await assetCases()).sort()).toEqual((body as unknown as Catalogue).filters.map((filter) => filter.name).sort());
  });

  it('narrows for each filter and for date_range', async () => {
    await t.ctx.db.updateTable('assets').set({ last_seen: new Date() }).where('id', '=', richAsset.id).execute();
    // An asset with no plugin results, so has_plugin_results has something to leave out.
    await t.ctx.db
      .insertInto('assets')
      .values({
        account_id: a.accountId,
        identity_kind: 'ip',
        identity_value: '192.0.2.1',
        ipv4: '192.0.2.1',
        properties: '{}',
        first_seen: new Date('2020-01-01'),
        last_seen: new Date('2020-01-01'),
      })
      .execute();
    const all = await assetCount();
    for (const [name, [quality, value]] of Object.entries(await assetCases())) {
      const count = await assetCount(filterQuery([[name, quality, value]]));
      expect({ name, count, isNarrowed: count > 0 && count < all }).toEqual({ name, count, isNarrowed: true });
    }
    const recent = await get(`/workbenches/assets?date_range=30`);
    expect((recent.body.assets as Body[]).map((asset) => asset.id)).toContain(richAsset.id);
    expect(recent.body.total as number).toBeLessThan(all);
  });
});

describe('bad input', () => {
  it.each([
    ['an unknown filter', filterQuery([['no.such.filter', 'eq', '1']])],
    ['an asset-only filter on vulnerabilities', filterQuery([['has_plugin_results', 'eq', 'true']])],
    ['an operator the filter does not take', filterQuery([['severity', 'match', 'High']])],
    ['a value outside the list', filterQuery([['severity', 'eq', 'Severe']])],
    ['a non-numeric plugin id', filterQuery([['plugin.id', 'eq', '19506x']])],
    ['a malformed date', filterQuery([['tracking.last_found', 'date-lt', 'yesterday']])],
    ['a malformed address', filterQuery([['ipv4', 'eq', '10.0.0.300']])],
    ['a filter without its operator', 'filter.0.filter=severity&filter.0.value=High'],
    ['an unknown search type', `${filterQuery([['severity', 'eq', 'High']])}&filter.search_type=xor`],
  ])('answers 400 {"error": …} to %s', async (_name, query) => {
    const { status, body } = await get(`/workbenches/vulnerabilities?${query}`);
    expect(status).toBe(400);
    expect(body).toEqual({ error: expect.any(String) });
  });

  it('answers 400 to a non-numeric date_range and an unknown severity shortcut', async () => {
    expect((await get('/workbenches/vulnerabilities?date_range=seven')).status).toBe(400);
    expect((await get('/workbenches/vulnerabilities?severity=urgent')).status).toBe(400);
    expect((await get('/workbenches/assets?all_fields=most')).status).toBe(400);
  });

  it('answers 404 to unknown, malformed and other instances’ ids', async () => {
    for (const path of [
      '/assets/00000000-0000-4000-8000-000000000000',
      '/assets/not-a-uuid',
      '/workbenches/assets/00000000-0000-4000-8000-000000000000/info',
      '/workbenches/vulnerabilities/99999999/info',
      '/workbenches/vulnerabilities/abc/outputs',
      `/workbenches/assets/${richAsset.id}/vulnerabilities/99999999/info`,
    ]) {
      const { status, body } = await get(path);
      expect({ path, status, body }).toEqual({ path, status: 404, body: NOT_FOUND });
    }
  });
});

describe('tenant isolation and roles', () => {
  it('hides instance A’s assets from instance B’s keys (404, as if missing)', async () => {
    for (const path of [
      `/assets/${richAsset.id}`,
      `/workbenches/assets/${richAsset.id}/info`,
      `/workbenches/assets/${richAsset.id}/activity`,
      `/workbenches/assets/${richAsset.id}/vulnerabilities`,
    ]) {
      const { status, body } = await get(path, b);
      expect({ path, status, body }).toEqual({ path, status: 404, body: NOT_FOUND });
    }
  });

  it('never lists instance A’s data to instance B', async () => {
    const ownAssets = await t.ctx.db.selectFrom('assets').select('id').where('account_id', '=', b.accountId).execute();
    const { body: assets } = await get('/assets', b);
    expect((assets.assets as Body[]).map((asset) => asset.id).sort()).toEqual(ownAssets.map((row) => row.id).sort());
    const { body: workbench } = await get('/workbenches/assets?all_fields=full', b);
    expect(workbench.total).toBe(ownAssets.length);
    const ownFindings = await t.ctx.db
      .selectFrom('findings')
      .select(sql<number>`count(*)::int`.as('count'))
      .where('account_id', '=', b.accountId)
      .executeTakeFirstOrThrow();
    const { body: vulnerabilities } = await get('/workbenches/vulnerabilities', b);
    expect(vulnerabilities.total_vulnerability_count).toBe(ownFindings.count);
    const { body: outputs } = await get(`/workbenches/vulnerabilities/${richAsset.pluginId}/outputs`, b);
    const seen = JSON.stringify(outputs);
    expect(seen).not.toContain(richAsset.id);
  });

  it('lets a Basic (16) contact read and refuses portal keys', async () => {
    expect((await get('/workbenches/vulnerabilities')).status).toBe(200);
    const portal = await createPortalCaller(t);
    const { status, body } = await get('/workbenches/vulnerabilities', portal);
    expect({ status, body }).toEqual({ status: 403, body: FORBIDDEN });
  });
});

describe('GET /assets', () => {
  it('lists every asset with singular array names and its total', async () => {
    const { status, body } = await get('/assets');
    expect(status).toBe(200);
    const count = await t.ctx.db
      .selectFrom('assets')
      .select(sql<number>`count(*)::int`.as('count'))
      .where('account_id', '=', a.accountId)
      .executeTakeFirstOrThrow();
    expect(body.total).toBe(count.count);
    const asset = (body.assets as Body[]).find((item) => item.id === richAsset.id);
    const row = await richAssetRow();
    expect(asset).toMatchObject({
      ipv4: [row.ipv4],
      fqdn: [row.fqdn],
      operating_system: [row.operating_system],
      sources: [{ name: 'NESSUS_SCAN' }],
    });
  });

  it('returns one asset in full', async () => {
    const { status, body } = await get(`/assets/${richAsset.id.toUpperCase()}`);
    expect(status).toBe(200);
    const row = await richAssetRow();
    expect(body).toMatchObject({
      id: richAsset.id,
      mac_address: [row.mac_address],
      network_id: [row.network_id],
      last_scan_id: row.last_scan_id,
      has_plugin_results: true,
      container_uuid: a.accountId,
      aws_ec2_instance_id: [],
    });
  });
});

describe('GET /plugins/plugin', () => {
  async function pluginCount(accountId: string): Promise<number> {
    const row = await t.ctx.db
      .selectFrom('plugins')
      .select(sql<number>`count(*)::int`.as('count'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    return row.count;
  }

  it('pages from 1, reads page 0 as the first page, and counts every plugin', async () => {
    const total = await pluginCount(a.accountId);
    const first = await get('/plugins/plugin?size=5&page=1&last_updated=1970-01-01');
    const zero = await get('/plugins/plugin?size=5&page=0');
    const second = await get('/plugins/plugin?size=5&page=2');
    const ids = (page: Body) => ((page.data as Body).plugin_details as Body[]).map((plugin) => plugin.id);
    expect(first.body).toMatchObject({ size: 5, total_count: total, params: { page: 1, size: 5, last_updated: '1970-01-01' } });
    expect(ids(zero.body)).toEqual(ids(first.body));
    expect(ids(second.body)).toHaveLength(5);
    expect(ids(second.body).filter((id) => ids(first.body).includes(id))).toEqual([]);
    const last = await get(`/plugins/plugin?size=5&page=${Math.ceil(total / 5)}`);
    expect(last.body.size).toBe(total - 5 * (Math.ceil(total / 5) - 1));
  });

  it('gives each plugin its attributes and keeps to the instance', async () => {
    const { body } = await get(`/plugins/plugin?size=10000`);
    const plugin = ((body.data as Body).plugin_details as Body[]).find((item) => item.id === richAsset.pluginId) as Body & {
      attributes: Body;
    };
    const row = await t.ctx.db
      .selectFrom('plugins')
      .selectAll()
      .where('account_id', '=', a.accountId)
      .where('id', '=', richAsset.pluginId)
      .executeTakeFirstOrThrow();
    expect(plugin.name).toBe(row.name);
    expect(plugin.attributes).toMatchObject({ description: row.description, risk_factor: row.risk_factor, cve: row.cve });
    expect((await get('/plugins/plugin', b)).body.total_count).toBe(await pluginCount(b.accountId));
  });

  it('narrows by last_updated and refuses malformed paging', async () => {
    expect((await get('/plugins/plugin?last_updated=2999-01-01')).body.total_count).toBe(0);
    expect((await get('/plugins/plugin?last_updated=yesterday')).status).toBe(400);
    expect((await get('/plugins/plugin?size=0')).status).toBe(400);
    expect((await get('/plugins/plugin?page=-1')).status).toBe(400);
  });
});
