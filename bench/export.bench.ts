import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { loadConfig } from '../server/config.js';
import { migrateToLatest, openDatabase } from '../server/db/database.js';
import { generateApiKeysFor } from '../server/modules/api-keys/api-keys.service.js';
import { createAccount, createContact } from '../server/test/factories.js';
import { createBenchDatabase, freePort, MiB, printFigures, serverEnvironment, startServer, walkVulnsExport } from './bench-support.js';
import { FINDINGS_PER_ASSET, insertSyntheticInstance } from './synthetic-instance.js';

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

const benchDatabase = await createBenchDatabase('bulwark_bench_export');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-export-'));
const port = await freePort();
const env = serverEnvironment(benchDatabase.url, dir, port);

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

  client = new pg.Client({ connectionString: benchDatabase.url });
  await client.connect();
  const inserting = performance.now();
  await insertSyntheticInstance(client, account.id, ASSETS);
  console.log(`inserted ${ASSETS * FINDINGS_PER_ASSET} findings in ${((performance.now() - inserting) / 1000).toFixed(1)} s`);

  const started = await startServer(env, port);
  server = started.child;
  const idleMiB = started.peakMiB();
  const exportStarted = performance.now();
  const walk = await walkVulnsExport(`http://127.0.0.1:${port}`, headers);
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
  printFigures(table);
} finally {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  await client?.end();
  await sleep(500);
  await benchDatabase.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}
