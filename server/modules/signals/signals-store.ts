import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ConnectorRecord } from '../integrations/connector.js';

export interface StoreArtifactsInput {
  integration: { id: string; name: string };
  stream: string;
  /** The integration's target account, or null. */
  accountId: string | null;
  observedAt: Date;
  records: readonly ConnectorRecord[];
}

export interface StoreArtifactsResult {
  stored: number;
  duplicates: number;
  /** The records that were new (not already stored under their fingerprint), in input order. */
  newRecords: ConnectorRecord[];
}

/** The normalised columns of one record, as sent to jsonb_to_recordset (names match its column list). */
interface ArtifactRow {
  fingerprint: string;
  severity: string | null;
  state: string | null;
  host_name: string | null;
  ip: string | null;
  plugin_id: number | null;
  plugin_name: string | null;
  cve: string[];
}

/**
 * The search column, computed in SQL from the artifact's columns (`r` is the row alias): the words
 * of the host name (whole, and split at dots so `web-01` or `host-4711` typed alone match), IP, plugin name and id, severity, state and stream,
 * plus the whole IP and every CVE id as single lexemes, so `CVE-2021-44228` or `2001:db8::1`
 * typed alone is one exact lexeme (the text parser would cut them into pieces). The benchmark
 * generates its rows with this same expression.
 */
export function searchVectorSql(alias: string): string {
  const r = alias;
  return `(to_tsvector('simple', concat_ws(' ', ${r}.host_name, translate(${r}.host_name, '.', ' '), ${r}.ip,
      ${r}.plugin_name, ${r}.plugin_id::text, ${r}.severity, ${r}.state, ${r}.stream))
    || array_to_tsvector(array_remove(array_remove(lower(${r}.cve::text)::text[] || lower(${r}.ip), null), '')))`;
}

/** Normalised columns of a record: host name is the FQDN, else the host name, else NetBIOS; IP is IPv4, else IPv6. */
export function normaliseRecord(record: ConnectorRecord): ArtifactRow {
  const asset = record.asset;
  const common = {
    fingerprint: record.fingerprint,
    host_name: asset.fqdn ?? asset.hostName ?? asset.netbiosName ?? null,
    ip: asset.ipv4 ?? asset.ipv6 ?? null,
  };
  if (record.kind === 'asset') return { ...common, severity: null, state: null, plugin_id: null, plugin_name: null, cve: [] };
  return {
    ...common,
    severity: record.severity,
    state: record.state,
    plugin_id: record.plugin.id,
    plugin_name: record.plugin.name,
    cve: [...new Set(record.plugin.cve.map((cve) => cve.trim().toUpperCase()).filter(Boolean))],
  };
}

/** PostgreSQL's jsonb refuses \u0000; a NUL in a source's text is dropped (an escaped backslash before `u0000` is kept). */
function toJsonForPostgres(value: unknown): string {
  const json = JSON.stringify(value);
  return json.includes('\\u0000') ? json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1') : json;
}

const STORE_COLUMNS = `fingerprint text, severity text, state text, host_name text, ip text, plugin_id integer,
  plugin_name text, cve text[], raw_start integer, raw_length integer`;

/**
 * The raw record as stored, in UTF-8: the JSON text the source sent when the connector kept it,
 * else the record serialised (undefined, which JSON cannot say, is stored as null).
 */
function rawBytesOf(record: ConnectorRecord): Uint8Array {
  return record.rawBytes ?? Buffer.from(JSON.stringify(record.raw ?? null), 'utf8');
}

/** The records with each fingerprint once: the first record that carries it. */
export function firstOfEachFingerprint(records: readonly ConnectorRecord[]): ConnectorRecord[] {
  const seen = new Set<string>();
  const unique: ConnectorRecord[] = [];
  for (const record of records) {
    if (seen.has(record.fingerprint)) continue;
    seen.add(record.fingerprint);
    unique.push(record);
  }
  return unique;
}

/**
 * Stores one chunk's records as signal artifacts inside the caller's transaction: one artifact
 * per (integration, fingerprint), so a record fetched again by an overlapping window is a duplicate.
 * One statement per call: the normalised columns travel as one small jsonb parameter, the raw
 * records as one bytea parameter (their UTF-8 texts end to end; each row carries where its text
 * starts and how long it is), so the raw records are never one large string on either side and
 * PostgreSQL never parses them; the search vector is computed in SQL, and `on conflict do nothing
 * returning fingerprint` tells new from duplicate. A fingerprint repeated inside the chunk is
 * stored once (its first record) and counted a duplicate.
 */
export async function storeSignalArtifacts(trx: Transaction<Database>, input: StoreArtifactsInput): Promise<StoreArtifactsResult> {
  const records = firstOfEachFingerprint(input.records);
  if (records.length === 0) return { stored: 0, duplicates: input.records.length, newRecords: [] };

  const raws = records.map(rawBytesOf);
  let start = 1;
  const rows = records.map((record, index) => {
    const length = raws[index]!.length;
    const row = { ...normaliseRecord(record), raw_start: start, raw_length: length };
    start += length;
    return row;
  });
  const inserted = await sql<{ fingerprint: string }>`
    insert into signal_artifacts (integration_id, integration_name, stream, observed_at, account_id,
      fingerprint, severity, state, host_name, ip, plugin_id, plugin_name, cve, raw, search)
    select ${input.integration.id}::uuid, ${input.integration.name}, ${input.stream}, ${input.observedAt.toISOString()}::timestamptz,
      ${input.accountId}::uuid, r.fingerprint, r.severity, r.state, r.host_name, r.ip, r.plugin_id, r.plugin_name,
      coalesce(r.cve, '{}'), convert_from(substring(${Buffer.concat(raws, start - 1)}::bytea from r.raw_start for r.raw_length), 'UTF8'),
      ${sql.raw(searchVectorSql('r'))}
    from (select x.*, ${input.stream}::text as stream
          from jsonb_to_recordset(${toJsonForPostgres(rows)}::jsonb) as x(${sql.raw(STORE_COLUMNS)})) as r
    on conflict (integration_id, fingerprint) do nothing
    returning fingerprint
  `.execute(trx);

  const isNew = new Set(inserted.rows.map((row) => row.fingerprint));
  const newRecords = records.filter((record) => isNew.has(record.fingerprint));
  return { stored: newRecords.length, duplicates: input.records.length - newRecords.length, newRecords };
}
