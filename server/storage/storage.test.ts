import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStorage } from './local-storage.js';
import { createS3Storage } from './s3-storage.js';
import { StoredObjectNotFoundError } from './storage.js';

describe('local file storage', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-storage-'));
  const storage = createLocalStorage(root);

  it('streams a file in and out', async () => {
    const chunks = Array.from({ length: 64 }, (_, index) => `chunk ${index}\n`);
    const stored = await storage.put('scans/2026/report.nessus', Readable.from(chunks));
    expect(stored.size).toBe(chunks.join('').length);
    expect(await text(await storage.get('scans/2026/report.nessus'))).toBe(chunks.join(''));
    expect(await storage.stat('scans/2026/report.nessus')).toEqual(stored);
    await storage.delete('scans/2026/report.nessus');
    expect(await storage.stat('scans/2026/report.nessus')).toBeNull();
    await expect(storage.get('scans/2026/report.nessus')).rejects.toBeInstanceOf(StoredObjectNotFoundError);
  });

  it('leaves nothing behind when the incoming stream fails', async () => {
    const failing = new Readable({
      read() {
        this.push('partial data');
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(storage.put('uploads/broken.bin', failing)).rejects.toThrow('connection reset');
    expect(fs.readdirSync(path.join(root, 'uploads'))).toEqual([]);
  });

  it('refuses keys that could escape the storage root', async () => {
    for (const key of ['../etc/passwd', '/abs', 'a/../../b', 'a//b', 'a/./b', 'spaces are bad']) {
      await expect(storage.put(key, Readable.from(['x'])), key).rejects.toThrow(/Invalid storage key/);
    }
  });
});

describe('S3-compatible storage (against s3rver on loopback)', () => {
  let server: { run(): Promise<{ port: number }>; close(): Promise<void> };
  let storage: ReturnType<typeof createS3Storage>;

  beforeAll(async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-s3-'));
    const { default: S3rver } = await import('s3rver');
    server = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory,
      configureBuckets: [{ name: 'bulwark-files', configs: [] }],
    });
    const { port } = await server.run();
    storage = createS3Storage({
      kind: 's3',
      bucket: 'bulwark-files',
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    });
  });
  afterAll(() => server.close());

  it('streams a multipart upload in and the object out', async () => {
    const part = 'x'.repeat(1024 * 1024);
    const parts = Array.from({ length: 6 }, () => part);
    const stored = await storage.put('exports/chunk-1.json', Readable.from(parts));
    expect(stored.size).toBe(6 * part.length);
    const body = await text(await storage.get('exports/chunk-1.json'));
    expect(body.length).toBe(6 * part.length);
    await storage.delete('exports/chunk-1.json');
    expect(await storage.stat('exports/chunk-1.json')).toBeNull();
    await expect(storage.get('exports/chunk-1.json')).rejects.toBeInstanceOf(StoredObjectNotFoundError);
  });
});
