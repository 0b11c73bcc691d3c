import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { EXACT_COUNT_LIMIT } from '../common/schemas/signals.js';
import { loadConfig } from '../server/config.js';
import { migrateToLatest, openDatabase } from '../server/db/database.js';
import { searchVectorSql } from '../server/modules/signals/signals-store.js';
import { createAccount, createStaff, TEST_PASSWORD } from '../server/test/factories.js';
import {
  createBenchDatabase,
  existingBenchDatabase,
  freePort,
  printFigures,
  serverEnvironment,
  signInForBench,
  startServer,
} from './bench-support.js';

/**
 * `npm run bench:signals`: 5,000,000 signal artifacts generated with SQL (generate_series) in a fresh
 * PostgreSQL database (DATABASE_URL's server, else the local one; created and dropped here): 50
 * integrations (45 with a target account), 90% findings and 10% assets, 5 severities, 3 states,
 * 200,000 hosts and IPs, 20,000 plugins (30% with CVEs), observed over 90 days, raw records (JSON text) of about
 * 600 bytes, the search column computed by the same SQL as storeSignalArtifacts. The migration's
 * indexes are dropped for the load and built again afterwards, then VACUUM ANALYZE. The real server
 * (server/main.ts) runs in its own process; one Administrator times, one request at a time, for
 * several search shapes, the results the Signals page shows first (GET /api/signals/results), the
 * counts it fills in after (GET /api/signals/counts), and both in one response (GET /api/signals).
 * Printed: the generation time, p50/p95/p99 per shape and overall for each, the share of estimated
 * counts, and the target (p95 < 150 ms).
 */

const ROWS = Number(process.env.BENCH_SIGNALS ?? 5_000_000);
const BATCH = 500_000;
const INTEGRATIONS = 50;
const WITH_ACCOUNT = 45;
const HOSTS = 200_000;
const PLUGINS = 20_000;
const REQUESTS_PER_SHAPE = Number(process.env.BENCH_REQUESTS ?? 40);
const TARGET_P95_MS = 150;

const VENDORS = [
  'Apache httpd',
  'Microsoft Windows',
  'OpenSSL',
  'Oracle Java',
  'Cisco IOS',
  'Adobe Reader',
  'Google Chrome',
  'Mozilla Firefox',
  'OpenSSH',
  'PHP',
  'nginx',
  'MySQL',
  'PostgreSQL',
  'Linux Kernel',
  'VMware ESXi',
  'Samba',
  'Jenkins',
  'WordPress',
  'Apache Tomcat',
  'Microsoft Exchange',
];
const ISSUES = [
  'Remote Code Execution',
  'Multiple Vulnerabilities',
  'Denial of Service',
  'Information Disclosure',
  'SQL Injection',
  'Cross-Site Scripting',
  'Privilege Escalation',
  'Security Update',
  'Buffer Overflow',
  'Authentication Bypass',
];
const literalArray = (values: readonly string[]) => `array[${values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ')}]`;
/** A stable pseudo-random integer in [0, modulo) from the row number and a salt. */
const pick = (salt: string, modulo: number) => `((hashtext(g::text || '${salt}')::bigint & 2147483647) % ${modulo})`;

async function generate(client: pg.Client): Promise<{ seconds: number; loadSeconds: number; indexSeconds: number; sizeMiB: number }> {
  const started = performance.now();
  await client.query(`set maintenance_work_mem = '1GB'`);
  await client.query(`set max_parallel_maintenance_workers = 2`);
  await client.query(`
    create temp table bench_integrations as
      select row_number() over (order by name)::int - 1 as n, id, name, target_account_id as account_id from integrations`);
  await client.query(`
    create table bench_plugins as
      select p,
        (${literalArray(VENDORS)})[1 + p % ${VENDORS.length}] || ' ' || (p / 20 % 10) || '.' || (p / 200 % 10) || '.' || (p / 2000 % 10)
          || ' ' || (${literalArray(ISSUES)})[1 + (p / 7) % ${ISSUES.length}] as name,
        case when p % 10 < 3 then array['CVE-' || (2014 + p % 11) || '-' || (10000 + p)]
          || case when p % 10 = 0 then array['CVE-' || (2014 + p % 11) || '-' || (40000 + p)] else '{}'::text[] end
          else '{}'::text[] end as cve
      from generate_series(0, ${PLUGINS - 1}) p`);
  await client.query('create index on bench_plugins (p)');
  await client.query('analyze bench_plugins');

  const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
    `select indexname, indexdef from pg_indexes where tablename = 'signal_artifacts' and indexname <> 'signal_artifacts_pkey'`,
  );
  for (const index of indexes) await client.query(`drop index ${index.indexname}`);

  for (let start = 1; start <= ROWS; start += BATCH) {
    const end = Math.min(ROWS, start + BATCH - 1);
    await client.query(`
      insert into signal_artifacts (integration_id, integration_name, stream, observed_at, fingerprint, severity, state,
        host_name, ip, plugin_id, plugin_name, cve, account_id, raw, search)
      select r.integration_id, r.integration_name, r.stream, r.observed_at, r.fingerprint, r.severity, r.state,
        r.host_name, r.ip, r.plugin_id, r.plugin_name, r.cve, r.account_id,
        jsonb_build_object(
          'asset', jsonb_build_object('uuid', md5('asset' || r.h), 'hostname', r.host_name, 'fqdn', array[r.host_name],
            'ipv4', array[r.ip], 'operating_system', array['Linux Kernel 5.15'], 'network_id', '00000000-0000-0000-0000-000000000000'),
          'plugin', case when r.plugin_id is null then null else jsonb_build_object('id', r.plugin_id, 'name', r.plugin_name,
            'family', 'General', 'cve', to_jsonb(r.cve), 'cvss3_base_score', 7.5, 'has_patch', true) end,
          'port', jsonb_build_object('port', 443, 'protocol', 'TCP', 'service', 'www'),
          'severity', r.severity, 'state', r.state, 'first_found', r.observed_at - interval '30 days', 'last_found', r.observed_at,
          'output', 'Installed version : 2.4.' || (r.h % 60) || E'\\n  Fixed version : 2.4.62\\n  Path : /usr/sbin/httpd'
        )::text,
        ${searchVectorSql('r')}
      from (
        select i.id as integration_id, i.name as integration_name, i.account_id, s.h, s.stream, s.observed_at,
          md5(s.g::text) as fingerprint,
          case when s.is_asset then null when s.sv < 40 then 'info' when s.sv < 55 then 'low' when s.sv < 80 then 'medium'
            when s.sv < 95 then 'high' else 'critical' end as severity,
          case when s.is_asset then null when s.st < 6 then 'OPEN' when s.st < 9 then 'FIXED' else 'REOPENED' end as state,
          'host-' || s.h || '.' || (array['corp', 'lab', 'dmz', 'prod', 'dev'])[1 + s.h % 5] || '.example' as host_name,
          '10.' || (s.h / 65536) || '.' || (s.h / 256 % 256) || '.' || (s.h % 256) as ip,
          case when s.is_asset then null else p.p end as plugin_id,
          case when s.is_asset then null else p.name end as plugin_name,
          case when s.is_asset then '{}'::text[] else p.cve end as cve
        from (
          select g, ${pick('h', HOSTS)} as h, ${pick('a', 10)} = 0 as is_asset,
            case when ${pick('a', 10)} = 0 then 'assets' else 'vulnerabilities' end as stream, ${pick('s', 100)} as sv, ${pick('t', 10)} as st,
            ${pick('p', PLUGINS)} as pn,
            now() - interval '90 days' + (g::float8 / ${ROWS}) * interval '90 days' as observed_at
          from generate_series(${start}, ${end}) g
        ) s
        join bench_integrations i on i.n = s.h % ${INTEGRATIONS}
        join bench_plugins p on p.p = s.pn
      ) r`);
    console.log(`  generated ${end.toLocaleString('en-US')} artifacts (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  const loaded = performance.now();
  for (const index of indexes) {
    const indexStarted = performance.now();
    await client.query(index.indexdef);
    console.log(`  index ${index.indexname}: ${((performance.now() - indexStarted) / 1000).toFixed(0)} s`);
  }
  const indexed = performance.now();
  await client.query('vacuum analyze signal_artifacts');
  const { rows: size } = await client.query<{ bytes: string }>(`select pg_total_relation_size('signal_artifacts')::text as bytes`);
  return {
    seconds: (performance.now() - started) / 1000,
    loadSeconds: (loaded - started) / 1000,
    indexSeconds: (indexed - loaded) / 1000,
    sizeMiB: Number(size[0]?.bytes ?? 0) / 1024 / 1024,
  };
}

/** The searches of each shape, built from values that exist in the generated data. */
async function buildShapes(client: pg.Client): Promise<Map<string, string[]>> {
  const { rows: integrations } = await client.query<{ id: string }>('select id from integrations order by name');
  const { rows: cves } = await client.query<{ cve: string }>(
    `select cve[1] as cve from bench_plugins where cardinality(cve) > 0 order by hashtext(p::text) limit ${REQUESTS_PER_SHAPE}`,
  );
  const { rows: range } = await client.query<{ oldest: Date; newest: Date }>(
    'select min(observed_at) as oldest, max(observed_at) as newest from signal_artifacts',
  );
  const oldest = range[0]!.oldest.getTime();
  const span = range[0]!.newest.getTime() - oldest;
  const random = (() => {
    let seed = 42;
    return () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  })();
  const at = (fraction: number) => new Date(oldest + fraction * span).toISOString();
  const host = () => Math.floor(random() * HOSTS);
  const ip = (h: number) => `10.${Math.floor(h / 65536)}.${Math.floor(h / 256) % 256}.${h % 256}`;
  const integration = () => integrations[Math.floor(random() * integrations.length)]!.id;
  const word = () => (VENDORS[Math.floor(random() * VENDORS.length)] ?? 'OpenSSL').split(' ')[0]!.toLowerCase();
  const times = (make: (index: number) => string) => Array.from({ length: REQUESTS_PER_SHAPE }, (_, index) => make(index));
  const severities = ['critical', 'high', 'medium', 'low', 'info', 'high,critical'];
  const states = ['OPEN', 'FIXED', 'REOPENED', 'OPEN,REOPENED'];
  const q = (text: string) => `q=${encodeURIComponent(text)}`;
  return new Map<string, string[]>([
    [
      'text',
      times(
        (index) =>
          [
            q(word()),
            q(`${word()} ${ISSUES[index % ISSUES.length]!.split(' ')[0]!.toLowerCase()}`),
            q(`"${ISSUES[index % ISSUES.length]!.toLowerCase()}"`),
            q(`host-${host()}.lab.example`),
            q(`${word()} -linux`),
          ][index % 5]!,
      ),
    ],
    ['CVE', times((index) => q(cves[index % cves.length]!.cve))],
    ['IP', times(() => q(ip(host())))],
    ['severity + state', times((index) => `severity=${severities[index % severities.length]}&state=${states[index % states.length]}`)],
    [
      'integration + time range',
      times(() => {
        const from = random() * 0.9;
        return `integrationId=${integration()}&from=${at(from)}&to=${at(from + 0.08)}`;
      }),
    ],
    [
      'text + filter',
      times(
        (index) =>
          [
            `${q(word())}&severity=critical`,
            `${q(word())}&state=FIXED&integrationId=${integration()}`,
            `${q(cves[index % cves.length]!.cve)}&state=OPEN`,
            `${q(word())}&from=${at(0.8)}`,
            `${q(ISSUES[index % ISSUES.length]!)}&severity=high,critical&state=OPEN`,
          ][index % 5]!,
      ),
    ],
    ['no filter', times((index) => (index % 4 === 3 ? `page=${2 + (index % 7)}` : ''))],
  ]);
}

type Endpoint = '/api/signals' | '/api/signals/results' | '/api/signals/counts';

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

/**
 * BENCH_SIGNALS_KEEP=1 keeps the generated database (its name is printed); BENCH_SIGNALS_REUSE=<name>
 * times the searches again against such a database, without generating (the data must be this bench's).
 */
const reuse = process.env.BENCH_SIGNALS_REUSE;
const keep = process.env.BENCH_SIGNALS_KEEP === '1' || Boolean(reuse);
const database = reuse ? existingBenchDatabase(reuse) : await createBenchDatabase('bulwark_bench_signals');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-signals-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env = serverEnvironment(database.url, dir, port);

let server: ChildProcess | null = null;
let client: pg.Client | null = null;
try {
  const config = loadConfig(env);
  const app = await openDatabase(config.database);
  await migrateToLatest(app.db);
  const adminUsername = 'signals-admin@bench.example';
  const admin = reuse ? null : await createStaff({ db: app.db }, { role: 64, username: adminUsername });
  for (let n = 0; admin && n < INTEGRATIONS; n += 1) {
    const account = n < WITH_ACCOUNT ? await createAccount({ db: app.db }, { name: `Customer ${String(n).padStart(2, '0')}` }) : null;
    await app.db
      .insertInto('integrations')
      .values({
        connector: 'signal-client.tenable',
        name: `Tenable ${String(n).padStart(2, '0')}`,
        settings: '{}',
        secrets: null,
        target_account_id: account?.id ?? null,
        owner_user_id: admin.id,
      })
      .execute();
  }
  await app.close();

  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  if (!reuse) console.log(`generating ${ROWS.toLocaleString('en-US')} artifacts...`);
  const generated = reuse ? null : await generate(client);
  const shapes = await buildShapes(client);

  const started = await startServer(env, port);
  server = started.child;
  const { cookie } = await signInForBench(base, adminUsername, TEST_PASSWORD);
  const get = async (endpoint: Endpoint, query: string) => {
    const begun = performance.now();
    const response = await fetch(`${base}${endpoint}?${query}`, { headers: { cookie } });
    const body = (await response.json()) as { total?: number; estimated?: boolean; results?: unknown[] };
    const ms = performance.now() - begun;
    if (response.status !== 200) throw new Error(`GET ${endpoint}?${query}: ${response.status} ${JSON.stringify(body)}`);
    return { ms, body };
  };

  // One unmeasured pass over every search: the server's JIT and connection pool, PostgreSQL's caches.
  for (const queries of shapes.values()) for (const query of queries) await get('/api/signals', query);

  const table: [string, string][] = [['artifacts', ROWS.toLocaleString('en-US')]];
  if (generated) {
    table.push(
      ['generation (load + indexes + vacuum analyze)', `${generated.seconds.toFixed(1)} s`],
      ['  load (generate_series, search vectors)', `${generated.loadSeconds.toFixed(1)} s`],
      ['  indexes', `${generated.indexSeconds.toFixed(1)} s`],
      ['table + indexes size', `${(generated.sizeMiB / 1024).toFixed(2)} GiB`],
    );
  }
  table.push(['requests per shape (sequential, after one warm-up pass)', String(REQUESTS_PER_SHAPE)]);
  // Each search three ways: the results the page shows first, the counts it fills in after, and
  // both in one response (GET /api/signals, what an API client asks for).
  const endpoints: Array<[Endpoint, string]> = [
    ['/api/signals/results', 'results (rows, shown first)'],
    ['/api/signals/counts', 'counts (total + facets, filled in after)'],
    ['/api/signals', 'results + counts in one response'],
  ];
  for (const [endpoint, title] of endpoints) {
    const all: number[] = [];
    let estimatedCount = 0;
    let p95Worst = 0;
    table.push([`${title}: ${endpoint}`, '']);
    for (const [shape, queries] of shapes) {
      const latencies: number[] = [];
      let estimated = 0;
      let totals = 0;
      for (const query of queries) {
        const { ms, body } = await get(endpoint, query);
        latencies.push(ms);
        if (body.estimated) estimated += 1;
        totals += body.total ?? 0;
      }
      latencies.sort((a, b) => a - b);
      all.push(...latencies);
      estimatedCount += estimated;
      p95Worst = Math.max(p95Worst, percentile(latencies, 0.95));
      const counted =
        endpoint === '/api/signals/results'
          ? ''
          : `  (mean total ${Math.round(totals / queries.length).toLocaleString('en-US')}, ${estimated}/${queries.length} estimated)`;
      table.push([
        `  ${shape}`,
        `p50 ${percentile(latencies, 0.5).toFixed(1)} ms  p95 ${percentile(latencies, 0.95).toFixed(1)} ms  p99 ${percentile(latencies, 0.99).toFixed(1)} ms${counted}`,
      ]);
    }
    all.sort((a, b) => a - b);
    const overallP95 = percentile(all, 0.95);
    const estimatedNote =
      endpoint === '/api/signals/results' ? '' : `, ${estimatedCount} estimated above ${EXACT_COUNT_LIMIT.toLocaleString('en-US')}`;
    table.push([
      '  overall',
      `p50 ${percentile(all, 0.5).toFixed(1)} ms  p95 ${overallP95.toFixed(1)} ms  p99 ${percentile(all, 0.99).toFixed(1)} ms  (${all.length} requests${estimatedNote})`,
    ]);
    table.push([
      '  target',
      `p95 < ${TARGET_P95_MS} ms: ${overallP95 < TARGET_P95_MS ? 'met' : 'NOT met'} overall; worst shape p95 ${p95Worst.toFixed(1)} ms (${p95Worst < TARGET_P95_MS ? 'met' : 'NOT met'})`,
    ]);
  }
  table.push(['server peak memory', `${started.peakMiB().toFixed(0)} MiB`]);
  printFigures(table);
} finally {
  server?.kill('SIGTERM');
  await client?.end();
  if (keep) console.log(`kept the database: BENCH_SIGNALS_REUSE=${database.name} npm run bench:signals`);
  else await database.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}
