import { z } from 'zod';
import { LicensedApp } from './accounts.js';
import { SeverityCounts } from './scans.js';

/* ---- A customer instance's own pages (issue 5) ---- */

export const SEVERITY_LABELS = ['Info', 'Low', 'Medium', 'High', 'Critical'] as const;
export const FINDING_STATES = ['OPEN', 'REOPENED', 'FIXED'] as const;
export const FindingState = z.enum(FINDING_STATES);
export type FindingState = z.infer<typeof FindingState>;

export const InstanceLicense = z.object({
  app: LicensedApp,
  assetLimit: z.number().int(),
  /** Counted from the instance's assets: hosts for vm, web applications for was, none yet for cs. */
  assetCount: z.number().int(),
  expiresOn: z.iso.date().nullable(),
  isOverLimit: z.boolean(),
  isExpired: z.boolean(),
});
export type InstanceLicense = z.infer<typeof InstanceLicense>;

export const InstanceResponse = z.object({
  accountId: z.uuid(),
  /** The custom name when set, else the customer name. */
  displayName: z.string(),
  name: z.string(),
  isActive: z.boolean(),
  logoId: z.uuid().nullable(),
  logoVersion: z.string().nullable(),
  /** Licensed apps in the order the app switcher offers them. */
  apps: z.array(LicensedApp),
  /** Where the instance opens: Vulnerability Management when licensed, else the first app. */
  defaultApp: LicensedApp.nullable(),
  licenses: z.array(InstanceLicense),
  /** Whether the caller may upload and import scans. */
  canImport: z.boolean(),
  /** Set when a staff user is signed in to the instance from the MSSP portal. */
  isPortalSignIn: z.boolean(),
});
export type InstanceResponse = z.infer<typeof InstanceResponse>;

export const DashboardResponse = z.object({
  openBySeverity: SeverityCounts,
  assetCount: z.number().int(),
  webAppCount: z.number().int(),
  scanCount: z.number().int(),
  complianceByResult: z.record(z.string(), z.number().int()),
  /** Open (and reopened) findings at the end of each day, oldest first. */
  trend: z.array(
    z.object({ date: z.iso.date(), critical: z.number().int(), high: z.number().int(), medium: z.number().int(), low: z.number().int() }),
  ),
  mostVulnerableAssets: z.array(
    z.object({
      assetId: z.uuid(),
      name: z.string(),
      critical: z.number().int(),
      high: z.number().int(),
      medium: z.number().int(),
      low: z.number().int(),
    }),
  ),
  mostWidespreadPlugins: z.array(
    z.object({ pluginId: z.number().int(), name: z.string(), severity: z.number().int(), assetCount: z.number().int() }),
  ),
});
export type DashboardResponse = z.infer<typeof DashboardResponse>;

/** A comma-separated query value as a list of items (empty when absent). */
const csv = <T extends z.ZodType>(item: T) =>
  z
    .string()
    .optional()
    .transform((value) => (value ? value.split(',').filter(Boolean) : []))
    .pipe(z.array(item) as unknown as z.ZodType<z.output<T>[], string[]>);

export const SortOrder = z.enum(['asc', 'desc']);
export type SortOrder = z.infer<typeof SortOrder>;

/**
 * The sort keys of each list and the direction each one reads naturally in (worst, most or newest
 * first; names A to Z). A list asked without an `order` uses that direction.
 */
export const VULNERABILITY_SORTS = { severity: 'desc', assets: 'desc', name: 'asc', pluginId: 'asc', family: 'asc' } as const;
export const ASSET_SORTS = { severity: 'desc', name: 'asc', lastSeen: 'desc' } as const;
export const FINDING_SORTS = {
  severity: 'desc',
  plugin: 'asc',
  asset: 'asc',
  port: 'asc',
  state: 'asc',
  firstFound: 'desc',
  lastFound: 'desc',
} as const;

const sortKey = <T extends Record<string, SortOrder>>(sorts: T) =>
  z.enum(Object.keys(sorts) as [keyof T & string, ...(keyof T & string)[]]);

export const ListVulnerabilitiesQuery = z.object({
  /** Comma-separated severities 0..4. */
  severity: csv(z.coerce.number().int().min(0).max(4)),
  /** Comma-separated states; default OPEN,REOPENED. */
  state: csv(FindingState),
  family: z.string().trim().max(200).optional(),
  /** Part of the plugin name, or the plugin id, or a CVE. */
  search: z.string().trim().max(200).optional(),
  kind: z.enum(['host', 'webapp']).optional(),
  sort: sortKey(VULNERABILITY_SORTS).default('severity'),
  order: SortOrder.optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});
export type ListVulnerabilitiesQuery = z.infer<typeof ListVulnerabilitiesQuery>;

export const VulnerabilitySummary = z.object({
  pluginId: z.number().int(),
  name: z.string(),
  family: z.string().nullable(),
  severity: z.number().int(),
  assetCount: z.number().int(),
  findingCount: z.number().int(),
  cvss3BaseScore: z.number().nullable(),
  lastFound: z.iso.datetime({ offset: true }),
});
export const VulnerabilityListResponse = z.object({
  items: z.array(VulnerabilitySummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  families: z.array(z.string()),
});
export type VulnerabilityListResponse = z.infer<typeof VulnerabilityListResponse>;

export const PluginResponse = z.object({
  id: z.number().int(),
  name: z.string(),
  family: z.string().nullable(),
  riskFactor: z.string().nullable(),
  synopsis: z.string().nullable(),
  description: z.string().nullable(),
  solution: z.string().nullable(),
  pluginType: z.string().nullable(),
  cvssBaseScore: z.number().nullable(),
  cvssVector: z.string().nullable(),
  cvss3BaseScore: z.number().nullable(),
  cvss3Vector: z.string().nullable(),
  cve: z.array(z.string()),
  bid: z.array(z.string()),
  seeAlso: z.array(z.string()),
  xrefs: z.array(z.string()),
  exploitAvailable: z.boolean().nullable(),
  publicationDate: z.iso.date().nullable(),
  modificationDate: z.iso.date().nullable(),
});
export type PluginResponse = z.infer<typeof PluginResponse>;

export const FindingSummary = z.object({
  id: z.uuid(),
  assetId: z.uuid(),
  assetName: z.string(),
  pluginId: z.number().int(),
  pluginName: z.string(),
  port: z.number().int(),
  protocol: z.string(),
  service: z.string().nullable(),
  severity: z.number().int(),
  state: FindingState,
  firstFound: z.iso.datetime({ offset: true }),
  lastFound: z.iso.datetime({ offset: true }),
  lastFixed: z.iso.datetime({ offset: true }).nullable(),
});
export type FindingSummary = z.infer<typeof FindingSummary>;

export const ListFindingsQuery = z.object({
  state: csv(FindingState),
  pluginId: z.coerce.number().int().optional(),
  assetId: z.uuid().optional(),
  sort: sortKey(FINDING_SORTS).default('severity'),
  order: SortOrder.optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListFindingsQuery = z.infer<typeof ListFindingsQuery>;

export const FindingListResponse = z.object({
  items: z.array(FindingSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type FindingListResponse = z.infer<typeof FindingListResponse>;

export const FindingDetailResponse = FindingSummary.extend({
  output: z.string().nullable(),
  resurfacedAt: z.iso.datetime({ offset: true }).nullable(),
  plugin: PluginResponse,
  history: z.array(
    z.object({
      at: z.iso.datetime({ offset: true }),
      fromState: FindingState.nullable(),
      toState: FindingState,
      scanId: z.uuid().nullable(),
      scanName: z.string().nullable(),
    }),
  ),
});
export type FindingDetailResponse = z.infer<typeof FindingDetailResponse>;

export const ListAssetsQuery = z.object({
  search: z.string().trim().max(200).optional(),
  kind: z.enum(['host', 'webapp']).optional(),
  sort: sortKey(ASSET_SORTS).default('severity'),
  order: SortOrder.optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});
export type ListAssetsQuery = z.infer<typeof ListAssetsQuery>;

export const AssetSummary = z.object({
  id: z.uuid(),
  kind: z.enum(['host', 'webapp']),
  name: z.string(),
  fqdn: z.string().nullable(),
  ipv4: z.string().nullable(),
  ipv6: z.string().nullable(),
  netbiosName: z.string().nullable(),
  operatingSystem: z.string().nullable(),
  firstSeen: z.iso.datetime({ offset: true }),
  lastSeen: z.iso.datetime({ offset: true }),
  open: SeverityCounts,
});
export type AssetSummary = z.infer<typeof AssetSummary>;

export const AssetListResponse = z.object({
  items: z.array(AssetSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type AssetListResponse = z.infer<typeof AssetListResponse>;

export const AssetDetailResponse = AssetSummary.extend({
  hostname: z.string().nullable(),
  macAddress: z.string().nullable(),
  agentUuid: z.string().nullable(),
  identity: z.object({ kind: z.string(), value: z.string() }),
  properties: z.record(z.string(), z.string()),
  lastAuthenticatedScanAt: z.iso.datetime({ offset: true }).nullable(),
  complianceByResult: z.record(z.string(), z.number().int()),
});
export type AssetDetailResponse = z.infer<typeof AssetDetailResponse>;

export const AssetParams = z.object({ accountId: z.uuid(), assetId: z.uuid() });
export const FindingParams = z.object({ accountId: z.uuid(), findingId: z.uuid() });
export const PluginParams = z.object({ accountId: z.uuid(), pluginId: z.coerce.number().int().min(0) });
