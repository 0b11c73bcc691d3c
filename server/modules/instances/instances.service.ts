import { can } from '../../../common/permissions.js';
import type { LicensedApp } from '../../../common/schemas/accounts.js';
import type {
  AssetDetailResponse,
  AssetListResponse,
  AssetSummary,
  DashboardResponse,
  FindingDetailResponse,
  FindingListResponse,
  FindingState,
  InstanceResponse,
  ListAssetsQuery,
  ListFindingsQuery,
  ListVulnerabilitiesQuery,
  PluginResponse,
  VulnerabilityListResponse,
} from '../../../common/schemas/instances.js';
import { AppError, notFound } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { recordAudit } from '../audit/audit.service.js';
import {
  complianceByResult,
  countAssetsByKind,
  countCompletedScans,
  findAsset,
  findAssets,
  findFamilies,
  findFinding,
  findFindingHistory,
  findFindings,
  findInstanceAccount,
  findLicenses,
  findPlugin,
  findVulnerabilities,
  mostVulnerableAssets,
  mostWidespreadPlugins,
  openBySeverity,
  openTrend,
} from './instances.repository.js';

const APP_ORDER: LicensedApp[] = ['vm', 'was', 'cs'];
const TREND_DAYS = 90;

const iso = (value: Date) => value.toISOString();
const isoOrNull = (value: Date | null) => (value ? value.toISOString() : null);

function severityCounts(rows: { severity: number; count: number }[]) {
  const at = (severity: number) => rows.find((row) => row.severity === severity)?.count ?? 0;
  return { critical: at(4), high: at(3), medium: at(2), low: at(1), info: at(0) };
}

/** The instance as its header and app switcher need it; licences with asset counts from its own assets. */
export async function getInstance(ctx: ServiceContext, accountId: string, now = new Date()): Promise<InstanceResponse> {
  const account = await findInstanceAccount(ctx.db, accountId);
  if (!account) throw notFound('Instance');
  const [licenses, counts] = await Promise.all([findLicenses(ctx.db, accountId), countAssetsByKind(ctx.db, accountId)]);
  const apps = APP_ORDER.filter((app) => licenses.some((license) => license.app === app));
  const today = now.toISOString().slice(0, 10);
  return {
    accountId: account.id,
    displayName: account.custom_name ?? account.name,
    name: account.name,
    isActive: account.is_active,
    logoId: account.logo_id,
    logoVersion: account.logo_updated_at ? String(account.logo_updated_at.getTime()) : null,
    apps,
    defaultApp: apps[0] ?? null,
    licenses: licenses.map((license) => {
      // Container Security counts container images, and none have arrived yet (issue 5).
      const assetCount = license.app === 'was' ? counts.webapp : license.app === 'vm' ? counts.host : 0;
      return {
        app: license.app,
        assetLimit: license.asset_limit,
        assetCount,
        expiresOn: license.expires_on,
        isOverLimit: assetCount > license.asset_limit,
        isExpired: license.expires_on !== null && license.expires_on < today,
      };
    }),
    canImport: can(ctx.actor, 'scans:import', { accountId }),
    isPortalSignIn: ctx.actor?.kind === 'staff',
  };
}

export async function getDashboard(ctx: ServiceContext, accountId: string, now = new Date()): Promise<DashboardResponse> {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(now.getTime() - (TREND_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  const [open, counts, scans, compliance, changes, assets, plugins] = await Promise.all([
    openBySeverity(ctx.db, accountId),
    countAssetsByKind(ctx.db, accountId),
    countCompletedScans(ctx.db, accountId),
    complianceByResult(ctx.db, accountId),
    openTrend(ctx.db, accountId, from, to),
    mostVulnerableAssets(ctx.db, accountId, 10),
    mostWidespreadPlugins(ctx.db, accountId, 10),
  ]);
  // Running totals per severity: the day before the window holds everything earlier.
  const running = [0, 0, 0, 0, 0];
  const byDay = new Map<string, number[]>();
  for (const change of changes) {
    const list = byDay.get(change.day) ?? [0, 0, 0, 0, 0];
    list[change.severity] = (list[change.severity] ?? 0) + change.change;
    byDay.set(change.day, list);
  }
  const before = new Date(new Date(`${from}T00:00:00Z`).getTime() - 86_400_000).toISOString().slice(0, 10);
  for (const [severity, value] of (byDay.get(before) ?? []).entries()) running[severity] = value;
  const trend: DashboardResponse['trend'] = [];
  for (let day = new Date(`${from}T00:00:00Z`); day.toISOString().slice(0, 10) <= to; day = new Date(day.getTime() + 86_400_000)) {
    const key = day.toISOString().slice(0, 10);
    for (const [severity, value] of (byDay.get(key) ?? []).entries()) running[severity] = (running[severity] ?? 0) + value;
    trend.push({ date: key, critical: running[4] ?? 0, high: running[3] ?? 0, medium: running[2] ?? 0, low: running[1] ?? 0 });
  }
  return {
    openBySeverity: severityCounts(open),
    assetCount: counts.host,
    webAppCount: counts.webapp,
    scanCount: scans,
    complianceByResult: Object.fromEntries(compliance.map((row) => [row.result, row.count])),
    trend,
    mostVulnerableAssets: assets.map((row) => ({
      assetId: row.id,
      name: row.name,
      critical: row.critical,
      high: row.high,
      medium: row.medium,
      low: row.low,
    })),
    mostWidespreadPlugins: plugins.map((row) => ({
      pluginId: row.plugin_id,
      name: row.name,
      severity: row.severity,
      assetCount: row.asset_count,
    })),
  };
}

export async function listVulnerabilities(
  ctx: ServiceContext,
  accountId: string,
  query: ListVulnerabilitiesQuery,
): Promise<VulnerabilityListResponse> {
  const [{ rows, total }, families] = await Promise.all([findVulnerabilities(ctx.db, accountId, query), findFamilies(ctx.db, accountId)]);
  return {
    items: rows.map((row) => ({
      pluginId: row.plugin_id,
      name: row.name,
      family: row.family,
      severity: row.severity,
      assetCount: row.asset_count,
      findingCount: row.finding_count,
      cvss3BaseScore: row.cvss3_base_score === null ? null : Number(row.cvss3_base_score),
      lastFound: iso(new Date(row.last_found)),
    })),
    total,
    page: query.page,
    pageSize: query.pageSize,
    families,
  };
}

type PluginRow = NonNullable<Awaited<ReturnType<typeof findPlugin>>>;

function presentPlugin(row: PluginRow | undefined, pluginId: number, fallbackName: string): PluginResponse {
  return {
    id: pluginId,
    name: row?.name ?? fallbackName,
    family: row?.family ?? null,
    riskFactor: row?.risk_factor ?? null,
    synopsis: row?.synopsis ?? null,
    description: row?.description ?? null,
    solution: row?.solution ?? null,
    pluginType: row?.plugin_type ?? null,
    cvssBaseScore: row?.cvss_base_score ?? null,
    cvssVector: row?.cvss_vector ?? null,
    cvss3BaseScore: row?.cvss3_base_score ?? null,
    cvss3Vector: row?.cvss3_vector ?? null,
    cve: row?.cve ?? [],
    bid: row?.bid ?? [],
    seeAlso: row?.see_also ?? [],
    xrefs: row?.xrefs ?? [],
    exploitAvailable: row?.exploit_available ?? null,
    publicationDate: row?.publication_date ?? null,
    modificationDate: row?.modification_date ?? null,
  };
}

export async function getPlugin(ctx: ServiceContext, accountId: string, pluginId: number): Promise<PluginResponse> {
  const row = await findPlugin(ctx.db, accountId, pluginId);
  if (!row) throw notFound('Plugin');
  return presentPlugin(row, pluginId, row.name);
}

type FindingRow = Awaited<ReturnType<typeof findFindings>>['rows'][number];

function presentFinding(row: Omit<FindingRow, 'total'>) {
  return {
    id: row.id,
    assetId: row.asset_id,
    assetName: row.asset_name,
    pluginId: row.plugin_id,
    pluginName: row.plugin_name,
    port: row.port,
    protocol: row.protocol,
    service: row.service,
    severity: row.severity,
    state: row.state,
    firstFound: iso(row.first_found),
    lastFound: iso(row.last_found),
    lastFixed: isoOrNull(row.last_fixed),
  };
}

export async function listFindings(ctx: ServiceContext, accountId: string, query: ListFindingsQuery): Promise<FindingListResponse> {
  const { rows, total } = await findFindings(ctx.db, accountId, query);
  return { items: rows.map(presentFinding), total, page: query.page, pageSize: query.pageSize };
}

export async function getFinding(ctx: ServiceContext, accountId: string, findingId: string): Promise<FindingDetailResponse> {
  const row = await findFinding(ctx.db, accountId, findingId);
  if (!row) throw notFound('Finding');
  const [plugin, history] = await Promise.all([
    findPlugin(ctx.db, accountId, row.plugin_id),
    findFindingHistory(ctx.db, accountId, findingId),
  ]);
  return {
    ...presentFinding(row),
    output: row.output,
    resurfacedAt: isoOrNull(row.resurfaced_at),
    plugin: presentPlugin(plugin, row.plugin_id, row.plugin_name),
    history: history.map((event) => ({
      at: iso(event.at),
      fromState: event.from_state as FindingState | null,
      toState: event.to_state as FindingState,
      scanId: event.scan_id,
      scanName: event.scan_name,
    })),
  };
}

type AssetRow = Awaited<ReturnType<typeof findAssets>>['rows'][number];

function presentAsset(row: Omit<AssetRow, 'total'>): AssetSummary {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    fqdn: row.fqdn,
    ipv4: row.ipv4,
    ipv6: row.ipv6,
    netbiosName: row.netbios_name,
    operatingSystem: row.operating_system,
    firstSeen: iso(row.first_seen),
    lastSeen: iso(row.last_seen),
    open: { critical: row.critical, high: row.high, medium: row.medium, low: row.low, info: row.info },
  };
}

export async function listAssets(ctx: ServiceContext, accountId: string, query: ListAssetsQuery): Promise<AssetListResponse> {
  const { rows, total } = await findAssets(ctx.db, accountId, query);
  return { items: rows.map(presentAsset), total, page: query.page, pageSize: query.pageSize };
}

export async function getAsset(ctx: ServiceContext, accountId: string, assetId: string): Promise<AssetDetailResponse> {
  const row = await findAsset(ctx.db, accountId, assetId);
  if (!row) throw notFound('Asset');
  const compliance = await complianceByResult(ctx.db, accountId, assetId);
  return {
    ...presentAsset(row),
    hostname: row.hostname,
    macAddress: row.mac_address,
    agentUuid: row.agent_uuid,
    identity: { kind: row.identity_kind, value: row.identity_value },
    properties: row.properties,
    lastAuthenticatedScanAt: isoOrNull(row.last_authenticated_scan_at),
    complianceByResult: Object.fromEntries(compliance.map((entry) => [entry.result, entry.count])),
  };
}

/**
 * Single sign-on from the MSSP portal (the seed): a staff user who may see the account enters its
 * instance with their own portal role. Recorded in the audit log; leaving is recorded too.
 */
export async function enterInstance(ctx: ServiceContext, accountId: string): Promise<void> {
  if (ctx.actor?.kind !== 'staff') throw new AppError('forbidden', 'Single sign-on is for MSSP portal users.');
  await recordAudit(ctx, { action: 'instance.sso_entered', targetType: 'account', targetId: accountId, accountId });
}

export async function leaveInstance(ctx: ServiceContext, accountId: string): Promise<void> {
  if (ctx.actor?.kind !== 'staff') throw new AppError('forbidden', 'Single sign-on is for MSSP portal users.');
  await recordAudit(ctx, { action: 'instance.sso_left', targetType: 'account', targetId: accountId, accountId });
}
