import { z } from 'zod';

/*
 * Assets, workbenches, filter catalogues and plugins of the Tenable-compatible instance API
 * (../shared/spec/tenable-api.md section 3). Tenable defines the contract, so these schemas live
 * here with Tenable's snake_case names. Asset records carry some forty list fields that are empty
 * in Bulwark (cloud and third-party ids): those objects are loose, and the presenters build every
 * key explicitly, so no row column reaches a response by accident.
 */

const Flag = z
  .string()
  .toLowerCase()
  .pipe(z.enum(['true', 'false']))
  .transform((value) => value === 'true');

/** Days; numeric strings are what a query carries. 0 or absent: any time. */
const DateRange = z.coerce.number().int().min(0).max(36500).optional();

/** `filter.<i>.filter|quality|value` and `filter.search_type` pass through to workbench-filters.ts. */
export const WorkbenchQuery = z.looseObject({ date_range: DateRange });
export type WorkbenchQuery = z.infer<typeof WorkbenchQuery>;

export const AssetWorkbenchQuery = z.looseObject({
  date_range: DateRange,
  /** pyTenable always sends full; without it the default (shorter) record comes back. */
  all_fields: z.enum(['full', 'default']).optional(),
});
export type AssetWorkbenchQuery = z.infer<typeof AssetWorkbenchQuery>;

export const SEVERITY_NAMES = ['info', 'low', 'medium', 'high', 'critical'] as const;

export const VulnerabilityWorkbenchQuery = z.looseObject({
  date_range: DateRange,
  /** pyTenable's workbenches.vulns() shortcuts. */
  authenticated: Flag.optional(),
  exploitable: Flag.optional(),
  resolvable: Flag.optional(),
  severity: z.string().toLowerCase().pipe(z.enum(SEVERITY_NAMES)).optional(),
});
export type VulnerabilityWorkbenchQuery = z.infer<typeof VulnerabilityWorkbenchQuery>;

export const AssetParams = z.object({ asset_uuid: z.string() });
export const PluginParams = z.object({ plugin_id: z.string() });
export const AssetPluginParams = z.object({ asset_uuid: z.string(), plugin_id: z.string() });

export const PluginListQuery = z.object({
  last_updated: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
    .optional(),
  size: z.coerce.number().int().min(1).max(10000).default(1000),
  /** 1-based; 0 is read as 1 (see docs/instance-api/workbenches.md). */
  page: z.coerce.number().int().min(0).default(1),
});
export type PluginListQuery = z.infer<typeof PluginListQuery>;

export const FilterCatalogue = z.object({
  filters: z.array(
    z.object({
      name: z.string(),
      readable_name: z.string(),
      operators: z.array(z.string()),
      control: z.object({
        type: z.string(),
        regex: z.string(),
        readable_regex: z.string(),
        list: z.array(z.string()).optional(),
      }),
      group_name: z.string().nullable(),
    }),
  ),
});

const Source = z.object({ name: z.string(), first_seen: z.string(), last_seen: z.string() });
const ScanFrequency = z.object({ interval: z.number().int(), frequency: z.number().int(), licensed: z.boolean() });

export const AssetSummary = z.looseObject({
  id: z.uuid(),
  has_agent: z.boolean(),
  last_seen: z.string(),
  last_scan_target: z.string().nullable(),
  sources: z.array(Source),
  scan_frequency: z.array(ScanFrequency),
  ipv4: z.array(z.string()),
  ipv6: z.array(z.string()),
  fqdn: z.array(z.string()),
  netbios_name: z.array(z.string()),
  operating_system: z.array(z.string()),
  hostname: z.array(z.string()),
  mac_address: z.array(z.string()),
});
export type AssetSummary = z.infer<typeof AssetSummary>;

export const AssetRecord = AssetSummary.extend({
  name: z.string(),
  has_plugin_results: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  first_seen: z.string(),
  first_scan_time: z.string(),
  last_scan_time: z.string(),
  last_authenticated_scan_date: z.string().nullable(),
  last_licensed_scan_date: z.string(),
  last_scan_id: z.string().nullable(),
  last_schedule_id: z.string().nullable(),
  tags: z.array(z.unknown()),
  interfaces: z.array(
    z.object({
      name: z.string(),
      fqdn: z.array(z.string()),
      mac_address: z.array(z.string()),
      ipv4: z.array(z.string()),
      ipv6: z.array(z.string()),
    }),
  ),
  network_id: z.array(z.string()),
  container_uuid: z.uuid(),
});
export type AssetRecord = z.infer<typeof AssetRecord>;

export const AssetList = z.object({ assets: z.array(AssetSummary), total: z.number().int() });

const SeverityCount = z.object({ count: z.number().int(), level: z.number().int(), name: z.string() });

export const AssetInfo = z.object({
  info: AssetRecord.extend({
    uuid: z.uuid(),
    time_start: z.string().nullable(),
    time_end: z.string().nullable(),
    counts: z.object({
      vulnerabilities: z.object({ total: z.number().int(), severities: z.array(SeverityCount) }),
      audits: z.object({ total: z.number().int(), statuses: z.array(SeverityCount) }),
    }),
  }),
});

export const PluginGroup = z.object({
  count: z.number().int(),
  plugin_family: z.string().nullable(),
  plugin_id: z.number().int(),
  plugin_name: z.string(),
  vulnerability_state: z.enum(['New', 'Active', 'Resurfaced', 'Fixed']),
  /** null when the plugin has none (Tenable omits the key then; null reads the same to its clients). */
  vpr_score: z.number().nullable(),
  cvss_base_score: z.number().nullable(),
  cvss3_base_score: z.number().nullable(),
  accepted_count: z.number().int(),
  recasted_count: z.number().int(),
  counts_by_severity: z.array(z.object({ count: z.number().int(), value: z.number().int() })),
  severity: z.number().int(),
});
export type PluginGroup = z.infer<typeof PluginGroup>;

export const PluginGroupList = z.object({
  vulnerabilities: z.array(PluginGroup),
  total_vulnerability_count: z.number().int(),
  total_asset_count: z.number().int(),
});

export const AssetVulnerabilityCounts = z.object({
  id: z.uuid(),
  severities: z.array(SeverityCount),
  total: z.number().int(),
  fqdn: z.array(z.string()),
  ipv4: z.array(z.string()),
  ipv6: z.array(z.string()),
  last_seen: z.string(),
  netbios_name: z.array(z.string()),
  hostname: z.array(z.string()),
  agent_name: z.array(z.string()),
});

export const AssetVulnerabilityCountsList = z.object({ assets: z.array(AssetVulnerabilityCounts), total_asset_count: z.number().int() });

const TextOrNull = z.string().nullable();

export const PluginInfo = z.object({
  info: z.object({
    count: z.number().int(),
    vuln_count: z.number().int(),
    recasted_count: z.number().int(),
    accepted_count: z.number().int(),
    description: TextOrNull,
    synopsis: TextOrNull,
    solution: TextOrNull,
    discovery: z.object({ seen_first: TextOrNull, seen_last: TextOrNull }),
    severity: z.number().int(),
    plugin_details: z.object({
      family: TextOrNull,
      modification_date: TextOrNull,
      name: z.string(),
      publication_date: TextOrNull,
      type: TextOrNull,
      version: TextOrNull,
      severity: z.number().int(),
    }),
    reference_information: z.array(
      z.object({ name: z.string(), url: TextOrNull, ext: z.string().optional(), values: z.array(z.string()) }),
    ),
    risk_information: z.object({
      risk_factor: TextOrNull,
      cvss_vector: TextOrNull,
      cvss_base_score: TextOrNull,
      cvss_temporal_vector: TextOrNull,
      cvss_temporal_score: TextOrNull,
      cvss3_vector: TextOrNull,
      cvss3_base_score: TextOrNull,
      cvss3_temporal_vector: TextOrNull,
      cvss3_temporal_score: TextOrNull,
      stig_severity: TextOrNull,
    }),
    see_also: z.array(z.string()),
    vulnerability_information: z.object({
      vulnerability_publication_date: TextOrNull,
      exploited_by_malware: z.boolean(),
      patch_publication_date: TextOrNull,
      exploit_available: z.boolean(),
      exploitability_ease: TextOrNull,
      asset_inventory: z.boolean().nullable(),
      default_account: z.boolean(),
      exploited_by_nessus: z.boolean(),
      in_the_news: z.boolean(),
      malware: z.boolean(),
      unsupported_by_vendor: z.boolean(),
      cpe: z.array(z.string()).nullable(),
      exploit_frameworks: z.array(z.object({ name: z.string() })),
    }),
    /** Present only when the imported file gave the plugin a VPR score. */
    vpr: z
      .object({
        score: z.number(),
        drivers: z.object({
          age_of_vuln: z.object({ lower_bound: z.number().nullable(), upper_bound: z.number().nullable() }).nullable(),
          exploit_code_maturity: TextOrNull,
          cvss3_impact_score: z.number().nullable(),
          threat_intensity_last28: TextOrNull,
          threat_recency: z.object({ lower_bound: z.number().nullable(), upper_bound: z.number().nullable() }).nullable(),
          threat_sources_last28: z.array(z.string()),
          product_coverage: TextOrNull,
          cvss_impact_score_predicted: z.boolean().nullable(),
        }),
        updated: TextOrNull,
      })
      .optional(),
  }),
});
export type PluginInfo = z.infer<typeof PluginInfo>;

const OutputAsset = z.object({
  hostname: TextOrNull,
  id: z.uuid(),
  uuid: z.uuid(),
  netbios_name: TextOrNull,
  fqdn: TextOrNull,
  ipv4: TextOrNull,
  first_seen: z.string(),
  last_seen: z.string(),
});

export const PluginOutputs = z.object({
  outputs: z.array(
    z.object({
      plugin_output: TextOrNull,
      states: z.array(
        z.object({
          name: z.string(),
          results: z.array(
            z.object({
              application_protocol: TextOrNull,
              port: z.number().int(),
              transport_protocol: z.string(),
              assets: z.array(OutputAsset),
              severity: z.number().int(),
            }),
          ),
        }),
      ),
    }),
  ),
});
export type PluginOutputs = z.infer<typeof PluginOutputs>;

export const AssetActivity = z.object({
  activity: z.array(
    z.object({
      type: z.enum(['discovered', 'seen']),
      timestamp: z.string(),
      scan_id: z.uuid(),
      schedule_id: z.uuid(),
      source: z.string(),
      updates: z.array(z.unknown()),
      details: z.looseObject({ assetId: z.uuid() }).optional(),
    }),
  ),
});
export type AssetActivity = z.infer<typeof AssetActivity>;

export const PluginPage = z.object({
  data: z.object({
    plugin_details: z.array(z.object({ id: z.number().int(), name: z.string(), attributes: z.record(z.string(), z.unknown()) })),
  }),
  size: z.number().int(),
  params: z.object({ page: z.number().int(), size: z.number().int(), last_updated: z.string() }),
  total_count: z.number().int(),
});
export type PluginPage = z.infer<typeof PluginPage>;
