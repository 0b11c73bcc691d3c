import { once } from 'node:events';
import { sql, type Kysely, type Transaction } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../db/schema.js';
import type { StagedHost, StagedItem, StagedPlugin } from './import-records.js';

type Executor = Kysely<Database> | Transaction<Database>;

/* ---- Staging: short batches while the file is read ---- */

export async function stageHosts(db: Executor, scanId: string, hosts: { index: number; host: StagedHost }[]): Promise<void> {
  if (hosts.length === 0) return;
  await db
    .insertInto('import_hosts')
    .values(hosts.map(({ index, host }) => ({ scan_id: scanId, host_index: index, host: JSON.stringify(host) })))
    .execute();
}

export async function stageItems(
  db: Executor,
  scanId: string,
  items: { hostIndex: number; itemIndex: number; item: StagedItem }[],
): Promise<void> {
  if (items.length === 0) return;
  await db
    .insertInto('import_items')
    .values(
      items.map(({ hostIndex, itemIndex, item }) => ({
        scan_id: scanId,
        host_index: hostIndex,
        item_index: itemIndex,
        plugin_id: item.pluginId,
        port: item.port,
        protocol: item.protocol,
        service: item.service,
        severity: item.severity,
        output: item.output,
        compliance: item.compliance ? JSON.stringify(item.compliance) : null,
      })),
    )
    .execute();
}

export async function stagePlugins(db: Executor, scanId: string, plugins: StagedPlugin[]): Promise<void> {
  if (plugins.length === 0) return;
  await db
    .insertInto('import_plugins')
    .values(plugins.map((plugin) => ({ scan_id: scanId, plugin_id: plugin.id, plugin: JSON.stringify(plugin) })))
    .onConflict((oc) => oc.columns(['scan_id', 'plugin_id']).doNothing())
    .execute();
}

/** COPY text format: a null, else the text with its backslashes and line and column breaks escaped. */
const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_SPECIALS = /[\\\n\r\t]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const escapeCopyCharacter = (character: string) => COPY_ESCAPES[character] ?? character;

function copyValue(value: string | null): string {
  if (value === null) return '\\N';
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIALS, escapeCopyCharacter) : value;
}

/** One import_items row in COPY text format, ending with its newline. */
export function itemCopyLine(scanId: string, hostIndex: number, itemIndex: number, item: StagedItem): string {
  return `${scanId}\t${hostIndex}\t${itemIndex}\t${item.pluginId}\t${item.port}\t${copyValue(item.protocol)}\t${copyValue(item.service)}\t${
    item.severity
  }\t${copyValue(item.output)}\t${copyValue(item.compliance ? JSON.stringify(item.compliance) : null)}\n`;
}

/**
 * Makes lz4 the compression of the large texts (outputs, compliance details) written by this
 * session or transaction, where the server has it: several times cheaper than the default pglz.
 */
const LZ4_IF_AVAILABLE = (isLocal: boolean) =>
  `select set_config('default_toast_compression', 'lz4', ${isLocal}) from pg_settings
   where name = 'default_toast_compression' and 'lz4' = any(enumvals)`;

/** Writes COPY data; resolves at once unless PostgreSQL is behind (backpressure), rejects once the COPY failed. */
export interface ItemsCopy {
  write(lines: string): Promise<void>;
  /** Ends the COPY: its rows are committed (visible to the apply) when this resolves. */
  end(): Promise<void>;
  /** Abandons the COPY (nothing of it is kept) and closes the connection. */
  abort(): Promise<void>;
}

/**
 * Streams staged items into import_items with COPY FROM STDIN on a connection of its own (PostgreSQL
 * only), so the parser keeps reading while PostgreSQL stores the previous rows on another core.
 * All of the COPY's rows commit together when it ends; a crash leaves none of them.
 */
export async function openItemsCopy(url: string): Promise<ItemsCopy> {
  const client = new pg.Client({ connectionString: url, options: '-c jit=off' });
  let failure: Error | null = null;
  // A dropped connection is reported by the next write or end, not as an uncaught error.
  client.on('error', (error) => {
    failure ??= error;
  });
  await client.connect();
  await client.query(LZ4_IF_AVAILABLE(false));
  const stream = client.query(
    copyFrom(
      'copy import_items (scan_id, host_index, item_index, plugin_id, port, protocol, service, severity, output, compliance) from stdin',
    ),
  );
  stream.on('error', (error) => {
    failure ??= error;
  });
  const close = () => client.end().catch(() => {});
  return {
    async write(lines) {
      if (failure) throw failure;
      if (!stream.write(lines)) await once(stream, 'drain');
    },
    async end() {
      try {
        if (failure) throw failure;
        stream.end();
        await once(stream, 'finish');
      } finally {
        await close();
      }
    },
    async abort() {
      stream.destroy();
      await close();
    },
  };
}

/** lz4 for the texts this transaction writes (see LZ4_IF_AVAILABLE); no change where the server lacks it. */
export async function preferFastCompression(trx: Transaction<Database>): Promise<void> {
  await sql.raw(LZ4_IF_AVAILABLE(true)).execute(trx);
}

export async function deleteStaging(db: Executor, scanId: string): Promise<void> {
  await db.deleteFrom('import_items').where('scan_id', '=', scanId).execute();
  await db.deleteFrom('import_hosts').where('scan_id', '=', scanId).execute();
  await db.deleteFrom('import_plugins').where('scan_id', '=', scanId).execute();
}

/* ---- Applying ---- */

/** Imports of one instance apply one at a time (asset matching must see the previous import). */
export async function lockInstanceForImport(trx: Transaction<Database>, accountId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`import:${accountId}`}))`.execute(trx);
}

/** The staged plugins become the instance's plugins; a newer plugin text replaces an older one. */
export async function applyPlugins(trx: Transaction<Database>, scanId: string, accountId: string): Promise<void> {
  const text = (field: string) => sql`nullif(p.plugin->>${field}, '')`;
  const list = (field: string) => sql`coalesce(array(select jsonb_array_elements_text(p.plugin->${field})), '{}')`;
  await sql`
    insert into plugins (account_id, id, name, family, risk_factor, synopsis, description, solution, plugin_type,
      cvss_base_score, cvss_vector, cvss3_base_score, cvss3_vector, cve, bid, see_also, xrefs, exploit_available,
      publication_date, modification_date, attributes, updated_at)
    select ${accountId}::uuid, p.plugin_id, p.plugin->>'name', ${text('family')}, ${text('riskFactor')}, ${text('synopsis')},
      ${text('description')}, ${text('solution')}, ${text('pluginType')},
      (p.plugin->>'cvssBaseScore')::real, ${text('cvssVector')}, (p.plugin->>'cvss3BaseScore')::real, ${text('cvss3Vector')},
      ${list('cve')}, ${list('bid')}, ${list('seeAlso')}, ${list('xrefs')}, (p.plugin->>'exploitAvailable')::boolean,
      (p.plugin->>'publicationDate')::date, (p.plugin->>'modificationDate')::date, coalesce(p.plugin->'attributes', '{}'::jsonb), now()
    from import_plugins p
    where p.scan_id = ${scanId}
    on conflict (account_id, id) do update set
      name = excluded.name, family = excluded.family, risk_factor = excluded.risk_factor, synopsis = excluded.synopsis,
      description = excluded.description, solution = excluded.solution, plugin_type = excluded.plugin_type,
      cvss_base_score = excluded.cvss_base_score, cvss_vector = excluded.cvss_vector,
      cvss3_base_score = excluded.cvss3_base_score, cvss3_vector = excluded.cvss3_vector, cve = excluded.cve,
      bid = excluded.bid, see_also = excluded.see_also, xrefs = excluded.xrefs, exploit_available = excluded.exploit_available,
      publication_date = excluded.publication_date, modification_date = excluded.modification_date,
      attributes = excluded.attributes, updated_at = now()
    where plugins.modification_date is null or excluded.modification_date is null
      or excluded.modification_date >= plugins.modification_date
  `.execute(trx);
}

export function findStagedHosts(trx: Transaction<Database>, scanId: string, from: number, to: number) {
  return trx
    .selectFrom('import_hosts')
    .select(['host_index', 'host'])
    .where('scan_id', '=', scanId)
    .where('host_index', '>=', from)
    .where('host_index', '<', to)
    .orderBy('host_index')
    .execute();
}

/** The staged items of some hosts, without their texts (outputs, compliance details stay in SQL). */
export function findStagedItems(trx: Transaction<Database>, scanId: string, from: number, to: number) {
  return trx
    .selectFrom('import_items')
    .select(['host_index', 'item_index', 'plugin_id', 'port', 'protocol', 'service', 'severity'])
    .select(sql<string | null>`compliance->>'checkKey'`.as('check_key'))
    .where('scan_id', '=', scanId)
    .where('host_index', '>=', from)
    .where('host_index', '<', to)
    .orderBy('host_index')
    .orderBy('item_index')
    .execute();
}

/** The instance's assets sharing any identifier with these hosts. */
export function findCandidateAssets(
  trx: Transaction<Database>,
  accountId: string,
  ids: { agents: string[]; fqdns: string[]; netbios: string[]; ipv4s: string[]; ipv6s: string[]; identities: string[] },
) {
  return trx
    .selectFrom('assets')
    .select(['id', 'agent_uuid', 'fqdn', 'netbios_name', 'ipv4', 'ipv6', 'identity_kind', 'identity_value', 'last_seen', 'first_seen'])
    .where('account_id', '=', accountId)
    .where((eb) =>
      eb.or([
        eb('agent_uuid', '=', sql<string>`any(${ids.agents}::text[])`),
        eb('fqdn', '=', sql<string>`any(${ids.fqdns}::text[])`),
        eb('netbios_name', '=', sql<string>`any(${ids.netbios}::text[])`),
        eb('ipv4', '=', sql<string>`any(${ids.ipv4s}::text[])`),
        eb('ipv6', '=', sql<string>`any(${ids.ipv6s}::text[])`),
        eb('identity_value', '=', sql<string>`any(${ids.identities}::text[])`),
      ]),
    )
    .execute();
}

/** The findings of these assets, with their plugin's family (for the FIXED rule). */
export function findFindingsOfAssets(trx: Transaction<Database>, accountId: string, assetIds: string[]) {
  if (assetIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('findings as f')
    .leftJoin('plugins as p', (join) => join.onRef('p.account_id', '=', 'f.account_id').onRef('p.id', '=', 'f.plugin_id'))
    .select([
      'f.id',
      'f.asset_id',
      'f.plugin_id',
      'f.port',
      'f.protocol',
      'f.state',
      'f.first_found',
      'f.last_found',
      'f.last_fixed',
      'f.resurfaced_at',
      'p.family',
    ])
    .where('f.account_id', '=', accountId)
    .where('f.asset_id', '=', sql<string>`any(${assetIds}::uuid[])`)
    .execute();
}

export function findPluginFamilies(trx: Transaction<Database>, scanId: string) {
  return trx
    .selectFrom('import_plugins')
    .select(['plugin_id', sql<string | null>`plugin->>'family'`.as('family')])
    .where('scan_id', '=', scanId)
    .execute();
}

/** The Accounts directory shows asset counts: an import that changed them says so once, as it commits. */
export async function bumpAccountDirectoryVersion(trx: Transaction<Database>): Promise<void> {
  await sql`update account_directory_version set version = version + 1 where id = 1`.execute(trx);
}
