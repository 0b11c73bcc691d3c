import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';
import type { DataStore } from '@tus/server';
import type { Config } from '../../config.js';
import { s3ClientSettings } from '../../storage/s3-storage.js';
import type { FileStorage } from '../../storage/storage.js';

/**
 * Where the resumable uploads' bytes live: the same place as every other file of Bulwark (the
 * local storage directory, or the S3 bucket), under support-uploads/. The tus data store's ids are
 * the FileStorage keys themselves ('support-uploads/<upload id>'), so a finished upload is already
 * where downloads read it (ctx.storage.get(storage_key)) and nothing is copied.
 */
export const STORAGE_PREFIX = 'support-uploads/';

export function storageKeyOf(uploadId: string): string {
  return `${STORAGE_PREFIX}${uploadId}`;
}

const stores = new WeakMap<Config['storage'], Promise<DataStore>>();

/**
 * The tus data store of this storage configuration (one per process, shared by the routes and the
 * sweeper). The S3 store (and the AWS SDK under it, ~25 MiB of memory) is loaded only when S3 is configured.
 */
export function uploadDataStoreFor(storage: Config['storage']): Promise<DataStore> {
  let store = stores.get(storage);
  if (!store) {
    store = createDataStore(storage);
    stores.set(storage, store);
  }
  return store;
}

async function createDataStore(storage: Config['storage']): Promise<DataStore> {
  const store =
    storage.kind === 'local'
      ? new FileStore({ directory: storage.directory })
      : new (await import('@tus/s3-store')).S3Store({
          partSize: 8 * 1024 * 1024,
          s3ClientConfig: { bucket: storage.bucket, ...s3ClientSettings(storage) },
        });
  withRunningHash(store);
  return store;
}

interface RunningHash {
  hash: crypto.Hash;
  /** The bytes hashed so far: the upload's offset when they were all written. */
  offset: number;
  touchedAt: number;
}

/** sha256 of each upload in progress on this node, fed by the bytes as they are written. */
const runningHashes = new Map<string, RunningHash>();
/** A running hash not fed for this long is dropped (its upload falls back to reading the stored file). */
const RUNNING_HASH_LIFETIME_MS = 24 * 3600_000;

/**
 * Hashes the bytes on their way into the store, so a finished upload needs no second read. The
 * hash is kept only while it covers exactly the bytes stored: a write that starts at another
 * offset than the hash reached (a PATCH on another node, a restart), or whose byte count differs
 * from what the store reports written, drops it, and finishing then reads the stored file instead.
 */
function withRunningHash(store: DataStore): void {
  const write = store.write.bind(store);
  store.write = async (readable: Readable, id: string, offset: number) => {
    let state = runningHashes.get(id);
    if (offset === 0) {
      state = { hash: crypto.createHash('sha256'), offset: 0, touchedAt: Date.now() };
      runningHashes.set(id, state);
    } else if (state && state.offset !== offset) {
      runningHashes.delete(id);
      state = undefined;
    }
    if (!state) return write(readable, id, offset);
    const hashing = state;
    let counted = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hashing.hash.update(chunk);
        counted += chunk.length;
        callback(null, chunk);
      },
    });
    readable.on('error', (error) => tap.destroy(error));
    try {
      const newOffset = await write(readable.pipe(tap), id, offset);
      if (counted === newOffset - offset) {
        hashing.offset = newOffset;
        hashing.touchedAt = Date.now();
      } else {
        runningHashes.delete(id);
      }
      return newOffset;
    } catch (error) {
      runningHashes.delete(id);
      throw error;
    }
  };
}

/** The sha256 of the whole upload when this node saw every byte of it; else null. Forgets it either way. */
export function takeRunningDigest(id: string, size: number): string | null {
  const state = runningHashes.get(id);
  runningHashes.delete(id);
  return state && state.offset === size ? state.hash.digest('hex') : null;
}

export function forgetRunningHash(id: string): void {
  runningHashes.delete(id);
}

/** Drops running hashes of uploads nobody wrote to for a day (their rows are swept by then). */
export function forgetStaleRunningHashes(now = Date.now()): void {
  for (const [id, state] of runningHashes) {
    if (now - state.touchedAt > RUNNING_HASH_LIFETIME_MS) runningHashes.delete(id);
  }
}

/** sha256 of a stored file, streamed. */
export async function hashStoredFile(storage: FileStorage, key: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  await pipeline(await storage.get(key), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) hash.update(chunk);
  });
  return hash.digest('hex');
}

/**
 * Removes an upload's bytes and tus's own bookkeeping (local: the file and its .json info file;
 * S3: the object, its .info and .part objects, and an unfinished multipart upload). Whatever is
 * already gone is no failure.
 */
export async function removeUploadBytes(storageSettings: Config['storage'], storage: FileStorage, key: string): Promise<void> {
  forgetRunningHash(key);
  if (storageSettings.kind === 'local') {
    const file = path.join(storageSettings.directory, key);
    await fsp.rm(file, { force: true });
    await fsp.rm(`${file}.json`, { force: true });
    return;
  }
  await (await uploadDataStoreFor(storageSettings)).remove(key).catch(() => undefined);
  for (const leftover of [key, `${key}.info`, `${key}.part`]) await storage.delete(leftover).catch(() => undefined);
}
