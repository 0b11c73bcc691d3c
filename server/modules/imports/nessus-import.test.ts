import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createAccount } from '../../test/factories.js';
import { createScanRecord, runImport } from './imports.service.js';
import { nessusImportEvents } from './nessus-source.js';

// Every real fixture through the whole import into a real database. Expected counts come from
// MANIFEST.tsv (hosts, compliance items) and from a plain regular-expression reading of the file
// in this test (distinct host x plugin x port x protocol), never from the parser or the importer.

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/real');

interface ManifestRow {
  file: string;
  hosts: number;
  items: number;
  compliance: number;
}

function manifest(): ManifestRow[] {
  const [header, ...lines] = fs.readFileSync(path.join(FIXTURES, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const columns = (header ?? '').split('\t');
  const at = (cells: string[], name: string) => cells[columns.indexOf(name)] ?? '';
  return lines
    .map((line) => line.split('\t'))
    .filter((cells) => at(cells, 'kind') === 'nessus')
    .map((cells) => ({
      file: at(cells, 'local_file'),
      hosts: Number(at(cells, 'report_hosts')),
      items: Number(at(cells, 'report_items')),
      compliance: Number(at(cells, 'compliance_items')),
    }));
}

/** Distinct (host, plugin, port, protocol) of the ReportItems that are not compliance checks. */
function distinctFindings(text: string): number {
  const keys = new Set<string>();
  const hostPattern = /<ReportHost\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/ReportHost>/g;
  for (const host of text.matchAll(hostPattern)) {
    const itemPattern = /<ReportItem\b([^>]*?)(\/>|>([\s\S]*?)<\/ReportItem>)/g;
    for (const item of (host[2] ?? '').matchAll(itemPattern)) {
      if ((item[3] ?? '').includes('<cm:compliance-')) continue;
      const attribute = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(item[1] ?? '')?.[1] ?? '';
      keys.add([host[1], attribute('pluginID'), attribute('port'), attribute('protocol').toLowerCase()].join('|'));
    }
  }
  return keys.size;
}

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

/** One fixture imported into a new instance. */
async function importFixture(file: string) {
  const account = await createAccount(t.ctx, { name: `Fixture ${path.basename(file).slice(0, 60)}` });
  const scanId = await createScanRecord(t.ctx, {
    accountId: account.id,
    name: path.basename(file),
    fileName: path.basename(file),
    fileSize: fs.statSync(file).size,
    storageKey: null,
    ownerUserId: null,
  });
  const outcome = await runImport(t.ctx, scanId, nessusImportEvents(fs.createReadStream(file)));
  return { account, outcome };
}

function findPlugin(accountId: string, pluginId: number) {
  return t.ctx.db
    .selectFrom('plugins')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', pluginId)
    .executeTakeFirstOrThrow();
}

describe('importing every real .nessus fixture', () => {
  for (const row of manifest()) {
    it(`${path.basename(row.file)}: lands whole with exactly its hosts, findings and compliance results, or is refused`, async () => {
      const file = path.join(FIXTURES, row.file);
      const { account, outcome } = await importFixture(file);
      const assets = await t.ctx.db.selectFrom('assets').select('id').where('account_id', '=', account.id).execute();
      const findings = await t.ctx.db.selectFrom('findings').select('id').where('account_id', '=', account.id).execute();
      const compliance = await t.ctx.db.selectFrom('compliance_results').select('id').where('account_id', '=', account.id).execute();
      if (outcome.status === 'failed') {
        // Refused: a message naming where reading stopped, and nothing of the file in the instance.
        expect(outcome.error).toMatch(/line \d+|empty|no hosts|not a \.nessus|larger than/i);
        expect([assets.length, findings.length, compliance.length]).toEqual([0, 0, 0]);
        expect(row.hosts, 'a file with hosts in the manifest must not be refused').toBe(0);
        return;
      }
      expect(outcome.status).toBe('completed');
      if (outcome.status !== 'completed') return;
      expect(outcome.hostCount).toBe(row.hosts);
      expect(compliance.length).toBe(row.compliance);
      expect(findings.length).toBe(distinctFindings(fs.readFileSync(file, 'utf8')));
      expect(assets.length).toBeLessThanOrEqual(row.hosts);
      if (row.hosts > 0) expect(assets.length).toBeGreaterThan(0);
      else expect(outcome.warnings.join(' ')).toMatch(/no hosts/i);
    });
  }
});

describe('plugin fields kept from a real .nessus file', () => {
  it('stores the YYYY/MM/DD dates, the version and the temporal CVSS scores and vectors', async () => {
    const { account, outcome } = await importFixture(path.join(FIXTURES, 'nessus/tenable__pyTenable__example.nessus'));
    expect(outcome.status).toBe('completed');
    // Plugin 105175 (Adobe Flash Player) as written in the file.
    const plugin = await findPlugin(account.id, 105175);
    expect([plugin.publication_date, plugin.modification_date].map(String)).toEqual(['2017-12-12', '2018-07-11']);
    expect(plugin.attributes).toMatchObject({
      script_version: '1.6',
      cvss_temporal_score: '3.7',
      cvss_temporal_vector: 'E:U/RL:OF/RC:C',
      cvss3_temporal_score: '4.6',
      cvss3_temporal_vector: 'E:U/RL:O/RC:C',
      patch_publication_date: '2017/12/12',
      vuln_publication_date: '2017/12/12',
    });
  });

  it('stores the exploitability ease', async () => {
    const { account, outcome } = await importFixture(
      path.join(FIXTURES, 'nessus/DefectDojo__django-DefectDojo__nessus_with_cvssv3.nessus'),
    );
    expect(outcome.status).toBe('completed');
    const plugin = await findPlugin(account.id, 17797);
    expect(plugin.attributes).toMatchObject({ exploitability_ease: 'No exploit is required', script_version: '1.8' });
  });
});
