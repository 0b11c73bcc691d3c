import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertValidKey, StoredObjectNotFoundError, type FileStorage } from './storage.js';

/** Files under one directory. Writes go to a temporary file first, so a failed upload leaves nothing. */
export function createLocalStorage(root: string): FileStorage {
  const resolve = (key: string) => {
    assertValidKey(key);
    return path.join(root, key);
  };
  return {
    kind: 'local',
    async put(key, body: Readable) {
      const target = resolve(key);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      const temporary = `${target}.${crypto.randomBytes(6).toString('hex')}.partial`;
      // Open (create) the file before streaming: a stream that opens lazily could create it after the
      // clean-up below had already run, when the body fails before the open completes.
      const handle = await fsp.open(temporary, 'wx', 0o600);
      try {
        await pipeline(body, handle.createWriteStream());
        await fsp.rename(temporary, target);
      } catch (error) {
        await handle.close().catch(() => undefined);
        await fsp.rm(temporary, { force: true });
        throw error;
      }
      const { size } = await fsp.stat(target);
      return { key, size };
    },
    async get(key) {
      const target = resolve(key);
      try {
        await fsp.access(target);
      } catch {
        throw new StoredObjectNotFoundError(key);
      }
      return fs.createReadStream(target);
    },
    async stat(key) {
      try {
        const { size } = await fsp.stat(resolve(key));
        return { key, size };
      } catch {
        return null;
      }
    },
    async delete(key) {
      await fsp.rm(resolve(key), { force: true });
    },
  };
}
