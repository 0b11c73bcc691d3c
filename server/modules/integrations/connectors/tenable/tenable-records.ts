import crypto from 'node:crypto';
import { ConnectorError, type AssetRecord, type FindingRecord, type RecordAsset, type RecordPlugin } from '../../connector.js';

/**
 * Tenable export records (tenable-api.md 2.3 and 2.4) as the connector hands them over. Lenient
 * with types (numbers as strings, missing keys, null where a value is absent), strict only about
 * identity: a finding without asset.uuid or plugin.id, or an asset without id, cannot be stored
 * idempotently, so its chunk is a bad response rather than something silently dropped.
 */

const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
type Severity = (typeof SEVERITIES)[number];
const STATES = ['OPEN', 'REOPENED', 'FIXED'] as const;
type State = (typeof STATES)[number];

type Json = Record<string, unknown>;

function objectOf(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return textOf(value.find((item) => textOf(item) !== null));
  return null;
}

function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value);
    return Number.isFinite(number) ? number : null;
  }
  return null;
}

function integerOf(value: unknown): number | null {
  const number = numberOf(value);
  return number !== null && Number.isInteger(number) ? number : null;
}

function textsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(textOf).filter((item): item is string => item !== null);
  const single = textOf(value);
  return single === null ? [] : [single];
}

function booleanOf(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

/**
 * A time already written as toISOString writes it, on a day every month has (so no roll-over to
 * the next month can change it): returned as it is, the common case, without parsing.
 */
const CANONICAL_ISO = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** ISO-8601, from an ISO string or a Unix time (seconds, or milliseconds when that large). */
export function isoOf(value: unknown): string | null {
  if (typeof value === 'string' && CANONICAL_ISO.test(value)) return value;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()))) {
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0) return null;
    return new Date(number >= 1e12 ? number : number * 1000).toISOString();
  }
  if (typeof value !== 'string' || value.trim() === '') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** A CVSS vector given as a string or as Tenable's object with `raw`. */
function vectorOf(value: unknown): string | null {
  return textOf(objectOf(value)?.raw) ?? textOf(value);
}

function sha256Of(parts: readonly unknown[]): string {
  return crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

function badRecord(kind: string, index: number, missing: string): ConnectorError {
  return new ConnectorError('bad_response', `The source sent a ${kind} without ${missing} (record ${index + 1} of its chunk).`);
}

function severityOf(record: Json, plugin: Json): { severity: Severity; severityId: number } {
  const byName = textOf(record.severity)?.toLowerCase();
  const byId = integerOf(record.severity_id);
  if (byId !== null && byId >= 0 && byId <= 4) return { severity: SEVERITIES[byId]!, severityId: byId };
  const named = SEVERITIES.find((severity) => severity === byName);
  if (named) return { severity: named, severityId: SEVERITIES.indexOf(named) };
  const risk = textOf(plugin.risk_factor)?.toLowerCase();
  const fromRisk = SEVERITIES.find((severity) => severity === risk);
  return fromRisk ? { severity: fromRisk, severityId: SEVERITIES.indexOf(fromRisk) } : { severity: 'info', severityId: 0 };
}

function stateOf(value: unknown): State {
  const text = textOf(value)?.toUpperCase();
  // Tenable's own words are upper case; the workbench says "Resurfaced" for REOPENED.
  if (text === 'RESURFACED') return 'REOPENED';
  return STATES.find((state) => state === text) ?? 'OPEN';
}

function findingAssetOf(asset: Json, uuid: string): RecordAsset {
  return {
    sourceId: uuid,
    hostName: textOf(asset.hostname),
    fqdn: textOf(asset.fqdn),
    netbiosName: textOf(asset.netbios_name),
    ipv4: textOf(asset.ipv4),
    ipv6: textOf(asset.ipv6),
    agentUuid: textOf(asset.agent_uuid),
    macAddress: textOf(asset.mac_address),
    operatingSystem: textOf(asset.operating_system),
  };
}

function pluginOf(plugin: Json, id: number): RecordPlugin {
  return {
    id,
    name: textOf(plugin.name) ?? `Plugin ${id}`,
    family: textOf(plugin.family),
    synopsis: textOf(plugin.synopsis),
    description: textOf(plugin.description),
    solution: textOf(plugin.solution),
    riskFactor: textOf(plugin.risk_factor),
    pluginType: textOf(plugin.type),
    cvssBaseScore: numberOf(plugin.cvss_base_score),
    cvssVector: vectorOf(plugin.cvss_vector),
    cvss3BaseScore: numberOf(plugin.cvss3_base_score),
    cvss3Vector: vectorOf(plugin.cvss3_vector),
    cve: textsOf(plugin.cve),
    seeAlso: textsOf(plugin.see_also),
    exploitAvailable: booleanOf(plugin.exploit_available),
    publicationDate: isoOf(plugin.publication_date),
    modificationDate: isoOf(plugin.modification_date),
  };
}

/** One element of a vulns export chunk (2.3). `index` only names the record in an error. */
export function normaliseFinding(raw: unknown, index = 0): FindingRecord {
  const record = objectOf(raw);
  if (!record) throw badRecord('finding', index, 'a JSON object');
  const asset = objectOf(record.asset) ?? {};
  const plugin = objectOf(record.plugin) ?? {};
  const assetUuid = textOf(asset.uuid);
  if (assetUuid === null) throw badRecord('finding', index, 'asset.uuid');
  const pluginId = integerOf(plugin.id);
  if (pluginId === null) throw badRecord('finding', index, 'plugin.id');
  const port = objectOf(record.port) ?? {};
  const portNumber = integerOf(port.port) ?? 0;
  const protocol = (textOf(port.protocol) ?? 'TCP').toUpperCase();
  const state = stateOf(record.state);
  const lastFound = isoOf(record.last_found);
  const lastFixed = isoOf(record.last_fixed);
  return {
    kind: 'finding',
    fingerprint: sha256Of([assetUuid, pluginId, portNumber, protocol, state, lastFound, lastFixed]),
    ...severityOf(record, plugin),
    state,
    asset: findingAssetOf(asset, assetUuid),
    plugin: pluginOf(plugin, pluginId),
    port: portNumber,
    protocol,
    service: textOf(port.service),
    output: typeof record.output === 'string' ? record.output : null,
    firstFound: isoOf(record.first_found),
    lastFound,
    lastFixed,
    raw,
  };
}

/** One element of an assets export chunk: the v1 flat record (2.4), with v2's nesting read too. */
export function normaliseAsset(raw: unknown, index = 0): AssetRecord {
  const record = objectOf(raw);
  if (!record) throw badRecord('asset', index, 'a JSON object');
  const id = textOf(record.id);
  if (id === null) throw badRecord('asset', index, 'id');
  const network = objectOf(record.network) ?? {};
  const timestamps = objectOf(record.timestamps) ?? {};
  // v1 uses plural array names; the /assets listing (and v2's network{}) the same or singular ones.
  const first = (...candidates: unknown[]) => candidates.map(textOf).find((value) => value !== null) ?? null;
  const updatedAt = isoOf(record.updated_at ?? timestamps.updated_at);
  return {
    kind: 'asset',
    fingerprint: sha256Of([id, updatedAt]),
    asset: {
      sourceId: id,
      hostName: first(record.hostnames, record.hostname, network.hostnames),
      fqdn: first(record.fqdns, record.fqdn, network.fqdns),
      netbiosName: first(record.netbios_names, record.netbios_name, network.netbios_names),
      ipv4: first(record.ipv4s, record.ipv4, network.ipv4s),
      ipv6: first(record.ipv6s, record.ipv6, network.ipv6s),
      agentUuid: first(record.agent_uuid),
      macAddress: first(record.mac_addresses, record.mac_address, network.mac_addresses),
      operatingSystem: first(record.operating_systems, record.operating_system),
    },
    updatedAt,
    firstSeen: isoOf(record.first_seen ?? timestamps.first_seen),
    lastSeen: isoOf(record.last_seen ?? timestamps.last_seen),
    raw,
  };
}
