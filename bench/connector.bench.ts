import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { loadConfig } from '../server/config.js';
import { migrateToLatest, openDatabase } from '../server/db/database.js';
import { generateApiKeysFor } from '../server/modules/api-keys/api-keys.service.js';
import { createAccount, createContact, createStaff, TEST_PASSWORD } from '../server/test/factories.js';
import {
  cpuSecondsOf,
  createBenchDatabase,
  freePort,
  machineBusySeconds,
  printFigures,
  serverEnvironment,
  signInForBench,
  startServer,
  walkVulnsExport,
} from './bench-support.js';
import { FINDINGS_PER_ASSET, insertSyntheticInstance } from './synthetic-instance.js';

/**
 * `npm run bench:connector`: a Bulwark instance holding 1,000,000 findings (2,000 assets x 500,
 * bench/synthetic-instance.ts) in a fresh PostgreSQL database is the source; the same server runs a
 * Tenable integration pointing at its own Tenable-compatible API (no target account: the records
 * go into Signals only). Printed: the connector's findings/s (its vulnerabilities run, from the
 * ledger's start to its end) and the server's peak memory; and, in the same run, the ceiling: a
 * client that walks the same export (POST, status polls, every chunk downloaded in full) and
 * stores nothing; and the ratio connector / ceiling (target >= 50%).
 */

const ASSETS = Number(process.env.BENCH_ASSETS ?? 2000);
const EXPECTED = ASSETS * FINDINGS_PER_ASSET;
/** Assets per chunk, as the Tenable connector asks for them (its vulns export request), so both walk the same chunks. */
const CONNECTOR_NUM_ASSETS = 50;

interface RunRow {
  stream: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  fetched: number;
  stored: number;
  duplicates: number;
  chunksDone: number;
  error: { kind: string; message: string } | null;
}

const database = await createBenchDatabase('bulwark_bench_connector');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-connector-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env = serverEnvironment(database.url, dir, port, {
  INTEGRATIONS_TICK_SECONDS: '1',
  // The instance API's per-key rate limit would make the connector wait (as Tenable's would); measure the pipeline.
  API_REQUESTS_PER_MINUTE: '100000',
});

let server: ChildProcess | null = null;
let client: pg.Client | null = null;
try {
  const config = loadConfig(env);
  const handle = await openDatabase(config.database);
  await migrateToLatest(handle.db);
  const account = await createAccount({ db: handle.db }, { name: 'Connector Bench Source' });
  const contact = await createContact({ db: handle.db }, account.id, { role: 32 });
  const keys = await generateApiKeysFor({ db: handle.db, config, actor: null, origin: { ip: null, userAgent: 'bench' } }, contact);
  const administrator = await createStaff({ db: handle.db }, { role: 64, username: 'bench-admin@bench.example' });
  await handle.close();

  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const inserting = performance.now();
  await insertSyntheticInstance(client, account.id, ASSETS);
  console.log(`inserted ${EXPECTED} findings in ${((performance.now() - inserting) / 1000).toFixed(1)} s`);

  const started = await startServer(env, port);
  server = started.child;
  const idleMiB = started.peakMiB();

  // The ceiling: the same export walked by a client that only downloads.
  const apiHeaders = { 'x-apikeys': `accessKey=${keys.accessKey}; secretKey=${keys.secretKey}` };
  const ceilingCpu = { machine: machineBusySeconds(), server: cpuSecondsOf(server.pid) };
  const ceilingStarted = performance.now();
  const walk = await walkVulnsExport(base, apiHeaders, {
    filters: { state: ['OPEN', 'REOPENED', 'FIXED'] },
    numAssets: CONNECTOR_NUM_ASSETS,
  });
  const ceilingSeconds = (performance.now() - ceilingStarted) / 1000;
  const ceilingMachineCpu = machineBusySeconds() - ceilingCpu.machine;
  const ceilingServerCpu = cpuSecondsOf(server.pid) - ceilingCpu.server;
  if (walk.findings !== EXPECTED) throw new Error(`the ceiling client read ${walk.findings} findings, expected ${EXPECTED}`);

  // The connector: an integration on the same server, pointing at its own API.
  const signedIn = await signInForBench(base, administrator.username, TEST_PASSWORD);
  const session = { cookie: signedIn.cookie, 'x-csrf-token': signedIn.csrfToken };
  const created = await fetch(`${base}/api/integrations`, {
    method: 'POST',
    headers: { ...session, 'content-type': 'application/json' },
    body: JSON.stringify({
      connector: 'signal-client.tenable',
      name: 'Bench source',
      values: { fqdn: base, accessKey: keys.accessKey, secretKey: keys.secretKey },
      pollingIntervalMinutes: 30,
      enabled: true,
      targetAccountId: null,
    }),
  });
  if (created.status !== 201) throw new Error(`POST /api/integrations: ${created.status} ${await created.text()}`);
  const integration = (await created.json()) as { id: string };
  const connectorCpu = { machine: machineBusySeconds(), server: cpuSecondsOf(server.pid) };
  let run: RunRow | undefined;
  for (;;) {
    const runs = (await (await fetch(`${base}/api/integrations/${integration.id}/runs?pageSize=100`, { headers: session })).json()) as {
      runs: RunRow[];
    };
    run = runs.runs.find((row) => row.stream === 'vulnerabilities' && row.status !== 'running');
    if (run) break;
    if (server.exitCode !== null) throw new Error('the server stopped');
    await sleep(500);
  }
  // Both sampled when the run is seen ended (every 0.5 s): the run's own time comes from its ledger.
  const connectorMachineCpu = machineBusySeconds() - connectorCpu.machine;
  const connectorServerCpu = cpuSecondsOf(server.pid) - connectorCpu.server;
  if (run.status !== 'succeeded') throw new Error(`the connector's run ended ${run.status}: ${JSON.stringify(run.error)}`);
  const connectorSeconds = (Date.parse(run.finishedAt ?? '') - Date.parse(run.startedAt)) / 1000;
  const artifacts = await client.query<{ count: string }>(`select count(*) from signal_artifacts where stream = 'vulnerabilities'`);
  const peakMiB = started.peakMiB();

  const connectorRate = run.fetched / connectorSeconds;
  const ceilingRate = walk.findings / ceilingSeconds;
  printFigures([
    ['findings in the source', String(EXPECTED)],
    ['connector: fetched / stored as artifacts', `${run.fetched} / ${artifacts.rows[0]?.count ?? '?'} (${run.chunksDone} chunks)`],
    ['connector: run time (ledger start to end)', `${connectorSeconds.toFixed(1)} s`],
    ['connector findings/s', connectorRate.toFixed(0)],
    ['ceiling: download-only walk of the same export', `${ceilingSeconds.toFixed(1)} s (${(walk.bytes / 1024 / 1024).toFixed(0)} MiB)`],
    ['ceiling findings/s', ceilingRate.toFixed(0)],
    ['ratio connector / ceiling (target >= 50%)', `${((connectorRate / ceilingRate) * 100).toFixed(0)}%`],
    [
      'CPU, ceiling walk: whole machine / server process (rest: PostgreSQL, this client)',
      `${ceilingMachineCpu.toFixed(0)} s / ${ceilingServerCpu.toFixed(0)} s (${((ceilingMachineCpu / walk.findings) * 1e6).toFixed(0)} us per finding)`,
    ],
    [
      'CPU, connector run: whole machine / server process (rest: PostgreSQL)',
      `${connectorMachineCpu.toFixed(0)} s / ${connectorServerCpu.toFixed(0)} s (${((connectorMachineCpu / run.fetched) * 1e6).toFixed(0)} us per finding)`,
    ],
    ['server peak memory (VmHWM)', `${peakMiB.toFixed(0)} MiB (${idleMiB.toFixed(0)} MiB once started)`],
  ]);
} finally {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  await client?.end();
  await sleep(1000);
  await database.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}
