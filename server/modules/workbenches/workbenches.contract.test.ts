import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import type { InstanceCaller } from '../../test/instance-api.js';
import { endpointOf, recordedInteractions, responseJson, shapeDifferences, type RecordedInteraction } from '../../test/tenable-contract.js';
import { createWorkbenchInstance, findRichestAsset, findRichestPlugin } from './workbenches.test-support.js';

/*
 * Every recorded request to an endpoint of this module (../shared/fixtures/real/tenable) replayed
 * against an instance holding real imported .nessus files: the recorded status, a JSON content
 * type, the recorded shape (keys and JSON types, recursively) and values from the imported data.
 */

const ENDPOINTS = [
  'GET /filters/workbenches/assets',
  'GET /filters/workbenches/vulnerabilities',
  'GET /filters/scans/reports',
  'GET /workbenches/assets',
  'GET /workbenches/assets/vulnerabilities',
  'GET /workbenches/assets/{id}/activity',
  'GET /workbenches/assets/{id}/info',
  'GET /workbenches/assets/{id}/vulnerabilities',
  'GET /workbenches/assets/{id}/vulnerabilities/{id}/info',
  'GET /workbenches/vulnerabilities',
  'GET /workbenches/vulnerabilities/{id}/info',
  'GET /workbenches/vulnerabilities/{id}/outputs',
];

/**
 * Keys Bulwark cannot fill from a .nessus file, set to null in the recorded model (a recorded null
 * matches anything; the key must still be there): Tenable's own ratings (AES, its confidence) and
 * the VPR parts only its threat feed computes; and the scores of plugins that have none (Tenable's
 * own per-asset recording lists groups without vpr_score or CVSS scores).
 */
const NOT_FROM_A_NESSUS_FILE = new Set([
  'exposure_score',
  'exposure_score_value',
  'exposure_confidence_value',
  'cvss_impact_score_predicted',
  'updated',
  // VPR ranges in .nessus files are often open-ended ("730 days +") or none ("No recorded events").
  'upper_bound',
  'threat_recency',
  'vpr_score',
  'cvss_base_score',
  'cvss3_base_score',
]);

function modelOf(recorded: unknown, isUnderRiskInformation = false): unknown {
  if (Array.isArray(recorded)) return recorded.map((item) => modelOf(item));
  if (recorded === null || typeof recorded !== 'object') return recorded;
  return Object.fromEntries(
    Object.entries(recorded).map(([key, value]) => [
      key,
      // risk_information keeps its CVSS scores: Tenable sends them (null when none) in every record.
      NOT_FROM_A_NESSUS_FILE.has(key) && !isUnderRiskInformation ? null : modelOf(value, key === 'risk_information'),
    ]),
  );
}

let t: TestApp;
let caller: InstanceCaller;
let asset: { id: string; pluginId: number };
let richPlugin: number;

beforeAll(async () => {
  // Hundreds of workbench calls in a minute: the rate limit is not what these tests are about.
  t = await buildTestApp({ API_REQUESTS_PER_MINUTE: '100000' });
  caller = await createWorkbenchInstance(t);
  asset = await findRichestAsset(t, caller.accountId);
  richPlugin = await findRichestPlugin(t, caller.accountId);
}, 240_000);

afterAll(async () => {
  await t.close();
});

const interactions = recordedInteractions().filter((interaction) => ENDPOINTS.includes(endpointOf(interaction)));

/** The recorded URL with the recorded ids replaced by ids of the imported data. */
function replayUrl(interaction: RecordedInteraction): string {
  const assetScoped = interaction.url.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i, asset.id);
  if (/^\/workbenches\/assets\/[^/]+\/vulnerabilities\/\d+/.test(assetScoped)) {
    return assetScoped.replace(/\/vulnerabilities\/\d+/, `/vulnerabilities/${asset.pluginId}`);
  }
  return assetScoped.replace(/^\/workbenches\/vulnerabilities\/\d+/, `/workbenches/vulnerabilities/${richPlugin}`);
}

/** Assets, or open findings, of the instance (optionally of one asset or plugin), counted directly. */
async function countRows(table: 'assets' | 'findings', scope: { plugin?: number; asset?: string } = {}) {
  let query = t.ctx.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('account_id', '=', caller.accountId);
  if (table === 'findings') query = query.where('state', '<>', 'FIXED');
  if (scope.plugin !== undefined) query = query.where('plugin_id', '=', scope.plugin);
  if (scope.asset !== undefined) query = query.where('asset_id', '=', scope.asset);
  return Number((await query.executeTakeFirstOrThrow()).count);
}

type Body = Record<string, unknown>;

/** What each endpoint's answer must say about the imported data. */
const VALUE_CHECKS: Record<string, (body: Body) => Promise<void>> = {
  'GET /filters/workbenches/assets': async (body) => {
    expect((body.filters as Body[]).map((filter) => filter.name)).toContain('host.id');
  },
  'GET /filters/workbenches/vulnerabilities': async (body) => {
    expect((body.filters as Body[]).map((filter) => filter.name)).toContain('plugin.id');
  },
  // The scan export applies no filters (scans-api), so the scan-report catalogue lists none.
  'GET /filters/scans/reports': async (body) => {
    expect(body.filters).toEqual([]);
  },
  'GET /workbenches/assets': async (body) => {
    expect(body.total).toBe(await countRows('assets'));
    expect((body.assets as Body[]).map((item) => item.id)).toContain(asset.id);
  },
  'GET /workbenches/assets/vulnerabilities': async (body) => {
    const assets = body.assets as Body[];
    expect(assets.reduce((sum, item) => sum + (item.total as number), 0)).toBe(await countRows('findings'));
    expect(assets.map((item) => item.id)).toContain(asset.id);
  },
  'GET /workbenches/assets/{id}/activity': async (body) => {
    const activity = body.activity as Body[];
    expect(activity.length).toBeGreaterThan(0);
    expect(activity.at(-1)).toMatchObject({ type: 'discovered', details: { assetId: asset.id } });
  },
  'GET /workbenches/assets/{id}/info': async (body) => {
    const info = body.info as Body & { counts: { vulnerabilities: { total: number } } };
    expect(info.id).toBe(asset.id);
    expect(info.counts.vulnerabilities.total).toBe(await countRows('findings', { asset: asset.id }));
  },
  'GET /workbenches/assets/{id}/vulnerabilities': async (body) => {
    expect(body.total_vulnerability_count).toBe(await countRows('findings', { asset: asset.id }));
    expect((body.vulnerabilities as Body[]).map((item) => item.plugin_id)).toContain(asset.pluginId);
  },
  'GET /workbenches/assets/{id}/vulnerabilities/{id}/info': async (body) => {
    const info = body.info as Body;
    expect(info.count).toBe(await countRows('findings', { asset: asset.id, plugin: asset.pluginId }));
  },
  'GET /workbenches/vulnerabilities': async (body) => {
    expect(body.total_vulnerability_count).toBe(await countRows('findings'));
    const plugin = await t.ctx.db
      .selectFrom('plugins')
      .select(['name', 'family', 'attributes'])
      .where('account_id', '=', caller.accountId)
      .where('id', '=', richPlugin)
      .executeTakeFirstOrThrow();
    expect((body.vulnerabilities as Body[]).find((item) => item.plugin_id === richPlugin)).toMatchObject({
      plugin_name: plugin.name,
      plugin_family: plugin.family,
      vpr_score: Number(plugin.attributes.vpr_score),
      count: await countRows('findings', { plugin: richPlugin }),
    });
  },
  'GET /workbenches/vulnerabilities/{id}/info': async (body) => {
    const info = body.info as Body & { vpr: { score: number } };
    const plugin = await t.ctx.db
      .selectFrom('plugins')
      .select(['name', 'attributes'])
      .where('account_id', '=', caller.accountId)
      .where('id', '=', richPlugin)
      .executeTakeFirstOrThrow();
    expect((info.plugin_details as Body).name).toBe(plugin.name);
    expect(info.vpr.score).toBe(Number(plugin.attributes.vpr_score));
    expect(info.count).toBe(await countRows('findings', { plugin: richPlugin }));
  },
  'GET /workbenches/vulnerabilities/{id}/outputs': async (body) => {
    const outputs = body.outputs as { states: { results: { assets: unknown[] }[] }[] }[];
    const assetCount = outputs.flatMap((output) =>
      output.states.flatMap((state) => state.results.flatMap((result) => result.assets)),
    ).length;
    expect(assetCount).toBe(await countRows('findings', { plugin: richPlugin }));
  },
};

describe('recorded Tenable traffic replayed against Bulwark', () => {
  it('covers every endpoint of this module', () => {
    expect(new Set(interactions.map(endpointOf))).toEqual(new Set(ENDPOINTS));
  });

  it.each(interactions.map((interaction) => [`${interaction.source} #${interaction.index} ${interaction.url}`, interaction] as const))(
    '%s',
    async (_name, interaction) => {
      const response = await t.app.inject({ method: 'GET', url: replayUrl(interaction), headers: caller.headers });
      expect(response.statusCode).toBe(interaction.status);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const body = response.json<Body>();
      expect(shapeDifferences(body, modelOf(responseJson(interaction)))).toEqual([]);
      await VALUE_CHECKS[endpointOf(interaction)]?.(body);
    },
  );
});
