import type { PluginsTable } from '../../db/schema-vulnerability.js';
import type { Selectable } from 'kysely';
import type {
  AssetDetailsRow,
  listAssetScans,
  listAssetsWithFindings,
  listPluginGroups,
  listPluginOutputs,
} from './workbenches.repository.js';
import type { AssetActivity, AssetRecord, AssetSummary, PluginGroup, PluginInfo, PluginOutputs } from './workbenches.schemas.js';

// Rows as Tenable's records (tenable-api.md section 3). Timestamps are ISO-8601 with Z.

type Rows<T extends (...args: never[]) => Promise<unknown[]>> = Awaited<ReturnType<T>>;
type PluginRow = Selectable<PluginsTable>;

/** Every imported scan is a Nessus scan to Tenable's clients. */
const SOURCE_NAME = 'NESSUS_SCAN';
const SEVERITY_LABELS = ['Info', 'Low', 'Medium', 'High', 'Critical'] as const;
const STATES = ['Resurfaced', 'Active', 'New', 'Fixed'] as const;

/**
 * Singular list fields of Tenable's asset record that Bulwark has no source for (cloud, CMDB and
 * third-party ids, agents, access groups): always present, always empty, as Tenable sends them.
 */
const EMPTY_LIST_FIELDS = [
  'agent_name',
  'aws_ec2_instance_id',
  'aws_ec2_instance_ami_id',
  'aws_owner_id',
  'aws_availability_zone',
  'aws_region',
  'aws_vpc_id',
  'aws_ec2_instance_group_name',
  'aws_ec2_instance_state_name',
  'aws_ec2_instance_type',
  'aws_subnet_id',
  'aws_ec2_product_code',
  'aws_ec2_name',
  'azure_vm_id',
  'azure_resource_id',
  'gcp_project_id',
  'gcp_zone',
  'gcp_instance_id',
  'ssh_fingerprint',
  'mcafee_epo_guid',
  'mcafee_epo_agent_guid',
  'qualys_asset_id',
  'qualys_host_id',
  'manufacturer_tpm_id',
  'symantec_ep_hardware_key',
  'servicenow_sysid',
  'bigfix_asset_id',
  'security_protections',
  'tag_id',
  'sec_ctrl_cpe',
  'access_group_id',
] as const;

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

function isoOrNull(value: Date | string | null | undefined): string | null {
  return value === null || value === undefined ? null : iso(value);
}

function listOf(value: string | null | undefined): string[] {
  return value ? [value] : [];
}

function emptyLists(): Record<(typeof EMPTY_LIST_FIELDS)[number], string[]> {
  return Object.fromEntries(EMPTY_LIST_FIELDS.map((field) => [field, []])) as unknown as Record<
    (typeof EMPTY_LIST_FIELDS)[number],
    string[]
  >;
}

/** The `cpe-N` host properties of a .nessus file are the installed software Nessus identified. */
function installedSoftware(properties: Record<string, string>): string[] {
  return Object.entries(properties)
    .filter(([key]) => /^cpe-\d+$/.test(key))
    .sort(([left], [right]) => Number(left.slice(4)) - Number(right.slice(4)))
    .map(([, value]) => value);
}

/** Scans of the asset in the last 30, 60 and 90 days. */
function scanFrequency(row: AssetDetailsRow): AssetSummary['scan_frequency'] {
  const licensed = row.kind === 'host';
  return [
    { interval: 30, frequency: row.scans_in_30_days, licensed },
    { interval: 60, frequency: row.scans_in_60_days, licensed },
    { interval: 90, frequency: row.scans_in_90_days, licensed },
  ];
}

function sourcesOf(row: AssetDetailsRow) {
  return [{ name: SOURCE_NAME, first_seen: iso(row.first_seen), last_seen: iso(row.last_seen) }];
}

/** The default workbench record, and GET /assets's (2021 fields). */
export function presentAssetSummary(row: AssetDetailsRow): AssetSummary {
  return {
    id: row.id,
    has_agent: row.agent_uuid !== null,
    last_seen: iso(row.last_seen),
    last_scan_target: row.last_scan_target,
    sources: sourcesOf(row),
    // Tenable's own ratings (ACR, AES) come from its threat intelligence, which Bulwark has not.
    acr_score: null,
    acr_drivers: null,
    exposure_score: null,
    scan_frequency: scanFrequency(row),
    ipv4: listOf(row.ipv4),
    ipv6: listOf(row.ipv6),
    fqdn: listOf(row.fqdn),
    netbios_name: listOf(row.netbios_name),
    operating_system: listOf(row.operating_system),
    hostname: listOf(row.hostname),
    agent_name: [],
    aws_ec2_name: [],
    mac_address: listOf(row.mac_address),
    security_protection_level: null,
    security_protections: [],
    exposure_confidence_value: null,
  };
}

/** The full record: GET /assets/{uuid} and the workbench with all_fields=full. */
export function presentAssetRecord(row: AssetDetailsRow, containerUuid: string): AssetRecord {
  const addresses = { fqdn: listOf(row.fqdn), mac_address: listOf(row.mac_address), ipv4: listOf(row.ipv4), ipv6: listOf(row.ipv6) };
  return {
    ...emptyLists(),
    ...presentAssetSummary(row),
    name: row.name,
    has_plugin_results: row.has_plugin_results,
    created_at: iso(row.created_at),
    terminated_at: null,
    terminated_by: null,
    updated_at: iso(row.updated_at),
    first_seen: iso(row.first_seen),
    first_scan_time: iso(row.first_seen),
    last_scan_time: iso(row.last_seen),
    last_authenticated_scan_date: isoOrNull(row.last_authenticated_scan_at),
    last_licensed_scan_date: iso(row.last_seen),
    last_scan_id: row.last_scan_id,
    // An imported scan has no schedule of its own: it stands as its own schedule.
    last_schedule_id: row.last_scan_id,
    tags: [],
    interfaces: [{ name: 'UNKNOWN', ...addresses }],
    network_id: [row.network_id],
    system_type: listOf(row.properties['system-type']),
    tenable_uuid: listOf(row.agent_uuid),
    bios_uuid: listOf(row.properties['bios-uuid']),
    installed_software: installedSoftware(row.properties),
    container_uuid: containerUuid,
    acr_score_value: null,
    exposure_score_value: null,
    network_name: 'Default',
  };
}

export function severityCounts(counts: ReadonlyMap<number, number>) {
  return SEVERITY_LABELS.map((name, level) => ({ count: counts.get(level) ?? 0, level, name }));
}

export function presentAssetInfo(
  row: AssetDetailsRow,
  containerUuid: string,
  findings: ReadonlyMap<number, number>,
  audits: Readonly<Record<string, number>>,
) {
  const statuses = ['Passed', 'Warning', 'Failed'].map((name, index) => ({
    count: audits[name.toUpperCase()] ?? 0,
    level: index + 1,
    name,
  }));
  return {
    info: {
      ...presentAssetRecord(row, containerUuid),
      uuid: row.id,
      time_start: isoOrNull(row.last_scan_start),
      time_end: isoOrNull(row.last_scan_end),
      counts: {
        vulnerabilities: { total: [...findings.values()].reduce((sum, count) => sum + count, 0), severities: severityCounts(findings) },
        audits: { total: statuses.reduce((sum, status) => sum + status.count, 0), statuses },
      },
    },
  };
}

function severityMapOf(row: { info: number; low: number; medium: number; high: number; critical: number }): Map<number, number> {
  return new Map([row.info, row.low, row.medium, row.high, row.critical].map((count, level) => [level, count]));
}

export function presentPluginGroup(row: Rows<typeof listPluginGroups>[number]): PluginGroup {
  const counts = severityMapOf(row);
  return {
    count: row.count,
    plugin_family: row.plugin_family,
    plugin_id: row.plugin_id,
    plugin_name: row.plugin_name,
    vulnerability_state: STATES[row.state_rank - 1] ?? 'Active',
    vpr_score: numberOrNull(row.vpr_score),
    cvss_base_score: row.cvss_base_score,
    cvss3_base_score: row.cvss3_base_score,
    accepted_count: 0,
    recasted_count: 0,
    counts_by_severity: [...counts].filter(([, count]) => count > 0).map(([value, count]) => ({ count, value })),
    severity: row.severity,
  };
}

export function presentAssetVulnerabilityCounts(row: Rows<typeof listAssetsWithFindings>[number]) {
  return {
    id: row.id,
    severities: severityCounts(severityMapOf(row)),
    total: row.count,
    fqdn: listOf(row.fqdn),
    ipv4: listOf(row.ipv4),
    ipv6: listOf(row.ipv6),
    last_seen: iso(row.last_seen),
    netbios_name: listOf(row.netbios_name),
    hostname: listOf(row.hostname),
    agent_name: [],
  };
}

function attribute(plugin: PluginRow, name: string): string | null {
  const value = plugin.attributes[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : null;
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The plugin's version: Nessus writes `script_version`, some exports `plugin_version`. */
function pluginVersion(plugin: PluginRow): string | null {
  return attribute(plugin, 'script_version') ?? attribute(plugin, 'plugin_version');
}

function attributeList(plugin: PluginRow, name: string): string[] {
  const value = plugin.attributes[name];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

function isAttributeTrue(plugin: PluginRow, name: string): boolean {
  return attribute(plugin, name)?.toLowerCase() === 'true';
}

/** .nessus dates are YYYY/MM/DD; Tenable answers midnight UTC. */
function dayToIso(value: string | null): string | null {
  if (!value) return null;
  const day = value.replaceAll('/', '-');
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T00:00:00Z` : null;
}

/** Tenable shows vectors without the version prefix (CVSS2#, CVSS:3.x/). */
function bareVector(vector: string | null): string | null {
  return vector ? vector.replace(/^CVSS2#/, '').replace(/^CVSS:\d\.\d\//, '') : null;
}

function scoreText(value: number | null): string | null {
  return value === null ? null : String(Math.round(value * 10) / 10);
}

const XREF_LINKS: Record<string, { url: string; ext?: string }> = {
  cwe: { url: 'http://cwe.mitre.org/data/definitions/' },
  rhsa: { url: 'https://rhn.redhat.com/errata/RHSA-', ext: '.html' },
  cert: { url: 'https://www.kb.cert.org/vuls/id/' },
  'edb-id': { url: 'http://www.exploit-db.com/exploits/' },
  msft: { url: 'https://technet.microsoft.com/en-us/library/security/' },
  iava: { url: 'https://iasecontent.disa.mil/stigs/pdf/' },
};

/** CVEs, BIDs and cross references (stored as "TYPE:ID") grouped by type, each with its link. */
function referencesOf(plugin: PluginRow): PluginInfo['info']['reference_information'] {
  const byType = new Map<string, string[]>();
  for (const xref of plugin.xrefs) {
    const separator = xref.indexOf(':');
    const type = separator > 0 ? xref.slice(0, separator).toLowerCase() : 'xref';
    byType.set(type, [...(byType.get(type) ?? []), separator > 0 ? xref.slice(separator + 1) : xref]);
  }
  return [
    ...(plugin.cve.length > 0 ? [{ name: 'cve', url: 'http://web.nvd.nist.gov/view/vuln/detail?vulnId=', values: plugin.cve }] : []),
    ...(plugin.bid.length > 0 ? [{ name: 'bid', url: 'http://www.securityfocus.com/bid/', values: plugin.bid }] : []),
    ...[...byType].map(([name, values]) => ({
      name,
      url: XREF_LINKS[name]?.url ?? null,
      ...(XREF_LINKS[name]?.ext ? { ext: XREF_LINKS[name].ext } : {}),
      values,
    })),
  ];
}

/** "30 to 120 days", "60 - 180 days", "730 days +", "> 365 days": the bounds Tenable gives as numbers. */
function dayRange(text: string | null): { lower_bound: number | null; upper_bound: number | null } | null {
  if (!text) return null;
  const between = /(\d+)\s*(?:to|-)\s*(\d+)/.exec(text);
  if (between) return { lower_bound: Number(between[1]), upper_bound: Number(between[2]) };
  const atLeast = /(\d+)/.exec(text);
  return atLeast ? { lower_bound: Number(atLeast[1]), upper_bound: null } : null;
}

function numberOrNull(text: string | null): number | null {
  const value = Number(text ?? Number.NaN);
  return Number.isFinite(value) ? value : null;
}

/** "Very Low" as Tenable's VERY_LOW. */
function constantCase(text: string | null): string | null {
  return text ? text.trim().toUpperCase().replace(/\s+/g, '_') : null;
}

/** VPR as far as the .nessus file gives it: the score and the drivers written beside it. */
function vprOf(plugin: PluginRow): PluginInfo['info']['vpr'] {
  const score = numberOrNull(attribute(plugin, 'vpr_score'));
  if (score === null) return undefined;
  const sources = attribute(plugin, 'threat_sources_last_28');
  return {
    score,
    drivers: {
      age_of_vuln: dayRange(attribute(plugin, 'age_of_vuln')),
      exploit_code_maturity: constantCase(attribute(plugin, 'exploit_code_maturity')),
      cvss3_impact_score: numberOrNull(attribute(plugin, 'cvssV3_impactScore')),
      threat_intensity_last28: constantCase(attribute(plugin, 'threat_intensity_last_28')),
      threat_recency: dayRange(attribute(plugin, 'threat_recency')),
      threat_sources_last28: sources ? sources.split(/\s*,\s*/) : [],
      product_coverage: constantCase(attribute(plugin, 'product_coverage')),
      // Tenable's threat feed predicts this; a .nessus file does not carry it.
      cvss_impact_score_predicted: null,
    },
    // When Tenable last rescored the plugin: not in the file either.
    updated: null,
  };
}

const FRAMEWORKS = ['canvas', 'core', 'd2_elliot', 'exploithub', 'metasploit'] as const;

function severityOfRisk(riskFactor: string | null): number {
  const level = ['none', 'low', 'medium', 'high', 'critical'].indexOf((riskFactor ?? '').toLowerCase());
  return Math.max(level, 0);
}

export function presentPluginInfo(
  plugin: PluginRow,
  summary: { count: number; severity: number | null; first_found: Date | null; last_found: Date | null },
): PluginInfo {
  const severity = summary.severity ?? severityOfRisk(plugin.risk_factor);
  const vpr = vprOf(plugin);
  return {
    info: {
      count: summary.count,
      vuln_count: summary.count,
      recasted_count: 0,
      accepted_count: 0,
      description: plugin.description,
      synopsis: plugin.synopsis,
      solution: plugin.solution,
      discovery: { seen_first: isoOrNull(summary.first_found), seen_last: isoOrNull(summary.last_found) },
      severity,
      plugin_details: {
        family: plugin.family,
        modification_date: dayToIso(plugin.modification_date),
        name: plugin.name,
        publication_date: dayToIso(plugin.publication_date),
        type: plugin.plugin_type,
        version: pluginVersion(plugin),
        severity,
      },
      reference_information: referencesOf(plugin),
      risk_information: {
        risk_factor: plugin.risk_factor,
        cvss_vector: bareVector(plugin.cvss_vector),
        cvss_base_score: scoreText(plugin.cvss_base_score),
        cvss_temporal_vector: bareVector(attribute(plugin, 'cvss_temporal_vector')),
        cvss_temporal_score: attribute(plugin, 'cvss_temporal_score'),
        cvss3_vector: bareVector(plugin.cvss3_vector),
        cvss3_base_score: scoreText(plugin.cvss3_base_score),
        cvss3_temporal_vector: bareVector(attribute(plugin, 'cvss3_temporal_vector')),
        cvss3_temporal_score: attribute(plugin, 'cvss3_temporal_score'),
        stig_severity: attribute(plugin, 'stig_severity'),
      },
      see_also: plugin.see_also,
      vulnerability_information: {
        vulnerability_publication_date: dayToIso(attribute(plugin, 'vuln_publication_date')),
        exploited_by_malware: isAttributeTrue(plugin, 'exploited_by_malware'),
        patch_publication_date: dayToIso(attribute(plugin, 'patch_publication_date')),
        exploit_available: plugin.exploit_available === true,
        exploitability_ease: attribute(plugin, 'exploitability_ease'),
        asset_inventory: attribute(plugin, 'asset_inventory') === null ? null : isAttributeTrue(plugin, 'asset_inventory'),
        default_account: isAttributeTrue(plugin, 'default_account'),
        exploited_by_nessus: isAttributeTrue(plugin, 'exploited_by_nessus'),
        in_the_news: isAttributeTrue(plugin, 'in_the_news'),
        malware: isAttributeTrue(plugin, 'malware'),
        unsupported_by_vendor: isAttributeTrue(plugin, 'unsupported_by_vendor'),
        cpe: attributeList(plugin, 'cpe').length > 0 ? attributeList(plugin, 'cpe') : null,
        exploit_frameworks: FRAMEWORKS.filter((name) => isAttributeTrue(plugin, `exploit_framework_${name}`)).map((name) => ({ name })),
      },
      ...(vpr ? { vpr } : {}),
    },
  };
}

/** Outputs grouped as Tenable groups them: by output text, then state, then port and severity. */
export function presentPluginOutputs(rows: Rows<typeof listPluginOutputs>): PluginOutputs {
  const outputs: PluginOutputs['outputs'] = [];
  for (const row of rows) {
    let output = outputs.at(-1);
    if (!output || output.plugin_output !== row.output) {
      output = { plugin_output: row.output, states: [] };
      outputs.push(output);
    }
    let state = output.states.at(-1);
    if (!state || state.name !== row.state) {
      state = { name: row.state, results: [] };
      output.states.push(state);
    }
    let result = state.results.at(-1);
    if (!result || result.port !== row.port || result.transport_protocol !== row.protocol || result.severity !== row.severity) {
      result = { application_protocol: row.service, port: row.port, transport_protocol: row.protocol, assets: [], severity: row.severity };
      state.results.push(result);
    }
    result.assets.push({
      hostname: row.hostname ?? row.name,
      id: row.asset_id,
      uuid: row.asset_id,
      netbios_name: row.netbios_name,
      fqdn: row.fqdn,
      ipv4: row.ipv4,
      first_seen: iso(row.first_found),
      last_seen: iso(row.last_found),
    });
  }
  return { outputs };
}

/** Each scan that saw the asset, latest first; the earliest is when it was discovered. */
export function presentAssetActivity(assetId: string, containerUuid: string, rows: Rows<typeof listAssetScans>): AssetActivity {
  return {
    activity: rows.map((row, index) => {
      const isDiscovery = index === rows.length - 1;
      return {
        type: isDiscovery ? 'discovered' : 'seen',
        timestamp: iso(row.seen_at),
        scan_id: row.scan_id,
        schedule_id: row.scan_id,
        source: SOURCE_NAME,
        updates: [],
        ...(isDiscovery
          ? { details: { assetId, containerId: containerUuid, firstScanTime: iso(row.seen_at), lastScanTarget: row.host_name } }
          : {}),
      };
    }),
  };
}

/** A plugin as /plugins/plugin lists it: the file's attributes, with Tenable's typed ones on top. */
export function presentPluginDetails(plugin: PluginRow) {
  const vpr = vprOf(plugin);
  return {
    id: plugin.id,
    name: plugin.name,
    attributes: {
      ...plugin.attributes,
      plugin_modification_date: dayToIso(plugin.modification_date),
      plugin_publication_date: dayToIso(plugin.publication_date),
      plugin_version: pluginVersion(plugin),
      plugin_type: plugin.plugin_type,
      family: plugin.family,
      description: plugin.description,
      synopsis: plugin.synopsis,
      solution: plugin.solution,
      risk_factor: plugin.risk_factor,
      cvss_base_score: plugin.cvss_base_score === null ? null : Number(scoreText(plugin.cvss_base_score)),
      cvss3_base_score: plugin.cvss3_base_score === null ? null : Number(scoreText(plugin.cvss3_base_score)),
      ...(plugin.cvss_vector ? { cvss_vector: { raw: bareVector(plugin.cvss_vector) } } : {}),
      ...(plugin.cvss3_vector ? { cvss3_vector: { raw: bareVector(plugin.cvss3_vector) } } : {}),
      cve: plugin.cve,
      bid: plugin.bid.map(Number).filter(Number.isInteger),
      xrefs: plugin.xrefs.map((xref) => {
        const separator = xref.indexOf(':');
        return separator > 0 ? { type: xref.slice(0, separator), id: xref.slice(separator + 1) } : { type: '', id: xref };
      }),
      xref: plugin.xrefs,
      see_also: plugin.see_also,
      has_patch: attribute(plugin, 'patch_publication_date') !== null,
      exploit_available: plugin.exploit_available === true,
      ...(vpr ? { vpr } : {}),
    },
  };
}
