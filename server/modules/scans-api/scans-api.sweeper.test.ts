import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createInstanceCaller, importFixture, type InstanceCaller } from '../../test/instance-api.js';
import { insertExport, insertUpload, markExportReady } from './scans-api.repository.js';
import { sweepScanFiles } from './scans-api.sweeper.js';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const HOUR_MS = 3600_000;

async function storeFile(key: string): Promise<void> {
  await t.ctx.storage.put(key, Readable.from([Buffer.from('<NessusClientData_v2/>')]));
}

/** An upload stored as POST /file/upload stores it, made `ageHours` old. */
async function createUpload(
  caller: InstanceCaller,
  name: string,
  ageHours: number,
  storageKey = `scan-uploads/${caller.accountId}/${name}`,
) {
  await storeFile(storageKey);
  await insertUpload(t.ctx.db, { accountId: caller.accountId, name, storageKey, sizeBytes: 22, uploadedBy: caller.userId });
  await t.ctx.db
    .updateTable('scan_uploads')
    .set({ created_at: new Date(Date.now() - ageHours * HOUR_MS) })
    .where('account_id', '=', caller.accountId)
    .where('name', '=', name)
    .execute();
  return storageKey;
}

/** A workbench export through the API; its storage key. */
async function exportWorkbench(caller: InstanceCaller): Promise<{ number: number; key: string }> {
  const response = await t.app.inject({
    method: 'GET',
    url: '/workbenches/export?format=nessus&report=vulnerabilities&chapter=vuln_by_asset',
    headers: caller.headers,
  });
  expect(response.statusCode).toBe(200);
  const number = response.json<{ file: number }>().file;
  const row = await t.ctx.db
    .selectFrom('nessus_exports')
    .select('storage_key')
    .where('number', '=', String(number))
    .executeTakeFirstOrThrow();
  expect(row.storage_key).not.toBeNull();
  return { number, key: row.storage_key ?? '' };
}

async function expire(exportNumber: number): Promise<void> {
  await t.ctx.db
    .updateTable('nessus_exports')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('number', '=', String(exportNumber))
    .execute();
}

const isStored = async (key: string) => (await t.ctx.storage.stat(key)) !== null;

describe('the sweep of expired exports and unimported uploads', () => {
  it('removes expired exports and day-old uploads with their files, and keeps fresh ones and files a scan uses', async () => {
    const caller = await createInstanceCaller(t, { role: 24 });
    const expiredExport = await exportWorkbench(caller);
    const freshExport = await exportWorkbench(caller);
    await expire(expiredExport.number);
    const oldUpload = await createUpload(caller, 'old.nessus', 25);
    const freshUpload = await createUpload(caller, 'fresh.nessus', 23);

    // A scan that keeps its file: an old upload row naming it and an expired export served from it leave it alone.
    const { scanId } = await importFixture(t.ctx, caller.accountId, 'nessus/savon-noir__python-libnessus__nessus_report_local_3.nessus');
    const scanFile = await createUpload(caller, 'imported.nessus', 25);
    await t.ctx.db.updateTable('scans').set({ storage_key: scanFile }).where('id', '=', scanId).execute();
    const scanExport = await insertExport(t.ctx.db, {
      accountId: caller.accountId,
      kind: 'scan',
      scanId,
      requestedBy: caller.userId,
      expiresAt: new Date(Date.now() - 1000),
    });
    await markExportReady(t.ctx.db, scanExport.id, null, 3);

    // Two nodes sweeping at once: each row goes once, and neither fails on the other's files.
    await Promise.all([sweepScanFiles(t.ctx), sweepScanFiles(t.ctx)]);

    const exports = await t.ctx.db.selectFrom('nessus_exports').select('number').where('account_id', '=', caller.accountId).execute();
    expect(exports.map((row) => Number(row.number))).toEqual([freshExport.number]);
    const uploads = await t.ctx.db
      .selectFrom('scan_uploads')
      .select('name')
      .where('account_id', '=', caller.accountId)
      .orderBy('name')
      .execute();
    expect(uploads.map((row) => row.name)).toEqual(['fresh.nessus', 'imported.nessus']);
    expect(await isStored(expiredExport.key)).toBe(false);
    expect(await isStored(oldUpload)).toBe(false);
    expect(await isStored(freshExport.key)).toBe(true);
    expect(await isStored(freshUpload)).toBe(true);
    expect(await isStored(scanFile)).toBe(true);

    // The fresh export is still served.
    const download = await t.app.inject({
      method: 'GET',
      url: `/workbenches/export/${freshExport.number}/download`,
      headers: caller.headers,
    });
    expect(download.statusCode).toBe(200);
  });
});
