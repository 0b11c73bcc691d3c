import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { createLocalStorage } from './local-storage.js';
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
