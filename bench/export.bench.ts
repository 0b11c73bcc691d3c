import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { loadConfig } from '../server/config.js';
import { migrateToLatest, openDatabase } from '../server/db/database.js';
import { generateApiKeysFor } from '../server/modules/api-keys/api-keys.service.js';
import { createAccount, createContact } from '../server/test/factories.js';
import { serverNodeArgs } from './server-process.js';

/**
 * `npm run bench:export`: 1,000,000 findings (2,000 assets x 500, 5,000 plugins with descriptions,
 * outputs of about 300 bytes) inserted with SQL into one instance of a fresh PostgreSQL database
 * (DATABASE_URL, else postgres://root@127.0.0.1:5432/postgres; created and dropped here). The real
 * server (server/main.ts) runs in its own process; a client walks POST /vulns/export as pyTenable
 * does (num_assets 500, status polls, every listed chunk downloaded in full over HTTP). Printed:
 * findings/s and MB/s from the POST to the last byte of the last chunk, the server's peak memory
 * (VmHWM from /proc), and the ceiling: the same rows read from the database (a server-side cursor)
 * and serialised with JSON.stringify in this process, and the ratio export speed / ceiling speed.
 */

const ASSETS = Number(process.env.BENCH_ASSETS ?? 2000);
const FINDINGS_PER_ASSET = 500;
const PLUGINS = 5000;
const MiB = 1024 * 1024;
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Fills one instance with synthetic but realistically sized data, in a few set-based statements. */
async function insertData(client: pg.Client, accountId: string): Promise<void> {
  const scan = await client.query<{ id: string }>(
    `insert into scans (account_id, name, status, bytes_read, warnings, scan_started_at, scan_ended_at, host_count, finding_count)
     values ($1, 'Bench scan', 'completed', 0, '[]', now() - interval '2 hours', now() - interval '1 hour', $2, $3) returning id`,
    [accountId, ASSETS, ASSETS * FINDINGS_PER_ASSET],
  );
  const scanId = scan.rows[0]?.id;
  await client.query(
    `insert into assets (account_id, identity_kind, identity_value, hostname, fqdn, ipv4, mac_address, operating_system, properties,
       first_seen, last_seen, last_scan_id)
     select $1, 'fqdn', 'host-' || i || '.bench.example', 'host-' || i, 'host-' || i || '.bench.example',
       '10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256), '00:50:56:00:' || lpad(to_hex(i / 256), 2, '0') || ':' || lpad(to_hex(i % 256), 2, '0'),
       'Linux Kernel 5.15 on Ubuntu 22.04', '{"system-type": "general-purpose"}'::jsonb,
       now() - interval '90 days', now() - interval '1 hour', $2
     from generate_series(0, $3 - 1) as i`,
    [accountId, scanId, ASSETS],
  );
  await client.query(
    `insert into plugins (account_id, id, name, family, risk_factor, synopsis, description, solution, plugin_type,
       cvss_base_score, cvss_vector, cvss3_base_score, cvss3_vector, cve, see_also, xrefs, exploit_available,
       publication_date, modification_date, attributes)
     select $1, 100000 + i, 'Bench Linux : package-' || i || ' multiple vulnerabilities (USN-' || i || '-1)', 'Ubuntu Local Security Checks ' || (i % 40),
       (array['None', 'Low', 'Medium', 'High', 'Critical'])[i % 5 + 1],
       'The remote host is missing one or more security-related updates for package-' || i || '.',
       'The remote Ubuntu host has a package installed that is affected by multiple vulnerabilities as referenced in the advisory. ' || repeat(md5(i::text) || ' ', 20),
       'Update the affected package-' || i || ' to the version given in the vendor advisory. ' || repeat(md5((i + 1)::text), 2),
       'local', (i % 100) / 10.0, 'AV:N/AC:L/Au:N/C:P/I:P/A:P', (i % 100) / 10.0, 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
       array['CVE-2024-' || (10000 + i), 'CVE-2025-' || (20000 + i)], array['https://ubuntu.com/security/notices/USN-' || i || '-1'],
       array['USN:' || i || '-1', 'IAVA:2024-A-' || i], i % 3 = 0, date '2024-01-01' + (i % 365), date '2025-01-01' + (i % 300),
       jsonb_build_object('script_version', '1.' || (i % 20), 'patch_publication_date', '2024/06/01', 'vpr_score', ((i % 90) / 10.0)::text)
     from generate_series(0, $2 - 1) as i`,
    [accountId, PLUGINS],
  );
  // Asset n has the 500 plugins from (7n mod 5000) on: one finding per asset and plugin.
  await client.query(
    `insert into findings (account_id, asset_id, plugin_id, port, protocol, service, severity, state, output, first_found, last_found, last_scan_id)
     select $1, a.id, 100000 + ((a.n * 7 + k) % $3), (k % 4) * 22, 'tcp', case when k % 4 = 0 then 'general' else 'ssh' end, k % 5, 'OPEN',
       'Remote package installed : package-' || k || '-1.0.' || a.n || E'\\nShould be                : package-' || k || E'-1.1.0\\n' || repeat(md5((a.n * 1000 + k)::text), 7),
       now() - interval '60 days', now() - interval '1 hour', $2
     from (select id, (row_number() over (order by id) - 1)::int as n from assets where account_id = $1) as a, generate_series(0, $4 - 1) as k`,
    [accountId, scanId, PLUGINS, FINDINGS_PER_ASSET],
  );
  await client.query('analyze');
}

/** The server in its own process; resolves once it answers. Samples its peak memory from /proc. */
async function startServer(env: NodeJS.ProcessEnv, port: number): Promise<{ child: ChildProcess; peakMiB: () => number }> {
  const child = spawn(process.execPath, serverNodeArgs(ROOT), { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  let peakKiB = 0;
  const sampler = setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (match) peakKiB = Math.max(peakKiB, Number(match[1]));
    } catch {
      // The process has ended.
    }
  }, 100);
  child.on('exit', () => clearInterval(sampler));
  for (let attempt = 0; attempt < 600; attempt += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return { child, peakMiB: () => peakKiB / 1024 };
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    await sleep(500);
  }
  throw new Error('server did not start');
}

/** Downloads a chunk as a stream, counting bytes and findings (each finding object starts with {"asset":). */
async function downloadChunk(url: string, headers: Record<string, string>): Promise<{ bytes: number; findings: number }> {
  const response = await fetch(url, { headers });
  if (response.status !== 200 || !response.body) throw new Error(`chunk ${url}: ${response.status}`);
  const marker = '{"asset":';
  let bytes = 0;
  let findings = 0;
  let tail = '';
  const decoder = new TextDecoder();
  for await (const part of response.body) {
    bytes += part.byteLength;
    const text = tail + decoder.decode(part, { stream: true });
    for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + marker.length)) findings += 1;
    tail = text.slice(-(marker.length - 1));
  }
  return { bytes, findings };
}

/** The pyTenable walk (tenable-api.md 2.1) over HTTP: POST, then status polls, downloading each new chunk. */
async function walkExport(base: string, headers: Record<string, string>) {
  const created = await fetch(`${base}/vulns/export`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ num_assets: 500, include_unlicensed: true, filters: {} }),
  });
  if (created.status !== 200) throw new Error(`POST /vulns/export: ${created.status} ${await created.text()}`);
  const { export_uuid: id } = (await created.json()) as { export_uuid: string };
  const done = new Set<number>();
  let bytes = 0;
  let findings = 0;
  let wait = 2;
  for (;;) {
    const status = (await (await fetch(`${base}/vulns/export/${id}/status`, { headers })).json()) as {
      status: string;
      chunks_available: number[];
    };
    if (status.status === 'ERROR') throw new Error('export ended with ERROR');
    const fresh = status.chunks_available.filter((chunk) => !done.has(chunk));
    for (const chunk of fresh) {
      const result = await downloadChunk(`${base}/vulns/export/${id}/chunks/${chunk}`, headers);
      bytes += result.bytes;
      findings += result.findings;
      done.add(chunk);
    }
    if (fresh.length > 0) continue;
    if (status.status === 'FINISHED') return { bytes, findings, chunks: done.size };
    await sleep(wait * 1000);
    wait = Math.min(wait + 1, 30);
  }
}

/** The ceiling: the same rows (finding, asset, plugin and scan columns) read through a cursor and JSON.stringify'd. */
async function measureCeiling(client: pg.Client, accountId: string): Promise<{ seconds: number; rows: number; bytes: number }> {
  const started = performance.now();
  let rows = 0;
  let bytes = 0;
  await client.query('begin');
  await client.query(
    `declare ceiling no scroll cursor for
     select f.*, row_to_json(a) as asset, row_to_json(p) as plugin, s.id as scan_id, s.scan_started_at, s.scan_ended_at
     from findings f join assets a on a.id = f.asset_id join plugins p on p.account_id = f.account_id and p.id = f.plugin_id
     left join scans s on s.id = f.last_scan_id
     where f.account_id = $1 and f.state in ('OPEN', 'REOPENED')`,
    [accountId],
  );
  for (;;) {
    const batch = await client.query('fetch 5000 from ceiling');
    for (const row of batch.rows) bytes += Buffer.byteLength(JSON.stringify(row));
    rows += batch.rows.length;
    if (batch.rows.length < 5000) break;
  }
  await client.query('commit');
  return { seconds: (performance.now() - started) / 1000, rows, bytes };
}

const adminUrl = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const name = `bulwark_bench_export_${crypto.randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${name}`);
await admin.end();
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-export-'));
const port = await freePort();
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  DATABASE_URL: url.toString(),
  DATA_DIR: path.join(dir, 'data'),
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
  MASTER_KEY: crypto.randomBytes(32).toString('hex'),
};

let server: ChildProcess | null = null;
let client: pg.Client | null = null;
try {
  const config = loadConfig(env);
  const database = await openDatabase(config.database);
  await migrateToLatest(database.db);
  const account = await createAccount({ db: database.db }, { name: 'Export Bench Customer' });
  const contact = await createContact({ db: database.db }, account.id, { role: 32 });
  const keys = await generateApiKeysFor({ db: database.db, config, actor: null, origin: { ip: null, userAgent: 'bench' } }, contact);
  await database.close();
  const headers = { 'x-apikeys': `accessKey=${keys.accessKey}; secretKey=${keys.secretKey}` };

  client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const inserting = performance.now();
  await insertData(client, account.id);
  console.log(`inserted ${ASSETS * FINDINGS_PER_ASSET} findings in ${((performance.now() - inserting) / 1000).toFixed(1)} s`);

  const started = await startServer(env, port);
  server = started.child;
  const idleMiB = started.peakMiB();
  const exportStarted = performance.now();
  const walk = await walkExport(`http://127.0.0.1:${port}`, headers);
  const exportSeconds = (performance.now() - exportStarted) / 1000;
  if (walk.findings !== ASSETS * FINDINGS_PER_ASSET)
    throw new Error(`exported ${walk.findings} findings, expected ${ASSETS * FINDINGS_PER_ASSET}`);
  const peakMiB = started.peakMiB();
  server.kill('SIGTERM');

  const ceiling = await measureCeiling(client, account.id);

  const exportRate = walk.findings / exportSeconds;
  const ceilingRate = ceiling.rows / ceiling.seconds;
  const table: [string, string][] = [
    ['findings exported', String(walk.findings)],
    ['chunks', String(walk.chunks)],
    ['export time (POST to last chunk byte)', `${exportSeconds.toFixed(1)} s`],
    ['export findings/s', exportRate.toFixed(0)],
    ['export MB/s (chunk bytes)', (walk.bytes / MiB / exportSeconds).toFixed(1)],
    ['export size', `${(walk.bytes / MiB).toFixed(0)} MiB`],
    ['server peak memory (VmHWM)', `${peakMiB.toFixed(0)} MiB (${idleMiB.toFixed(0)} MiB once started, before the export)`],
    ['ceiling: read + JSON.stringify in one process', `${ceiling.seconds.toFixed(1)} s`],
    ['ceiling findings/s', ceilingRate.toFixed(0)],
    ['ceiling MB/s', (ceiling.bytes / MiB / ceiling.seconds).toFixed(1)],
    ['ratio export / ceiling (target >= 50%)', `${((exportRate / ceilingRate) * 100).toFixed(0)}%`],
    ['server memory target (< 400 MiB)', peakMiB < 400 ? 'met' : 'NOT met'],
  ];
  const width = Math.max(...table.map(([label]) => label.length));
  for (const [label, value] of table) console.log(`${label.padEnd(width)}  ${value}`);
} finally {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  await client?.end();
  await sleep(500);
  const dropper = new pg.Client({ connectionString: adminUrl });
  await dropper.connect();
  await dropper.query(`drop database if exists ${name} with (force)`);
  await dropper.end();
  fs.rmSync(dir, { recursive: true, force: true });
}
