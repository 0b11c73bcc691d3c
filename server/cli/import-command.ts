import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { AppError } from '../lib/app-error.js';
import type { ServiceContext } from '../lib/context.js';
import { findAccountByIdOrName } from '../modules/accounts/accounts.repository.js';
import { recordAudit } from '../modules/audit/audit.service.js';
import type { ImportEvent } from '../modules/imports/import-records.js';
import { createScanRecord, runImport } from '../modules/imports/imports.service.js';
import { nessusImportEvents } from '../modules/imports/nessus-source.js';

const MB = 1024 * 1024;

/** Passes events through, moving the progress bar on each progress event. */
async function* withProgress(events: AsyncIterable<ImportEvent>, onBytes: (bytes: number) => void): AsyncGenerator<ImportEvent> {
  for await (const event of events) {
    if (event.type === 'progress') onBytes(event.bytesRead);
    yield event;
  }
}

/**
 * `npm run cli -- import --account <uuid or name> FILE…`: imports .nessus files into an account's
 * instance in this process (no queue), each all or nothing, with a progress bar per file and a
 * summary at the end. Exits non-zero when any file was refused.
 */
export const IMPORT_COMMAND = {
  summary: "Import .nessus files into a customer account's instance, with progress and a summary",
  usage: 'import --account UUID-or-NAME FILE...',
  options: { account: { type: 'string' as const, description: 'the customer account (its UUID or exact name)' } },
  positionals: 'FILE...      one or more .nessus files',
  async run(ctx: ServiceContext, values: Record<string, string | boolean | undefined>, files: string[]) {
    const accountRef = typeof values.account === 'string' ? values.account.trim() : '';
    if (!accountRef) throw new AppError('validation_failed', 'Name the account with --account UUID-or-NAME.');
    if (files.length === 0) throw new AppError('validation_failed', 'Name at least one .nessus file to import.');
    const accounts = await findAccountByIdOrName(ctx.db, accountRef);
    if (accounts.length === 0) throw new AppError('not_found', `No customer account ${accountRef}.`);
    if (accounts.length > 1) throw new AppError('conflict', `Several accounts are named ${accountRef}; use the account's UUID.`);
    const account = accounts[0] as (typeof accounts)[number];
    if (!account.is_active) throw new AppError('forbidden', `${account.name} is deactivated: nothing can be imported into it.`);

    const isTerminal = process.stdout.isTTY === true;
    const results: { file: string; line: string; ok: boolean }[] = [];
    for (const file of files) {
      const name = path.basename(file);
      let size: number;
      try {
        const stat = fs.statSync(file);
        if (!stat.isFile()) throw new Error('not a file');
        size = stat.size;
      } catch {
        results.push({ file: name, ok: false, line: `refused: cannot read ${file}` });
        continue;
      }
      const scanId = await createScanRecord(ctx, {
        accountId: account.id,
        name,
        fileName: name,
        fileSize: size,
        storageKey: null,
        ownerUserId: null,
      });
      await recordAudit(ctx, {
        action: 'scan.import_started',
        actor: { userId: null, username: 'cli' },
        targetType: 'scan',
        targetId: scanId,
        accountId: account.id,
        details: { fileName: name, sizeBytes: size },
      });
      const bar = new cliProgress.SingleBar(
        {
          format: `${name.slice(0, 40).padEnd(40)} [{bar}] {percentage}% | {value}/{total} MB | {speed} MB/s`,
          noTTYOutput: !isTerminal,
          notTTYSchedule: 5000,
        },
        cliProgress.Presets.shades_classic,
      );
      const started = Date.now();
      bar.start(Math.max(1, Math.round(size / MB)), 0, { speed: '0.0' });
      const outcome = await runImport(
        ctx,
        scanId,
        withProgress(
          nessusImportEvents(fs.createReadStream(file, { highWaterMark: 256 * 1024 }), { maxBytes: ctx.config.imports.maxBytes }),
          (bytes) => {
            const seconds = Math.max(0.001, (Date.now() - started) / 1000);
            bar.update(Math.round(bytes / MB), { speed: (bytes / MB / seconds).toFixed(1) });
          },
        ),
      );
      bar.update(Math.max(1, Math.round(size / MB)));
      bar.stop();
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (outcome.status === 'completed') {
        const warnings = outcome.warnings.length > 0 ? ` (warnings: ${outcome.warnings.join('; ')})` : '';
        results.push({
          file: name,
          ok: true,
          line: `imported: ${outcome.hostCount} hosts, ${outcome.findingCount} findings, ${outcome.complianceCount} compliance results in ${seconds} s${warnings}`,
        });
      } else if (outcome.status === 'duplicate') {
        results.push({ file: name, ok: true, line: `unchanged: the same scan was already imported (scan ${outcome.duplicateOf})` });
      } else {
        results.push({ file: name, ok: false, line: `refused: ${outcome.error}` });
      }
    }
    console.log(`\nImported into ${account.custom_name ?? account.name} (${account.id}):`);
    for (const result of results) console.log(`  ${result.ok ? '✓' : '✗'} ${result.file}: ${result.line}`);
    const refused = results.filter((result) => !result.ok).length;
    console.log(`${results.length - refused} of ${results.length} file(s) imported or already present; ${refused} refused.`);
    if (refused > 0) throw new AppError('validation_failed', `${refused} file(s) refused.`);
  },
};
