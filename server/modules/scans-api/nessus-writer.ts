import type { StagedPlugin } from '../imports/import-records.js';

/**
 * Writes a Nessus v2 (`.nessus`) document from Bulwark's data, as text pieces to stream out (no
 * whole document in memory: the caller hands hosts and their items over in batches).
 *
 * Guarantees: the output is well-formed XML 1.0 (every text and attribute escaped, characters XML
 * cannot carry dropped), the `cm` namespace is declared on the Report, and Bulwark's importer reads
 * it back to the same hosts, findings (asset x plugin x port x protocol) and compliance results
 * (asset x plugin x check): every host property, plugin field and `cm:compliance-*` field Bulwark
 * keeps is written under the element name it was read from.
 */

/**
 * A plugin as the writer needs it: the fields the importer stages (import-records.ts), so what is
 * read is what can be written back, and every other element it kept under `attributes`.
 */
export type WrittenPlugin = Omit<StagedPlugin, 'id' | 'attributes'> & { attributes: Record<string, unknown> };

export interface WrittenHost {
  /** The ReportHost name. */
  name: string;
  /** HostProperties tags, in the order given. */
  properties: Record<string, string>;
}

export interface WrittenFinding {
  pluginId: number;
  port: number;
  protocol: string;
  service: string | null;
  severity: number;
  output: string | null;
  plugin: WrittenPlugin;
  /** Workbench exports add the finding's dates and state, as Tenable's do. */
  workbench?: { firstFound: Date; lastFound: Date; state: 'New' | 'Active' | 'Resurfaced' | 'Fixed' };
}

export interface WrittenCompliance {
  pluginId: number;
  result: string;
  /** Every `cm:compliance-*` field, by name without the prefix (e.g. "compliance-check-name"). */
  fields: Record<string, string>;
  plugin: WrittenPlugin;
}

export interface WrittenHostEntry {
  host: WrittenHost;
  /** Batches of the host's items; read once, after the host's header is written. */
  items(): AsyncIterable<(WrittenFinding | WrittenCompliance)[]>;
}

export interface WrittenDocument {
  reportName: string;
  /** Null: no Policy element (workbench exports have none). */
  policyName: string | null;
  hosts: AsyncIterable<WrittenHostEntry[]>;
}

// XML 1.0 cannot carry these at all, not even escaped (nor lone surrogates).
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- the point is to match control characters
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as element content: the three markup characters escaped, impossible characters dropped. */
export function escapeText(value: string): string {
  return value.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text as a double-quoted attribute value; line breaks kept as character references (attribute normalisation would eat them). */
export function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function element(name: string, value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  return `<${name}>${escapeText(String(value))}</${name}>\n`;
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`)
    .join('');
}

/** Element names the writer sets itself; kept attributes of the same name are not written twice. */
const WRITTEN_ELEMENTS = new Set(['first_found', 'last_found', 'vulnerability_state', 'plugin_output']);
const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

function slashDate(isoDate: string | null): string | null {
  return isoDate === null ? null : isoDate.replace(/-/g, '/');
}

function pluginElements(plugin: WrittenPlugin): string {
  let xml =
    element('description', plugin.description) +
    element('synopsis', plugin.synopsis) +
    element('solution', plugin.solution) +
    element('risk_factor', plugin.riskFactor) +
    element('plugin_type', plugin.pluginType) +
    element('plugin_publication_date', slashDate(plugin.publicationDate)) +
    element('plugin_modification_date', slashDate(plugin.modificationDate)) +
    element('cvss_base_score', plugin.cvssBaseScore) +
    element('cvss_vector', plugin.cvssVector) +
    element('cvss3_base_score', plugin.cvss3BaseScore) +
    element('cvss3_vector', plugin.cvss3Vector) +
    element('exploit_available', plugin.exploitAvailable === null ? null : String(plugin.exploitAvailable));
  for (const cve of plugin.cve) xml += element('cve', cve);
  for (const bid of plugin.bid) xml += element('bid', bid);
  for (const xref of plugin.xrefs) xml += element('xref', xref);
  if (plugin.seeAlso.length > 0) xml += element('see_also', plugin.seeAlso.join('\n'));
  for (const [name, value] of Object.entries(plugin.attributes)) {
    if (WRITTEN_ELEMENTS.has(name) || !ELEMENT_NAME.test(name)) continue;
    // The importer keeps cpe split into a list; it reads one CPE per element as well.
    for (const one of Array.isArray(value) ? value : [value]) {
      if (typeof one === 'string' || typeof one === 'number') xml += element(name, one);
    }
  }
  return xml;
}

function itemAttributes(pluginId: number, plugin: WrittenPlugin, port: number, protocol: string, service: string | null, severity: number) {
  return attributes({
    port,
    svc_name: service ?? 'general',
    protocol,
    severity,
    pluginID: pluginId,
    pluginName: plugin.name,
    pluginFamily: plugin.family ?? '',
  });
}

function findingItem(finding: WrittenFinding): string {
  const { workbench } = finding;
  return (
    `<ReportItem${itemAttributes(finding.pluginId, finding.plugin, finding.port, finding.protocol, finding.service, finding.severity)}>\n` +
    pluginElements(finding.plugin) +
    element('plugin_output', finding.output) +
    (workbench
      ? element('first_found', workbench.firstFound.toISOString().replace(/\.\d{3}Z$/, 'Z')) +
        element('last_found', workbench.lastFound.toISOString().replace(/\.\d{3}Z$/, 'Z')) +
        element('vulnerability_state', workbench.state)
      : '') +
    '</ReportItem>\n'
  );
}

/** Nessus' own severities of compliance checks: failed 3, warning 2, everything else 0. */
function complianceSeverity(result: string): number {
  if (result === 'FAILED') return 3;
  if (result === 'WARNING') return 2;
  return 0;
}

function complianceItem(check: WrittenCompliance): string {
  let fields = '';
  for (const [name, value] of Object.entries(check.fields)) {
    if (ELEMENT_NAME.test(name)) fields += element(`cm:${name}`, value);
  }
  return (
    `<ReportItem${itemAttributes(check.pluginId, check.plugin, 0, 'tcp', null, complianceSeverity(check.result))}>\n` +
    pluginElements(check.plugin) +
    fields +
    '</ReportItem>\n'
  );
}

function isCompliance(item: WrittenFinding | WrittenCompliance): item is WrittenCompliance {
  return 'fields' in item;
}

function hostHeader(host: WrittenHost): string {
  let xml = `<ReportHost${attributes({ name: host.name })}><HostProperties>\n`;
  for (const [name, value] of Object.entries(host.properties)) {
    xml += `<tag${attributes({ name })}>${escapeText(value)}</tag>\n`;
  }
  return `${xml}</HostProperties>\n`;
}

/** The document as text pieces, one per host header and one per batch of items. */
export async function* writeNessus(document: WrittenDocument): AsyncGenerator<string> {
  yield '<?xml version="1.0" ?>\n<NessusClientData_v2>\n';
  if (document.policyName !== null) {
    // Only the name: Bulwark does not keep the policy's preferences and plugin selection.
    yield `<Policy><policyName>${escapeText(document.policyName)}</policyName></Policy>\n`;
  }
  yield `<Report${attributes({ name: document.reportName, 'xmlns:cm': 'http://www.nessus.org/cm' })}>\n`;
  for await (const batch of document.hosts) {
    for (const entry of batch) {
      yield hostHeader(entry.host);
      for await (const items of entry.items()) {
        yield items.map((item) => (isCompliance(item) ? complianceItem(item) : findingItem(item))).join('');
      }
      yield '</ReportHost>\n';
    }
  }
  yield '</Report>\n</NessusClientData_v2>\n';
}
