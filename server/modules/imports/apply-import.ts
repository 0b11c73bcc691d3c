import crypto from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { FindingStateColumn } from '../../db/schema-vulnerability.js';
import { identityOf, matchAsset, normaliseIdentifiers, type HostIdentifiers, type KnownAsset } from './asset-identity.js';
import { didPluginRun, whenNotReported, whenReported, type FindingDates, type PluginSelection } from './finding-state.js';
import type { StagedHost } from './import-records.js';
import { findCandidateAssets, findFindingsOfAssets, findPluginFamilies, findStagedHosts, findStagedItems } from './imports.repository.js';

/** Hosts applied per round: bounds memory (their staged items and existing findings) whatever the file's size. */
const HOSTS_PER_ROUND = 200;
const ROWS_PER_STATEMENT = 500;
/** Rows per statement when they travel as one array per column: a few parameters, however many rows. */
const ARRAY_ROWS_PER_STATEMENT = 5000;

export interface ApplyTotals {
  hostCount: number;
  findingCount: number;
  complianceCount: number;
  bySeverity: [number, number, number, number, number];
  scanStartedAt: Date | null;
  scanEndedAt: Date | null;
}

interface FindingRow extends FindingDates {
  id: string;
  assetId: string;
  pluginId: number;
  port: number;
  protocol: string;
  family: string | null;
}

interface PendingFinding {
  row: FindingRow;
  isNew: boolean;
  /**
   * Set when the scan reported it and is the newest word on it: severity and service, and where its
   * staged item is (its output is copied from there in SQL, never through this process).
   */
  reported?: { severity: number; service: string | null; hostIndex: number; itemIndex: number };
}

const findingKey = (assetId: string, pluginId: number, port: number, protocol: string) => `${assetId}|${pluginId}|${port}|${protocol}`;

function chunks<T>(items: T[], size = ROWS_PER_STATEMENT): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** Timestamps as ISO text inside array parameters (the drivers convert only top-level Dates). */
const isoOf = (date: Date | null) => (date ? date.toISOString() : null);

const toDate = (value: string | null) => {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

function identifiersOf(host: StagedHost): HostIdentifiers {
  return normaliseIdentifiers({
    agentUuid: host.agentUuid,
    fqdn: host.fqdn,
    netbiosName: host.netbiosName,
    ipv4: host.ipv4,
    ipv6: host.ipv6,
    hostName: host.name,
  });
}

/** A row of findCandidateAssets as the identity rule reads it. */
export function knownAssetOf(row: Awaited<ReturnType<typeof findCandidateAssets>>[number]): KnownAsset {
  return {
    id: row.id,
    agentUuid: row.agent_uuid,
    fqdn: row.fqdn,
    netbiosName: row.netbios_name,
    ipv4: row.ipv4,
    ipv6: row.ipv6,
    identityKind: row.identity_kind,
    identityValue: row.identity_value,
    lastSeen: row.last_seen,
  };
}

/** Assets known to this import, by every identifier, so hosts later in the file find them. */
export class AssetIndex {
  private readonly byKey = new Map<string, KnownAsset[]>();

  add(asset: KnownAsset): void {
    for (const key of AssetIndex.keysOf(asset)) {
      const list = this.byKey.get(key) ?? [];
      const existing = list.findIndex((other) => other.id === asset.id);
      if (existing >= 0) list[existing] = asset;
      else list.push(asset);
      this.byKey.set(key, list);
    }
  }

  candidatesFor(host: HostIdentifiers): KnownAsset[] {
    const identity = identityOf(host);
    const keys = [
      host.agentUuid && `agent:${host.agentUuid}`,
      host.fqdn && `fqdn:${host.fqdn}`,
      host.netbiosName && `netbios:${host.netbiosName}`,
      host.ipv4 && `ipv4:${host.ipv4}`,
      host.ipv6 && `ipv6:${host.ipv6}`,
      `identity:${identity.kind}:${identity.value}`,
    ].filter((key): key is string => Boolean(key));
    const seen = new Map<string, KnownAsset>();
    for (const key of keys) for (const asset of this.byKey.get(key) ?? []) seen.set(asset.id, asset);
    return [...seen.values()];
  }

  private static keysOf(asset: KnownAsset): string[] {
    return [
      asset.agentUuid && `agent:${asset.agentUuid}`,
      asset.fqdn && `fqdn:${asset.fqdn}`,
      asset.netbiosName && `netbios:${asset.netbiosName}`,
      asset.ipv4 && `ipv4:${asset.ipv4}`,
      asset.ipv6 && `ipv6:${asset.ipv6}`,
      `identity:${asset.identityKind}:${asset.identityValue}`,
    ].filter((key): key is string => Boolean(key));
  }
}

/**
 * Applies a fully staged import to the instance's tables, inside the caller's transaction: assets
 * matched or created (asset-identity.ts), findings opened, updated, fixed or reopened
 * (finding-state.ts) with an event per state change, compliance results upserted, and the scan's
 * hosts recorded. Works through the hosts in rounds, so memory stays bounded.
 */
export async function applyStagedImport(
  trx: Transaction<Database>,
  scan: { id: string; accountId: string; hostCount: number; pluginSelection: PluginSelection | null; fallbackTime: Date },
): Promise<ApplyTotals> {
  const totals: ApplyTotals = {
    hostCount: 0,
    findingCount: 0,
    complianceCount: 0,
    bySeverity: [0, 0, 0, 0, 0],
    scanStartedAt: null,
    scanEndedAt: null,
  };
  const families = new Map((await findPluginFamilies(trx, scan.id)).map((row) => [row.plugin_id, row.family]));
  const index = new AssetIndex();

  for (let from = 0; from < scan.hostCount; from += HOSTS_PER_ROUND) {
    const to = from + HOSTS_PER_ROUND;
    const stagedHosts = await findStagedHosts(trx, scan.id, from, to);
    if (stagedHosts.length === 0) continue;
    const hosts = stagedHosts.map((row) => {
      const host = row.host as unknown as StagedHost;
      const startedAt = toDate(host.startedAt);
      const endedAt = toDate(host.endedAt);
      return {
        index: row.host_index,
        host,
        identifiers: identifiersOf(host),
        startedAt,
        endedAt,
        time: endedAt ?? startedAt ?? scan.fallbackTime,
      };
    });

    // 1. Assets: match against the instance's assets that share an identifier, and those made so far.
    const lists = {
      agents: [] as string[],
      fqdns: [] as string[],
      netbios: [] as string[],
      ipv4s: [] as string[],
      ipv6s: [] as string[],
      identities: [] as string[],
    };
    for (const { identifiers } of hosts) {
      if (identifiers.agentUuid) lists.agents.push(identifiers.agentUuid);
      if (identifiers.fqdn) lists.fqdns.push(identifiers.fqdn);
      if (identifiers.netbiosName) lists.netbios.push(identifiers.netbiosName);
      if (identifiers.ipv4) lists.ipv4s.push(identifiers.ipv4);
      if (identifiers.ipv6) lists.ipv6s.push(identifiers.ipv6);
      lists.identities.push(identityOf(identifiers).value);
    }
    for (const row of await findCandidateAssets(trx, scan.accountId, lists)) {
      index.add(knownAssetOf(row));
    }
    const assetOfHost = new Map<number, string>();
    for (const entry of hosts) {
      const { host, identifiers, time } = entry;
      const match = matchAsset(identifiers, index.candidatesFor(identifiers));
      const identity = identityOf(identifiers);
      const columns = {
        hostname: host.hostname,
        fqdn: identifiers.fqdn,
        ipv4: identifiers.ipv4,
        ipv6: identifiers.ipv6,
        mac_address: host.macAddress,
        netbios_name: identifiers.netbiosName,
        operating_system: host.operatingSystem,
        agent_uuid: identifiers.agentUuid,
      };
      let assetId: string;
      if (!match) {
        const inserted = await trx
          .insertInto('assets')
          .values({
            account_id: scan.accountId,
            identity_kind: identity.kind,
            identity_value: identity.value,
            kind: identity.kind === 'url' ? 'webapp' : 'host',
            ...columns,
            properties: JSON.stringify(host.properties),
            first_seen: time,
            last_seen: time,
            last_scan_id: scan.id,
            last_authenticated_scan_at: host.credentialed ? time : null,
          })
          .returning(['id'])
          .executeTakeFirstOrThrow();
        assetId = inserted.id;
        index.add({ id: assetId, ...identifiers, identityKind: identity.kind, identityValue: identity.value, lastSeen: time });
      } else {
        assetId = match.id;
        const isNewest = time >= match.lastSeen;
        // The newest scan's identifiers and properties describe the asset; an older one only widens first_seen.
        await trx
          .updateTable('assets')
          .set((eb) => ({
            ...(isNewest
              ? {
                  hostname: eb.fn.coalesce(eb.val(columns.hostname), eb.ref('hostname')),
                  fqdn: eb.fn.coalesce(eb.val(columns.fqdn), eb.ref('fqdn')),
                  ipv4: eb.fn.coalesce(eb.val(columns.ipv4), eb.ref('ipv4')),
                  ipv6: eb.fn.coalesce(eb.val(columns.ipv6), eb.ref('ipv6')),
                  mac_address: eb.fn.coalesce(eb.val(columns.mac_address), eb.ref('mac_address')),
                  netbios_name: eb.fn.coalesce(eb.val(columns.netbios_name), eb.ref('netbios_name')),
                  operating_system: eb.fn.coalesce(eb.val(columns.operating_system), eb.ref('operating_system')),
                  agent_uuid: eb.fn.coalesce(eb.val(columns.agent_uuid), eb.ref('agent_uuid')),
                  properties: JSON.stringify(host.properties),
                  last_seen: time,
                  last_scan_id: scan.id,
                  ...(host.credentialed ? { last_authenticated_scan_at: time } : {}),
                }
              : {}),
            first_seen: sql<Date>`least(first_seen, ${time})`,
            updated_at: new Date(),
          }))
          .where('id', '=', assetId)
          .execute();
        index.add({
          ...match,
          ...(isNewest
            ? {
                agentUuid: identifiers.agentUuid ?? match.agentUuid,
                fqdn: identifiers.fqdn ?? match.fqdn,
                netbiosName: identifiers.netbiosName ?? match.netbiosName,
                ipv4: identifiers.ipv4 ?? match.ipv4,
                ipv6: identifiers.ipv6 ?? match.ipv6,
                lastSeen: time,
              }
            : {}),
        });
      }
      assetOfHost.set(entry.index, assetId);
      await trx
        .insertInto('scan_hosts')
        .values({
          scan_id: scan.id,
          asset_id: assetId,
          account_id: scan.accountId,
          host_name: host.name,
          host_start: entry.startedAt,
          host_end: entry.endedAt,
        })
        .onConflict((oc) => oc.columns(['scan_id', 'asset_id']).doNothing())
        .execute();
      totals.hostCount += 1;
      if (entry.startedAt && (!totals.scanStartedAt || entry.startedAt < totals.scanStartedAt)) totals.scanStartedAt = entry.startedAt;
      if (entry.endedAt && (!totals.scanEndedAt || entry.endedAt > totals.scanEndedAt)) totals.scanEndedAt = entry.endedAt;
    }

    // 2. Findings and compliance results of this round's hosts.
    const assetIds = [...new Set(assetOfHost.values())];
    const existing = new Map<string, FindingRow>();
    for (const row of await findFindingsOfAssets(trx, scan.accountId, assetIds)) {
      existing.set(findingKey(row.asset_id, row.plugin_id, row.port, row.protocol), {
        id: row.id,
        assetId: row.asset_id,
        pluginId: row.plugin_id,
        port: row.port,
        protocol: row.protocol,
        family: row.family,
        state: row.state,
        firstFound: row.first_found,
        lastFound: row.last_found,
        lastFixed: row.last_fixed,
        resurfacedAt: row.resurfaced_at,
      });
    }
    const items = await findStagedItems(trx, scan.id, from, to);
    const pending = new Map<string, PendingFinding>();
    const events: {
      finding_id: string;
      account_id: string;
      scan_id: string;
      at: Date;
      from_state: FindingStateColumn | null;
      to_state: FindingStateColumn;
    }[] = [];
    const compliance = new Map<
      string,
      { assetId: string; pluginId: number; checkKey: string; hostIndex: number; itemIndex: number; time: Date }
    >();
    const itemsByHost = new Map<number, typeof items>();
    for (const item of items) {
      const list = itemsByHost.get(item.host_index) ?? [];
      list.push(item);
      itemsByHost.set(item.host_index, list);
    }

    const record = (row: FindingRow, next: FindingDates, isNew: boolean, time: Date, reported?: PendingFinding['reported']) => {
      if (isNew || next.state !== row.state) {
        events.push({
          finding_id: row.id,
          account_id: scan.accountId,
          scan_id: scan.id,
          at: time,
          from_state: isNew ? null : row.state,
          to_state: next.state,
        });
      }
      const updated: FindingRow = { ...row, ...next };
      const key = findingKey(row.assetId, row.pluginId, row.port, row.protocol);
      const earlier = pending.get(key);
      pending.set(key, { row: updated, isNew: isNew || (earlier?.isNew ?? false), reported: reported ?? earlier?.reported });
      existing.set(key, updated);
    };

    for (const entry of hosts) {
      const assetId = assetOfHost.get(entry.index) as string;
      const hostItems = itemsByHost.get(entry.index) ?? [];
      const reportedKeys = new Set<string>();
      const reportedPlugins = new Set<number>();
      for (const item of hostItems) {
        reportedPlugins.add(item.plugin_id);
        if (item.check_key !== null) {
          compliance.set(`${assetId}|${item.plugin_id}|${item.check_key}`, {
            assetId,
            pluginId: item.plugin_id,
            checkKey: item.check_key,
            hostIndex: item.host_index,
            itemIndex: item.item_index,
            time: entry.time,
          });
          totals.complianceCount += 1;
          continue;
        }
        const key = findingKey(assetId, item.plugin_id, item.port, item.protocol);
        if (reportedKeys.has(key)) continue;
        reportedKeys.add(key);
        totals.findingCount += 1;
        totals.bySeverity[Math.min(4, Math.max(0, item.severity)) as 0 | 1 | 2 | 3 | 4] += 1;
        const current = existing.get(key);
        const row: FindingRow = current ?? {
          id: crypto.randomUUID(),
          assetId,
          pluginId: item.plugin_id,
          port: item.port,
          protocol: item.protocol,
          family: families.get(item.plugin_id) ?? null,
          state: 'OPEN',
          firstFound: entry.time,
          lastFound: entry.time,
          lastFixed: null,
          resurfacedAt: null,
        };
        const next = whenReported(current ?? null, entry.time);
        const isNewest = !current || entry.time >= current.lastFound;
        if (!current || next !== current || isNewest) {
          record(
            row,
            next,
            !current,
            entry.time,
            isNewest
              ? { severity: item.severity, service: item.service, hostIndex: item.host_index, itemIndex: item.item_index }
              : undefined,
          );
        }
      }
      // Not reported on this asset although the plugin ran there: fixed.
      for (const [key, row] of existing) {
        if (row.assetId !== assetId || reportedKeys.has(key)) continue;
        if (!didPluginRun(row.pluginId, row.family ?? families.get(row.pluginId) ?? null, reportedPlugins, scan.pluginSelection)) continue;
        const next = whenNotReported(row, entry.time);
        if (next !== row) record(row, next, false, entry.time);
      }
    }

    // 3. Write the round. Outputs and compliance texts go from the staged rows to the tables in SQL.
    const scanId = sql`${scan.id}::uuid`;
    const inserts = [...pending.values()].filter((entry) => entry.isNew);
    const updates = [...pending.values()].filter((entry) => !entry.isNew);
    for (const batch of chunks(inserts, ARRAY_ROWS_PER_STATEMENT)) {
      const column = <T>(value: (entry: PendingFinding) => T) => batch.map(value);
      await sql`
        insert into findings (id, account_id, asset_id, plugin_id, port, protocol, service, severity, state, output,
          first_found, last_found, last_fixed, resurfaced_at, last_scan_id)
        select v.id, ${scan.accountId}::uuid, v.asset_id, v.plugin_id, v.port, v.protocol, v.service, v.severity, v.state, i.output,
          v.first_found, v.last_found, v.last_fixed, v.resurfaced_at, ${scanId}
        from unnest(${column((e) => e.row.id)}::uuid[], ${column((e) => e.row.assetId)}::uuid[], ${column((e) => e.row.pluginId)}::int[],
          ${column((e) => e.row.port)}::int[], ${column((e) => e.row.protocol)}::text[], ${column((e) => e.reported?.service ?? null)}::text[],
          ${column((e) => e.reported?.severity ?? 0)}::int[], ${column((e) => e.row.state)}::text[],
          ${column((e) => isoOf(e.row.firstFound))}::timestamptz[], ${column((e) => isoOf(e.row.lastFound))}::timestamptz[],
          ${column((e) => isoOf(e.row.lastFixed))}::timestamptz[], ${column((e) => isoOf(e.row.resurfacedAt))}::timestamptz[],
          ${column((e) => e.reported?.hostIndex ?? -1)}::int[], ${column((e) => e.reported?.itemIndex ?? -1)}::int[])
          as v(id, asset_id, plugin_id, port, protocol, service, severity, state, first_found, last_found, last_fixed, resurfaced_at,
            host_index, item_index)
        left join import_items i on i.scan_id = ${scanId} and i.host_index = v.host_index and i.item_index = v.item_index
      `.execute(trx);
    }
    for (const batch of chunks(updates)) {
      const values = sql.join(
        batch.map(
          ({ row, reported }) =>
            sql`(${row.id}::uuid, ${row.state}::text, ${row.firstFound}::timestamptz, ${row.lastFound}::timestamptz,
              ${row.lastFixed}::timestamptz, ${row.resurfacedAt}::timestamptz, ${reported ? 1 : 0}::int, ${reported?.severity ?? 0}::int,
              ${reported?.service ?? null}::text, ${reported?.hostIndex ?? -1}::int, ${reported?.itemIndex ?? -1}::int)`,
        ),
      );
      await sql`
        update findings as f set state = v.state, first_found = v.first_found, last_found = v.last_found, last_fixed = v.last_fixed,
          resurfaced_at = v.resurfaced_at,
          severity = case when v.reported = 1 then v.severity else f.severity end,
          output = case when v.reported = 1 then i.output else f.output end,
          service = case when v.reported = 1 then v.service else f.service end,
          last_scan_id = ${scanId}, updated_at = now()
        from (values ${values}) as v(id, state, first_found, last_found, last_fixed, resurfaced_at, reported, severity, service,
          host_index, item_index)
        left join import_items i on i.scan_id = ${scanId} and i.host_index = v.host_index and i.item_index = v.item_index
        where f.id = v.id
      `.execute(trx);
    }
    for (const batch of chunks(events, ARRAY_ROWS_PER_STATEMENT)) {
      await sql`
        insert into finding_events (finding_id, account_id, scan_id, at, from_state, to_state)
        select v.finding_id, ${scan.accountId}::uuid, ${scanId}, v.at, v.from_state, v.to_state
        from unnest(${batch.map((event) => event.finding_id)}::uuid[], ${batch.map((event) => event.at.toISOString())}::timestamptz[],
          ${batch.map((event) => event.from_state)}::text[], ${batch.map((event) => event.to_state)}::text[])
          as v(finding_id, at, from_state, to_state)
      `.execute(trx);
    }
    for (const batch of chunks([...compliance.values()], ARRAY_ROWS_PER_STATEMENT)) {
      // jsonb_to_record reads each staged compliance value once (every ->> would detoast it again).
      await sql`
        insert into compliance_results (account_id, asset_id, plugin_id, check_key, check_name, result, audit_file, info, solution,
          reference, actual_value, policy_value, fields, first_seen, last_seen, last_scan_id)
        select ${scan.accountId}::uuid, v.asset_id, v.plugin_id, v.check_key, c."checkName", c.result, c."auditFile", c.info,
          c.solution, c.reference, c."actualValue", c."policyValue", coalesce(c.fields, '{}'::jsonb), v.at, v.at, ${scanId}
        from unnest(${batch.map((entry) => entry.assetId)}::uuid[], ${batch.map((entry) => entry.pluginId)}::int[],
          ${batch.map((entry) => entry.checkKey)}::text[], ${batch.map((entry) => entry.hostIndex)}::int[],
          ${batch.map((entry) => entry.itemIndex)}::int[], ${batch.map((entry) => entry.time.toISOString())}::timestamptz[])
          as v(asset_id, plugin_id, check_key, host_index, item_index, at)
        join import_items i on i.scan_id = ${scanId} and i.host_index = v.host_index and i.item_index = v.item_index
        cross join lateral jsonb_to_record(i.compliance) as c("checkName" text, result text, "auditFile" text, info text, solution text,
          reference text, "actualValue" text, "policyValue" text, fields jsonb)
        on conflict (asset_id, plugin_id, check_key) do update set
          check_name = excluded.check_name,
          result = case when excluded.last_seen >= compliance_results.last_seen then excluded.result else compliance_results.result end,
          audit_file = excluded.audit_file, info = excluded.info, solution = excluded.solution, reference = excluded.reference,
          actual_value = case when excluded.last_seen >= compliance_results.last_seen then excluded.actual_value
            else compliance_results.actual_value end,
          policy_value = excluded.policy_value, fields = excluded.fields,
          first_seen = least(compliance_results.first_seen, excluded.first_seen),
          last_seen = greatest(compliance_results.last_seen, excluded.last_seen),
          last_scan_id = excluded.last_scan_id
      `.execute(trx);
    }
  }
  return totals;
}
