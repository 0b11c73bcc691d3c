import type { RunErrorKind } from '../../../common/schemas/integrations.js';
import type { InFlightExportColumn } from '../../db/schema-integrations.js';

/**
 * What a connector is (issue 8). A connector is a folder under ./connectors exporting one
 * ConnectorDefinition, and one line in ./connectors/index.ts. The run engine (runs.ts) owns the
 * ledger, cursors, the in-flight export, log lines, storing and merging; a connector only talks to
 * its source and hands records over, chunk by chunk.
 */

export interface ConnectorField {
  name: string;
  label: string;
  /** text: stored as is and shown; secret: encrypted at rest, shown masked, never logged; pem: a certificate. */
  kind: 'text' | 'secret' | 'pem';
  required: boolean;
  defaultValue: string | null;
  description: string;
}

export interface StreamDefinition {
  /** Stable name, for example `vulnerabilities`. */
  name: string;
  label: string;
  /** The noun of the log line: `[INFO] tenable: fetched <N> <noun>`. */
  noun: string;
  defaultIntervalMinutes: number;
}

/** The settings of one integration as the connector receives them: every field by name, secrets decrypted. */
export type ConnectorValues = Readonly<Record<string, string>>;

/** The normalised identifiers of a host, as imports match assets (imports/asset-identity.ts). */
export interface RecordAsset {
  /** The source's asset id (Tenable: asset.uuid / id). */
  sourceId: string | null;
  hostName: string | null;
  fqdn: string | null;
  netbiosName: string | null;
  ipv4: string | null;
  ipv6: string | null;
  agentUuid: string | null;
  macAddress: string | null;
  operatingSystem: string | null;
}

export interface RecordPlugin {
  id: number;
  name: string;
  family: string | null;
  synopsis: string | null;
  description: string | null;
  solution: string | null;
  riskFactor: string | null;
  pluginType: string | null;
  cvssBaseScore: number | null;
  cvssVector: string | null;
  cvss3BaseScore: number | null;
  cvss3Vector: string | null;
  cve: string[];
  seeAlso: string[];
  exploitAvailable: boolean | null;
  publicationDate: string | null;
  modificationDate: string | null;
}

/** One vulnerability finding as a connector hands it over. */
export interface FindingRecord {
  kind: 'finding';
  /** sha256 hex of (asset, plugin, port, protocol, state, last found, last fixed): one artifact per value, ever. */
  fingerprint: string;
  severity: 'info' | 'low' | 'medium' | 'high' | 'critical';
  /** 0..4 */
  severityId: number;
  state: 'OPEN' | 'REOPENED' | 'FIXED';
  asset: RecordAsset;
  plugin: RecordPlugin;
  port: number;
  protocol: string;
  service: string | null;
  output: string | null;
  /** ISO. */
  firstFound: string | null;
  lastFound: string | null;
  lastFixed: string | null;
  /** The record exactly as the source sent it; undefined when rawBytes holds it. */
  raw: unknown;
  /**
   * Its JSON text as the source sent it (UTF-8 bytes), when the connector kept it: stored as the raw
   * record instead of serialising raw. A connector that keeps it need not keep raw (a chunk's parsed
   * objects, kept alive until the chunk is stored, cost more garbage collection than parsing them).
   */
  rawBytes?: Uint8Array;
}

/** One asset as a connector hands it over. */
export interface AssetRecord {
  kind: 'asset';
  /** sha256 hex of (asset id, updated at). */
  fingerprint: string;
  asset: RecordAsset;
  /** ISO, when the source last changed it. */
  updatedAt: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  /** As on FindingRecord. */
  raw: unknown;
  rawBytes?: Uint8Array;
}

export type ConnectorRecord = FindingRecord | AssetRecord;

/**
 * An export the source is preparing, remembered by the engine (integration_streams.in_flight) so a
 * later run resumes it: its id, the start of the run that created it (the cursor's next value once
 * every chunk is stored), the window's start it was created with, the chunks already stored.
 */
export type InFlightExport = InFlightExportColumn;

export interface ConnectorLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What a connector may use while talking to its source. Injected, so tests control time. */
export interface ConnectorEnvironment {
  /** `Integration/1.0 (Bulwark; Bulwark; Build/<version>)` */
  userAgent: string;
  now(): Date;
  /** Resolves after `ms`, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
  log: ConnectorLog;
}

export interface StreamRunContext extends ConnectorEnvironment {
  integration: { id: string; name: string };
  values: ConnectorValues;
  stream: string;
  /** When this run started (with a resumed export: when the run that created it started). */
  startedAt: Date;
  /** The start of the last successful run, or null before the first; the connector subtracts its overlap. */
  cursor: Date | null;
  /** The export a previous run left unfinished, to resume instead of starting again. */
  inFlight: InFlightExport | null;
  /** Remembers (or forgets, with null) the export in flight; stored before it resolves. */
  remember(inFlight: InFlightExport | null): Promise<void>;
  /** The number of chunks, once the source says. */
  reportTotalChunks(total: number): Promise<void>;
  /** The source asked us to wait (429 or 5xx): the tile shows amber until then. */
  reportBackoff(until: Date, reason: string): Promise<void>;
  /**
   * Stores one chunk's records as signal artifacts (and merges them into the target account's
   * instance), in batches of a few thousand records, two transactions at a time, then records the
   * chunk in the ledger. Resolves once all of it committed. Call once per chunk, in order.
   */
  storeChunk(chunkId: number, records: ConnectorRecord[]): Promise<{ stored: number; duplicates: number }>;
  signal: AbortSignal;
}

export interface ConnectorDefinition {
  /** The connector name, for example `signal-client.tenable`. */
  id: string;
  label: string;
  /** The prefix of its log lines: `[INFO] tenable: fetched 12 vulnerabilities`. */
  logName: string;
  description: string;
  category: string;
  authMethod: string;
  multiInstance: boolean;
  vendorDocs: { label: string; url: string };
  prerequisites: string[];
  fields: ConnectorField[];
  streams: StreamDefinition[];
  /** Checks the form's values beyond required/non-empty; returns messages by field name (empty: fine). */
  validate(values: ConnectorValues): Record<string, string>;
  /** One cheap authenticated request; throws ConnectorError. */
  testConnection(env: ConnectorEnvironment & { values: ConnectorValues; signal: AbortSignal }): Promise<{ message: string }>;
  /** Fetches everything new on one stream since ctx.cursor, handing chunks to ctx.storeChunk; throws ConnectorError. */
  runStream(ctx: StreamRunContext): Promise<void>;
}

/** A failure a connector recognised; the kind decides the tile's colour and advice. */
export class ConnectorError extends Error {
  constructor(
    readonly kind: RunErrorKind,
    message: string,
    readonly details: { status?: number; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}
