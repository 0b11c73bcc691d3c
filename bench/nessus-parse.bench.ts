import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { generateNessus } from '../scripts/generate-nessus.js';
import { parseNessusFile } from '../server/modules/nessus/nessus-parser.js';

/**
 * `npm run bench:nessus-parse` (BENCH_LARGE=1 adds the 1 GB file): generates `.nessus` files of
 * 10 MB and 100 MB (scripts/generate-nessus.ts) in a temporary directory and, for each, times
 *   - the ceiling: bare saxes fed the same 256 KiB chunks, counting elements, nothing else;
 *   - the parser: parseNessusFile, records built and the fingerprint computed, batches consumed;
 * and prints MB/s, records/s, peak RSS (sampled every 50 ms) and the ratio parser/ceiling (speed).
 * Each small file is measured twice and the faster run kept; the 1 GB file once.
 */

const MiB = 1024 * 1024;
const sizes = [10 * MiB, 100 * MiB, ...(process.env['BENCH_LARGE'] === '1' ? [1024 * MiB] : [])];

interface Measurement {
  seconds: number;
  cpuSeconds: number;
  peakRss: number;
  count: number;
}

async function measure(run: () => Promise<number>): Promise<Measurement> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    const count = await run();
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return { seconds, cpuSeconds: (used.user + used.system) / 1e6, peakRss, count };
  } finally {
    clearInterval(sampler);
  }
}

async function runCeiling(file: string): Promise<number> {
  const parser = new SaxesParser();
  let elements = 0;
  parser.on('opentag', () => {
    elements += 1;
  });
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 })) parser.write((chunk as Buffer).toString('utf8'));
  parser.close();
  return elements;
}

async function runParser(file: string): Promise<number> {
  let records = 0;
  for await (const batch of parseNessusFile(file)) records += batch.length;
  return records;
}

async function best(times: number, run: () => Promise<number>): Promise<Measurement> {
  let result: Measurement | null = null;
  for (let index = 0; index < times; index += 1) {
    const next = await measure(run);
    if (result === null || next.seconds < result.seconds) result = next;
  }
  if (result === null) throw new Error('no run');
  return result;
}

function row(cells: (string | number)[]): string {
  return cells.map((cell, index) => String(cell).padStart(index === 0 ? 8 : 12)).join(' ');
}

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-nessus-bench-'));
try {
  console.log(
    `bench:nessus-parse on Node ${process.version}, ${os.cpus().length} CPU(s), load average ${os.loadavg()[0]?.toFixed(1) ?? '?'}`,
  );
  console.log(row(['file', 'what', 'seconds', 'cpu s', 'MB/s', 'records/s', 'peak RSS MB', 'count']));
  for (const size of sizes) {
    const file = path.join(directory, `bench-${size / MiB}MB.nessus`);
    const generated = await generateNessus({ out: file, sizeBytes: size });
    const megabytes = generated.bytes / MiB;
    const times = size > 200 * MiB ? 1 : 2;
    const ceiling = await best(times, () => runCeiling(file));
    const parser = await best(times, () => runParser(file));
    const label = `${Math.round(megabytes)} MB`;
    console.log(
      row([
        label,
        'ceiling',
        ceiling.seconds.toFixed(2),
        ceiling.cpuSeconds.toFixed(2),
        (megabytes / ceiling.seconds).toFixed(1),
        '-',
        (ceiling.peakRss / MiB).toFixed(0),
        `${ceiling.count} el.`,
      ]),
    );
    console.log(
      row([
        label,
        'parser',
        parser.seconds.toFixed(2),
        parser.cpuSeconds.toFixed(2),
        (megabytes / parser.seconds).toFixed(1),
        Math.round(parser.count / parser.seconds),
        (parser.peakRss / MiB).toFixed(0),
        `${parser.count} rec.`,
      ]),
    );
    console.log(
      row([
        label,
        'ratio',
        `${((ceiling.seconds / parser.seconds) * 100).toFixed(0)}%`,
        `${((ceiling.cpuSeconds / parser.cpuSeconds) * 100).toFixed(0)}%`,
        '',
        '',
        '',
        `${generated.hosts} hosts, ${generated.items} items`,
      ]),
    );
    fs.rmSync(file);
  }
} finally {
  fs.rmSync(directory, { recursive: true, force: true });
}
