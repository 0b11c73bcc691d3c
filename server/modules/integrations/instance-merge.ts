import crypto from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AssetsTable } from '../../db/schema-vulnerability.js';
import { AssetIndex, knownAssetOf } from '../imports/apply-import.js';
import { identityOf, matchAsset, normaliseIdentifiers, type HostIdentifiers, type IdentityKind } from '../imports/asset-identity.js';
import type { FindingDates, FindingState } from '../imports/finding-state.js';
import {
  bumpAccountDirectoryVersion,
  findCandidateAssets,
  findFindingsOfAssets,
  lockInstanceForImport,
} from '../imports/imports.repository.js';
import type { ConnectorRecord, FindingRecord, RecordAsset, RecordPlugin } from './connector.js';

export interface MergeSource {
  integrationName: string;
  observedAt: Date;
}

export interface MergeResult {
  assetsCreated: number;
  assetsUpdated: number;
  findingsCreated: number;
  findingsUpdated: number;
}

/** Rows per statement: each column travels as one array parameter, however many rows. */
const ROWS_PER_STATEMENT = 5000;

/** What a source reports about one finding, its missing dates filled in (see reportedDatesOf). */
export interface ReportedFinding {
  state: FindingState;
  firstFound: Date;
  lastFound: Date;
  lastFixed: Date | null;
}

export interface FindingTransition {
  at: Date;
  from: FindingState | null;
  to: FindingState;
}

export interface MergedFinding {
  next: FindingDates;
  /** The finding_events rows to write, oldest first. */
  events: FindingTransition[];
  /** The record is the newest word on the finding: its severity, service and output replace the instance's. */
  isNewest: boolean;
}

const toDate = (value: string | null) => {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};
const earlier = (a: Date, b: Date) => (a < b ? a : b);
const later = (a: Date, b: Date) => (a > b ? a : b);
const laterOrNull = (a: Date | null, b: Date | null) => (a && b ? later(a, b) : (a ?? b));
/** The last time anyone looked: a finding's last sighting or its fix, whichever came later. */
const latestOf = (dates: { lastFound: Date; lastFixed: Date | null }) => laterOrNull(dates.lastFound, dates.lastFixed) as Date;
const isoOf = (date: Date | null) => (date ? date.toISOString() : null);

/** The record's dates; a date the source left out is the next best one it gave, else when we fetched it. */
export function reportedDatesOf(
  record: Pick<FindingRecord, 'state' | 'firstFound' | 'lastFound' | 'lastFixed'>,
  observedAt: Date,
): ReportedFinding {
  const lastFound = toDate(record.lastFound) ?? toDate(record.firstFound) ?? observedAt;
  const firstFound = earlier(toDate(record.firstFound) ?? lastFound, lastFound);
  const lastFixed = toDate(record.lastFixed) ?? (record.state === 'FIXED' ? later(observedAt, lastFound) : null);
  return { state: record.state, firstFound, lastFound, lastFixed };
}

/**
 * A finding after a source reported it (pure). The source's state and dates are taken as they
 * are, within the life finding-state.ts describes (a fixed finding that comes back is REOPENED,
 * never OPEN again), and never backwards in time: a record whose last sighting or fix is not later
 * than the instance's changes nothing but an earlier first-found date. Null: nothing changes.
 *
 * A finding the instance never had is created in the source's state, FIXED ones too: they are
 * history (the instance's trend and the finding's history show when it was open), and a later
 * record of it reopens it rather than opening a new one. Its history gets the transitions the
 * record's dates prove (found, fixed, found again), so the dashboard's open-findings trend adds
 * up exactly as it does for imported findings.
 */
export function mergeFinding(current: FindingDates | null, reported: ReportedFinding): MergedFinding | null {
  const { state, firstFound, lastFound, lastFixed } = reported;
  if (!current) {
    const events: FindingTransition[] = [];
    if (state === 'OPEN') events.push({ at: firstFound, from: null, to: 'OPEN' });
    else if (state === 'FIXED') {
      events.push({ at: firstFound, from: null, to: 'OPEN' }, { at: lastFixed ?? lastFound, from: 'OPEN', to: 'FIXED' });
    } else if (lastFixed && lastFixed >= firstFound && lastFixed < lastFound) {
      events.push(
        { at: firstFound, from: null, to: 'OPEN' },
        { at: lastFixed, from: 'OPEN', to: 'FIXED' },
        { at: lastFound, from: 'FIXED', to: 'REOPENED' },
      );
    } else events.push({ at: firstFound, from: null, to: 'REOPENED' });
    return {
      next: { state, firstFound, lastFound, lastFixed, resurfacedAt: state === 'REOPENED' ? lastFound : null },
      events,
      isNewest: true,
    };
  }

  const firstFoundNext = earlier(current.firstFound, firstFound);
  if (latestOf(reported) <= latestOf(current)) {
    return firstFoundNext < current.firstFound ? { next: { ...current, firstFound: firstFoundNext }, events: [], isNewest: false } : null;
  }
  const base: FindingDates = { ...current, firstFound: firstFoundNext, lastFound: later(current.lastFound, lastFound) };

  if (state === 'FIXED') {
    const fixedAt = lastFixed ?? lastFound;
    if (current.state !== 'FIXED') {
      return {
        next: { ...base, state: 'FIXED', lastFixed: fixedAt },
        events: [{ at: fixedAt, from: current.state, to: 'FIXED' }],
        isNewest: true,
      };
    }
    if (current.lastFixed && lastFound > current.lastFixed) {
      // Seen again after the instance's fix and fixed again since: the source saw it come back.
      return {
        next: { ...base, lastFixed: fixedAt, resurfacedAt: lastFound },
        events: [
          { at: lastFound, from: 'FIXED', to: 'REOPENED' },
          { at: fixedAt, from: 'REOPENED', to: 'FIXED' },
        ],
        isNewest: true,
      };
    }
    return { next: { ...base, lastFixed: fixedAt }, events: [], isNewest: true };
  }

  if (current.state === 'FIXED') {
    if (current.lastFixed && lastFound <= current.lastFixed) {
      return { next: { ...base, lastFixed: laterOrNull(current.lastFixed, lastFixed) }, events: [], isNewest: true };
    }
    return {
      next: { ...base, state: 'REOPENED', lastFixed: laterOrNull(current.lastFixed, lastFixed), resurfacedAt: lastFound },
      events: [{ at: lastFound, from: 'FIXED', to: 'REOPENED' }],
      isNewest: true,
    };
  }
  if (state === 'REOPENED' && lastFixed && lastFixed > current.lastFound && lastFixed < lastFound) {
    // Fixed and back again between two sightings the instance has: the source saw both.
    return {
      next: { ...base, state: 'REOPENED', lastFixed, resurfacedAt: lastFound },
      events: [
        { at: lastFixed, from: current.state, to: 'FIXED' },
        { at: lastFound, from: 'FIXED', to: 'REOPENED' },
      ],
      isNewest: true,
    };
  }
  return { next: base, events: [], isNewest: true };
}

type AssetColumns = Pick<
  AssetsTable,
  'hostname' | 'fqdn' | 'ipv4' | 'ipv6' | 'mac_address' | 'netbios_name' | 'operating_system' | 'agent_uuid'
>;

interface PendingAsset {
  id: string;
  isNew: boolean;
  identity: { kind: IdentityKind; value: string };
  columns: AssetColumns;
  firstSeen: Date;
  lastSeen: Date;
}

/** The host as the identity rule sees it; the source's asset id names it when nothing else does. */
function identifiersOf(asset: RecordAsset): HostIdentifiers {
  return normaliseIdentifiers({
    agentUuid: asset.agentUuid,
    fqdn: asset.fqdn,
    netbiosName: asset.netbiosName,
    ipv4: asset.ipv4,
    ipv6: asset.ipv6,
    hostName: asset.hostName ?? asset.fqdn ?? asset.netbiosName ?? asset.ipv4 ?? asset.ipv6 ?? asset.sourceId ?? '',
  });
}

function columnsOf(asset: RecordAsset, identifiers: HostIdentifiers): AssetColumns {
  const hostName = asset.hostName?.trim() || null;
  // Tenable fills hostname with the address or FQDN when it knows no name: that is not a host name.
  const isAddress = hostName !== null && [identifiers.fqdn, identifiers.ipv4, identifiers.ipv6].includes(hostName.toLowerCase());
  return {
    hostname: isAddress ? null : hostName,
    fqdn: identifiers.fqdn,
    ipv4: identifiers.ipv4,
    ipv6: identifiers.ipv6,
    mac_address: asset.macAddress?.trim() || null,
    netbios_name: identifiers.netbiosName,
    operating_system: asset.operatingSystem?.trim() || null,
    agent_uuid: identifiers.agentUuid,
  };
}

/** `top`'s values where it has them, else `base`'s. */
function overlay(base: AssetColumns, top: AssetColumns): AssetColumns {
  const result = { ...base };
  for (const key of Object.keys(top) as (keyof AssetColumns)[]) result[key] = top[key] ?? base[key];
  return result;
}

function chunks<T>(items: T[], size = ROWS_PER_STATEMENT): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** A plugin date for the date columns: the day of an ISO date or timestamp, else nothing. */
function dayOf(value: string | null): string | null {
  const match = /^(\d{4})[/-](\d{2})[/-](\d{2})/.exec(value?.trim() ?? '');
  return match === null ? null : `${match[1]}-${match[2]}-${match[3]}`;
}

const findingKey = (assetId: string, pluginId: number, port: number, protocol: string) => `${assetId}|${pluginId}|${port}|${protocol}`;

interface Entry {
  record: ConnectorRecord;
  identifiers: HostIdentifiers;
  firstSeen: Date;
  lastSeen: Date;
  reported: ReportedFinding | null;
  assetId?: string;
}

interface PendingFinding {
  id: string;
  assetId: string;
  pluginId: number;
  port: number;
  protocol: string;
  isNew: boolean;
  dates: FindingDates;
  /** Set when a record was the newest word on the finding. */
  newest?: { severity: number; service: string | null; output: string | null };
}

/**
 * Merges fetched records into a customer account's instance inside the caller's transaction:
 * assets matched by the import's identity rule (imports/asset-identity.ts) or created, plugins
 * upserted, findings upserted with the state and dates the source reports.
 *
 * Guarantees: it holds the instance's import lock (never interleaves with an import or another
 * merge); the same records merged again change nothing; a record older than what the instance
 * already knows of a finding or asset never moves it backwards; every state change of a finding
 * is a finding_events row. A few set-based statements per chunk, whatever its size.
 */
export async function mergeIntoInstance(
  trx: Transaction<Database>,
  accountId: string,
  records: readonly ConnectorRecord[],
  source: MergeSource,
): Promise<MergeResult> {
  const result: MergeResult = { assetsCreated: 0, assetsUpdated: 0, findingsCreated: 0, findingsUpdated: 0 };
  const entries: Entry[] = [];
  for (const record of records) {
    const identifiers = identifiersOf(record.asset);
    // Nothing names the host (no address, name or source id): there is no asset to put it on.
    if (identifiers.hostName === '') continue;
    if (record.kind === 'finding') {
      const reported = reportedDatesOf(record, source.observedAt);
      entries.push({ record, identifiers, reported, firstSeen: reported.firstFound, lastSeen: latestOf(reported) });
    } else {
      const lastSeen = toDate(record.lastSeen) ?? toDate(record.updatedAt) ?? source.observedAt;
      entries.push({ record, identifiers, reported: null, lastSeen, firstSeen: earlier(toDate(record.firstSeen) ?? lastSeen, lastSeen) });
    }
  }
  if (entries.length === 0) return result;
  // Oldest first, so the newest record's identifiers and state are the ones that stay.
  entries.sort((a, b) => a.lastSeen.getTime() - b.lastSeen.getTime());

  await lockInstanceForImport(trx, accountId);

  // 1. Assets: matched against the instance's assets that share an identifier, and those made so far.
  const ids = {
    agents: new Set<string>(),
    fqdns: new Set<string>(),
    netbios: new Set<string>(),
    ipv4s: new Set<string>(),
    ipv6s: new Set<string>(),
    identities: new Set<string>(),
  };
  for (const { identifiers } of entries) {
    if (identifiers.agentUuid) ids.agents.add(identifiers.agentUuid);
    if (identifiers.fqdn) ids.fqdns.add(identifiers.fqdn);
    if (identifiers.netbiosName) ids.netbios.add(identifiers.netbiosName);
    if (identifiers.ipv4) ids.ipv4s.add(identifiers.ipv4);
    if (identifiers.ipv6) ids.ipv6s.add(identifiers.ipv6);
    ids.identities.add(identityOf(identifiers).value);
  }
  const candidates = await findCandidateAssets(trx, accountId, {
    agents: [...ids.agents],
    fqdns: [...ids.fqdns],
    netbios: [...ids.netbios],
    ipv4s: [...ids.ipv4s],
    ipv6s: [...ids.ipv6s],
    identities: [...ids.identities],
  });
  const index = new AssetIndex();
  for (const row of candidates) {
    index.add(knownAssetOf(row));
  }
  const assets = new Map<string, PendingAsset>();
  for (const entry of entries) {
    const { identifiers } = entry;
    const columns = columnsOf(entry.record.asset, identifiers);
    const match = matchAsset(identifiers, index.candidatesFor(identifiers));
    if (!match) {
      const identity = identityOf(identifiers);
      const id = crypto.randomUUID();
      assets.set(id, { id, isNew: true, identity, columns, firstSeen: entry.firstSeen, lastSeen: entry.lastSeen });
      index.add({ id, ...identifiers, identityKind: identity.kind, identityValue: identity.value, lastSeen: entry.lastSeen });
      entry.assetId = id;
      continue;
    }
    entry.assetId = match.id;
    const pending = assets.get(match.id);
    if (pending) {
      // Entries come oldest first: this one's identifiers win where it has them.
      pending.columns = overlay(pending.columns, columns);
      pending.firstSeen = earlier(pending.firstSeen, entry.firstSeen);
      pending.lastSeen = later(pending.lastSeen, entry.lastSeen);
    } else {
      assets.set(match.id, {
        id: match.id,
        isNew: false,
        identity: { kind: match.identityKind, value: match.identityValue },
        columns,
        firstSeen: entry.firstSeen,
        lastSeen: entry.lastSeen,
      });
    }
    if (entry.lastSeen >= match.lastSeen) {
      index.add({
        ...match,
        agentUuid: identifiers.agentUuid ?? match.agentUuid,
        fqdn: identifiers.fqdn ?? match.fqdn,
        netbiosName: identifiers.netbiosName ?? match.netbiosName,
        ipv4: identifiers.ipv4 ?? match.ipv4,
        ipv6: identifiers.ipv6 ?? match.ipv6,
        lastSeen: entry.lastSeen,
      });
    }
  }
  const newAssets = [...assets.values()].filter((asset) => asset.isNew);
  const matchedAssets = [...assets.values()].filter((asset) => !asset.isNew);
  // No source column on assets: the integration that first reported an asset is kept among its properties.
  const properties = JSON.stringify({ 'bulwark-integration': source.integrationName });
  const assetColumn = <T>(batch: PendingAsset[], value: (asset: PendingAsset) => T) => batch.map(value);
  for (const batch of chunks(newAssets)) {
    const column = <T>(value: (asset: PendingAsset) => T) => assetColumn(batch, value);
    await sql`
      insert into assets (id, account_id, identity_kind, identity_value, kind, hostname, fqdn, ipv4, ipv6, mac_address, netbios_name,
        operating_system, agent_uuid, properties, first_seen, last_seen)
      select v.id, ${accountId}::uuid, v.identity_kind, v.identity_value, case when v.identity_kind = 'url' then 'webapp' else 'host' end,
        v.hostname, v.fqdn, v.ipv4, v.ipv6, v.mac_address, v.netbios_name, v.operating_system, v.agent_uuid, ${properties}::jsonb,
        v.first_seen, v.last_seen
      from unnest(${column((a) => a.id)}::uuid[], ${column((a) => a.identity.kind)}::text[], ${column((a) => a.identity.value)}::text[],
        ${column((a) => a.columns.hostname)}::text[], ${column((a) => a.columns.fqdn)}::text[], ${column((a) => a.columns.ipv4)}::text[],
        ${column((a) => a.columns.ipv6)}::text[], ${column((a) => a.columns.mac_address)}::text[],
        ${column((a) => a.columns.netbios_name)}::text[], ${column((a) => a.columns.operating_system)}::text[],
        ${column((a) => a.columns.agent_uuid)}::text[], ${column((a) => a.firstSeen.toISOString())}::timestamptz[],
        ${column((a) => a.lastSeen.toISOString())}::timestamptz[])
        as v(id, identity_kind, identity_value, hostname, fqdn, ipv4, ipv6, mac_address, netbios_name, operating_system, agent_uuid,
          first_seen, last_seen)
    `.execute(trx);
    result.assetsCreated += batch.length;
  }
  for (const batch of chunks(matchedAssets)) {
    const column = <T>(value: (asset: PendingAsset) => T) => assetColumn(batch, value);
    // The newest report's identifiers describe the asset; an older one only fills gaps and widens first_seen.
    const pick = (name: keyof AssetColumns) =>
      sql.raw(`case when v.last_seen >= a.last_seen then coalesce(v.${name}, a.${name}) else coalesce(a.${name}, v.${name}) end`);
    const updated = await sql<{ id: string }>`
      update assets as a set hostname = ${pick('hostname')}, fqdn = ${pick('fqdn')}, ipv4 = ${pick('ipv4')}, ipv6 = ${pick('ipv6')},
        mac_address = ${pick('mac_address')}, netbios_name = ${pick('netbios_name')}, operating_system = ${pick('operating_system')},
        agent_uuid = ${pick('agent_uuid')}, first_seen = least(a.first_seen, v.first_seen), last_seen = greatest(a.last_seen, v.last_seen),
        updated_at = now()
      from unnest(${column((a) => a.id)}::uuid[], ${column((a) => a.columns.hostname)}::text[], ${column((a) => a.columns.fqdn)}::text[],
        ${column((a) => a.columns.ipv4)}::text[], ${column((a) => a.columns.ipv6)}::text[], ${column((a) => a.columns.mac_address)}::text[],
        ${column((a) => a.columns.netbios_name)}::text[], ${column((a) => a.columns.operating_system)}::text[],
        ${column((a) => a.columns.agent_uuid)}::text[], ${column((a) => a.firstSeen.toISOString())}::timestamptz[],
        ${column((a) => a.lastSeen.toISOString())}::timestamptz[])
        as v(id, hostname, fqdn, ipv4, ipv6, mac_address, netbios_name, operating_system, agent_uuid, first_seen, last_seen)
      where a.id = v.id and a.account_id = ${accountId}::uuid
        and (a.hostname, a.fqdn, a.ipv4, a.ipv6, a.mac_address, a.netbios_name, a.operating_system, a.agent_uuid, a.first_seen, a.last_seen)
          is distinct from (${pick('hostname')}, ${pick('fqdn')}, ${pick('ipv4')}, ${pick('ipv6')}, ${pick('mac_address')},
            ${pick('netbios_name')}, ${pick('operating_system')}, ${pick('agent_uuid')}, least(a.first_seen, v.first_seen),
            greatest(a.last_seen, v.last_seen))
      returning a.id
    `.execute(trx);
    result.assetsUpdated += updated.rows.length;
  }

  // 2. Plugins and findings.
  const findingEntries = entries.filter(
    (entry): entry is Entry & { record: FindingRecord; reported: ReportedFinding } => entry.record.kind === 'finding',
  );
  await upsertPlugins(
    trx,
    accountId,
    findingEntries.map((entry) => entry.record.plugin),
  );

  const current = new Map<string, PendingFinding>();
  for (const row of await findFindingsOfAssets(
    trx,
    accountId,
    matchedAssets.map((asset) => asset.id),
  )) {
    current.set(findingKey(row.asset_id, row.plugin_id, row.port, row.protocol), {
      id: row.id,
      assetId: row.asset_id,
      pluginId: row.plugin_id,
      port: row.port,
      protocol: row.protocol,
      isNew: false,
      dates: {
        state: row.state,
        firstFound: row.first_found,
        lastFound: row.last_found,
        lastFixed: row.last_fixed,
        resurfacedAt: row.resurfaced_at,
      },
    });
  }
  const changed = new Map<string, PendingFinding>();
  const events: { findingId: string; transition: FindingTransition }[] = [];
  for (const { record, reported, assetId } of findingEntries) {
    const protocol = record.protocol.trim().toLowerCase();
    const key = findingKey(assetId as string, record.plugin.id, record.port, protocol);
    const known = current.get(key);
    const merged = mergeFinding(known?.dates ?? null, reported);
    if (!merged) continue;
    const finding: PendingFinding = {
      id: known?.id ?? crypto.randomUUID(),
      assetId: assetId as string,
      pluginId: record.plugin.id,
      port: record.port,
      protocol,
      isNew: known?.isNew ?? true,
      dates: merged.next,
      newest: merged.isNewest
        ? { severity: Math.min(4, Math.max(0, Math.trunc(record.severityId))), service: record.service, output: record.output }
        : known?.newest,
    };
    for (const transition of merged.events) events.push({ findingId: finding.id, transition });
    current.set(key, finding);
    changed.set(key, finding);
  }

  const inserts = [...changed.values()].filter((finding) => finding.isNew);
  const updates = [...changed.values()].filter((finding) => !finding.isNew);
  for (const batch of chunks(inserts)) {
    const column = <T>(value: (finding: PendingFinding) => T) => batch.map(value);
    await sql`
      insert into findings (id, account_id, asset_id, plugin_id, port, protocol, service, severity, state, output,
        first_found, last_found, last_fixed, resurfaced_at)
      select v.id, ${accountId}::uuid, v.asset_id, v.plugin_id, v.port, v.protocol, v.service, v.severity, v.state, v.output,
        v.first_found, v.last_found, v.last_fixed, v.resurfaced_at
      from unnest(${column((f) => f.id)}::uuid[], ${column((f) => f.assetId)}::uuid[], ${column((f) => f.pluginId)}::int[],
        ${column((f) => f.port)}::int[], ${column((f) => f.protocol)}::text[], ${column((f) => f.newest?.service ?? null)}::text[],
        ${column((f) => f.newest?.severity ?? 0)}::int[], ${column((f) => f.dates.state)}::text[], ${column((f) => f.newest?.output ?? null)}::text[],
        ${column((f) => f.dates.firstFound.toISOString())}::timestamptz[], ${column((f) => f.dates.lastFound.toISOString())}::timestamptz[],
        ${column((f) => isoOf(f.dates.lastFixed))}::timestamptz[], ${column((f) => isoOf(f.dates.resurfacedAt))}::timestamptz[])
        as v(id, asset_id, plugin_id, port, protocol, service, severity, state, output, first_found, last_found, last_fixed, resurfaced_at)
    `.execute(trx);
    result.findingsCreated += batch.length;
  }
  for (const batch of chunks(updates)) {
    const column = <T>(value: (finding: PendingFinding) => T) => batch.map(value);
    await sql`
      update findings as f set state = v.state, first_found = v.first_found, last_found = v.last_found, last_fixed = v.last_fixed,
        resurfaced_at = v.resurfaced_at,
        severity = case when v.is_newest then v.severity else f.severity end,
        service = case when v.is_newest then coalesce(v.service, f.service) else f.service end,
        output = case when v.is_newest then coalesce(v.output, f.output) else f.output end,
        updated_at = now()
      from unnest(${column((f) => f.id)}::uuid[], ${column((f) => f.dates.state)}::text[],
        ${column((f) => f.dates.firstFound.toISOString())}::timestamptz[], ${column((f) => f.dates.lastFound.toISOString())}::timestamptz[],
        ${column((f) => isoOf(f.dates.lastFixed))}::timestamptz[], ${column((f) => isoOf(f.dates.resurfacedAt))}::timestamptz[],
        ${column((f) => f.newest !== undefined)}::boolean[], ${column((f) => f.newest?.severity ?? 0)}::int[],
        ${column((f) => f.newest?.service ?? null)}::text[], ${column((f) => f.newest?.output ?? null)}::text[])
        as v(id, state, first_found, last_found, last_fixed, resurfaced_at, is_newest, severity, service, output)
      where f.id = v.id and f.account_id = ${accountId}::uuid
    `.execute(trx);
    result.findingsUpdated += batch.length;
  }
  for (const batch of chunks(events)) {
    await sql`
      insert into finding_events (finding_id, account_id, scan_id, at, from_state, to_state)
      select v.finding_id, ${accountId}::uuid, null, v.at, v.from_state, v.to_state
      from unnest(${batch.map((event) => event.findingId)}::uuid[], ${batch.map((event) => event.transition.at.toISOString())}::timestamptz[],
        ${batch.map((event) => event.transition.from)}::text[], ${batch.map((event) => event.transition.to)}::text[])
        as v(finding_id, at, from_state, to_state)
    `.execute(trx);
  }

  // The Accounts directory counts licensed assets from the instance's assets.
  if (result.assetsCreated > 0) await bumpAccountDirectoryVersion(trx);
  return result;
}

/**
 * The records' plugins become the instance's plugins. A source's text never replaces richer text
 * with nothing (a missing field keeps what the instance has), and an older plugin text (by
 * modification date) does not replace a newer one. A plugin that would not change is not written.
 */
async function upsertPlugins(trx: Transaction<Database>, accountId: string, plugins: RecordPlugin[]): Promise<void> {
  const byId = new Map<number, RecordPlugin>();
  for (const plugin of plugins) {
    const known = byId.get(plugin.id);
    const isNewer = !known || (dayOf(plugin.modificationDate) ?? '') >= (dayOf(known.modificationDate) ?? '');
    if (isNewer) byId.set(plugin.id, plugin);
  }
  if (byId.size === 0) return;
  const rows = [...byId.values()].map((plugin) => ({
    id: plugin.id,
    name: plugin.name.trim() || `Plugin ${plugin.id}`,
    family: plugin.family?.trim() || null,
    risk_factor: plugin.riskFactor?.trim() || null,
    synopsis: plugin.synopsis || null,
    description: plugin.description || null,
    solution: plugin.solution || null,
    plugin_type: plugin.pluginType?.trim() || null,
    cvss_base_score: plugin.cvssBaseScore,
    cvss_vector: plugin.cvssVector || null,
    cvss3_base_score: plugin.cvss3BaseScore,
    cvss3_vector: plugin.cvss3Vector || null,
    cve: plugin.cve,
    see_also: plugin.seeAlso,
    exploit_available: plugin.exploitAvailable,
    publication_date: dayOf(plugin.publicationDate),
    modification_date: dayOf(plugin.modificationDate),
  }));
  const keep = (name: string) => sql.raw(`coalesce(excluded.${name}, plugins.${name})`);
  const keepList = (name: string) => sql.raw(`case when cardinality(excluded.${name}) > 0 then excluded.${name} else plugins.${name} end`);
  const next = {
    name: sql.raw('excluded.name'),
    family: keep('family'),
    risk_factor: keep('risk_factor'),
    synopsis: keep('synopsis'),
    description: keep('description'),
    solution: keep('solution'),
    plugin_type: keep('plugin_type'),
    cvss_base_score: keep('cvss_base_score'),
    cvss_vector: keep('cvss_vector'),
    cvss3_base_score: keep('cvss3_base_score'),
    cvss3_vector: keep('cvss3_vector'),
    cve: keepList('cve'),
    see_also: keepList('see_also'),
    exploit_available: keep('exploit_available'),
    publication_date: keep('publication_date'),
    modification_date: keep('modification_date'),
  };
  const names = Object.keys(next);
  const values = Object.values(next);
  for (const batch of chunks(rows)) {
    // One jsonb parameter: the lists (CVEs, links) are arrays per row, which unnest cannot carry.
    await sql`
      insert into plugins (account_id, id, name, family, risk_factor, synopsis, description, solution, plugin_type, cvss_base_score,
        cvss_vector, cvss3_base_score, cvss3_vector, cve, see_also, exploit_available, publication_date, modification_date, updated_at)
      select ${accountId}::uuid, p.id, p.name, p.family, p.risk_factor, p.synopsis, p.description, p.solution, p.plugin_type,
        p.cvss_base_score, p.cvss_vector, p.cvss3_base_score, p.cvss3_vector,
        array(select jsonb_array_elements_text(p.cve)), array(select jsonb_array_elements_text(p.see_also)),
        p.exploit_available, p.publication_date, p.modification_date, now()
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as p(id int, name text, family text, risk_factor text, synopsis text,
        description text, solution text, plugin_type text, cvss_base_score real, cvss_vector text, cvss3_base_score real,
        cvss3_vector text, cve jsonb, see_also jsonb, exploit_available boolean, publication_date date, modification_date date)
      on conflict (account_id, id) do update set
        ${sql.join(names.map((name, at) => sql`${sql.raw(name)} = ${values[at]}`))}, updated_at = now()
      where (plugins.modification_date is null or excluded.modification_date is null
          or excluded.modification_date >= plugins.modification_date)
        and (${sql.join(names.map((name) => sql.raw(`plugins.${name}`)))}) is distinct from (${sql.join(values)})
    `.execute(trx);
  }
}
