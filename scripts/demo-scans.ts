import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import pino from 'pino';
import type { Database } from '../server/db/schema.js';
import { createScanRecord, runImport } from '../server/modules/imports/imports.service.js';
import { nessusImportEvents } from '../server/modules/imports/nessus-source.js';
import { createRandom } from './demo.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/fixtures/real/nessus');

/** Real scans the demo history is made from: a few hosts with many findings, and a web application. */
const NETWORK_SOURCES = [
  'mitre__heimdall2__sample.nessus',
  'SoteriaSoftwareLLC__openrmfpro-automation__IDS-CONEX-HQ-2024-Dec-Uncredentialed.nessus',
];
const WEB_APP_SOURCE = 'DefectDojo__django-DefectDojo__nessus_was_many_vuln.xml';

export interface DemoScanSummary {
  accountCount: number;
  scanCount: number;
  findingCount: number;
}

const SCANS_PER_ACCOUNT = 6;
const DAYS_BETWEEN_SCANS = 21;

/**
 * One scan of the series: the real file with its host times moved to `at`, a seeded share of its
 * findings left out (so later scans fix them, and bring some back: reopened), and its own name.
 */
function scanText(source: string, at: Date, random: () => number, dropShare: number, name: string): string {
  const seconds = String(Math.floor(at.getTime() / 1000));
  const readable = at.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 $4');
  return source
    .replace(/<Report name="[^"]*"/, `<Report name="${name}"`)
    .replace(/(<tag name="HOST_(?:START|END)_TIMESTAMP">)[^<]*/g, `$1${seconds}`)
    .replace(/(<tag name="HOST_(?:START|END)">)[^<]*/g, `$1${readable}`)
    .replace(/<ReportItem [\s\S]*?<\/ReportItem>\s*/g, (item) => (item.includes('severity="0"') || random() >= dropShare ? item : ''));
}

/**
 * Scan history for the demo: for each account, SCANS_PER_ACCOUNT scans three weeks apart, made
 * from real fixtures and imported through the real importer, so dashboards have trends, fixed
 * findings and reopened ones. Web App Scanning accounts also get a web application scan.
 */
export async function seedDemoScans(
  db: Kysely<Database>,
  accounts: readonly { id: string; apps: readonly string[] }[],
  options: { today?: Date; seed?: number } = {},
): Promise<DemoScanSummary> {
  const today = options.today ?? new Date();
  const random = createRandom(options.seed ?? 7);
  const ctx = { db, log: pino({ level: 'silent' }) };
  const sources = NETWORK_SOURCES.map((file) => fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
  const webApp = fs.readFileSync(path.join(FIXTURES, WEB_APP_SOURCE), 'utf8');
  const summary: DemoScanSummary = { accountCount: 0, scanCount: 0, findingCount: 0 };
  for (const [index, account] of accounts.entries()) {
    const series: { text: string; name: string }[] = [];
    if (account.apps.includes('vm')) {
      const source = sources[index % sources.length] ?? '';
      for (let scan = 0; scan < SCANS_PER_ACCOUNT; scan += 1) {
        const at = new Date(today.getTime() - (SCANS_PER_ACCOUNT - 1 - scan) * DAYS_BETWEEN_SCANS * 86_400_000 - 6 * 3_600_000);
        const name = `Weekly network scan ${at.toISOString().slice(0, 10)}`;
        // Fewer findings as remediation goes on, but never the same set twice.
        series.push({ name, text: scanText(source, at, random.next, 0.1 + scan * 0.06, name) });
      }
    }
    if (account.apps.includes('was')) {
      const at = new Date(today.getTime() - 3 * 86_400_000);
      series.push({ name: 'Web application scan', text: scanText(webApp, at, random.next, 0, 'Web application scan') });
    }
    if (series.length === 0) continue;
    summary.accountCount += 1;
    for (const { text, name } of series) {
      const scanId = await createScanRecord(ctx, {
        accountId: account.id,
        name,
        fileName: `${name}.nessus`,
        fileSize: Buffer.byteLength(text),
        storageKey: null,
        ownerUserId: null,
      });
      const outcome = await runImport(ctx, scanId, nessusImportEvents(Readable.from([text])));
      if (outcome.status !== 'completed')
        throw new Error(`The demo scan ${name} did not import: ${outcome.status === 'failed' ? outcome.error : outcome.status}`);
      summary.scanCount += 1;
      summary.findingCount += outcome.findingCount;
    }
  }
  return summary;
}
