import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ConnectorError, type ConnectorDefinition, type ConnectorValues, type FindingRecord } from '../../connector.js';

/**
 * A test-only connector (never in CONNECTORS): reads a JSON file holding an array of findings.
 * It proves that a second connector is a folder and one registration line, and lets the engine be
 * tested without a network source. It reads any path the server may read, so it must never be
 * offered to real users.
 */

const CHUNK_SIZE = 100;

const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;

/** One record of the file; every field optional except the host and the plugin id. */
interface JsonFinding {
  host?: unknown;
  ip?: unknown;
  pluginId?: unknown;
  pluginName?: unknown;
  port?: unknown;
  protocol?: unknown;
  severity?: unknown;
  state?: unknown;
  cve?: unknown;
  firstFound?: unknown;
  lastFound?: unknown;
  lastFixed?: unknown;
  output?: unknown;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

const isoOrNull = (value: unknown): string | null => {
  const candidate = text(value);
  if (!candidate) return null;
  const date = new Date(candidate);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
};

function severityOf(value: unknown): { severity: FindingRecord['severity']; severityId: number } {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 4) {
    return { severity: SEVERITIES[value] ?? 'info', severityId: value };
  }
  const index = SEVERITIES.indexOf(String(value ?? '').toLowerCase() as (typeof SEVERITIES)[number]);
  return index >= 0 ? { severity: SEVERITIES[index] ?? 'info', severityId: index } : { severity: 'info', severityId: 0 };
}

function stateOf(value: unknown): FindingRecord['state'] {
  const state = String(value ?? 'OPEN').toUpperCase();
  return state === 'FIXED' || state === 'REOPENED' ? state : 'OPEN';
}

/** Normalises one record of the file; a record without a host or a plugin id is bad input. */
export function normaliseJsonFinding(input: unknown, index: number): FindingRecord {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConnectorError('bad_response', `Record ${index} is not an object.`);
  }
  const record = input as JsonFinding;
  const host = text(record.host);
  const pluginId = Number(record.pluginId);
  if (!host || !Number.isInteger(pluginId) || pluginId <= 0) {
    throw new ConnectorError('bad_response', `Record ${index} needs a host and a plugin id.`);
  }
  const port = Number.isInteger(Number(record.port)) ? Number(record.port) : 0;
  const protocol = text(record.protocol)?.toLowerCase() ?? 'tcp';
  const state = stateOf(record.state);
  const lastFound = isoOrNull(record.lastFound);
  const lastFixed = isoOrNull(record.lastFixed);
  const fingerprint = crypto
    .createHash('sha256')
    .update(JSON.stringify([host, pluginId, port, protocol, state, lastFound, lastFixed]))
    .digest('hex');
  const ip = text(record.ip);
  const cve = Array.isArray(record.cve) ? record.cve.filter((item): item is string => typeof item === 'string') : [];
  return {
    kind: 'finding',
    fingerprint,
    ...severityOf(record.severity),
    state,
    asset: {
      sourceId: null,
      hostName: host,
      fqdn: host.includes('.') ? host : null,
      netbiosName: null,
      ipv4: ip,
      ipv6: null,
      agentUuid: null,
      macAddress: null,
      operatingSystem: null,
    },
    plugin: {
      id: pluginId,
      name: text(record.pluginName) ?? `Plugin ${pluginId}`,
      family: null,
      synopsis: null,
      description: null,
      solution: null,
      riskFactor: null,
      pluginType: null,
      cvssBaseScore: null,
      cvssVector: null,
      cvss3BaseScore: null,
      cvss3Vector: null,
      cve,
      seeAlso: [],
      exploitAvailable: null,
      publicationDate: null,
      modificationDate: null,
    },
    port,
    protocol,
    service: null,
    output: text(record.output),
    firstFound: isoOrNull(record.firstFound),
    lastFound,
    lastFixed,
    raw: input,
  };
}

async function readRecords(values: ConnectorValues): Promise<unknown[]> {
  const file = values.path ?? '';
  let content: string;
  try {
    content = await fs.readFile(file, 'utf8');
  } catch {
    throw new ConnectorError('unreachable', 'The file could not be read.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    throw new ConnectorError('bad_response', 'The file is not valid JSON.');
  }
  if (!Array.isArray(parsed)) throw new ConnectorError('bad_response', 'The file does not hold an array of records.');
  return parsed;
}

export const jsonFileConnector: ConnectorDefinition = {
  id: 'test.json-file',
  label: 'JSON file (tests)',
  logName: 'json-file',
  description: 'Reads findings from a JSON file on the server. Used only in tests.',
  category: 'Testing',
  authMethod: 'None',
  multiInstance: true,
  vendorDocs: { label: 'JSON', url: 'https://www.json.org/' },
  prerequisites: ['A JSON file holding an array of findings'],
  fields: [
    { name: 'path', label: 'File path', kind: 'text', required: true, defaultValue: null, description: 'Absolute path of the file' },
  ],
  streams: [{ name: 'records', label: 'Records', noun: 'records', defaultIntervalMinutes: 30 }],
  validate(values): Record<string, string> {
    return path.isAbsolute(values.path ?? '') ? {} : { path: 'Enter an absolute path.' };
  },
  async testConnection({ values }) {
    const records = await readRecords(values);
    return { message: `Read ${records.length} records.` };
  },
  /** Records last found at or after the cursor (all of them on the first run), in chunks of 100. */
  async runStream(ctx) {
    const records = (await readRecords(ctx.values)).map(normaliseJsonFinding);
    const cursor = ctx.cursor?.getTime() ?? null;
    const fresh = records.filter((record) => cursor === null || record.lastFound === null || Date.parse(record.lastFound) >= cursor);
    const total = Math.ceil(fresh.length / CHUNK_SIZE);
    await ctx.reportTotalChunks(total);
    for (let chunk = 0; chunk < total; chunk += 1) {
      ctx.signal.throwIfAborted();
      await ctx.storeChunk(chunk + 1, fresh.slice(chunk * CHUNK_SIZE, (chunk + 1) * CHUNK_SIZE));
    }
  },
};
