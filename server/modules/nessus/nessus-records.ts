/**
 * What the streaming `.nessus` v2 parser (nessus-parser.ts) emits, in document order:
 *
 *   scan        once, before the first host: the Report's name and type and the scan policy
 *   host        once per ReportHost, before its items (host properties come first in every real file)
 *   finding     one per ReportItem without `cm:compliance-*` children (asset x plugin x port x protocol)
 *   compliance  one per ReportItem carrying `cm:compliance-*` children (one per check)
 *   end         once, last: counts, scan start/end, warnings and the content fingerprint
 *
 * Typed fields cover what the data model and the Tenable-compatible API read; nothing else is
 * dropped: every host property is in `properties`, every ReportItem attribute in `attributes`,
 * every child element the typed fields do not cover in `otherElements` (always arrays, as any
 * element may repeat). Texts longer than the configured cap end with a truncation marker and
 * their element names are listed in `truncatedFields`.
 */

export type NessusSeverity = 0 | 1 | 2 | 3 | 4;

export interface NessusPolicy {
  /** policyName (null when absent or empty). */
  name: string | null;
  /** policyComments. */
  comments: string | null;
  /** Other direct text children of Policy (visibility, policyOwner, …). */
  properties: Record<string, string>;
  /** ServerPreferences: `<preference><name>…</name><value>…</value></preference>` pairs, plus the
   *  direct elements Web App Scanning exports use (`<settings_timeout>02:00:00</settings_timeout>`). */
  serverPreferences: Record<string, string>;
  /** PluginPreferences items, each with all its children (pluginId, pluginName, fullName,
   *  preferenceName, preferenceType, preferenceValues, selectedValue). */
  pluginPreferences: Record<string, string>[];
  /** FamilySelection: each family's status ("enabled" | "disabled" | "mixed" as written). */
  families: { name: string; status: string }[];
  /** IndividualPluginSelection (the plugins enabled or disabled one by one in mixed families). */
  plugins: { id: number | null; name: string; family: string; status: string }[];
  /** The server preference `plugin_set` (the plugin ids the scan ran), or null when absent. */
  pluginSet: number[] | null;
  /** TARGET server preference (what was scanned), or null. */
  target: string | null;
}

export interface NessusScanInfo {
  /** `<Report name="…">`, null when there is no Report (policy-only export). */
  reportName: string | null;
  /** `<Report type="…">`, e.g. "was" for Web App Scanning exports; null when absent. */
  reportType: string | null;
  /** All attributes of the Report element (xmlns:cm included). */
  reportAttributes: Record<string, string>;
  /** Null when the file has no Policy element. */
  policy: NessusPolicy | null;
}

export interface NessusHost {
  /** 0-based position of this ReportHost in the file; items refer to it. */
  hostIndex: number;
  /** `<ReportHost name="…">` as written: an IP, a host name, or a URL for web application scans. */
  name: string;
  /** Every `<tag name="…">` of HostProperties, text as written (trimmed). A repeated tag name keeps
   *  all values, joined by "\n". */
  properties: Record<string, string>;
  /** host-ip when it is IPv4 (or host-ipv4). */
  ipv4: string | null;
  /** host-ip when it is IPv6, or host-ipv6. */
  ipv6: string | null;
  /** host-fqdn. */
  fqdn: string | null;
  /** host-fqdn plus every FQDN of host-fqdns (a JSON list in newer exports), de-duplicated. */
  fqdns: string[];
  /** host-rdns. */
  rdns: string | null;
  /** hostname. */
  hostname: string | null;
  /** netbios-name. */
  netbiosName: string | null;
  /** mac-address (or mac-macAddress), split on white space. */
  macAddresses: string[];
  /** operating-system: one per line, or the elements of a JSON list (workbench exports). */
  operatingSystems: string[];
  /** system-type. */
  systemType: string | null;
  /** The Nessus Agent's UUID: the `TAG` property of agent scans (32 hex digits) or agent-uuid. */
  agentUuid: string | null;
  /** host-uuid (Tenable's asset UUID in Tenable.io exports). */
  hostUuid: string | null;
  /** bios-uuid. */
  biosUuid: string | null;
  /** Credentialed_Scan "true"/"false", else null. */
  isCredentialedScan: boolean | null;
  /** HOST_START_TIMESTAMP (epoch seconds) or HOST_START parsed, as an ISO-8601 string; null when
   *  absent or unreadable. Nessus writes local times without a zone; they are read as UTC. */
  startedAt: string | null;
  endedAt: string | null;
  /** Element names whose text was cut at the cap ("tag:<name>" for host properties). */
  truncatedFields: string[];
  /** Line of the `<ReportHost` element, for messages. */
  line: number;
}

export interface NessusXref {
  /** Before the first colon ("CWE", "IAVA", "MSFT", …); "" when there is none. */
  type: string;
  id: string;
}

export interface NessusAttachment {
  name: string | null;
  type: string | null;
  content: string;
}

/** What a finding and a compliance result share: where it was seen and the plugin that reported it. */
export interface NessusItemBase {
  hostIndex: number;
  /** The ReportHost name of the host this item belongs to. */
  hostName: string;
  /** 0-based position of this ReportItem among all items of the file. */
  itemIndex: number;
  line: number;
  port: number;
  /** Lower-cased protocol ("tcp", "udp", "icmp", …); the attribute as written is in `attributes`. */
  protocol: string;
  /** svc_name, e.g. "www", "general"; null when absent. */
  serviceName: string | null;
  severity: NessusSeverity;
  pluginId: number;
  pluginName: string;
  /** pluginFamily (also read from the misspelt `pluginFaimily` some exports carry). */
  pluginFamily: string | null;
  /** Every attribute of the ReportItem, as written. */
  attributes: Record<string, string>;

  pluginType: string | null;
  scriptVersion: string | null;
  pluginVersion: string | null;
  fname: string | null;
  synopsis: string | null;
  description: string | null;
  solution: string | null;
  riskFactor: string | null;
  /** plugin_output, with leading blank lines and trailing white space removed; null when absent. */
  pluginOutput: string | null;
  pluginPublicationDate: string | null;
  pluginModificationDate: string | null;
  patchPublicationDate: string | null;
  vulnPublicationDate: string | null;

  cvssBaseScore: number | null;
  cvssTemporalScore: number | null;
  cvssVector: string | null;
  cvssTemporalVector: string | null;
  cvss3BaseScore: number | null;
  cvss3TemporalScore: number | null;
  cvss3Vector: string | null;
  cvss3TemporalVector: string | null;
  cvss4BaseScore: number | null;
  cvss4Vector: string | null;
  vprScore: number | null;
  epssScore: number | null;
  stigSeverity: string | null;

  exploitAvailable: boolean | null;
  exploitabilityEase: string | null;
  exploitedByMalware: boolean | null;
  exploitedByNessus: boolean | null;
  inTheNews: boolean | null;
  unsupportedByVendor: boolean | null;

  /** Every `cve` element (one CVE id each). */
  cves: string[];
  /** Every `bid` element. */
  bids: string[];
  /** Every `xref` element, split at the first colon. */
  xrefs: NessusXref[];
  /** Every `see_also` element, split into one URL per line. */
  seeAlso: string[];
  /** Every `cpe` element, split into one CPE per line. */
  cpes: string[];
  attachments: NessusAttachment[];
  /** Every other child element (msft, mskb, osvdb, cwe, iava, rhsa, agent, first_found, …), in
   *  document order, trimmed. Compliance `cm:` elements are in `compliance.fields` instead. */
  otherElements: Record<string, string[]>;
  truncatedFields: string[];
}

export type NessusFinding = NessusItemBase;

export interface NessusComplianceFields {
  checkName: string | null;
  checkId: string | null;
  /** cm:compliance-result as written, usually PASSED, FAILED, WARNING, ERROR, SKIPPED or INFO. */
  result: string | null;
  actualValue: string | null;
  /** cm:compliance-policy-value: the expected value. */
  policyValue: string | null;
  info: string | null;
  solution: string | null;
  reference: string | null;
  seeAlso: string | null;
  auditFile: string | null;
  benchmarkName: string | null;
  benchmarkVersion: string | null;
  controlId: string | null;
  fullId: string | null;
  functionalId: string | null;
  informationalId: string | null;
  source: string | null;
  uname: string | null;
  error: string | null;
  /** Every `cm:compliance-*` element by its name without the `cm:` prefix (e.g. "compliance-result"). */
  fields: Record<string, string>;
}

export interface NessusComplianceResult extends NessusItemBase {
  compliance: NessusComplianceFields;
}

export type NessusWarningCode = 'no-hosts' | 'text-truncated' | 'invalid-utf8' | 'late-host-properties' | 'policy-after-report';

export interface NessusWarning {
  code: NessusWarningCode;
  message: string;
}

export interface NessusSeverityCounts {
  info: number;
  low: number;
  medium: number;
  high: number;
  critical: number;
}

export interface NessusParseSummary {
  scan: NessusScanInfo;
  /** Earliest host start and latest host end (ISO-8601), null when no host has one. */
  startedAt: string | null;
  endedAt: string | null;
  hostCount: number;
  /** ReportItem elements: findings + compliance results. */
  itemCount: number;
  findingCount: number;
  complianceCount: number;
  /** Findings only, by their severity attribute. */
  findingsBySeverity: NessusSeverityCounts;
  /** Compliance results by cm:compliance-result (as written, upper-cased). */
  complianceByResult: Record<string, number>;
  /** True when the file has no ReportHost (a policy-only export or an empty scan). */
  isEmpty: boolean;
  /** Hex SHA-256 of the canonical content: equal for the same scan re-serialised (white space,
   *  attribute order, quoting, line endings, entity vs literal characters, file name), different
   *  when any element, attribute or non-blank text differs. */
  fingerprint: string;
  bytesRead: number;
  warnings: NessusWarning[];
}

export type NessusRecord =
  | { kind: 'scan'; scan: NessusScanInfo }
  | { kind: 'host'; host: NessusHost }
  | { kind: 'finding'; finding: NessusFinding }
  | { kind: 'compliance'; result: NessusComplianceResult }
  | { kind: 'end'; summary: NessusParseSummary };
