import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResponse } from '../../../common/schemas/scans.js';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { assignAccount, createAccount, createContact, createStaff, signIn } from '../../test/factories.js';
import { startImportWorker } from './import-jobs.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/real/nessus');
const GOOD = 'savon-noir__python-libnessus__nessus_report_local_3.nessus';
const BAD = 'djcas9__ruby-nessus__example_v_wrong.nessus';

let t: TestApp;
let baseUrl: string;
let stopWorker: () => void;

beforeAll(async () => {
  // A small import limit, to see the refusal of a file past it.
  t = await buildTestApp({ IMPORT_MAX_BYTES: String(2_000_000) });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  stopWorker = await startImportWorker(t.app.services);
});
afterAll(async () => {
  stopWorker();
  await t.close();
});

async function upload(cookie: string, csrfToken: string, accountId: string, fileName: string, bytes: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), fileName);
  const response = await fetch(`${baseUrl}/api/instances/${accountId}/scans/import`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrfToken, origin: baseUrl },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as ScanResponse & { error: { message: string } } };
}

async function waitForScan(cookie: string, accountId: string, scanId: string): Promise<ScanResponse> {
  for (let attempt = 0; attempt < 900; attempt += 1) {
    const response = await fetch(`${baseUrl}/api/instances/${accountId}/scans/${scanId}`, { headers: { cookie } });
    const scan = (await response.json()) as ScanResponse;
    if (scan.status !== 'queued' && scan.status !== 'running') return scan;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the import did not finish');
}

// Imports run in the background: waiting for one may take a while on a busy machine.
describe('importing scans through the API', { timeout: 120_000 }, () => {
  it('stores an upload, imports it in the background, and shows the outcome and counts', async () => {
    const account = await createAccount(t.ctx, { name: 'Upload Customer' });
    const operator = await createContact(t.ctx, account.id, { role: 24 });
    const { cookie, csrfToken } = await signIn(t.app, operator.username);
    const { status, body } = await upload(cookie, csrfToken, account.id, 'weekly.nessus', fs.readFileSync(path.join(FIXTURES, GOOD)));
    expect(status).toBe(202);
    expect(body.status).toBe('queued');
    const scan = await waitForScan(cookie, account.id, body.id);
    expect(scan).toMatchObject({ status: 'completed', hostCount: 3, progress: 1, owner: { id: operator.id } });
    expect(scan.findingCount).toBeGreaterThan(0);
    const list = await fetch(`${baseUrl}/api/instances/${account.id}/scans`, { headers: { cookie } });
    expect(((await list.json()) as { total: number }).total).toBe(1);
    const audit = await t.ctx.db.selectFrom('audit_events').select('action').where('target_id', '=', body.id).orderBy('at').execute();
    expect(audit.map((row) => row.action)).toEqual(['scan.import_started', 'scan.import_finished']);

    // The same file again: a duplicate that changes nothing, and its copy is not kept.
    const again = await upload(cookie, csrfToken, account.id, 'renamed.nessus', fs.readFileSync(path.join(FIXTURES, GOOD)));
    expect(await waitForScan(cookie, account.id, again.body.id)).toMatchObject({ status: 'duplicate', duplicateOfScanId: body.id });
  });

  it('refuses a malformed file with the reason and the line, and keeps nothing of it', async () => {
    const account = await createAccount(t.ctx, { name: 'Malformed Upload Customer' });
    const admin = await createStaff(t.ctx, { role: 64 });
    const { cookie, csrfToken } = await signIn(t.app, admin.username);
    const { body } = await upload(cookie, csrfToken, account.id, 'wrong.nessus', fs.readFileSync(path.join(FIXTURES, BAD)));
    const scan = await waitForScan(cookie, account.id, body.id);
    expect(scan.status).toBe('failed');
    expect(scan.error).toMatch(/root element is <NessusClientData_vwrong>.*line 2/);
    const row = await t.ctx.db.selectFrom('scans').select('storage_key').where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(row.storage_key).toBeNull();
    expect(await t.ctx.db.selectFrom('assets').select('id').where('account_id', '=', account.id).execute()).toEqual([]);
  });

  it('refuses an empty file and a file past IMPORT_MAX_BYTES before any import', async () => {
    const account = await createAccount(t.ctx, { name: 'Limits Customer' });
    const admin = await createStaff(t.ctx, { role: 64 });
    const { cookie, csrfToken } = await signIn(t.app, admin.username);
    const empty = await upload(cookie, csrfToken, account.id, 'empty.nessus', Buffer.alloc(0));
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('The file is empty.');
    const huge = await upload(cookie, csrfToken, account.id, 'huge.nessus', Buffer.alloc(2_100_000, 0x20));
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toContain('larger than the import limit');
    const scans = await t.ctx.db.selectFrom('scans').select('id').where('account_id', '=', account.id).execute();
    expect(scans).toEqual([]);
  });

  it("answers 404 for another customer's instance and 403 below Scan Operator (cross-tenant and role tests)", async () => {
    const mine = await createAccount(t.ctx, { name: 'Contact Home' });
    const other = await createAccount(t.ctx, { name: 'Someone Else' });
    const operator = await createContact(t.ctx, mine.id, { role: 40 });
    const session = await signIn(t.app, operator.username);
    const bytes = fs.readFileSync(path.join(FIXTURES, GOOD));
    expect((await upload(session.cookie, session.csrfToken, other.id, 'x.nessus', bytes)).status).toBe(404);
    expect((await fetch(`${baseUrl}/api/instances/${other.id}/scans`, { headers: { cookie: session.cookie } })).status).toBe(404);

    const basic = await createContact(t.ctx, mine.id, { role: 16 });
    const basicSession = await signIn(t.app, basic.username);
    expect((await upload(basicSession.cookie, basicSession.csrfToken, mine.id, 'x.nessus', bytes)).status).toBe(403);
    expect((await fetch(`${baseUrl}/api/instances/${mine.id}/scans`, { headers: { cookie: basicSession.cookie } })).status).toBe(200);

    // Staff: only assigned accounts, and Scan Operator or above to import.
    const analyst = await createStaff(t.ctx, { role: 24 });
    await assignAccount(t.ctx, analyst.id, mine.id);
    const analystSession = await signIn(t.app, analyst.username);
    expect((await fetch(`${baseUrl}/api/instances/${mine.id}/scans`, { headers: { cookie: analystSession.cookie } })).status).toBe(200);
    expect((await fetch(`${baseUrl}/api/instances/${other.id}/scans`, { headers: { cookie: analystSession.cookie } })).status).toBe(404);
    expect((await fetch(`${baseUrl}/api/instances/${mine.id}/scans`)).status).toBe(401);
  });
});
