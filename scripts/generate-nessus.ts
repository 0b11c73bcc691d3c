import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * `npm run nessus:generate -- --size 100MB --out FILE [--source FIXTURE]… [--drop-items 0.1] [--seed 1]`
 *
 * Writes a `.nessus` v2 file of about the requested size by repeating the hosts of real fixtures
 * (by default a vulnerability scan and a compliance scan from ../shared/fixtures/real/nessus),
 * each copy with its own IP address, names, MAC address and host UUID (the original IP is also
 * replaced inside plugin outputs). `--drop-items` leaves out that share of each copy's
 * ReportItems, chosen by `--seed`, so successive files differ like successive scans. The output is
 * streamed with backpressure; only the small source fixtures are held in memory.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.resolve(here, '../../shared/fixtures/real/nessus');
export const DEFAULT_SOURCES = [
  path.join(FIXTURES, 'SoteriaSoftwareLLC__openrmfpro-automation__IDS-CONEX-HQ-2024-Dec-Uncredentialed.nessus'),
  path.join(FIXTURES, 'SoteriaSoftwareLLC__openrmfpro-automation__Oracle_Linux_7_CIS_Level_1_Server_ue9jey.nessus'),
  path.join(FIXTURES, 'mitre__heimdall2__sample.nessus'),
];

export interface GenerateNessusOptions {
  out: string;
  sizeBytes: number;
  sources?: string[];
  /** Share (0..1) of each host copy's ReportItems left out. Default 0. */
  dropItems?: number;
  seed?: number;
  /** Name of the Report element. */
  reportName?: string;
}

export interface GenerateNessusResult {
  bytes: number;
  hosts: number;
  items: number;
}

interface HostTemplate {
  name: string;
  ip: string | null;
  head: string;
  items: string[];
  tail: string;
}

/** Parse "100MB", "1GB", "512KB", "1.5 GB" or a plain byte count (binary units). */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$/i.exec(text);
  if (match === null) throw new Error(`Unreadable size "${text}"; use e.g. 10MB, 100MB or 1GB.`);
  const unit = (match[2] ?? 'b').toLowerCase();
  const factor = unit.startsWith('g') ? 1024 ** 3 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('k') ? 1024 : 1;
  return Math.round(Number(match[1]) * factor);
}

function readTemplate(file: string): { prefix: string; hosts: HostTemplate[]; suffix: string } {
  const text = fs.readFileSync(file, 'utf8');
  const first = text.indexOf('<ReportHost ');
  const last = text.lastIndexOf('</ReportHost>');
  if (first < 0 || last < 0) throw new Error(`${file} has no ReportHost to repeat.`);
  const hosts: HostTemplate[] = [];
  for (const match of text.slice(first, last + '</ReportHost>'.length).matchAll(/<ReportHost [\s\S]*?<\/ReportHost>/g)) {
    const block = match[0];
    const itemsStart = block.indexOf('<ReportItem ');
    const itemsEnd = block.lastIndexOf('</ReportItem>') + '</ReportItem>'.length;
    const head = itemsStart < 0 ? block.slice(0, -'</ReportHost>'.length) : block.slice(0, itemsStart);
    const items =
      itemsStart < 0 ? [] : [...block.slice(itemsStart, itemsEnd).matchAll(/<ReportItem [\s\S]*?<\/ReportItem>\s*/g)].map((m) => m[0]);
    hosts.push({
      name: /<ReportHost name="([^"]*)"/.exec(block)?.[1] ?? '',
      ip: /<tag name="host-ip">([^<]*)<\/tag>/.exec(block)?.[1]?.trim() ?? null,
      head,
      items,
      tail: itemsStart < 0 ? '</ReportHost>' : block.slice(itemsEnd),
    });
  }
  return { prefix: text.slice(0, first), hosts, suffix: text.slice(last + '</ReportHost>'.length) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A small deterministic generator (mulberry32), so the same seed drops the same items. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function varyHost(template: HostTemplate, copy: number): { head: string; rename: (text: string) => string } {
  const ip = `10.${(copy >> 16) & 255}.${(copy >> 8) & 255}.${copy & 255}`;
  const fqdn = `host-${copy}.bench.example`;
  const hex = copy.toString(16).padStart(12, '0');
  const mac = (hex.match(/../g) ?? []).join(':').toUpperCase();
  const ipPattern = template.ip === null ? null : new RegExp(`(?<![\\d.])${escapeRegExp(template.ip)}(?![\\d])`, 'g');
  const rename = (text: string) => (ipPattern === null ? text : text.replace(ipPattern, ip));
  const isIpName = /^[\d.]+$/.test(template.name) || template.name === template.ip;
  let head = rename(template.head)
    .replace(/<ReportHost name="[^"]*"/, `<ReportHost name="${isIpName ? ip : fqdn}"`)
    .replace(/(<tag name="host-fqdn">)[^<]*/, `$1${fqdn}`)
    .replace(/(<tag name="hostname">)[^<]*/, `$1host-${copy}`)
    .replace(/(<tag name="netbios-name">)[^<]*/, `$1HOST-${copy}`)
    .replace(/(<tag name="mac-address">)[^<]*/, `$1${mac}`)
    .replace(/(<tag name="host-uuid">)[^<]*/, `$1bench000-0000-4000-8000-${hex}`);
  if (!head.includes('<tag name="host-ip">')) head = head.replace('<HostProperties>', `<HostProperties>\n<tag name="host-ip">${ip}</tag>`);
  return { head, rename };
}

/** Write the file; resolves when it is flushed to disk. */
export async function generateNessus(options: GenerateNessusOptions): Promise<GenerateNessusResult> {
  const sources = options.sources && options.sources.length > 0 ? options.sources : DEFAULT_SOURCES;
  const templates = sources.map(readTemplate);
  const first = templates[0];
  if (first === undefined) throw new Error('No source fixture.');
  const hosts = templates.flatMap((template) => template.hosts);
  const random = createRandom(options.seed ?? 1);
  const dropItems = Math.min(1, Math.max(0, options.dropItems ?? 0));
  const prefix =
    options.reportName === undefined
      ? first.prefix
      : first.prefix.replace(/<Report name="[^"]*"/, `<Report name="${options.reportName.replace(/[<&"]/g, '')}"`);

  const stream = fs.createWriteStream(options.out);
  let bytes = 0;
  let itemCount = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!stream.write(text)) await once(stream, 'drain');
  };
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });

  await write(prefix);
  let copy = 1;
  do {
    const template = hosts[(copy - 1) % hosts.length];
    if (template === undefined) break;
    const { head, rename } = varyHost(template, copy);
    await write(head);
    let block = '';
    for (const item of template.items) {
      if (dropItems > 0 && random() < dropItems) continue;
      block += rename(item);
      itemCount += 1;
      if (block.length > 256 * 1024) {
        await write(block);
        block = '';
      }
    }
    await write(block + template.tail + '\n');
    copy += 1;
  } while (bytes + first.suffix.length < options.sizeBytes);
  await write(first.suffix);
  stream.end();
  await finished;
  return { bytes, hosts: copy - 1, items: itemCount };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '10MB' },
      out: { type: 'string' },
      source: { type: 'string', multiple: true },
      'drop-items': { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      'report-name': { type: 'string' },
    },
  });
  if (values.out === undefined) {
    console.error('Usage: npm run nessus:generate -- --size 100MB --out FILE [--source FIXTURE]... [--drop-items 0.1] [--seed 1]');
    process.exit(2);
  }
  const started = performance.now();
  const result = await generateNessus({
    out: values.out,
    sizeBytes: parseSize(values.size),
    sources: values.source,
    dropItems: Number(values['drop-items']),
    seed: Number(values.seed),
    reportName: values['report-name'],
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${values.out}: ${(result.bytes / 1024 ** 2).toFixed(1)} MB, ${result.hosts} hosts, ${result.items} ReportItems, in ${seconds.toFixed(1)} s`,
  );
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
