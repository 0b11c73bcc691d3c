import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { FindingScope } from '../workbenches/workbenches.repository.js';
import type { WrittenCompliance, WrittenDocument, WrittenFinding, WrittenHost, WrittenHostEntry, WrittenPlugin } from './nessus-writer.js';
import {
  findScanExportCompliance,
  findScanExportFindings,
  findScanExportHosts,
  findWorkbenchExportFindings,
  findWorkbenchExportHosts,
} from './scans-api.repository.js';

/**
 * The .nessus writer's input read from the database in keyset pages: a page of hosts, then each
 * host's items a page at a time, so an export of any size holds one page in memory.
 */

const HOST_PAGE = 100;
const ITEM_PAGE = 500;

type Db = Kysely<Database>;

/** Pages of rows after the last one's id, until a short page. */
async function* pages<T extends { id: string }>(fetch: (afterId: string | null, limit: number) => Promise<T[]>, limit: number) {
  let afterId: string | null = null;
  for (;;) {
    const rows = await fetch(afterId, limit);
    if (rows.length > 0) yield rows;
    if (rows.length < limit) return;
    afterId = rows[rows.length - 1]?.id ?? null;
  }
}

interface PluginColumns {
  plugin_name: string | null;
  plugin_family: string | null;
  risk_factor: string | null;
  synopsis: string | null;
  description: string | null;
  solution: string | null;
  plugin_type: string | null;
  cvss_base_score: number | null;
  cvss_vector: string | null;
  cvss3_base_score: number | null;
  cvss3_vector: string | null;
  cve: string[] | null;
  bid: string[] | null;
  see_also: string[] | null;
  xrefs: string[] | null;
  exploit_available: boolean | null;
  publication_date: string | null;
  modification_date: string | null;
  attributes: Record<string, unknown> | null;
}

function pluginOf(row: PluginColumns): WrittenPlugin {
  return {
    name: row.plugin_name ?? '',
    family: row.plugin_family,
    riskFactor: row.risk_factor,
    synopsis: row.synopsis,
    description: row.description,
    solution: row.solution,
    pluginType: row.plugin_type,
    cvssBaseScore: row.cvss_base_score === null ? null : Number(row.cvss_base_score),
    cvssVector: row.cvss_vector,
    cvss3BaseScore: row.cvss3_base_score === null ? null : Number(row.cvss3_base_score),
    cvss3Vector: row.cvss3_vector,
    cve: row.cve ?? [],
    bid: row.bid ?? [],
    seeAlso: row.see_also ?? [],
    xrefs: row.xrefs ?? [],
    exploitAvailable: row.exploit_available,
    publicationDate: row.publication_date === null ? null : String(row.publication_date).slice(0, 10),
    modificationDate: row.modification_date === null ? null : String(row.modification_date).slice(0, 10),
    attributes: row.attributes ?? {},
  };
}

interface AssetColumns {
  identity_kind: string;
  identity_value: string;
  hostname: string | null;
  fqdn: string | null;
  ipv4: string | null;
  ipv6: string | null;
  mac_address: string | null;
  netbios_name: string | null;
  operating_system: string | null;
  properties: Record<string, string>;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Nessus' HOST_START format (its own, written here in UTC): "Tue Sep 18 15:54:18 2018". */
export function nessusHostTime(time: Date): string {
  const clock = [time.getUTCHours(), time.getUTCMinutes(), time.getUTCSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
  return `${WEEKDAYS[time.getUTCDay()]} ${MONTHS[time.getUTCMonth()]} ${time.getUTCDate()} ${clock} ${time.getUTCFullYear()}`;
}

/**
 * The host's properties as last imported, with the identifying columns filled in where the file
 * had no tag (so the importer identifies the same asset) and, for a scan, the scan's own times.
 */
function hostOf(asset: AssetColumns, name: string, times: { start: Date | null; end: Date | null } | null): WrittenHost {
  const properties: Record<string, string> = { ...asset.properties };
  const fill = (tag: string, value: string | null) => {
    if (value && !properties[tag]) properties[tag] = value;
  };
  fill('host-ip', asset.ipv4 ?? asset.ipv6);
  fill('host-fqdn', asset.fqdn);
  fill('hostname', asset.hostname);
  fill('netbios-name', asset.netbios_name);
  fill('operating-system', asset.operating_system);
  fill('mac-address', asset.mac_address);
  if (times) {
    for (const [tag, time] of [
      ['HOST_START', times.start],
      ['HOST_END', times.end],
    ] as const) {
      delete properties[tag];
      delete properties[`${tag}_TIMESTAMP`];
      if (time) {
        properties[tag] = nessusHostTime(time);
        properties[`${tag}_TIMESTAMP`] = String(Math.floor(time.getTime() / 1000));
      }
    }
  }
  return { name, properties };
}

/** A workbench host's ReportHost name: its URL, else its address or name, as Tenable's exports do. */
function workbenchHostName(asset: AssetColumns): string {
  if (asset.identity_kind === 'url') return asset.identity_value;
  return asset.ipv4 ?? asset.ipv6 ?? asset.fqdn ?? asset.hostname ?? asset.netbios_name ?? asset.identity_value;
}

/** The .nessus document of one imported scan: its hosts with what the scan saw on each. */
export function scanDocument(db: Db, accountId: string, scan: { id: string; name: string; policyName: string | null }): WrittenDocument {
  async function* hosts(): AsyncGenerator<WrittenHostEntry[]> {
    for await (const rows of pages((after, limit) => findScanExportHosts(db, accountId, scan.id, after, limit), HOST_PAGE)) {
      yield rows.map((row) => ({
        host: hostOf(row, row.host_name, { start: row.host_start, end: row.host_end }),
        async *items(): AsyncGenerator<(WrittenFinding | WrittenCompliance)[]> {
          for await (const findings of pages(
            (after, limit) => findScanExportFindings(db, accountId, scan.id, row.id, after, limit),
            ITEM_PAGE,
          )) {
            yield findings.map((finding) => ({
              pluginId: finding.plugin_id,
              port: finding.port,
              protocol: finding.protocol,
              service: finding.service,
              severity: finding.severity,
              output: finding.output,
              plugin: pluginOf(finding),
            }));
          }
          for await (const checks of pages(
            (after, limit) => findScanExportCompliance(db, accountId, scan.id, row.id, after, limit),
            ITEM_PAGE,
          )) {
            yield checks.map((check) => ({
              pluginId: check.plugin_id,
              result: check.result,
              fields: check.fields,
              plugin: pluginOf(check),
            }));
          }
        },
      }));
    }
  }
  return { reportName: scan.name, policyName: scan.policyName, hosts: hosts() };
}

function vulnerabilityState(finding: { state: string; first_found: Date; last_found: Date; resurfaced_at: Date | null }) {
  if (finding.state === 'FIXED') return 'Fixed' as const;
  if (finding.state === 'REOPENED' || finding.resurfaced_at !== null) return 'Resurfaced' as const;
  return finding.first_found.getTime() === finding.last_found.getTime() ? ('New' as const) : ('Active' as const);
}

/** The .nessus document of the instance's findings in the workbench scope, one ReportHost per asset. */
export function workbenchDocument(db: Db, accountId: string, scope: FindingScope): WrittenDocument {
  async function* hosts(): AsyncGenerator<WrittenHostEntry[]> {
    for await (const rows of pages((after, limit) => findWorkbenchExportHosts(db, accountId, scope, after, limit), HOST_PAGE)) {
      yield rows.map((row) => ({
        host: hostOf(row, workbenchHostName(row), null),
        async *items(): AsyncGenerator<WrittenFinding[]> {
          for await (const findings of pages(
            (after, limit) => findWorkbenchExportFindings(db, accountId, scope, row.id, after, limit),
            ITEM_PAGE,
          )) {
            yield findings.map((finding) => ({
              pluginId: finding.plugin_id,
              port: finding.port,
              protocol: finding.protocol,
              service: finding.service,
              severity: finding.severity,
              output: finding.output,
              plugin: pluginOf(finding),
              workbench: { firstFound: finding.first_found, lastFound: finding.last_found, state: vulnerabilityState(finding) },
            }));
          }
        },
      }));
    }
  }
  return { reportName: 'workbenchexport', policyName: null, hosts: hosts() };
}
