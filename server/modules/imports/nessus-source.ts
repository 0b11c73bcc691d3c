import type { Readable } from 'node:stream';
import { parseNessus, type ParseNessusOptions } from '../nessus/nessus-parser.js';
import type { NessusFinding, NessusHost, NessusPolicy } from '../nessus/nessus-records.js';
import type { PluginSelection } from './finding-state.js';
import type { ImportEvent, StagedHost, StagedPlugin } from './import-records.js';

/** The policy's plugin selection, for the FIXED rule; null when the file has no policy. */
export function pluginSelectionOf(policy: NessusPolicy | null): PluginSelection | null {
  if (!policy || (policy.families.length === 0 && policy.plugins.length === 0 && !policy.pluginSet)) return null;
  return {
    families: new Map(policy.families.map((family) => [family.name, family.status.toLowerCase()])),
    plugins: new Map(
      policy.plugins.filter((plugin) => plugin.id !== null).map((plugin) => [plugin.id as number, plugin.status.toLowerCase()]),
    ),
    pluginSet: policy.pluginSet ? new Set(policy.pluginSet) : null,
  };
}

function stagedHost(host: NessusHost): StagedHost {
  return {
    name: host.name,
    agentUuid: host.agentUuid,
    fqdn: host.fqdn ?? host.fqdns[0] ?? null,
    netbiosName: host.netbiosName,
    ipv4: host.ipv4,
    ipv6: host.ipv6,
    hostname: host.hostname,
    macAddress: host.macAddresses[0] ?? null,
    operatingSystem: host.operatingSystems[0] ?? null,
    credentialed: host.isCredentialedScan === true,
    startedAt: host.startedAt,
    endedAt: host.endedAt,
    properties: host.properties,
  };
}

/** A plugin date for the date columns: .nessus files write YYYY/MM/DD, some exports YYYY-MM-DD or
 *  an ISO-8601 midnight (2016-09-13T00:00:00Z); anything else is not a date. */
function dayOf(value: string | null): string | null {
  const match = /^(\d{4})[/-](\d{2})[/-](\d{2})(?:T[\d:.]+Z?)?$/.exec(value ?? '');
  return match === null ? null : `${match[1]}-${match[2]}-${match[3]}`;
}

/** A CVSS score as Tenable writes it ("5.0", not "5"): the parser keeps the number only. */
function scoreText(score: number): string {
  return Number.isInteger(score) ? score.toFixed(1) : String(score);
}

function flagText(flag: boolean | null): string | null {
  return flag === null ? null : String(flag);
}

/** The typed fields without a plugins column, kept in attributes under their element names. */
function typedAttributes(item: NessusFinding): Record<string, string> {
  const fields: Record<string, string | null> = {
    script_version: item.scriptVersion,
    plugin_version: item.pluginVersion,
    cvss_temporal_score: item.cvssTemporalScore === null ? null : scoreText(item.cvssTemporalScore),
    cvss_temporal_vector: item.cvssTemporalVector,
    cvss3_temporal_score: item.cvss3TemporalScore === null ? null : scoreText(item.cvss3TemporalScore),
    cvss3_temporal_vector: item.cvss3TemporalVector,
    exploitability_ease: item.exploitabilityEase,
    stig_severity: item.stigSeverity,
    exploited_by_malware: flagText(item.exploitedByMalware),
    exploited_by_nessus: flagText(item.exploitedByNessus),
    in_the_news: flagText(item.inTheNews),
    unsupported_by_vendor: flagText(item.unsupportedByVendor),
    cvss4_base_score: item.cvss4BaseScore === null ? null : String(item.cvss4BaseScore),
    vpr_score: item.vprScore === null ? null : String(item.vprScore),
    epss_score: item.epssScore === null ? null : String(item.epssScore),
    patch_publication_date: item.patchPublicationDate,
    vuln_publication_date: item.vulnPublicationDate,
  };
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) if (value) kept[name] = value;
  return kept;
}

function stagedPlugin(item: NessusFinding): StagedPlugin {
  return {
    id: item.pluginId,
    name: item.pluginName,
    family: item.pluginFamily,
    riskFactor: item.riskFactor,
    synopsis: item.synopsis,
    description: item.description,
    solution: item.solution,
    pluginType: item.pluginType,
    cvssBaseScore: item.cvssBaseScore,
    cvssVector: item.cvssVector,
    cvss3BaseScore: item.cvss3BaseScore,
    cvss3Vector: item.cvss3Vector,
    cve: item.cves,
    bid: item.bids,
    seeAlso: item.seeAlso,
    xrefs: item.xrefs.map((xref) => (xref.type ? `${xref.type}:${xref.id}` : xref.id)),
    exploitAvailable: item.exploitAvailable,
    publicationDate: dayOf(item.pluginPublicationDate),
    modificationDate: dayOf(item.pluginModificationDate),
    attributes: {
      ...item.otherElements,
      ...(item.cpes.length > 0 ? { cpe: item.cpes } : {}),
      ...typedAttributes(item),
    },
  };
}

/** Counts the bytes read from a stream as they pass. */
async function* counted(input: AsyncIterable<Buffer | string>, onBytes: (total: number) => void): AsyncGenerator<Buffer | string> {
  let total = 0;
  for await (const chunk of input) {
    total += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    onBytes(total);
    yield chunk;
  }
}

/**
 * A .nessus stream as the importer's events (import-records.ts): the parser's records mapped,
 * one progress event (bytes read so far) after each batch, and the fingerprint at the end.
 */
export async function* nessusImportEvents(
  input: Readable | AsyncIterable<Buffer | string>,
  options: ParseNessusOptions = {},
): AsyncGenerator<ImportEvent> {
  let bytesRead = 0;
  // Check keys already used on each host and plugin: two checks with one id or name both stay.
  const checkKeys = new Map<string, number>();
  let checkKeysHost = -1;
  const uniqueCheckKey = (hostIndex: number, pluginId: number, key: string) => {
    if (hostIndex !== checkKeysHost) {
      checkKeys.clear();
      checkKeysHost = hostIndex;
    }
    const seen = checkKeys.get(`${pluginId}|${key}`) ?? 0;
    checkKeys.set(`${pluginId}|${key}`, seen + 1);
    return seen === 0 ? key : `${key}#${seen + 1}`;
  };
  // Each plugin is described once, by its first item: the importer keeps only that one anyway.
  const pluginIds = new Set<number>();
  const isNewPlugin = (pluginId: number) => {
    if (pluginIds.has(pluginId)) return false;
    pluginIds.add(pluginId);
    return true;
  };
  for await (const batch of parseNessus(
    counted(input, (total) => {
      bytesRead = total;
    }),
    options,
  )) {
    for (const record of batch) {
      switch (record.kind) {
        case 'scan':
          yield {
            type: 'scan',
            scan: {
              name: record.scan.reportName ?? '',
              policyName: record.scan.policy?.name ?? null,
              pluginSelection: pluginSelectionOf(record.scan.policy),
            },
          };
          break;
        case 'host':
          yield { type: 'host', index: record.host.hostIndex, host: stagedHost(record.host) };
          break;
        case 'finding':
          if (isNewPlugin(record.finding.pluginId)) yield { type: 'plugin', plugin: stagedPlugin(record.finding) };
          yield {
            type: 'item',
            hostIndex: record.finding.hostIndex,
            item: {
              pluginId: record.finding.pluginId,
              port: record.finding.port,
              protocol: record.finding.protocol,
              service: record.finding.serviceName,
              severity: record.finding.severity,
              output: record.finding.pluginOutput,
              compliance: null,
            },
          };
          break;
        case 'compliance': {
          const { result } = record;
          const fields = result.compliance;
          if (isNewPlugin(result.pluginId)) yield { type: 'plugin', plugin: stagedPlugin(result) };
          yield {
            type: 'item',
            hostIndex: result.hostIndex,
            item: {
              pluginId: result.pluginId,
              port: result.port,
              protocol: result.protocol,
              service: result.serviceName,
              severity: result.severity,
              output: result.pluginOutput,
              compliance: {
                checkKey: uniqueCheckKey(result.hostIndex, result.pluginId, fields.checkId ?? fields.fullId ?? fields.checkName ?? 'check'),
                checkName: fields.checkName ?? fields.checkId ?? 'Unnamed check',
                result: (fields.result ?? 'UNKNOWN').toUpperCase(),
                auditFile: fields.auditFile,
                info: fields.info,
                solution: fields.solution,
                reference: fields.reference,
                actualValue: fields.actualValue,
                policyValue: fields.policyValue,
                fields: fields.fields,
              },
            },
          };
          break;
        }
        case 'end':
          yield {
            type: 'end',
            fingerprint: record.summary.fingerprint,
            warnings: record.summary.warnings.map((warning) => warning.message),
          };
          break;
      }
    }
    yield { type: 'progress', bytesRead };
  }
}
