import { sql, type RawBuilder } from 'kysely';

/**
 * The records of export chunks, in the shapes of tenable-api.md 2.3 (findings), 2.4 (assets v1
 * flat, v2 nested) and 2.5 (compliance results), with ISO 'Z' timestamps. A finding is three
 * JSON texts joined: its asset and its plugin (each built once per export, here) and its own
 * fields (built by PostgreSQL, findingBodySql), so a million findings cost one string concatenation
 * each on this side.
 */

/** A timestamptz column as ISO 8601 UTC text with milliseconds, as Tenable writes them. */
export function isoSql(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * The finding's own fields (f: findings, s: its last scan) as one JSON object text; null values
 * are dropped, as Tenable omits keys with no value. A file without scan times dates its scan by
 * the finding's last_found, the time that scan saw it.
 */
export const findingBodySql = sql<string>`json_strip_nulls(json_build_object(
  'finding_id', f.id,
  'output', f.output,
  'port', json_build_object('port', f.port, 'protocol', upper(f.protocol), 'service', f.service),
  'scan', json_build_object('uuid', f.last_scan_id, 'schedule_uuid', f.last_scan_id,
    'started_at', coalesce(${isoSql('s.scan_started_at')}, ${isoSql('f.last_found')}),
    'completed_at', coalesce(${isoSql('s.scan_ended_at')}, ${isoSql('f.last_found')})),
  'severity', (array['info', 'low', 'medium', 'high', 'critical'])[f.severity + 1],
  'severity_id', f.severity,
  'severity_default_id', f.severity,
  'severity_modification_type', 'NONE',
  'state', f.state,
  'first_found', ${isoSql('f.first_found')},
  'last_found', ${isoSql('f.last_found')},
  'last_fixed', case when f.state = 'FIXED' then ${isoSql('f.last_fixed')} end,
  'resurfaced_date', ${isoSql('f.resurfaced_at')},
  'time_taken_to_fix', case when f.state = 'FIXED' then floor(extract(epoch from f.last_fixed - f.first_found))::bigint end,
  'indexed', ${isoSql('f.updated_at')},
  'source', 'NESSUS'
))::text`;

/**
 * A finding's JSON is written in parts: findingHead(asset), the plugin's JSON, a comma and
 * findingTail(body), making `{"asset":…,"plugin":…,<own fields>}`.
 */
export function findingHead(assetJson: string): string {
  return `{"asset":${assetJson},"plugin":`;
}

/** The finding's own fields without their opening brace. */
export function findingTail(bodyJson: string): string {
  return bodyJson.slice(1);
}

export interface ExportAssetRow {
  id: string;
  kind: string;
  hostname: string | null;
  fqdn: string | null;
  ipv4: string | null;
  ipv6: string | null;
  mac_address: string | null;
  netbios_name: string | null;
  operating_system: string | null;
  agent_uuid: string | null;
  identity_value: string;
  network_id: string;
  properties: Record<string, string>;
  first_seen: string;
  last_seen: string;
  created_at: string;
  updated_at: string;
  last_authenticated_scan_at: string | null;
  last_scan_id: string | null;
  has_plugin_results: boolean;
}

/** The asset columns of an ExportAssetRow (alias a), timestamps as ISO text. */
export const exportAssetColumns = sql`a.id, a.kind, a.hostname, a.fqdn, a.ipv4, a.ipv6, a.mac_address, a.netbios_name,
  a.operating_system, a.agent_uuid, a.identity_value, a.network_id, a.properties,
  ${isoSql('a.first_seen')} as first_seen, ${isoSql('a.last_seen')} as last_seen,
  ${isoSql('a.created_at')} as created_at, ${isoSql('a.updated_at')} as updated_at,
  ${isoSql('a.last_authenticated_scan_at')} as last_authenticated_scan_at, a.last_scan_id,
  exists (select 1 from findings hf where hf.asset_id = a.id) as has_plugin_results`;

/** Keys with null, undefined or empty-list values left out (findings and v2 assets omit them). */
function withoutEmpty(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)),
  );
}

/** The host's display name the way Tenable fills `hostname`: a name when known, else its address. */
function displayName(asset: ExportAssetRow): string {
  return asset.hostname ?? asset.fqdn ?? asset.netbios_name ?? asset.ipv4 ?? asset.ipv6 ?? asset.identity_value;
}

/** Agent UUIDs are 32 hex digits without dashes in Tenable's records. */
function agentUuidOf(asset: ExportAssetRow): string | null {
  return asset.agent_uuid ? asset.agent_uuid.replace(/-/g, '').toLowerCase() : null;
}

const listOf = (value: string | null): string[] => (value ? [value] : []);

/** The host's LastAuthenticatedResults property (Unix seconds) as ISO, when the importer kept no date. */
function lastAuthenticatedResults(asset: ExportAssetRow): string | null {
  const seconds = Number(asset.properties.LastAuthenticatedResults);
  return Number.isInteger(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
}

/** The `asset` object inside a finding (2.3). */
export function findingAssetJson(asset: ExportAssetRow): string {
  return JSON.stringify(
    withoutEmpty({
      uuid: asset.id,
      hostname: displayName(asset),
      fqdn: asset.fqdn,
      ipv4: asset.ipv4,
      ipv6: asset.ipv6,
      mac_address: asset.mac_address,
      netbios_name: asset.netbios_name,
      operating_system: listOf(asset.operating_system),
      device_type: asset.properties['system-type'],
      bios_uuid: asset.properties['bios-uuid'],
      agent_uuid: agentUuidOf(asset),
      network_id: asset.network_id,
      tracked: true,
      last_authenticated_results: asset.last_authenticated_scan_at ?? lastAuthenticatedResults(asset),
    }),
  );
}

function sourcesOf(asset: ExportAssetRow) {
  return [{ name: 'NESSUS', first_seen: asset.first_seen, last_seen: asset.last_seen }];
}

/** An asset v1 record (2.4): flat, every key present, null or [] when empty. */
export function assetV1Record(asset: ExportAssetRow): Record<string, unknown> {
  const nulls = (...keys: string[]) => Object.fromEntries(keys.map((key) => [key, null]));
  return {
    id: asset.id,
    has_agent: asset.agent_uuid !== null,
    has_plugin_results: asset.has_plugin_results,
    created_at: asset.created_at,
    updated_at: asset.updated_at,
    ...nulls('terminated_at', 'terminated_by', 'deleted_at', 'deleted_by'),
    first_seen: asset.first_seen,
    last_seen: asset.last_seen,
    first_scan_time: asset.first_seen,
    last_scan_time: asset.last_seen,
    last_authenticated_scan_date: asset.last_authenticated_scan_at ?? lastAuthenticatedResults(asset),
    last_licensed_scan_date: asset.last_seen,
    last_scan_id: asset.last_scan_id,
    last_schedule_id: asset.last_scan_id,
    ...nulls('last_scan_target', 'azure_vm_id', 'azure_resource_id', 'gcp_project_id', 'gcp_zone', 'gcp_instance_id'),
    ...nulls('aws_ec2_instance_ami_id', 'aws_ec2_instance_id'),
    agent_uuid: agentUuidOf(asset),
    bios_uuid: asset.properties['bios-uuid'] ?? null,
    network_id: asset.network_id,
    network_name: 'Default',
    ...nulls('serial_number', 'aws_owner_id', 'aws_availability_zone', 'aws_region', 'aws_vpc_id', 'aws_ec2_instance_group_name'),
    ...nulls('aws_ec2_instance_state_name', 'aws_ec2_instance_type', 'aws_subnet_id', 'aws_ec2_product_code', 'aws_ec2_name'),
    ...nulls('mcafee_epo_guid', 'mcafee_epo_agent_guid', 'servicenow_sysid', 'bigfix_asset_id', 'environment_id'),
    agent_names: [],
    installed_software: [],
    ipv4s: listOf(asset.ipv4),
    ipv6s: listOf(asset.ipv6),
    fqdns: listOf(asset.fqdn),
    mac_addresses: listOf(asset.mac_address),
    netbios_names: listOf(asset.netbios_name),
    operating_systems: listOf(asset.operating_system),
    system_types: listOf(asset.properties['system-type'] ?? null),
    hostnames: listOf(asset.hostname),
    ssh_fingerprints: [],
    qualys_asset_ids: [],
    qualys_host_ids: [],
    manufacturer_tpm_ids: [],
    symantec_ep_hardware_keys: [],
    sources: sourcesOf(asset),
    tags: [],
    network_interfaces: [],
  };
}

/** An asset v2 record (2.4): nested, empty properties left out. */
export function assetV2Record(asset: ExportAssetRow): Record<string, unknown> {
  return withoutEmpty({
    id: asset.id,
    has_agent: asset.agent_uuid !== null,
    has_plugin_results: asset.has_plugin_results,
    agent_uuid: agentUuidOf(asset),
    is_licensed: true,
    types: [asset.kind],
    operating_systems: listOf(asset.operating_system),
    system_types: listOf(asset.properties['system-type'] ?? null),
    sources: sourcesOf(asset),
    scan: withoutEmpty({
      first_scan_time: asset.first_seen,
      last_scan_time: asset.last_seen,
      last_authenticated_scan_date: asset.last_authenticated_scan_at ?? lastAuthenticatedResults(asset),
      last_licensed_scan_date: asset.last_seen,
      last_scan_id: asset.last_scan_id,
      last_schedule_id: asset.last_scan_id,
    }),
    network: withoutEmpty({
      network_id: asset.network_id,
      network_name: 'Default',
      bios_uuid: asset.properties['bios-uuid'],
      ipv4s: listOf(asset.ipv4),
      ipv6s: listOf(asset.ipv6),
      fqdns: listOf(asset.fqdn),
      mac_addresses: listOf(asset.mac_address),
      netbios_names: listOf(asset.netbios_name),
      hostnames: listOf(asset.hostname),
    }),
    timestamps: { created_at: asset.created_at, updated_at: asset.updated_at, first_seen: asset.first_seen, last_seen: asset.last_seen },
  });
}

export interface ExportPluginRow {
  id: number;
  name: string;
  family: string | null;
  risk_factor: string | null;
  synopsis: string | null;
  description: string | null;
  solution: string | null;
  plugin_type: string | null;
  cvss_base_score: number | null;
  cvss_vector: string | null;
  cvss3_base_score: number | null;
  cvss3_vector: string | null;
  cve: string[];
  bid: string[];
  see_also: string[];
  xrefs: string[];
  exploit_available: boolean | null;
  publication_date: string | null;
  modification_date: string | null;
  attributes: Record<string, string | string[]>;
}

const CVSS2_NAMES: Record<string, Record<string, string>> = {
  AV: { L: 'Local-access', A: 'Adjacent-network', N: 'Network' },
  AC: { L: 'Low', M: 'Medium', H: 'High' },
  Au: { N: 'None required', S: 'Single', M: 'Multiple' },
  C: { N: 'None', P: 'Partial', C: 'Complete' },
  I: { N: 'None', P: 'Partial', C: 'Complete' },
  A: { N: 'None', P: 'Partial', C: 'Complete' },
};
const CVSS3_NAMES: Record<string, Record<string, string>> = {
  AV: { N: 'Network', A: 'Adjacent-network', L: 'Local-access', P: 'Physical' },
  AC: { L: 'Low', H: 'High' },
  C: { N: 'None', L: 'Low', H: 'High' },
  I: { N: 'None', L: 'Low', H: 'High' },
  A: { N: 'None', L: 'Low', H: 'High' },
};
const VECTOR_KEYS: Record<string, string> = {
  AV: 'access_vector',
  AC: 'access_complexity',
  Au: 'authentication',
  C: 'confidentiality_impact',
  I: 'integrity_impact',
  A: 'availability_impact',
};

/** A CVSS vector as Tenable's object: `raw` without the "CVSS2#"/"CVSS:3.x/" prefix, plus named metrics. */
export function cvssVectorObject(vector: string | null, names: Record<string, Record<string, string>>): Record<string, string> | undefined {
  if (!vector) return undefined;
  const raw = vector.replace(/^CVSS2#/, '').replace(/^CVSS:3\.\d\//, '');
  const result: Record<string, string> = {};
  for (const part of raw.split('/')) {
    const [metric = '', value = ''] = part.split(':');
    const key = VECTOR_KEYS[metric];
    const name = names[metric]?.[value];
    if (key && name) result[key] = name;
  }
  return { ...result, raw };
}

const BOOLEAN_ATTRIBUTES = [
  'exploited_by_malware',
  'exploited_by_nessus',
  'exploit_framework_canvas',
  'exploit_framework_core',
  'exploit_framework_d2_elliot',
  'exploit_framework_exploithub',
  'exploit_framework_metasploit',
  'in_the_news',
  'unsupported_by_vendor',
];

/** A plugin element kept by the importer (a repeated element is kept as a list: its first value). */
function attribute(plugin: ExportPluginRow, name: string): string | undefined {
  const value = plugin.attributes[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Some files (Tenable's workbench export) write see_also as one JSON list; others one URL per line. */
function seeAlsoOf(plugin: ExportPluginRow): string[] {
  return plugin.see_also.flatMap((entry) => {
    if (!entry.startsWith('['))
      return entry
        .split('\n')
        .map((url) => url.trim())
        .filter(Boolean);
    try {
      const parsed = JSON.parse(entry) as unknown;
      return Array.isArray(parsed) ? parsed.filter((url): url is string => typeof url === 'string') : [entry];
    } catch {
      return [entry];
    }
  });
}

const TEMPORAL_NAMES: Record<string, Record<string, string>> = {
  E: { U: 'Unproven', POC: 'Proof-of-concept', P: 'Proof-of-concept', F: 'Functional', H: 'High', ND: 'Not-defined', X: 'Not-defined' },
  RL: {
    OF: 'Official-fix',
    O: 'Official-fix',
    TF: 'Temporary-fix',
    T: 'Temporary-fix',
    W: 'Workaround',
    U: 'Unavailable',
    ND: 'Not-defined',
    X: 'Not-defined',
  },
  RC: { UC: 'Unconfirmed', U: 'Unknown', UR: 'Uncorroborated', R: 'Reasonable', C: 'Confirmed', ND: 'Not-defined', X: 'Not-defined' },
};
const TEMPORAL_KEYS: Record<string, string> = { E: 'exploitability', RL: 'remediation_level', RC: 'report_confidence' };

/** A temporal CVSS vector as Tenable's object. */
function temporalVectorObject(vector: string | undefined): Record<string, string> | undefined {
  if (!vector) return undefined;
  const raw = vector.replace(/^CVSS2#/, '').replace(/^CVSS:3\.\d\//, '');
  const result: Record<string, string> = {};
  for (const part of raw.split('/')) {
    const [metric = '', value = ''] = part.split(':');
    const key = TEMPORAL_KEYS[metric];
    const name = TEMPORAL_NAMES[metric]?.[value];
    if (key && name) result[key] = name;
  }
  return { ...result, raw };
}

function numberAttribute(plugin: ExportPluginRow, name: string): number | undefined {
  const value = Number(attribute(plugin, name));
  return attribute(plugin, name) !== undefined && Number.isFinite(value) ? value : undefined;
}

/** A Nessus date ("2017/03/09" or "2017-03-09") as Tenable's ISO date. */
function isoDate(value: string | null | undefined): string | undefined {
  const match = value ? /^(\d{4})[-/](\d{2})[-/](\d{2})$/.exec(value) : null;
  return match ? `${match[1]}-${match[2]}-${match[3]}T00:00:00Z` : undefined;
}

function xrefObject(xref: string): { type: string; id: string } {
  const at = xref.indexOf(':');
  return at > 0 ? { type: xref.slice(0, at), id: xref.slice(at + 1) } : { type: 'REF', id: xref };
}

/** The `plugin` object inside a finding (2.3). */
export function pluginJson(plugin: ExportPluginRow): string {
  const cpe = plugin.attributes.cpe;
  const flags = Object.fromEntries(
    BOOLEAN_ATTRIBUTES.flatMap((name) => (attribute(plugin, name) === undefined ? [] : [[name, attribute(plugin, name) === 'true']])),
  );
  const vprScore = numberAttribute(plugin, 'vpr_score') ?? numberAttribute(plugin, 'vulnerability_priority_rating');
  return JSON.stringify(
    withoutEmpty({
      id: plugin.id,
      name: plugin.name,
      family: plugin.family,
      synopsis: plugin.synopsis,
      description: plugin.description,
      solution: plugin.solution,
      risk_factor: plugin.risk_factor,
      type: plugin.plugin_type,
      version: attribute(plugin, 'script_version'),
      publication_date: isoDate(plugin.publication_date),
      modification_date: isoDate(plugin.modification_date),
      patch_publication_date: isoDate(attribute(plugin, 'patch_publication_date')),
      vuln_publication_date: isoDate(attribute(plugin, 'vuln_publication_date')),
      has_patch: attribute(plugin, 'patch_publication_date') !== undefined,
      see_also: seeAlsoOf(plugin),
      cpe: Array.isArray(cpe) ? cpe : cpe ? [cpe] : [],
      cve: plugin.cve,
      bid: plugin.bid.map(Number).filter(Number.isInteger),
      xrefs: plugin.xrefs.map(xrefObject),
      exploit_available: plugin.exploit_available,
      exploitability_ease: attribute(plugin, 'exploitability_ease'),
      ...flags,
      cvss_base_score: plugin.cvss_base_score,
      cvss_vector: cvssVectorObject(plugin.cvss_vector, CVSS2_NAMES),
      cvss_temporal_score: numberAttribute(plugin, 'cvss_temporal_score'),
      cvss_temporal_vector: temporalVectorObject(attribute(plugin, 'cvss_temporal_vector')),
      cvss3_base_score: plugin.cvss3_base_score,
      cvss3_vector: cvssVectorObject(plugin.cvss3_vector, CVSS3_NAMES),
      cvss3_temporal_score: numberAttribute(plugin, 'cvss3_temporal_score'),
      cvss3_temporal_vector: temporalVectorObject(attribute(plugin, 'cvss3_temporal_vector')),
      cvss4_base_score: numberAttribute(plugin, 'cvss4_base_score'),
      vpr: vprScore === undefined ? undefined : { score: vprScore },
      epss_score: numberAttribute(plugin, 'epss_score'),
    }),
  );
}

export interface ExportComplianceRow {
  id: string;
  asset_id: string;
  plugin_id: number;
  check_key: string;
  check_name: string;
  result: string;
  audit_file: string | null;
  info: string | null;
  solution: string | null;
  reference: string | null;
  actual_value: string | null;
  policy_value: string | null;
  first_seen: string;
  last_seen: string;
}

/** "800-53|AC-2,CSCv7|16" as [{framework, control}]. */
function referencesOf(reference: string | null): { framework: string; control: string }[] {
  if (!reference) return [];
  return reference
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const [framework = '', control = ''] = item.split('|');
      return { framework, control };
    });
}

/** A compliance result record (2.5, host audit finding). Bulwark keeps the current result only: state ACTIVE. */
export function complianceRecord(row: ExportComplianceRow): Record<string, unknown> {
  return withoutEmpty({
    finding_id: row.id,
    asset_uuid: row.asset_id,
    first_seen: row.first_seen,
    last_seen: row.last_seen,
    last_observed: row.last_seen,
    audit_file: row.audit_file,
    check_id: row.check_key,
    check_name: row.check_name,
    check_info: row.info,
    expected_value: row.policy_value,
    actual_value: row.actual_value,
    status: row.result,
    reference: referencesOf(row.reference),
    solution: row.solution,
    plugin_id: row.plugin_id,
    state: 'ACTIVE',
  });
}
