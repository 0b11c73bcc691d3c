import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { SaxesParser } from 'saxes';
import { generateNessus } from '../scripts/generate-nessus.js';

/**
 * `npm run bench:import` (BENCH_LARGE=1 adds the 1 GB file): generates `.nessus` files of about
 * 10 MB and 100 MB by repeating and varying hosts of real fixtures (scripts/generate-nessus.ts),
 * and imports each through the CLI (`npm run cli -- import`, its own process) into a fresh
 * PostgreSQL database (DATABASE_URL, else postgres://root@127.0.0.1:5432/postgres; created and
 * dropped here). For each file it prints the import's MB/s and findings/s (the CLI's own import
 * time, without process start-up), the peak memory of the importing process (VmHWM from /proc),
 * the time bare saxes takes to read the same file in this process (the parse-only ceiling), and
 * the ratio import speed / ceiling speed.
 */

const MiB = 1024 * 1024;
const SIZES = [10 * MiB, 100 * MiB, ...(process.env.BENCH_LARGE === '1' ? [1024 * MiB] : [])];
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

async function ceilingSeconds(file: string): Promise<number> {
  const parser = new SaxesParser();
  let elements = 0;
  parser.on('opentag', () => {
    elements += 1;
  });
  const started = performance.now();
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 })) parser.write((chunk as Buffer).toString('utf8'));
  parser.close();
  if (elements === 0) throw new Error('no elements read');
  return (performance.now() - started) / 1000;
}

/** Runs the CLI in its own Node process, sampling its peak resident memory from /proc. */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; peakRssMiB: number; code: number }> {
  return new Promise((resolve, reject) => {
    // The same Node options as `npm run cli` (package.json), in one process whose memory /proc shows.
    const child = spawn(process.execPath, ['--max-old-space-size=128', '--import', 'tsx', 'server/cli/main.ts', ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let peakKiB = 0;
    const sample = () => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const match = /VmHWM:\s+(\d+) kB/.exec(status);
        if (match) peakKiB = Math.max(peakKiB, Number(match[1]));
      } catch {
        // The process has ended.
      }
    };
    const sampler = setInterval(sample, 100);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      sample();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(sampler);
      if (code !== 0) reject(new Error(`cli ${args[0]} exited ${code}: ${stderr.slice(-2000)}`));
      else resolve({ stdout, peakRssMiB: peakKiB / 1024, code: code ?? 0 });
    });
  });
}

const adminUrl = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const name = `bulwark_bench_import_${crypto.randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${name}`);
await admin.end();
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-import-'));
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  DATABASE_URL: url.toString(),
  DATA_DIR: path.join(dir, 'data'),
  LOG_LEVEL: 'warn',
};

const rows: string[][] = [];
try {
  const accountId = (await runCli(['create-account', '--name', 'Import Bench Customer', '--apps', 'vm'], env)).stdout.trim();
  for (const [index, size] of SIZES.entries()) {
    const file = path.join(dir, `scan-${size / MiB}MB.nessus`);
    const generated = await generateNessus({
      out: file,
      sizeBytes: size,
      seed: index + 1,
      dropItems: 0.05,
      reportName: `Bench ${size / MiB} MB`,
    });
    const megabytes = generated.bytes / MiB;
    const ceiling = await ceilingSeconds(file);
    const started = performance.now();
    const result = await runCli(['import', '--account', accountId, file], env);
    const wall = (performance.now() - started) / 1000;
    const summary = /imported: (\d+) hosts, (\d+) findings, (\d+) compliance results in ([\d.]+) s/.exec(result.stdout);
    if (!summary) throw new Error(`unexpected import output:\n${result.stdout}`);
    const [, hosts, findings, compliance, seconds] = summary.map(Number) as [number, number, number, number, number];
    const importSeconds = Math.max(seconds, 0.001);
    rows.push([
      `${megabytes.toFixed(0)} MB`,
      String(hosts),
      String(findings + compliance),
      importSeconds.toFixed(1),
      wall.toFixed(1),
      (megabytes / importSeconds).toFixed(1),
      ((findings + compliance) / importSeconds).toFixed(0),
      result.peakRssMiB.toFixed(0),
      ceiling.toFixed(2),
      (megabytes / ceiling).toFixed(1),
      `${((ceiling / importSeconds) * 100).toFixed(0)}%`,
    ]);
    fs.rmSync(file, { force: true });
    console.log(`imported ${megabytes.toFixed(0)} MB in ${importSeconds.toFixed(1)} s`);
  }
} finally {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`drop database if exists ${name} with (force)`);
  await client.end();
  fs.rmSync(dir, { recursive: true, force: true });
}

const header = [
  'File',
  'Hosts',
  'Results',
  'Import s',
  'CLI wall s',
  'MB/s',
  'Results/s',
  'Peak RSS MiB',
  'saxes s',
  'saxes MB/s',
  'Import/ceiling',
];
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
console.log('\nnpm run cli -- import into PostgreSQL (results = findings + compliance results)');
for (const row of [header, ...rows]) console.log(row.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  '));
console.log('\nTargets (issue 5): import at least 50% of the parse-only speed; peak memory under 300 MB at 1 GB; time linear in size.');
