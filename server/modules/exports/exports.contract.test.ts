import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createInstanceCaller, importFixture, type InstanceCaller } from '../../test/instance-api.js';
import { endpointOf, recordedInteractions, responseJson, shapeDifferences, type RecordedInteraction } from '../../test/tenable-contract.js';

// Every export request recorded from the real Tenable.io (../shared/fixtures/real/tenable) is sent
// again, in order, to an instance holding imported copies of the same kind of data: the scan that
// the recorded vulns chunk of TestExamples.test_exports came from (same hosts and plugins), a
// 42-host scan and a compliance scan. Each answer must have the recorded status, content type and
// shape, and values from the imported data.
const FIXTURES = [
  'nessus/tenable__Tenable.io-SDK-for-Python__TestExamples.test_workbench.yaml__i02__GET_workbenches_export_ID_download.nessus',
  'nessus/tenable__pyTenable__test_workbench_export_plugin_id.yaml__i03__GET_workbenches_export_ID_download.nessus',
  'nessus/SoteriaSoftwareLLC__openrmfpro-automation__hostsvr01.soteriasoft.internal_CIS_Docker_forOpenRMF.nessus',
];
const EXPORT_ENDPOINT = /^(GET|POST) \/(vulns|assets|compliance)(\/v2)?\/export/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

let t: TestApp;
let caller: InstanceCaller;

beforeAll(async () => {
  t = await buildTestApp();
  caller = await createInstanceCaller(t, { role: 32 });
  for (const fixture of FIXTURES) await importFixture(t.ctx, caller.accountId, fixture);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

/**
 * The keys (and JSON types) present in every recorded record, recursively: what a client can rely
 * on. A key only some real records carry is optional, as Tenable omits keys without a value.
 */
function alwaysPresent(records: unknown[]): unknown {
  // A value some real record leaves null may be null (or anything) here too.
  if (records.some((record) => record === null)) return null;
  if (records.every(Array.isArray)) return records.find((record) => (record as unknown[]).length > 0) ?? [];
  const objects = records.filter((record): record is Record<string, unknown> => typeof record === 'object' && !Array.isArray(record));
  if (objects.length !== records.length) return records[0] ?? null;
  const keys = Object.keys(objects[0] ?? {}).filter((key) => objects.every((object) => key in object));
  return Object.fromEntries(keys.map((key) => [key, alwaysPresent(objects.map((object) => object[key]))]));
}

/**
 * What Tenable computes and a .nessus file does not carry, so no imported record can have it: the
 * plugin family's numeric id, and (until the importer keeps "YYYY/MM/DD" dates and the file has a
 * script_version) the plugin's publication date and version. Documented in docs/instance-api/exports.md.
 */
const NOT_IN_NESSUS_FILES: Record<string, string[]> = { plugin: ['family_id', 'publication_date', 'version'] };

function withoutUnfillable(model: unknown): unknown {
  if (typeof model !== 'object' || model === null || Array.isArray(model)) return model;
  const result = { ...(model as Record<string, unknown>) };
  for (const [parent, keys] of Object.entries(NOT_IN_NESSUS_FILES)) {
    const child = result[parent];
    if (typeof child === 'object' && child !== null)
      result[parent] = Object.fromEntries(Object.entries(child).filter(([key]) => !keys.includes(key)));
  }
  return result;
}

/**
 * The shape model of a recorded body. A chunk's model is the record every real chunk of that
 * endpoint (in all recordings) agrees on: a key one real record lacks or leaves null is optional.
 */
function modelOf(interaction: RecordedInteraction): unknown {
  const recorded = responseJson(interaction);
  if (!Array.isArray(recorded) || recorded.length === 0) return recorded;
  const sameEndpoint = exportInteractions.filter((other) => endpointOf(other) === endpointOf(interaction));
  const records = sameEndpoint.flatMap((other) => responseJson(other) as unknown[]);
  return [withoutUnfillable(alwaysPresent(records))];
}

/**
 * Differences left once hosts whose file says nothing about their operating system are allowed
 * to have no asset.operating_system and asset.device_type (6 of the 48 imported hosts).
 */
async function withoutHostGaps(body: unknown, differences: string[]): Promise<string[]> {
  const records = Array.isArray(body) ? (body as { asset?: { uuid: string } }[]) : [];
  const kept: string[] = [];
  for (const difference of differences) {
    const match = /^\$\[(\d+)\]\.asset\.(operating_system|device_type): missing$/.exec(difference);
    const assetId = match ? records[Number(match[1])]?.asset?.uuid : undefined;
    const asset = assetId
      ? await t.ctx.db.selectFrom('assets').select(['operating_system', 'properties']).where('id', '=', assetId).executeTakeFirst()
      : undefined;
    const hasSource = match?.[2] === 'operating_system' ? asset?.operating_system : asset?.properties['system-type'];
    if (!asset || hasSource) kept.push(difference);
  }
  return kept;
}

const mediaType = (value: string | null | undefined) => (value ?? '').split(';')[0]?.trim().toLowerCase();

const exportInteractions = recordedInteractions().filter((interaction) => EXPORT_ENDPOINT.test(endpointOf(interaction)));
const bySource = new Map<string, RecordedInteraction[]>();
for (const interaction of exportInteractions) bySource.set(interaction.source, [...(bySource.get(interaction.source) ?? []), interaction]);

async function instanceIds() {
  const assets = await t.ctx.db.selectFrom('assets').select('id').where('account_id', '=', caller.accountId).execute();
  const plugins = await t.ctx.db.selectFrom('plugins').select('id').where('account_id', '=', caller.accountId).execute();
  return { assets: new Set(assets.map((row) => row.id)), plugins: new Set(plugins.map((row) => row.id)) };
}

/** Values come from this instance's imported data: its asset ids and plugin ids. */
async function expectInstanceValues(endpoint: string, body: unknown): Promise<void> {
  if (!Array.isArray(body) || !endpoint.includes('/chunks/')) return;
  const ids = await instanceIds();
  for (const record of body as Record<string, unknown>[]) {
    if (endpoint.startsWith('GET /vulns')) {
      expect(ids.assets.has((record.asset as { uuid: string }).uuid)).toBe(true);
      expect(ids.plugins.has((record.plugin as { id: number }).id)).toBe(true);
    } else if (endpoint.startsWith('GET /assets')) {
      expect(ids.assets.has(record.id as string)).toBe(true);
    } else {
      expect(ids.assets.has(record.asset_uuid as string)).toBe(true);
    }
  }
}

describe('recorded Tenable.io export traffic, replayed', () => {
  it('covers the export interactions of the recordings', () => {
    const endpoints = new Set(exportInteractions.map(endpointOf));
    expect([...endpoints].sort()).toEqual([
      'GET /assets/export/{id}/chunks/{id}',
      'GET /assets/export/{id}/status',
      'GET /compliance/export/status',
      'GET /compliance/export/{id}/chunks/{id}',
      'GET /compliance/export/{id}/status',
      'GET /vulns/export/{id}/chunks/{id}',
      'GET /vulns/export/{id}/status',
      'POST /assets/export',
      'POST /compliance/export',
      'POST /vulns/export',
    ]);
  });

  it.each([...bySource.keys()])('%s', async (source) => {
    // Recorded export ids stand for the ones this replay creates, in the same order.
    const ids = new Map<string, string>();
    for (const interaction of bySource.get(source) ?? []) {
      const recordedId = UUID.exec(interaction.url)?.[0];
      const url = recordedId ? interaction.url.replace(recordedId, ids.get(recordedId) ?? recordedId) : interaction.url;
      const response = await t.app.inject({
        method: interaction.method as 'GET' | 'POST',
        url,
        headers: { ...caller.headers, ...(interaction.requestBody ? { 'content-type': 'application/json' } : {}) },
        ...(interaction.requestBody ? { payload: interaction.requestBody } : {}),
      });
      const where = `${source} #${interaction.index} ${interaction.method} ${url}`;
      expect(response.statusCode, where).toBe(interaction.status);
      expect(mediaType(response.headers['content-type'] as string), where).toBe(mediaType(interaction.contentType));
      const body = JSON.parse(response.body) as unknown;
      const recorded = responseJson(interaction);
      expect(await withoutHostGaps(body, shapeDifferences(body, modelOf(interaction))), where).toEqual([]);
      await expectInstanceValues(endpointOf(interaction), body);
      const created = (recorded as { export_uuid?: string }).export_uuid;
      if (created) ids.set(created, (body as { export_uuid: string }).export_uuid);
    }
  });

  it('exports the findings of the recorded vulns chunk: the same plugins on the same kind of hosts', async () => {
    const [recorded] = exportInteractions.filter(
      (interaction) =>
        interaction.source.includes('TestExamples') && interaction.url.includes('/vulns/export/') && interaction.url.includes('/chunks/'),
    );
    const recordedPlugins = new Set(
      (responseJson(recorded as RecordedInteraction) as { plugin: { id: number } }[]).map((record) => record.plugin.id),
    );
    const created = await t.app.inject({
      method: 'POST',
      url: '/vulns/export',
      headers: caller.headers,
      payload: { num_assets: 50, filters: { plugin_id: [...recordedPlugins] } },
    });
    const id = (JSON.parse(created.body) as { export_uuid: string }).export_uuid;
    const chunk = JSON.parse(
      (await t.app.inject({ method: 'GET', url: `/vulns/export/${id}/chunks/1`, headers: caller.headers })).body,
    ) as { plugin: { id: number } }[];
    expect(new Set(chunk.map((record) => record.plugin.id))).toEqual(recordedPlugins);
  });
});
