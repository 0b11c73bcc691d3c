import type { Readable } from 'node:stream';
import type { Config } from '../config.js';
import { createLocalStorage } from './local-storage.js';
import { createS3Storage } from './s3-storage.js';

export interface StoredObject {
  key: string;
  size: number;
}

/**
 * Every file Bulwark keeps goes through this: streams in, streams out, never a whole file in
 * memory. Keys are relative paths of [a-z0-9._-] segments separated by '/'.
 */
export interface FileStorage {
  readonly kind: 'local' | 's3';
  put(key: string, body: Readable): Promise<StoredObject>;
  get(key: string): Promise<Readable>;
  stat(key: string): Promise<StoredObject | null>;
  delete(key: string): Promise<void>;
}

const KEY_PATTERN = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/i;

/** Refuses keys that could escape the storage root ('..', absolute paths, odd characters). */
export function assertValidKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.split('/').some((segment) => segment === '..' || segment === '.') || key.length > 512) {
    throw new Error(`Invalid storage key: ${JSON.stringify(key)}`);
  }
}

export class StoredObjectNotFoundError extends Error {
  constructor(key: string) {
    super(`No stored object at ${key}`);
  }
}

export function createFileStorage(storage: Config['storage']): FileStorage {
  return storage.kind === 's3' ? createS3Storage(storage) : createLocalStorage(storage.directory);
}
