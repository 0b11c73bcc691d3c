import type { ServiceContext } from '../../lib/context.js';
import { recordAudit } from '../audit/audit.service.js';
import { applyStagedImport } from './apply-import.js';
import type { PluginSelection } from './finding-state.js';
import type { ImportEvent } from './import-records.js';
import { openImportStaging, type ImportStaging } from './import-staging.js';
import {
  applyPlugins,
  bumpAccountDirectoryVersion,
  deleteStaging,
  lockInstanceForImport,
  preferFastCompression,
} from './imports.repository.js';

/** A running import that has not reported progress for this long is taken as dead (its process crashed). */
export const IMPORT_HEARTBEAT_TIMEOUT_MS = 2 * 60_000;
/** How often a running import says it is alive, also while its data is being applied. */
const HEARTBEAT_INTERVAL_MS = 30_000;

export type ImportOutcome =
  | { status: 'completed'; scanId: string; hostCount: number; findingCount: number; complianceCount: number; warnings: string[] }
  | { status: 'duplicate'; scanId: string; duplicateOf: string }
  | { status: 'failed'; scanId: string; error: string };

/** A new scan record for an import about to run; the file is already stored under storageKey (or null). */
export async function createScanRecord(
  ctx: Pick<ServiceContext, 'db'>,
  input: {
    accountId: string;
    name: string;
    fileName: string | null;
    fileSize: number | null;
    storageKey: string | null;
    ownerUserId: string | null;
  },
): Promise<string> {
  const row = await ctx.db
    .insertInto('scans')
    .values({
      account_id: input.accountId,
      name: input.name,
      file_name: input.fileName,
      file_size: input.fileSize,
      storage_key: input.storageKey,
      owner_user_id: input.ownerUserId,
      warnings: '[]',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Runs one import: stages the file's records as they are read (import-staging.ts: short batches,
 * and on PostgreSQL one COPY of the items), then applies them in one transaction
 * (apply-import.ts). Either the whole scan lands with status 'completed', or nothing but the
 * failed scan record remains. The same content imported again
 * into the same instance ends as 'duplicate' and changes nothing.
 */
export async function runImport(
  ctx: Pick<ServiceContext, 'db' | 'log'> & Partial<ServiceContext>,
  scanId: string,
  events: AsyncIterable<ImportEvent>,
): Promise<ImportOutcome> {
  const scan = await ctx.db
    .selectFrom('scans')
    .select(['id', 'account_id', 'name', 'owner_user_id'])
    .where('id', '=', scanId)
    .executeTakeFirstOrThrow();
  await ctx.db
    .updateTable('scans')
    .set({ status: 'running', started_at: new Date(), heartbeat_at: new Date(), error: null })
    .where('id', '=', scanId)
    .execute();
  let staging: ImportStaging | null = null;
  const seenPlugins = new Set<number>();
  const startedAt = Date.now();
  const itemCounters = new Map<number, number>();
  let hostCount = 0;
  let scanName: string | null = null;
  let policyName: string | null = null;
  let pluginSelection: PluginSelection | null = null;
  let fingerprint: string | null = null;
  let warnings: string[] = [];
  // Alive while applying too (PostgreSQL: through another pooled connection than the import's).
  const heartbeat = setInterval(() => {
    ctx.db
      .updateTable('scans')
      .set({ heartbeat_at: new Date() })
      .where('id', '=', scanId)
      .where('status', '=', 'running')
      .execute()
      .catch(() => {});
  }, HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();
  const progress = progressReporter(ctx, scanId);

  try {
    staging = await openImportStaging(ctx, scanId);
    for await (const event of events) {
      switch (event.type) {
        case 'scan':
          scanName = event.scan.name;
          policyName = event.scan.policyName;
          pluginSelection = event.scan.pluginSelection;
          break;
        case 'host':
          await staging.addHost(event.index, event.host);
          hostCount = Math.max(hostCount, event.index + 1);
          break;
        case 'plugin':
          if (!seenPlugins.has(event.plugin.id)) {
            seenPlugins.add(event.plugin.id);
            await staging.addPlugin(event.plugin);
          }
          break;
        case 'item': {
          const itemIndex = itemCounters.get(event.hostIndex) ?? 0;
          itemCounters.set(event.hostIndex, itemIndex + 1);
          await staging.addItem(event.hostIndex, itemIndex, event.item);
          break;
        }
        case 'progress':
          staging.flushIfIdle();
          progress.report(event.bytesRead);
          break;
        case 'end':
          fingerprint = event.fingerprint;
          warnings = event.warnings;
          break;
      }
    }
    await staging.finish();
    await progress.settled();
    const stagedAt = Date.now();
    if (!fingerprint) throw new Error('The scan file ended before its end was read.');
    const finalFingerprint = fingerprint;

    const outcome = await ctx.db.transaction().execute(async (trx): Promise<ImportOutcome> => {
      await lockInstanceForImport(trx, scan.account_id);
      const duplicate = await trx
        .selectFrom('scans')
        .select('id')
        .where('account_id', '=', scan.account_id)
        .where('fingerprint', '=', finalFingerprint)
        .where('status', '=', 'completed')
        .executeTakeFirst();
      if (duplicate) {
        await trx
          .updateTable('scans')
          .set({
            status: 'duplicate',
            duplicate_of_scan_id: duplicate.id,
            fingerprint: finalFingerprint,
            finished_at: new Date(),
            name: scanName ?? scan.name,
            // A duplicate's file is not kept: the caller deletes it.
            storage_key: null,
          })
          .where('id', '=', scanId)
          .execute();
        await deleteStaging(trx, scanId);
        return { status: 'duplicate', scanId, duplicateOf: duplicate.id };
      }
      await preferFastCompression(trx);
      await applyPlugins(trx, scanId, scan.account_id);
      const totals = await applyStagedImport(trx, {
        id: scanId,
        accountId: scan.account_id,
        hostCount,
        pluginSelection,
        fallbackTime: new Date(),
      });
      if (hostCount === 0) warnings = [...warnings, 'The file holds no hosts (a policy-only export?): imported as an empty scan.'];
      await trx
        .updateTable('scans')
        .set({
          status: 'completed',
          name: scanName || scan.name,
          policy_name: policyName,
          fingerprint: finalFingerprint,
          host_count: totals.hostCount,
          finding_count: totals.findingCount,
          compliance_count: totals.complianceCount,
          info_count: totals.bySeverity[0],
          low_count: totals.bySeverity[1],
          medium_count: totals.bySeverity[2],
          high_count: totals.bySeverity[3],
          critical_count: totals.bySeverity[4],
          scan_started_at: totals.scanStartedAt,
          scan_ended_at: totals.scanEndedAt,
          warnings: JSON.stringify(warnings),
          finished_at: new Date(),
        })
        .where('id', '=', scanId)
        .execute();
      await deleteStaging(trx, scanId);
      await bumpAccountDirectoryVersion(trx);
      return {
        status: 'completed',
        scanId,
        hostCount: totals.hostCount,
        findingCount: totals.findingCount,
        complianceCount: totals.complianceCount,
        warnings,
      };
    });
    ctx.log.debug({ scanId, readAndStagedMs: stagedAt - startedAt, appliedMs: Date.now() - stagedAt }, 'import phases');
    if (ctx.config && ctx.mailer && ctx.storage) {
      await recordAudit(ctx as ServiceContext, {
        action: 'scan.import_finished',
        targetType: 'scan',
        targetId: scanId,
        accountId: scan.account_id,
        details:
          outcome.status === 'completed'
            ? { hosts: outcome.hostCount, findings: outcome.findingCount, warnings: outcome.warnings }
            : { duplicateOf: outcome.status === 'duplicate' ? outcome.duplicateOf : null },
      });
    }
    return outcome;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await staging?.abort();
    await deleteStaging(ctx.db, scanId);
    await ctx.db
      .updateTable('scans')
      // A refused file is not kept: the caller deletes it.
      .set({ status: 'failed', error: message.slice(0, 2000), finished_at: new Date(), storage_key: null })
      .where('id', '=', scanId)
      .execute();
    if (ctx.config && ctx.mailer && ctx.storage) {
      await recordAudit(ctx as ServiceContext, {
        action: 'scan.import_refused',
        outcome: 'failure',
        targetType: 'scan',
        targetId: scanId,
        accountId: scan.account_id,
        details: { error: message.slice(0, 500) },
      });
    }
    return { status: 'failed', scanId, error: message };
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Records how far the reading got (and that the import is alive) without holding the reading
 * back: one update at a time; counts arriving meanwhile are skipped, the next one covers them.
 * A failed update is not fatal: a broken database fails the staging itself.
 */
function progressReporter(ctx: Pick<ServiceContext, 'db'>, scanId: string) {
  let inFlight: Promise<void> | null = null;
  return {
    report(bytesRead: number) {
      if (inFlight) return;
      inFlight = ctx.db
        .updateTable('scans')
        .set({ bytes_read: bytesRead, heartbeat_at: new Date() })
        .where('id', '=', scanId)
        .execute()
        .then(
          () => {},
          () => {},
        )
        .finally(() => {
          inFlight = null;
        });
    },
    settled: () => inFlight ?? Promise.resolve(),
  };
}

/**
 * Imports whose process died half-way (still 'running' with a heartbeat older than
 * IMPORT_HEARTBEAT_TIMEOUT_MS) are marked failed, their staged rows deleted and, when a file
 * storage is given, their uploaded file too. Their scans never reached the instance's tables.
 * Run at a node's start-up and every minute by the import worker.
 */
export async function failAbandonedImports(
  ctx: Pick<ServiceContext, 'db'> & Partial<Pick<ServiceContext, 'storage'>>,
  now = new Date(),
): Promise<number> {
  const stale = await ctx.db
    .selectFrom('scans')
    .select(['id', 'storage_key'])
    .where('status', '=', 'running')
    .where((eb) => eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', new Date(now.getTime() - IMPORT_HEARTBEAT_TIMEOUT_MS))]))
    .execute();
  for (const { id, storage_key: storageKey } of stale) {
    await deleteStaging(ctx.db, id);
    await ctx.db
      .updateTable('scans')
      .set({
        status: 'failed',
        error: 'The import stopped before it finished (the server was restarted or crashed). Import the file again.',
        finished_at: now,
        storage_key: null,
      })
      .where('id', '=', id)
      .execute();
    if (storageKey && ctx.storage) await ctx.storage.delete(storageKey);
  }
  return stale.length;
}
