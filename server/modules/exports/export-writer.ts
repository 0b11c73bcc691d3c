import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { RawBuilder } from 'kysely';
import type { AppServices } from '../../lib/context.js';
import { allOf, assetConditions, complianceConditions, vulnConditions, type NormalisedFilters } from './export-filters.js';
import {
  assetV1Record,
  assetV2Record,
  complianceRecord,
  findingAssetJson,
  findingHead,
  findingTail,
  pluginJson,
} from './export-records.js';
import {
  claimExportJob,
  endExportJob,
  insertChunk,
  selectAssetPage,
  selectComplianceBatch,
  selectFindingBatch,
  selectPlugins,
  touchExportJob,
  type ComplianceKey,
  type ExportJobRow,
  type FindingKey,
} from './exports.repository.js';

/**
 * Writes an export's chunks: rows are read in batches (keyset pagination, exports.repository.ts)
 * and streamed into one JSON array file per chunk in the file storage; each chunk is listed (and
 * downloadable) as soon as it is complete. Memory holds one batch, the current asset and the
 * plugin texts of the export (bounded), never a chunk or the export.
 */

const ROW_BATCH = 500;
const ASSET_PAGE = 500;
/** Plugin texts kept per export; an instance with more plugins than this rebuilds some. */
const PLUGIN_CACHE_LIMIT = 20_000;
const COMMA = Buffer.from(',');

class ExportCancelled extends Error {}

export function chunkStorageKey(exportId: string, chunkNumber: number): string {
  return `exports/${exportId}/${chunkNumber}.json`;
}

/** Chunks of one export: opens chunk files on demand, closes and lists each one when full. */
class ChunkSink {
  private stream: PassThrough | null = null;
  private stored: Promise<{ size: number }> | null = null;
  private rows = 0;
  private chunkNumber = 0;

  constructor(
    private readonly services: AppServices,
    private readonly exportId: string,
  ) {}

  get rowsInChunk(): number {
    return this.rows;
  }

  /**
   * Appends one record, given as parts that make its JSON text, opening a chunk if needed. Parts
   * shared by many records (an asset's and a plugin's JSON) are Buffers encoded once; the rest are
   * written as they are. Nothing is concatenated here: a big text per record or per batch would
   * outlive V8's young-generation collections and grow the process by hundreds of MB.
   */
  async writeRecord(parts: (string | Buffer)[]): Promise<void> {
    if (!this.stream) this.open();
    const stream = this.stream as PassThrough;
    let isWritable = this.rows === 0 || stream.write(COMMA);
    for (const part of parts) isWritable = stream.write(part);
    this.rows += 1;
    // A failed upload ends the wait too (it rejects `stored`), rather than waiting for a drain that never comes.
    if (!isWritable) await Promise.race([once(stream, 'drain'), this.stored]);
  }

  private open(): void {
    this.chunkNumber += 1;
    this.rows = 0;
    this.stream = new PassThrough({ highWaterMark: 1024 * 1024 });
    this.stream.write('[');
    this.stored = this.services.storage.put(chunkStorageKey(this.exportId, this.chunkNumber), this.stream);
    // Observed here so a failed upload is never an unhandled rejection; writeRecord() and close() await it.
    this.stored.catch(() => undefined);
  }

  /** Ends the current chunk, lists it, and stops if the export was cancelled meanwhile. */
  async close(): Promise<void> {
    if (!this.stream || !this.stored) return;
    this.stream.end(']');
    const { size } = await this.stored;
    const key = chunkStorageKey(this.exportId, this.chunkNumber);
    this.stream = null;
    this.stored = null;
    await insertChunk(this.services.db, {
      exportId: this.exportId,
      chunkNumber: this.chunkNumber,
      storageKey: key,
      rowCount: this.rows,
      byteSize: size,
    });
    if ((await touchExportJob(this.services.db, this.exportId)) === 'CANCELLED') throw new ExportCancelled();
  }

  /** Drops a half-written chunk after a failure. */
  async abandon(): Promise<void> {
    if (!this.stream || !this.stored) return;
    this.stream.destroy();
    await this.stored.catch(() => undefined);
    await this.services.storage.delete(chunkStorageKey(this.exportId, this.chunkNumber));
  }
}

/**
 * The instance's assets that pass the conditions, by id, a page at a time. Each page also marks
 * the job alive (the sweeper ends silent ones) and stops the writing once the job was cancelled.
 */
async function* matchingAssets(services: AppServices, job: ExportJobRow, conditions: RawBuilder<unknown>) {
  let afterId: string | null = null;
  for (;;) {
    if ((await touchExportJob(services.db, job.id)) === 'CANCELLED') throw new ExportCancelled();
    const page = await selectAssetPage(services.db, job.type, job.account_id, conditions, afterId, ASSET_PAGE);
    yield* page.filter((asset) => asset.matches);
    if (page.length < ASSET_PAGE) return;
    afterId = page[page.length - 1]?.id ?? null;
  }
}

/** Plugin JSON by id (encoded once per export), loaded for each batch's missing ids. */
function pluginTexts(services: AppServices, accountId: string) {
  const cache = new Map<number, Buffer>();
  return async (ids: number[]): Promise<Map<number, Buffer>> => {
    const missing = [...new Set(ids)].filter((id) => !cache.has(id));
    if (cache.size + missing.length > PLUGIN_CACHE_LIMIT) cache.clear();
    for (const plugin of await selectPlugins(services.db, accountId, cache.size === 0 ? [...new Set(ids)] : missing)) {
      cache.set(plugin.id, Buffer.from(pluginJson(plugin)));
    }
    return cache;
  };
}

/** Vulns: chunks of num_assets assets' findings; an asset's findings never straddle two chunks. */
async function writeVulns(services: AppServices, job: ExportJobRow, filters: NormalisedFilters, sink: ChunkSink): Promise<void> {
  const conditions = allOf(vulnConditions(filters));
  const pluginsOf = pluginTexts(services, job.account_id);
  let assetsInChunk = 0;
  for await (const asset of matchingAssets(services, job, conditions)) {
    if (assetsInChunk === job.chunk_size) {
      await sink.close();
      assetsInChunk = 0;
    }
    const head = Buffer.from(findingHead(findingAssetJson(asset)));
    let after: FindingKey | null = null;
    for (;;) {
      const batch = await selectFindingBatch(services.db, { id: asset.id, accountId: job.account_id }, conditions, after, ROW_BATCH);
      const plugins = await pluginsOf(batch.map((row) => row.plugin_id));
      for (const row of batch) {
        const plugin = plugins.get(row.plugin_id) ?? Buffer.from(`{"id":${row.plugin_id}}`);
        await sink.writeRecord([head, plugin, COMMA, findingTail(row.body)]);
      }
      if (batch.length < ROW_BATCH) break;
      after = batch[batch.length - 1] ?? null;
    }
    assetsInChunk += 1;
  }
}

/** Assets: chunk_size assets per chunk, v1 (flat) or v2 (nested) records. */
async function writeAssets(services: AppServices, job: ExportJobRow, filters: NormalisedFilters, sink: ChunkSink): Promise<void> {
  const conditions = allOf(assetConditions(filters));
  const present = job.format === 'v2' ? assetV2Record : assetV1Record;
  for await (const asset of matchingAssets(services, job, conditions)) {
    if (sink.rowsInChunk === job.chunk_size) await sink.close();
    await sink.writeRecord([JSON.stringify(present(asset))]);
  }
}

/** Compliance: num_findings results per chunk. */
async function writeCompliance(services: AppServices, job: ExportJobRow, filters: NormalisedFilters, sink: ChunkSink): Promise<void> {
  const conditions = allOf(complianceConditions(filters));
  for await (const asset of matchingAssets(services, job, conditions)) {
    let after: ComplianceKey | null = null;
    for (;;) {
      const batch = await selectComplianceBatch(services.db, { id: asset.id, accountId: job.account_id }, conditions, after, ROW_BATCH);
      for (const row of batch) {
        if (sink.rowsInChunk === job.chunk_size) await sink.close();
        await sink.writeRecord([JSON.stringify(complianceRecord(row))]);
      }
      if (batch.length < ROW_BATCH) break;
      after = batch[batch.length - 1] ?? null;
    }
  }
}

/** When an export's chunks stop being downloadable. */
export function chunkExpiry(services: Pick<AppServices, 'config'>, from = new Date()): Date {
  return new Date(from.getTime() + services.config.exports.chunkTtlHours * 60 * 60 * 1000);
}

/**
 * Runs a queued export to its end (FINISHED, or ERROR with a reason); does nothing when another
 * process took it first. A cancel is seen between chunks and stops the writing.
 */
export async function runExportJob(services: AppServices, exportId: string): Promise<void> {
  const job = await claimExportJob(services.db, exportId);
  if (!job) return;
  const sink = new ChunkSink(services, job.id);
  const filters = job.filters as NormalisedFilters;
  try {
    if (job.type === 'vulns') await writeVulns(services, job, filters, sink);
    else if (job.type === 'assets') await writeAssets(services, job, filters, sink);
    else await writeCompliance(services, job, filters, sink);
    await sink.close();
    await endExportJob(services.db, job.id, 'FINISHED', chunkExpiry(services));
  } catch (error) {
    await sink.abandon();
    if (error instanceof ExportCancelled) return;
    services.log.error({ err: error, exportId }, 'export failed');
    await endExportJob(services.db, job.id, 'ERROR', chunkExpiry(services), 'The export could not be written; create it again.');
  }
}
