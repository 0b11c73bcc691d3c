import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createAccount, createContact } from '../../test/factories.js';
import { sweepSupportUploads } from './support-uploads.sweeper.js';

let testApp: TestApp;
const HOUR = 3600_000;

/** An upload row with its bytes and tus info file on disk, as the endpoint leaves them. */
async function seedUpload(accountId: string, userId: string, tusId: string, options: { ageHours: number; caseId?: string }) {
  if (testApp.config.storage.kind !== 'local') throw new Error('local storage expected');
  const file = path.join(testApp.config.storage.directory, 'support-uploads', tusId);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'bytes');
  fs.writeFileSync(`${file}.json`, '{}');
  const createdAt = new Date(Date.now() - options.ageHours * HOUR);
  await testApp.ctx.db
    .insertInto('support_uploads')
    .values({
      tus_id: tusId,
      account_id: accountId,
      uploaded_by_user_id: userId,
      case_id: options.caseId ?? null,
      file_name: `${tusId}.txt`,
      size: 5,
      received: 5,
      sha256: null,
      storage_key: `support-uploads/${tusId}`,
      status: 'complete',
      created_at: createdAt,
      attached_at: options.caseId ? createdAt : null,
    })
    .execute();
  return file;
}

beforeAll(async () => {
  testApp = await buildTestApp();
});

afterAll(async () => {
  await testApp?.close();
});

describe('sweepSupportUploads', () => {
  it('deletes a 25-hour-old unattached upload (row, bytes and tus info file) and keeps an attached one and a fresh one', async () => {
    const account = await createAccount(testApp.ctx);
    const contact = await createContact(testApp.ctx, account.id);
    const supportCase = await testApp.ctx.db
      .insertInto('support_cases')
      .values({ account_id: account.id, kind: 'customer_care', subject: 'S', description: 'D', queue: 'Customer Care' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const stale = await seedUpload(account.id, contact.id, 'stalebatch_0000000000000001', { ageHours: 25 });
    const attached = await seedUpload(account.id, contact.id, 'oldattach_0000000000000002', { ageHours: 25, caseId: supportCase.id });
    const fresh = await seedUpload(account.id, contact.id, 'freshbatch_0000000000000003', { ageHours: 23 });

    expect(await sweepSupportUploads({ ...testApp.ctx })).toBe(1);

    const left = await testApp.ctx.db.selectFrom('support_uploads').select('tus_id').orderBy('tus_id').execute();
    expect(left.map((row) => row.tus_id)).toEqual(['freshbatch_0000000000000003', 'oldattach_0000000000000002']);
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(`${stale}.json`)).toBe(false);
    for (const kept of [attached, fresh]) {
      expect(fs.existsSync(kept)).toBe(true);
      expect(fs.existsSync(`${kept}.json`)).toBe(true);
    }
    // A second sweep (or another node's) finds nothing more; bytes already gone are no failure.
    expect(await sweepSupportUploads({ ...testApp.ctx })).toBe(0);
  });
});
