import { sql, type Kysely } from 'kysely';
import { LICENSED_APPS, type AccountSummaryResponse, type ListAccountsQuery } from '../../../common/schemas/accounts.js';
import type { Database } from '../../db/schema.js';
import type { AccountScope } from './accounts.repository.js';

/**
 * The Accounts page's read model: every account's list row, held in memory, valid for one version
 * of the data. Triggers (migration 20261122T0500_account_directory) bump the version in the same
 * transaction as any write to accounts, licences, logos or staff assignments, so each request
 * reads the version (one tiny query) and rebuilds the directory when it changed: a write is seen
 * (an import bumps the version itself when it commits, since asset counts are part of a row)
 * by the next request on every node. Ordering comes from PostgreSQL itself (row_number() per sort
 * key), so the collation is the database's, exactly as an ORDER BY would give.
 *
 * Why: a page of 10,000 accounts searched on any part of four fields and counted costs the
 * database a few milliseconds per request; the same work here is a filter over an array. Memory is
 * about 1 KB per account (10,000 accounts: ~10 MB), so this suits the tens of thousands of
 * accounts an MSSP has, not millions.
 */

type SortKey = `${ListAccountsQuery['sort']}:${ListAccountsQuery['order']}`;

interface Entry {
  summary: AccountSummaryResponse;
  searchText: string;
  apps: readonly string[];
  ranks: Record<SortKey, number>;
}

interface Snapshot {
  version: string;
  entries: Entry[];
  byId: Map<string, number>;
  /** Entry indexes in each order, built on first use. */
  orders: Map<SortKey, Int32Array>;
  /** Filtered results (entry indexes, in order) by scope, search and order; bounded. */
  results: Map<string, Int32Array>;
}

const MAX_CACHED_RESULTS = 256;

export interface AccountDirectory {
  /**
   * One page of the accounts within the scope, and how many there are in all. `knownVersion`: the
   * data version already read in this request (with the session), which spares reading it again.
   */
  page(
    scope: AccountScope,
    query: ListAccountsQuery,
    knownVersion?: string | null,
  ): Promise<{ items: AccountSummaryResponse[]; total: number }>;
}

async function currentVersion(db: Kysely<Database>): Promise<string> {
  const row = await db
    .selectFrom('account_directory_version')
    .select(sql<string>`version::text`.as('version'))
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return row.version;
}

async function loadSnapshot(db: Kysely<Database>): Promise<Snapshot> {
  // One repeatable-read transaction: the version and the rows belong together.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const version = await currentVersion(trx as unknown as Kysely<Database>);
      const display = sql`lower(coalesce(a.custom_name, a.name))`;
      const rows = await trx
        .selectFrom('customer_accounts as a')
        .leftJoin('logos as lg', 'lg.id', 'a.logo_id')
        .select([
          'a.id',
          'a.name',
          'a.custom_name',
          'a.site_id',
          'a.region',
          'a.notes',
          'a.is_active',
          'a.logo_id',
          'a.search_text',
          'lg.updated_at as logo_updated_at',
        ])
        // Exactly the ORDER BY the SQL list used: the sort key with nulls last, then the id.
        .select([
          sql<number>`row_number() over (order by ${display} asc nulls last, a.id)::int`.as('name_asc'),
          sql<number>`row_number() over (order by ${display} desc nulls last, a.id)::int`.as('name_desc'),
          sql<number>`row_number() over (order by a.site_id asc nulls last, a.id)::int`.as('site_asc'),
          sql<number>`row_number() over (order by a.site_id desc nulls last, a.id)::int`.as('site_desc'),
          sql<number>`row_number() over (order by a.region asc nulls last, a.id)::int`.as('region_asc'),
          sql<number>`row_number() over (order by a.region desc nulls last, a.id)::int`.as('region_desc'),
          sql<number>`row_number() over (order by a.created_at asc nulls last, a.id)::int`.as('created_asc'),
          sql<number>`row_number() over (order by a.created_at desc nulls last, a.id)::int`.as('created_desc'),
        ])
        .execute();
      const counts = await trx
        .selectFrom('assets')
        .select(['account_id', 'kind', sql<number>`count(*)::int`.as('count')])
        .groupBy(['account_id', 'kind'])
        .execute();
      const countOf = new Map(counts.map((row) => [`${row.account_id}|${row.kind}`, row.count]));
      const licenses = (
        await trx.selectFrom('account_licenses').select(['account_id', 'app', 'asset_limit', 'expires_on']).orderBy('app').execute()
      ).map((license) => ({
        ...license,
        // Counted from the instance's assets: web applications for was, hosts for the others.
        licensed_assets:
          license.app === 'cs' ? 0 : (countOf.get(`${license.account_id}|${license.app === 'was' ? 'webapp' : 'host'}`) ?? 0),
      }));
      const licensesByAccount = new Map<string, AccountSummaryResponse['licenses']>();
      for (const license of licenses) {
        const list = licensesByAccount.get(license.account_id) ?? [];
        list.push({
          app: license.app,
          licensedAssets: license.licensed_assets,
          assetLimit: license.asset_limit,
          expiresOn: license.expires_on,
        });
        licensesByAccount.set(license.account_id, list);
      }
      const entries = rows.map((row): Entry => {
        const accountLicenses = licensesByAccount.get(row.id) ?? [];
        return {
          summary: {
            id: row.id,
            name: row.name,
            customName: row.custom_name,
            siteId: row.site_id,
            region: row.region,
            notes: row.notes,
            isActive: row.is_active,
            logoId: row.logo_id,
            logoVersion: row.logo_updated_at ? String(row.logo_updated_at.getTime()) : null,
            licenses: accountLicenses,
          },
          searchText: row.search_text ?? '',
          apps: accountLicenses.map((license) => license.app),
          ranks: {
            'name:asc': row.name_asc,
            'name:desc': row.name_desc,
            'siteId:asc': row.site_asc,
            'siteId:desc': row.site_desc,
            'region:asc': row.region_asc,
            'region:desc': row.region_desc,
            'createdAt:asc': row.created_asc,
            'createdAt:desc': row.created_desc,
          },
        };
      });
      return {
        version,
        entries,
        byId: new Map(entries.map((entry, index) => [entry.summary.id, index])),
        orders: new Map(),
        results: new Map(),
      };
    });
}

function orderOf(snapshot: Snapshot, key: SortKey): Int32Array {
  let order = snapshot.orders.get(key);
  if (!order) {
    order = new Int32Array(snapshot.entries.length);
    // ranks run 1..n without gaps, so each entry goes straight to its place.
    snapshot.entries.forEach((entry, index) => {
      (order as Int32Array)[entry.ranks[key] - 1] = index;
    });
    snapshot.orders.set(key, order);
  }
  return order;
}

/**
 * The entries within the scope whose searchable text contains the term (case-insensitively), or
 * whose licensed app codes contain it: the same rule the SQL search used.
 */
function filter(snapshot: Snapshot, scope: AccountScope, search: string | undefined, key: SortKey): Int32Array {
  const term = search ? search.toLowerCase() : '';
  const scopeKey = scope.kind === 'all' ? '*' : (scope.userId ?? [...scope.accountIds].sort().join(','));
  const cacheKey = `${scopeKey}\u0000${key}\u0000${term}`;
  const cached = snapshot.results.get(cacheKey);
  if (cached) {
    // Refresh its place in the (insertion-ordered) map: least recently used goes first.
    snapshot.results.delete(cacheKey);
    snapshot.results.set(cacheKey, cached);
    return cached;
  }
  const order = orderOf(snapshot, key);
  let allowed: Set<number> | null = null;
  if (scope.kind === 'only') {
    allowed = new Set();
    for (const id of scope.accountIds) {
      const index = snapshot.byId.get(id);
      if (index !== undefined) allowed.add(index);
    }
  }
  const matchingApps = term ? LICENSED_APPS.filter((app) => app.includes(term)) : [];
  const kept: number[] = [];
  for (const index of order) {
    if (allowed && !allowed.has(index)) continue;
    if (term) {
      const entry = snapshot.entries[index] as Entry;
      if (!entry.searchText.includes(term) && !entry.apps.some((app) => matchingApps.includes(app as (typeof LICENSED_APPS)[number]))) {
        continue;
      }
    }
    kept.push(index);
  }
  const result = Int32Array.from(kept);
  if (snapshot.results.size >= MAX_CACHED_RESULTS) {
    const oldest = snapshot.results.keys().next().value;
    if (oldest !== undefined) snapshot.results.delete(oldest);
  }
  snapshot.results.set(cacheKey, result);
  return result;
}

export function createAccountDirectory(db: Kysely<Database>): AccountDirectory {
  let snapshot: Snapshot | null = null;
  let loading: Promise<Snapshot> | null = null;

  async function current(knownVersion?: string | null): Promise<Snapshot> {
    const version = knownVersion ?? (await currentVersion(db));
    if (snapshot && snapshot.version === version) return snapshot;
    // One rebuild at a time; concurrent requests wait for it. A rebuild that lands an older
    // version than asked for (a write committed meanwhile) is followed by another.
    loading ??= loadSnapshot(db).finally(() => {
      loading = null;
    });
    const loaded = await loading;
    if (!snapshot || BigInt(loaded.version) >= BigInt(snapshot.version)) snapshot = loaded;
    if (BigInt(snapshot.version) < BigInt(version)) return current();
    return snapshot;
  }

  return {
    async page(scope, query, knownVersion) {
      if (scope.kind === 'only' && scope.accountIds.length === 0) return { items: [], total: 0 };
      const loaded = await current(knownVersion);
      const matches = filter(loaded, scope, query.search, `${query.sort}:${query.order}`);
      const start = (query.page - 1) * query.pageSize;
      const items: AccountSummaryResponse[] = [];
      for (let position = start; position < Math.min(matches.length, start + query.pageSize); position += 1) {
        items.push((loaded.entries[matches[position] as number] as Entry).summary);
      }
      return { items, total: matches.length };
    },
  };
}

const directories = new WeakMap<Kysely<Database>, AccountDirectory>();

/** The directory of this database handle, made on first use. */
export function accountDirectoryOf(db: Kysely<Database>): AccountDirectory {
  let directory = directories.get(db);
  if (!directory) {
    directory = createAccountDirectory(db);
    directories.set(db, directory);
  }
  return directory;
}
