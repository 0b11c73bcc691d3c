import type { ServiceContext } from '../../lib/context.js';
import { complianceByResult } from '../instances/instances.repository.js';
import { TENABLE_NOT_FOUND, TenableError } from '../mssp-api/mssp-api.errors.js';
import { parseWorkbenchFilters } from './workbench-filters.js';
import {
  countFindings,
  findAssetDetails,
  findPlugin,
  listAssetDetails,
  listAssetScans,
  listAssetsWithFindings,
  listPluginGroups,
  listPluginOutputs,
  listPlugins,
  openFindingsBySeverity,
  summarisePluginFindings,
  type AssetDetailsRow,
  type FindingScope,
} from './workbenches.repository.js';
import {
  presentAssetActivity,
  presentAssetInfo,
  presentAssetRecord,
  presentAssetSummary,
  presentAssetVulnerabilityCounts,
  presentPluginDetails,
  presentPluginGroup,
  presentPluginInfo,
  presentPluginOutputs,
} from './workbenches.presenters.js';
import {
  SEVERITY_NAMES,
  type AssetWorkbenchQuery,
  type PluginListQuery,
  type VulnerabilityWorkbenchQuery,
  type WorkbenchQuery,
} from './workbenches.schemas.js';

/** The instance's service context: every read is scoped to ctx.accountId. */
export type InstanceContext = ServiceContext & { accountId: string };

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLUGIN_ID_PATTERN = /^\d{1,9}$/;

function notFound(): TenableError {
  return new TenableError(404, TENABLE_NOT_FOUND);
}

/** Another instance's asset, a missing one and a malformed id all answer the same 404. */
async function requireAsset(ctx: InstanceContext, assetUuid: string): Promise<AssetDetailsRow> {
  if (!UUID_PATTERN.test(assetUuid)) throw notFound();
  const asset = await findAssetDetails(ctx.db, ctx.accountId, assetUuid.toLowerCase());
  if (!asset) throw notFound();
  return asset;
}

async function requirePlugin(ctx: InstanceContext, pluginId: string) {
  if (!PLUGIN_ID_PATTERN.test(pluginId)) throw notFound();
  const plugin = await findPlugin(ctx.db, ctx.accountId, Number(pluginId));
  if (!plugin) throw notFound();
  return plugin;
}

/**
 * What a vulnerability workbench query covers. Fixed findings are left out unless the query
 * filters on tracking.state, as Tenable's workbenches show open vulnerabilities by default.
 */
function findingScopeOf(query: WorkbenchQuery & Partial<VulnerabilityWorkbenchQuery>): FindingScope {
  const filters = parseWorkbenchFilters(query, 'vulnerabilities');
  return {
    filters,
    seenWithinDays: query.date_range ? query.date_range : null,
    includeFixed: filters.filters.some((filter) => filter.name === 'tracking.state'),
    severity: query.severity === undefined ? undefined : SEVERITY_NAMES.indexOf(query.severity),
    isAuthenticatedOnly: query.authenticated === true,
    isExploitableOnly: query.exploitable === true,
    isResolvableOnly: query.resolvable === true,
  };
}

/** GET /assets: every asset of the instance, latest seen first (Tenable pages nothing here). */
export async function listAssets(ctx: InstanceContext) {
  const rows = await listAssetDetails(ctx.db, ctx.accountId, { filters: { filters: [], matchAll: true }, seenWithinDays: null });
  return { assets: rows.map(presentAssetSummary), total: rows.length };
}

export async function getAsset(ctx: InstanceContext, assetUuid: string) {
  return presentAssetRecord(await requireAsset(ctx, assetUuid), ctx.accountId);
}

/** GET /workbenches/assets: the assets the asset filters select, full records with all_fields=full. */
export async function listWorkbenchAssets(ctx: InstanceContext, query: AssetWorkbenchQuery) {
  const filters = parseWorkbenchFilters(query, 'assets');
  const rows = await listAssetDetails(ctx.db, ctx.accountId, { filters, seenWithinDays: query.date_range ? query.date_range : null });
  const isFull = query.all_fields === 'full';
  return {
    assets: rows.map((row) => (isFull ? presentAssetRecord(row, ctx.accountId) : presentAssetSummary(row))),
    total: rows.length,
  };
}

export async function getWorkbenchAssetInfo(ctx: InstanceContext, assetUuid: string) {
  const asset = await requireAsset(ctx, assetUuid);
  const [findings, audits] = await Promise.all([
    openFindingsBySeverity(ctx.db, ctx.accountId, asset.id),
    complianceByResult(ctx.db, ctx.accountId, asset.id),
  ]);
  return presentAssetInfo(
    asset,
    ctx.accountId,
    new Map(findings.map((row) => [row.severity, row.count])),
    Object.fromEntries(audits.map((row) => [row.result.toUpperCase(), row.count])),
  );
}

export async function getAssetActivity(ctx: InstanceContext, assetUuid: string) {
  const asset = await requireAsset(ctx, assetUuid);
  return presentAssetActivity(asset.id, ctx.accountId, await listAssetScans(ctx.db, ctx.accountId, asset.id));
}

async function pluginGroups(ctx: InstanceContext, scope: FindingScope) {
  const [rows, totals] = await Promise.all([listPluginGroups(ctx.db, ctx.accountId, scope), countFindings(ctx.db, ctx.accountId, scope)]);
  return {
    vulnerabilities: rows.map(presentPluginGroup),
    total_vulnerability_count: totals.finding_count,
    total_asset_count: totals.asset_count,
  };
}

/** GET /workbenches/vulnerabilities: the findings in scope grouped by plugin. */
export async function listWorkbenchVulnerabilities(ctx: InstanceContext, query: VulnerabilityWorkbenchQuery) {
  return pluginGroups(ctx, findingScopeOf(query));
}

/** GET /workbenches/assets/{uuid}/vulnerabilities: the same, for one asset. */
export async function listAssetVulnerabilities(ctx: InstanceContext, assetUuid: string, query: WorkbenchQuery) {
  const asset = await requireAsset(ctx, assetUuid);
  return pluginGroups(ctx, { ...findingScopeOf(query), assetId: asset.id });
}

/** GET /workbenches/assets/vulnerabilities: the assets with findings in scope and their counts. */
export async function listWorkbenchAssetsWithVulnerabilities(ctx: InstanceContext, query: WorkbenchQuery) {
  const rows = await listAssetsWithFindings(ctx.db, ctx.accountId, findingScopeOf(query));
  return { assets: rows.map(presentAssetVulnerabilityCounts), total_asset_count: rows.length };
}

/** GET /workbenches/vulnerabilities/{plugin}/info and its per-asset form. */
export async function getPluginInfo(ctx: InstanceContext, pluginId: string, query: WorkbenchQuery, assetUuid?: string) {
  const asset = assetUuid === undefined ? undefined : await requireAsset(ctx, assetUuid);
  const plugin = await requirePlugin(ctx, pluginId);
  const summary = await summarisePluginFindings(ctx.db, ctx.accountId, {
    ...findingScopeOf(query),
    pluginId: plugin.id,
    assetId: asset?.id,
  });
  return presentPluginInfo(plugin, summary);
}

export async function getPluginOutputs(ctx: InstanceContext, pluginId: string, query: WorkbenchQuery) {
  const plugin = await requirePlugin(ctx, pluginId);
  return presentPluginOutputs(await listPluginOutputs(ctx.db, ctx.accountId, { ...findingScopeOf(query), pluginId: plugin.id }));
}

/**
 * GET /plugins/plugin: pages of `size` from page 1. pyTenable's plugins.list() starts at 1 and
 * Elastic at 1; page 0 (the class default of pyTenable's older iterator) is read as the first page.
 */
export async function listPluginPage(ctx: InstanceContext, query: PluginListQuery) {
  const page = Math.max(query.page, 1);
  const lastUpdated = query.last_updated ?? '1970-01-01';
  const { rows, total } = await listPlugins(ctx.db, ctx.accountId, {
    updatedSince: lastUpdated,
    limit: query.size,
    offset: (page - 1) * query.size,
  });
  return {
    data: { plugin_details: rows.map(presentPluginDetails) },
    size: rows.length,
    params: { page, size: query.size, last_updated: query.last_updated ?? '' },
    total_count: total,
  };
}
