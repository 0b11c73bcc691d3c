import type { ServiceContext } from '../../lib/context.js';
import type { StagedHost, StagedItem, StagedPlugin } from './import-records.js';
import { itemCopyLine, openItemsCopy, stageHosts, stageItems, stagePlugins, type ItemsCopy } from './imports.repository.js';

/** Rows staged per statement while reading: small transactions, so other requests interleave. */
const STAGE_BATCH = 500;
/** …and at most about this much text, so a batch of huge plugin outputs stays small in memory. */
const STAGE_BATCH_BYTES = 4 * 1024 * 1024;
/** COPY data handed to the connection at once: large enough to be cheap, small enough to stay bounded. */
const COPY_CHUNK_CHARACTERS = 256 * 1024;

/**
 * Where an import puts the file's records while it reads them (the staging tables), with the
 * reading and the writing overlapping but bounded: at most one batch is written while the next
 * is read, and on PostgreSQL the items stream through one COPY that holds the reading back only
 * when PostgreSQL is behind.
 */
export interface ImportStaging {
  addHost(index: number, host: StagedHost): Promise<void>;
  addPlugin(plugin: StagedPlugin): Promise<void>;
  addItem(hostIndex: number, itemIndex: number, item: StagedItem): Promise<void>;
  /** Starts writing what is pending unless a write is still in flight (then it waits for a later call). */
  flushIfIdle(): void;
  /** Resolves when every record added is staged and committed. */
  finish(): Promise<void>;
  /** After a failure: waits for the write in flight and abandons the rest. */
  abort(): Promise<void>;
}

/** COPY on PostgreSQL (a connection of its own); multi-row inserts on PGlite, which has no second connection. */
export async function openImportStaging(
  ctx: Pick<ServiceContext, 'db'> & Partial<Pick<ServiceContext, 'config'>>,
  scanId: string,
): Promise<ImportStaging> {
  const database = ctx.config?.database;
  const copy = database?.kind === 'postgres' ? await openItemsCopy(database.url) : null;
  let hosts: { index: number; host: StagedHost }[] = [];
  let items: { hostIndex: number; itemIndex: number; item: StagedItem }[] = [];
  let plugins: StagedPlugin[] = [];
  let pendingBytes = 0;
  let copyLines = '';
  let writing: Promise<void> = Promise.resolve();
  let writesQueued = 0;

  const flush = async () => {
    const batch = { hosts, items, plugins };
    hosts = [];
    items = [];
    plugins = [];
    pendingBytes = 0;
    if (batch.hosts.length + batch.items.length + batch.plugins.length === 0) return writing;
    const previous = writing;
    writesQueued += 1;
    writing = (async () => {
      try {
        await previous;
        await stageHosts(ctx.db, scanId, batch.hosts);
        await stagePlugins(ctx.db, scanId, batch.plugins);
        await stageItems(ctx.db, scanId, batch.items);
      } finally {
        writesQueued -= 1;
      }
    })();
    // A failed write must stop the import at the next batch, through `previous` or finish().
    writing.catch(() => {});
    // The reading goes on while this batch is written, but not while an earlier one still is.
    await previous;
  };
  const flushWhenFull = () =>
    hosts.length >= STAGE_BATCH || items.length >= STAGE_BATCH || plugins.length >= STAGE_BATCH || pendingBytes >= STAGE_BATCH_BYTES
      ? flush()
      : Promise.resolve();
  const sendCopyLines = async (itemsCopy: ItemsCopy) => {
    const lines = copyLines;
    copyLines = '';
    if (lines) await itemsCopy.write(lines);
  };

  return {
    addHost(index, host) {
      hosts.push({ index, host });
      return flushWhenFull();
    },
    addPlugin(plugin) {
      plugins.push(plugin);
      return flushWhenFull();
    },
    async addItem(hostIndex, itemIndex, item) {
      if (!copy) {
        items.push({ hostIndex, itemIndex, item });
        pendingBytes += (item.output?.length ?? 0) + (item.compliance ? JSON.stringify(item.compliance).length : 0);
        return flushWhenFull();
      }
      copyLines += itemCopyLine(scanId, hostIndex, itemIndex, item);
      if (copyLines.length >= COPY_CHUNK_CHARACTERS) await sendCopyLines(copy);
    },
    flushIfIdle() {
      // A failed write is reported by the next addition or by finish.
      if (writesQueued === 0) flush().catch(() => {});
    },
    async finish() {
      await flush();
      await writing;
      if (copy) {
        await sendCopyLines(copy);
        await copy.end();
      }
    },
    async abort() {
      await writing.catch(() => {});
      await copy?.abort();
    },
  };
}
