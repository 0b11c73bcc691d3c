import crypto from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../server/app.js';
import { loadConfig, type Config } from '../server/config.js';
import { migrateToLatest, openDatabase } from '../server/db/database.js';
import { hashPassword, verifyPassword } from '../server/lib/crypto.js';
import { createLogger } from '../server/lib/logger.js';
import { createMailer } from '../server/mail/mailer.js';
import { createAdministrator } from '../server/modules/users/users.service.js';
import { createFileStorage } from '../server/storage/storage.js';

/**
 * `npm run bench:sign-in`: Bulwark in this process on a throw-away database (PGlite in a temporary
 * DATA_DIR, or a fresh PostgreSQL database created and dropped here when DATABASE_URL is set),
 * driven over real HTTP on 127.0.0.1. Prints sign-in latency and throughput, authenticated
 * request throughput and memory. Fixed request counts, each phase capped in time, under 60 s.
 */

const SEQUENTIAL_SIGN_INS = 50;
const CONCURRENT_SIGN_INS = 80;
const SIGN_IN_CLIENTS = 8;
const SESSION_REQUESTS = 3000;
const SESSION_CLIENTS = 16;
const ARGON2_SAMPLES = 20;
const PHASE_BUDGET_MS = 12_000;
const WATCHDOG_MS = 60_000;

const USERNAME = 'bench.admin@bench.example';
const PASSWORD = 'Bench-Password-2026!';

const watchdog = setTimeout(() => {
  console.error(`bench:sign-in did not finish within ${WATCHDOG_MS / 1000} s; giving up.`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

interface PhaseResult {
  latenciesMs: number[];
  wallMs: number;
  failures: string[];
  isCutShort: boolean;
}

/** Runs `total` calls of `task` over `clients` concurrent workers, stopping early at the phase budget. */
async function runPhase(total: number, clients: number, task: () => Promise<void>): Promise<PhaseResult> {
  const latenciesMs: number[] = [];
  const failures: string[] = [];
  let started = 0;
  const startedAt = performance.now();
  const deadline = startedAt + PHASE_BUDGET_MS;
  const worker = async () => {
    while (started < total && performance.now() < deadline) {
      started++;
      const t0 = performance.now();
      try {
        await task();
        latenciesMs.push(performance.now() - t0);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  return { latenciesMs, wallMs: performance.now() - startedAt, failures, isCutShort: started < total };
}

function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

function formatTable(headers: string[], rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const ms = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(1));
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

interface MemoryPoint {
  label: string;
  rss: number;
  heapUsed: number;
}
const memory: MemoryPoint[] = [];
function recordMemory(label: string): void {
  const usage = process.memoryUsage();
  memory.push({ label, rss: usage.rss, heapUsed: usage.heapUsed });
}

/** With DATABASE_URL, a new database on that server, so the bench never touches real data. */
async function createScratchPostgres(serverUrl: string): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `bulwark_bench_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        // The pool's connections close a moment after pool.end() resolves; wait for them rather
        // than terminate them (a terminated idle connection is an unhandled pool error).
        for (let attempt = 0; attempt < 50; attempt++) {
          const { rows } = await client.query<{ count: number }>('select count(*)::int as count from pg_stat_activity where datname = $1', [
            name,
          ]);
          if (rows[0]?.count === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await client.query(`drop database if exists ${name}`);
      } finally {
        await client.end();
      }
    },
  };
}

function sessionCookieOf(response: Response): string {
  const cookie = response.headers.getSetCookie().find((header) => header.startsWith('bulwark_session='));
  if (!cookie) throw new Error('sign-in answered without a bulwark_session cookie');
  return cookie.split(';')[0] ?? '';
}

async function main(): Promise<number> {
  recordMemory('start (modules loaded)');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-'));
  const overrides = {
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    SMTP_URL: '',
    STORAGE: 'local',
    // The bench signs in far more often than a person; the throttle would answer 429.
    SIGN_IN_MAX_ATTEMPTS_PER_IP: '1000000',
    SIGN_IN_MAX_FAILURES_PER_USER: '1000000',
  } as const;
  const serverConfig = loadConfig(undefined, overrides);
  const scratch = serverConfig.database.kind === 'postgres' ? await createScratchPostgres(serverConfig.database.url) : null;
  const config: Config = scratch ? loadConfig(undefined, { ...overrides, DATABASE_URL: scratch.url }) : serverConfig;

  const log = createLogger('silent', { pretty: false });
  const database = await openDatabase(config.database);
  const mailer = createMailer(config.mail, log);
  let app: FastifyInstance | undefined;
  try {
    await migrateToLatest(database.db);
    recordMemory('database opened and migrated');
    app = await buildApp(config, { database, mailer, storage: createFileStorage(config.storage), logger: log });
    await createAdministrator({ db: database.db, config }, { username: USERNAME, password: PASSWORD, name: 'Bench Administrator' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;
    recordMemory('Bulwark listening');

    let databaseVersion = 'PGlite (in-process, temporary DATA_DIR)';
    if (scratch) {
      const row = await database.db
        .selectNoFrom((eb) => eb.fn<string>('current_setting', [eb.val('server_version')]).as('version'))
        .executeTakeFirstOrThrow();
      databaseVersion = `PostgreSQL ${row.version} (scratch database ${scratch.name}, dropped afterwards)`;
    }

    // argon2id alone, outside HTTP, to show how much of a sign-in it is.
    const sampleHash = await hashPassword(PASSWORD);
    const argon2 = await runPhase(ARGON2_SAMPLES, 1, async () => {
      if (!(await verifyPassword(sampleHash, PASSWORD))) throw new Error('argon2 verify failed');
    });

    const signIn = async (): Promise<string> => {
      const response = await fetch(`${baseUrl}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: USERNAME, password: PASSWORD, rememberMe: false }),
      });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`sign-in answered ${response.status}: ${body.slice(0, 200)}`);
      return sessionCookieOf(response);
    };

    // Warm up: JIT, connection pools, prepared paths.
    const cookie = await signIn();
    for (let index = 0; index < 2; index++) await signIn();
    const readSession = async (): Promise<void> => {
      const response = await fetch(`${baseUrl}/api/auth/session`, { headers: { cookie } });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`GET /api/auth/session answered ${response.status}: ${body.slice(0, 200)}`);
    };
    for (let index = 0; index < 50; index++) await readSession();

    const sequential = await runPhase(SEQUENTIAL_SIGN_INS, 1, async () => void (await signIn()));
    const concurrent = await runPhase(CONCURRENT_SIGN_INS, SIGN_IN_CLIENTS, async () => void (await signIn()));
    recordMemory(`after ${SEQUENTIAL_SIGN_INS + CONCURRENT_SIGN_INS} sign-ins`);
    const sessions = await runPhase(SESSION_REQUESTS, SESSION_CLIENTS, readSession);
    recordMemory(`after ${sessions.latenciesMs.length} session requests`);

    await app.close();
    app = undefined;

    const row = (label: string, clients: number, phase: PhaseResult): string[] => [
      label + (phase.isCutShort ? ' (cut short at time budget)' : ''),
      String(phase.latenciesMs.length),
      String(clients),
      ((phase.latenciesMs.length / phase.wallMs) * 1000).toFixed(1),
      ms(percentile(phase.latenciesMs, 0.5)),
      ms(percentile(phase.latenciesMs, 0.95)),
      ms(percentile(phase.latenciesMs, 0.99)),
      ms(Math.max(...phase.latenciesMs)),
    ];

    const cpus = os.cpus();
    console.log('\nBulwark sign-in benchmark (HTTP over 127.0.0.1, one Node process)');
    console.log(`  Database   ${databaseVersion}`);
    console.log(`  Node       ${process.version} on ${os.platform()}/${os.arch()}, ${cpus.length} CPU(s) ${cpus[0]?.model.trim() ?? ''}`);
    console.log('  Password   argon2id, 19 MiB, 2 iterations, 1 lane (OWASP minimum)\n');
    console.log(
      formatTable(
        ['Scenario', 'Requests', 'Clients', 'Per second', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
        [
          row('argon2id verify alone (no HTTP)', 1, argon2),
          row('POST /api/auth/sign-in, sequential', 1, sequential),
          row('POST /api/auth/sign-in, concurrent', SIGN_IN_CLIENTS, concurrent),
          row('GET /api/auth/session (signed in)', SESSION_CLIENTS, sessions),
        ],
        new Set([1, 2, 3, 4, 5, 6, 7]),
      ),
    );
    console.log('\nMemory');
    console.log(
      formatTable(
        ['Point', 'RSS MiB', 'Heap used MiB'],
        memory.map((point) => [point.label, mib(point.rss), mib(point.heapUsed)]),
        new Set([1, 2]),
      ),
    );
    console.log(`Peak RSS: ${mib(process.resourceUsage().maxRSS * 1024)} MiB`);
    const argonMs = percentile(argon2.latenciesMs, 0.5);
    const argonShare = argonMs / percentile(sequential.latenciesMs, 0.5);
    const argonCeiling = (cpus.length * 1000) / argonMs;
    const concurrentRate = (concurrent.latenciesMs.length / concurrent.wallMs) * 1000;
    // Say what these figures show: argon2id is meant to dominate sign-in, but a fast CPU can make it the smaller part.
    const share = `One argon2id verify alone takes ${ms(argonMs)} ms at p50, ${(argonShare * 100).toFixed(0)}% of a sequential sign-in`;
    const rest = "HTTP and the sign-in's database statements (throttle counters, user update, session, audit event)";
    const limit =
      concurrentRate >= 0.7 * argonCeiling
        ? 'so argon2id is what limits concurrent sign-ins here.'
        : `so the limit here is the rest of the sign-in, not argon2id${database.kind === 'pglite' ? ' (PGlite runs on the same thread as HTTP)' : ''}.`;
    console.log(
      [
        '',
        argonShare >= 0.5
          ? `Note: argon2id dominates sign-in. ${share}; the rest is ${rest}.`
          : `Note: argon2id does not dominate sign-in on this machine. ${share}; the rest is ${rest}.`,
        `argon2id alone would allow about ${argonCeiling.toFixed(0)} sign-ins/s on ${cpus.length} CPU(s) (it runs on the libuv thread pool);`,
        `${SIGN_IN_CLIENTS} clients reached ${concurrentRate.toFixed(0)}/s, ${limit}`,
        "argon2id's cost is deliberate (it makes stolen password hashes slow to crack); signed-in requests never pay it.",
        'The sign-in throttle limits are raised for this run so they never refuse.',
      ].join('\n'),
    );

    const failures = [...argon2.failures, ...sequential.failures, ...concurrent.failures, ...sessions.failures];
    if (failures.length > 0) {
      console.error(`\n${failures.length} request(s) failed, so these figures are not valid. First: ${failures[0]}`);
      return 1;
    }
    return 0;
  } finally {
    await app?.close();
    mailer.close();
    await database.close();
    await scratch?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
