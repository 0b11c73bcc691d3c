import crypto from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { buildApp } from '../server/app.js';
import { loadConfig, type Config } from '../server/config.js';
import { migrateToLatest, openDatabase } from '../server/db/database.js';
import type { Database } from '../server/db/schema.js';
import { hashPassword } from '../server/lib/crypto.js';
import { createLogger } from '../server/lib/logger.js';
import { createMailer } from '../server/mail/mailer.js';
import { createFileStorage } from '../server/storage/storage.js';
import { signInForBench } from './bench-support.js';

/**
 * `npm run bench:accounts`: 10,000 customer accounts and 200 staff; the Accounts page's own paged
 * list and search API (GET /api/accounts) driven by 32 concurrent autocannon clients over real
 * HTTP on 127.0.0.1, for an Administrator and for a staff user assigned to 500 accounts, each
 * measured after a short unmeasured warm-up (the first requests build the directory). Runs on
 * PostgreSQL (DATABASE_URL, else postgres://root@127.0.0.1:5432/postgres, in a fresh database it
 * creates and drops) and on PGlite, and prints p50/p95/p99 latency and requests per second.
 */

const ACCOUNTS = 10_000;
const STAFF = 200;
const ASSIGNED = 500;
const CONNECTIONS = 32;
const SECONDS_PER_SCENARIO = 8;
/** Each scenario first runs this long unmeasured, as a server does after start-up (caches, JIT). */
const WARM_UP_SECONDS = 2;
const PASSWORD = 'Bench-Password-2026!';
const WORDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Wonka', 'Tyrell', 'Soylent', 'Cyberdyne'];
const INDUSTRIES = ['Manufacturing', 'Retail', 'Bank', 'Health', 'Logistics', 'Energy', 'Insurance', 'Media'];
const REGIONS = ['US', 'EU', 'UK', 'AU', 'JP', 'CA', 'SG', 'FedRAMP'];
const APPS = [['vm'], ['vm', 'was'], ['cs'], ['vm', 'was', 'cs'], ['was']] as const;

const watchdog = setTimeout(() => {
  console.error('bench:accounts did not finish within 5 minutes; giving up.');
  process.exit(1);
}, 300_000);
watchdog.unref();

export async function seed(db: Kysely<Database>): Promise<{ adminUsername: string; staffUsername: string }> {
  const passwordHash = await hashPassword(PASSWORD);
  const accountIds: string[] = [];
  for (let start = 0; start < ACCOUNTS; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, ACCOUNTS - start) }, (_, offset) => {
      const index = start + offset;
      const word = WORDS[index % WORDS.length] ?? 'Acme';
      const industry = INDUSTRIES[index % INDUSTRIES.length] ?? 'Retail';
      return {
        id: crypto.randomUUID(),
        name: `${word} ${industry} ${index}`,
        custom_name: index % 7 === 0 ? `${word} ${industry} (${index})` : null,
        site_id: `${word.slice(0, 4).toUpperCase()}-${String(index).padStart(5, '0')}`,
        region: REGIONS[index % REGIONS.length] ?? 'US',
        notes: index % 3 === 0 ? `Quarterly review with ${word}; escalate to the 24x7 desk. Ticket ${index}` : '',
      };
    });
    await db.insertInto('customer_accounts').values(rows).execute();
    const licenses = rows.flatMap((row, offset) =>
      (APPS[(start + offset) % APPS.length] ?? ['vm']).map((app) => ({
        account_id: row.id,
        app,
        licensed_assets: (start + offset) % 900,
        asset_limit: 1000,
        expires_on: '2027-06-30',
      })),
    );
    await db.insertInto('account_licenses').values(licenses).execute();
    accountIds.push(...rows.map((row) => row.id));
  }
  await db.insertInto('approved_domains').values({ domain: 'bench.example' }).execute();
  const staff = Array.from({ length: STAFF }, (_, index) => ({
    kind: 'staff' as const,
    username: `staff${index}@bench.example`,
    name: `Staff ${index}`,
    password_hash: index < 2 ? passwordHash : null,
    role: index === 0 ? 64 : ([16, 24, 32, 40][index % 4] ?? 16),
  }));
  const inserted = await db.insertInto('users').values(staff).returning(['id', 'username']).execute();
  // Staff 1 gets 500 accounts; the others a few each, so the assignment table has realistic size.
  const assignments = accountIds.slice(0, ASSIGNED).map((accountId) => ({ user_id: inserted[1]?.id ?? '', account_id: accountId }));
  for (const [index, user] of inserted.slice(2).entries()) {
    for (let k = 0; k < 20; k += 1) assignments.push({ user_id: user.id, account_id: accountIds[(index * 37 + k * 101) % ACCOUNTS] ?? '' });
  }
  for (let start = 0; start < assignments.length; start += 1000) {
    await db
      .insertInto('staff_account_assignments')
      .values(assignments.slice(start, start + 1000))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return { adminUsername: inserted[0]?.username ?? '', staffUsername: inserted[1]?.username ?? '' };
}

const QUERIES = [
  '/api/accounts?page=1&pageSize=25',
  '/api/accounts?page=37&pageSize=25',
  '/api/accounts?search=globex&page=1&pageSize=25',
  '/api/accounts?search=24x7&page=3&pageSize=25',
  '/api/accounts?search=was&page=2&pageSize=25',
  '/api/accounts?sort=siteId&order=desc&page=5&pageSize=50',
  '/api/accounts?sort=region&page=1&pageSize=25',
  '/api/accounts?search=TYRE-0&page=1&pageSize=25',
];

interface Figures {
  label: string;
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

function warmUp(baseUrl: string, cookie: string): Promise<unknown> {
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url: baseUrl,
        connections: CONNECTIONS,
        duration: WARM_UP_SECONDS,
        headers: { cookie },
        requests: QUERIES.map((query) => ({ method: 'GET' as const, path: query })),
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    ),
  );
}

async function load(baseUrl: string, cookie: string, label: string): Promise<Figures> {
  await warmUp(baseUrl, cookie);
  const latencies: number[] = [];
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections: CONNECTIONS,
        duration: SECONDS_PER_SCENARIO,
        headers: { cookie },
        requests: QUERIES.map((query) => ({ method: 'GET' as const, path: query })),
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode !== 200) errors += 1;
      latencies.push(responseTime);
    });
  });
  latencies.sort((a, b) => a - b);
  return {
    label,
    requests: result.requests.total,
    perSecond: result.requests.average,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    errors: errors + result.errors + result.non2xx,
  };
}

async function runOn(kind: 'postgres' | 'pglite'): Promise<Figures[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-accounts-'));
  let database: Config['database'] = { kind: 'pglite', directory: path.join(dataDir, 'pglite') };
  let dropDatabase = async () => {};
  if (kind === 'postgres') {
    const adminUrl = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
    const name = `bulwark_bench_${crypto.randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    database = { kind: 'postgres', url: url.toString() };
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    };
  }
  const config: Config = Object.freeze({
    ...loadConfig({}, { DATA_DIR: dataDir, LOG_LEVEL: 'silent', SIGN_IN_MAX_ATTEMPTS_PER_IP: '100000' }),
    database,
  });
  const handle = await openDatabase(config.database);
  const logger = createLogger('silent', { pretty: false });
  const mailer = createMailer(config.mail, logger);
  try {
    await migrateToLatest(handle.db);
    const seedStart = Date.now();
    const { adminUsername, staffUsername } = await seed(handle.db);
    // A live database has planner statistics; give the freshly loaded one the same.
    await sql`analyze`.execute(handle.db);
    console.log(`${kind}: seeded ${ACCOUNTS} accounts and ${STAFF} staff in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    const app = await buildApp(config, { database: handle, mailer, storage: createFileStorage(config.storage), logger });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const figures = [
        await load(baseUrl, (await signInForBench(baseUrl, adminUsername, PASSWORD)).cookie, `${kind}, Administrator (all ${ACCOUNTS})`),
        await load(baseUrl, (await signInForBench(baseUrl, staffUsername, PASSWORD)).cookie, `${kind}, staff assigned ${ASSIGNED}`),
      ];
      return figures;
    } finally {
      await app.close();
    }
  } finally {
    mailer.close();
    await handle.close();
    await dropDatabase();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function isPostgresReachable(): Promise<boolean> {
  const client = new pg.Client({
    connectionString: process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres',
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const results: Figures[] = [];
if (process.env.BENCH_SEED_ONLY) {
  const handle = await openDatabase({ kind: 'postgres', url: process.env.BENCH_SEED_ONLY });
  await migrateToLatest(handle.db);
  await seed(handle.db);
  await handle.close();
  process.exit(0);
}
if (await isPostgresReachable()) results.push(...(await runOn('postgres')));
else console.log('PostgreSQL is not reachable (set DATABASE_URL); measuring PGlite only.');
results.push(...(await runOn('pglite')));

console.log(
  `\nGET /api/accounts (8 query shapes: pages, search, sorts), ${CONNECTIONS} connections, ${SECONDS_PER_SCENARIO} s each after ${WARM_UP_SECONDS} s unmeasured`,
);
const header = ['Scenario', 'Requests', 'Per second', 'p50 ms', 'p95 ms', 'p99 ms', 'Errors'];
const rows = results.map((figures) => [
  figures.label,
  String(figures.requests),
  figures.perSecond.toFixed(0),
  String(figures.p50),
  String(figures.p95),
  String(figures.p99),
  String(figures.errors),
]);
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
for (const row of [header, ...rows])
  console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  '));
console.log('\nTarget (issue 3): p95 under 30 ms on PostgreSQL.');
process.exit(results.some((figures) => figures.errors > 0) ? 1 : 0);
