import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { serverNodeArgs } from './server-process.js';

/** What several benchmarks share: a fresh database, the server in its own process, its peak memory, the figures table. */

export const MiB = 1024 * 1024;
export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A benchmark's own PostgreSQL database (DATABASE_URL's server, else the local one) and a way to drop it. */
export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(prefix: string): Promise<BenchDatabase> {
  const name = `${prefix}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return existingBenchDatabase(name);
}

const adminUrl = () => process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

/** A database an earlier run kept (same server as createBenchDatabase). */
export function existingBenchDatabase(name: string): BenchDatabase {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`not a bench database name: ${name}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: adminUrl() });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** A signed-in session of the benchmark's server: its cookie and CSRF token (the sign-in API, as the browser does). */
export interface BenchSession {
  cookie: string;
  csrfToken: string;
}

export async function signInForBench(base: string, username: string, password: string): Promise<BenchSession> {
  const response = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, rememberMe: true }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${username} failed: ${response.status} ${await response.text()}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrfToken };
}

/**
 * The environment of a benchmark's server: its own database, data directory, port and fresh
 * secrets.
 */
export function serverEnvironment(databaseUrl: string, dir: string, port: number, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    DATABASE_URL: databaseUrl,
    DATA_DIR: path.join(dir, 'data'),
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    MASTER_KEY: crypto.randomBytes(32).toString('hex'),
    ...extra,
  };
}

export interface ServerProcess {
  child: ChildProcess;
  /** The highest resident memory so far (VmHWM from /proc), in MiB. */
  peakMiB(): number;
}

/** The server exactly as `npm start` runs it, in its own process; resolves once it answers. */
export async function startServer(env: NodeJS.ProcessEnv, port: number): Promise<ServerProcess> {
  // BENCH_SERVER_NODE_ARGS: extra node options for the server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it).
  const extraArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...extraArgs, ...serverNodeArgs(ROOT)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
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

/** CPU time (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid: number | undefined): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of the line (12 and 13 after the command), in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU time the whole machine has spent busy so far (every core; user, system and interrupts: not idle, iowait or steal), from /proc/stat. */
export function machineBusySeconds(): number {
  const [, ...ticks] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/) ?? [];
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = ticks.map(Number);
  return (user + nice + system + irq + softirq) / 100;
}

/** Prints label/value rows as an aligned table. */
export function printFigures(table: readonly (readonly [string, string])[]): void {
  const width = Math.max(...table.map(([label]) => label.length));
  for (const [label, value] of table) console.log(`${label.padEnd(width)}  ${value}`);
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
export async function walkVulnsExport(
  base: string,
  headers: Record<string, string>,
  options: { filters?: Record<string, unknown>; numAssets?: number } = {},
): Promise<{ bytes: number; findings: number; chunks: number }> {
  const created = await fetch(`${base}/vulns/export`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ num_assets: options.numAssets ?? 500, include_unlicensed: true, filters: options.filters ?? {} }),
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
