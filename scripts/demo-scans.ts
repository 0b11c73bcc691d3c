import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import pino from 'pino';
import type { Database } from '../server/db/schema.js';
import { createScanRecord, runImport } from '../server/modules/imports/imports.service.js';
import { nessusImportEvents } from '../server/modules/imports/nessus-source.js';
import { demoHosts, demoScanXml } from './demo-nessus.js';

export interface DemoScanSummary {
  accountCount: number;
  scanCount: number;
  findingCount: number;
}

const SCANS_PER_ACCOUNT = 6;
const DAYS_BETWEEN_SCANS = 21;

/**
 * Scan history for the demo: for each account, SCANS_PER_ACCOUNT scans three weeks apart of its
 * own hosts (demo-nessus.ts writes them; nothing outside this repository is read), imported
 * through the real importer, so dashboards have trends, fixed findings and reopened ones. Web App
 * Scanning accounts also get a web application scan.
 */
export async function seedDemoScans(
  db: Kysely<Database>,
  accounts: readonly { id: string; apps: readonly string[] }[],
  options: { today?: Date; seed?: number } = {},
): Promise<DemoScanSummary> {
  const today = options.today ?? new Date();
  const ctx = { db, log: pino({ level: 'silent' }) };
  const summary: DemoScanSummary = { accountCount: 0, scanCount: 0, findingCount: 0 };
  for (const [index, account] of accounts.entries()) {
    const series: { text: string; name: string }[] = [];
    // By position, not id: the same demo every time.
    const accountKey = `${options.seed ?? 7}:${index}`;
    const domain = `customer${index + 1}.example`;
    const hosts = demoHosts(accountKey, 8 + (index % 4) * 3, domain);
    if (account.apps.includes('vm')) {
      for (let scan = 0; scan < SCANS_PER_ACCOUNT; scan += 1) {
        const at = new Date(today.getTime() - (SCANS_PER_ACCOUNT - 1 - scan) * DAYS_BETWEEN_SCANS * 86_400_000 - 6 * 3_600_000);
        const name = `Weekly network scan ${at.toISOString().slice(0, 10)}`;
        series.push({ name, text: demoScanXml({ scanName: name, hosts, at, progress: scan / (SCANS_PER_ACCOUNT - 1), accountKey }) });
      }
    }
    if (account.apps.includes('was')) {
      const at = new Date(today.getTime() - 3 * 86_400_000);
      const name = 'Web application scan';
      series.push({ name, text: demoScanXml({ scanName: name, hosts, at, progress: 0, accountKey, webApp: `https://portal.${domain}/` }) });
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
