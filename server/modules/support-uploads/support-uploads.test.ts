import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOAD_BATCH_MESSAGE, UploadId } from '../../../common/schemas/support-cases.js';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { assignAccount, createAccount, createContact, createStaff, signIn, type SignedIn } from '../../test/factories.js';
import { forgetRunningHash, hashStoredFile } from './support-uploads.store.js';

const ENDPOINT_PATH = '/api/support/uploads';

let testApp: TestApp;
let base: string;
let accountA: { id: string };
let accountB: { id: string };
let alice: SignedIn; // contact of A, Manage Cases
let alicesColleague: SignedIn; // contact of A
let bob: SignedIn; // contact of B
let agent: SignedIn; // support agent assigned to A only
let staff: SignedIn; // Administrator, not a support agent
let caseOfA: string;
let caseOfB: string;

const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');
const metadataHeader = (entries: Record<string, string>) =>
  Object.entries(entries)
    .map(([key, value]) => `${key} ${b64(value)}`)
    .join(',');
const newBatch = () => crypto.randomUUID();

async function createCase(accountId: string, openedBy: string | null): Promise<string> {
  const row = await testApp.ctx.db
    .insertInto('support_cases')
    .values({
      account_id: accountId,
      kind: 'customer_care',
      category: 'Orders',
      issue_type: 'Other',
      subject: 'Files',
      description: 'See the files.',
      queue: 'Customer Care',
      opened_by_user_id: openedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A raw tus creation request. */
function create(who: SignedIn | null, metadata: Record<string, string>, size: number, extra: Record<string, string> = {}) {
  return fetch(`${base}${ENDPOINT_PATH}`, {
    method: 'POST',
    headers: {
      'tus-resumable': '1.0.0',
      'upload-length': String(size),
      'upload-metadata': metadataHeader(metadata),
      ...(who?.writeHeaders ?? {}),
      ...extra,
    },
  });
}

function uploadIdOf(response: Response): string {
  const location = response.headers.get('location');
  if (!location) throw new Error(`no Location (${response.status})`);
  return location.split('/').pop() ?? '';
}

function head(who: SignedIn, id: string) {
  return fetch(`${base}${ENDPOINT_PATH}/${id}`, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0', cookie: who.cookie } });
}

function patch(who: SignedIn, id: string, offset: number, body: Buffer) {
  return fetch(`${base}${ENDPOINT_PATH}/${id}`, {
    method: 'PATCH',
    headers: {
      'tus-resumable': '1.0.0',
      'upload-offset': String(offset),
      'content-type': 'application/offset+octet-stream',
      ...who.writeHeaders,
    },
    body,
  });
}

function terminate(who: SignedIn, id: string) {
  return fetch(`${base}${ENDPOINT_PATH}/${id}`, { method: 'DELETE', headers: { 'tus-resumable': '1.0.0', ...who.writeHeaders } });
}

/** Uploads through tus-js-client, as the browser does; resolves to the upload id or rejects with tus's error. */
function uploadWithClient(who: SignedIn, data: Buffer, metadata: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const upload = new tus.Upload(data, {
      endpoint: `${base}${ENDPOINT_PATH}`,
      metadata,
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken },
      retryDelays: null,
      chunkSize: 1024 * 1024,
      onSuccess: () => resolve(upload.url?.split('/').pop() ?? ''),
      onError: reject,
    });
    upload.start();
  });
}

function rowOf(tusId: string) {
  return testApp.ctx.db.selectFrom('support_uploads').selectAll().where('tus_id', '=', tusId).executeTakeFirst();
}

function storedPath(tusId: string): string {
  if (testApp.config.storage.kind !== 'local') throw new Error('local storage expected');
  return path.join(testApp.config.storage.directory, 'support-uploads', tusId);
}

function uploadFiles(): string[] {
  if (testApp.config.storage.kind !== 'local') return [];
  const directory = path.join(testApp.config.storage.directory, 'support-uploads');
  return fs.existsSync(directory) ? fs.readdirSync(directory) : [];
}

beforeAll(async () => {
  testApp = await buildTestApp();
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const address = testApp.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
  accountA = await createAccount(testApp.ctx);
  accountB = await createAccount(testApp.ctx);
  const aliceUser = await createContact(testApp.ctx, accountA.id, { canManageCases: true });
  const colleagueUser = await createContact(testApp.ctx, accountA.id);
  const bobUser = await createContact(testApp.ctx, accountB.id, { canManageCases: true });
  const agentUser = await createStaff(testApp.ctx, { role: 32, isSupportAgent: true });
  await assignAccount(testApp.ctx, agentUser.id, accountA.id);
  const staffUser = await createStaff(testApp.ctx, { role: 64 });
  alice = await signIn(testApp.app, aliceUser.username);
  alicesColleague = await signIn(testApp.app, colleagueUser.username);
  bob = await signIn(testApp.app, bobUser.username);
  agent = await signIn(testApp.app, agentUser.username);
  staff = await signIn(testApp.app, staffUser.username);
  caseOfA = await createCase(accountA.id, colleagueUser.id);
  caseOfB = await createCase(accountB.id, bobUser.id);
}, 60_000);

afterAll(async () => {
  await testApp?.close();
});

describe('support uploads (tus)', () => {
  it('lists the upload endpoint in the API documentation', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.json<{ paths: Record<string, unknown> }>().paths)).toContain('/api/support/uploads');
  });

  it('uploads a whole file with tus-js-client and records its sha256 where downloads read it', async () => {
    const data = crypto.randomBytes(3 * 1024 * 1024 + 17);
    const id = await uploadWithClient(alice, data, { filename: 'scanner log.txt', filetype: 'text/plain', batchId: newBatch() });
    expect(UploadId.safeParse(id).success).toBe(true);
    const row = await rowOf(id);
    expect(Number(row?.size)).toBe(data.length);
    expect(Number(row?.received)).toBe(data.length);
    expect(row).toMatchObject({
      status: 'complete',
      sha256: sha256(data),
      file_name: 'scanner log.txt',
      content_type: 'text/plain',
      account_id: accountA.id,
      case_id: null,
      storage_key: `support-uploads/${id}`,
    });
    expect(row?.completed_at).toBeInstanceOf(Date);
    expect(await hashStoredFile(testApp.ctx.storage, row?.storage_key ?? '')).toBe(sha256(data));
  });

  it('resumes after a cut connection: HEAD reports the bytes kept, the rest completes the file, the sha256 is the whole file', async () => {
    for (const isRunningHashLost of [false, true]) {
      const data = crypto.randomBytes(8 * 1024 * 1024);
      const created = await create(alice, { filename: 'capture.pcap', batchId: newBatch() }, data.length);
      expect(created.status).toBe(201);
      const id = uploadIdOf(created);

      // Send the first 3 MiB of a request that announces all 8, then drop the connection.
      const request = http.request(`${base}${ENDPOINT_PATH}/${id}`, {
        method: 'PATCH',
        headers: {
          'tus-resumable': '1.0.0',
          'upload-offset': '0',
          'content-type': 'application/offset+octet-stream',
          'content-length': String(data.length),
          ...alice.writeHeaders,
        },
      });
      request.on('error', () => undefined);
      request.write(data.subarray(0, 3 * 1024 * 1024));
      const deadline = Date.now() + 10_000;
      while ((fs.existsSync(storedPath(id)) ? fs.statSync(storedPath(id)).size : 0) < 1024 * 1024 && Date.now() < deadline) await delay(20);
      request.destroy();
      await delay(300);

      const afterCut = await head(alice, id);
      expect(afterCut.status).toBe(200);
      const offset = Number(afterCut.headers.get('upload-offset'));
      expect(offset).toBeGreaterThanOrEqual(1024 * 1024);
      expect(offset).toBeLessThanOrEqual(3 * 1024 * 1024);
      expect((await rowOf(id))?.status).toBe('uploading');
      if (isRunningHashLost) forgetRunningHash(`support-uploads/${id}`);

      const rest = await patch(alice, id, offset, data.subarray(offset));
      expect(rest.status).toBe(204);
      expect(rest.headers.get('upload-offset')).toBe(String(data.length));
      const row = await rowOf(id);
      expect(row?.status).toBe('complete');
      expect(row?.sha256).toBe(sha256(data));
      expect(fs.readFileSync(storedPath(id)).equals(data)).toBe(true);
    }
  });

  it('refuses a sixth upload in one batch with the batch message; another batch is fine; parallel creations cannot slip one past', async () => {
    const batchId = newBatch();
    for (let index = 0; index < 5; index += 1) {
      expect((await create(alice, { filename: `file-${index}.log`, batchId }, 10)).status).toBe(201);
    }
    const sixth = await create(alice, { filename: 'file-5.log', batchId }, 10);
    expect(sixth.status).toBe(400);
    expect(((await sixth.json()) as { error: { message: string } }).error.message).toBe(UPLOAD_BATCH_MESSAGE);
    expect((await create(alice, { filename: 'file-5.log', batchId: newBatch() }, 10)).status).toBe(201);

    const parallelBatch = newBatch();
    const answers = await Promise.all(
      Array.from({ length: 7 }, (_, index) => create(alice, { filename: `p-${index}.log`, batchId: parallelBatch }, 10)),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(5);
    expect(answers.filter((answer) => answer.status === 400)).toHaveLength(2);
  });

  it('one failed file among five does not stop the other four, which arrive complete', async () => {
    const batchId = newBatch();
    const files = Array.from({ length: 5 }, (_, index) => ({
      name: index === 2 ? 'bad/name.txt' : `part-${index}.bin`,
      data: crypto.randomBytes(1024 * 1024 + index),
    }));
    const results = await Promise.allSettled(files.map((file) => uploadWithClient(alice, file.data, { filename: file.name, batchId })));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const failure = results[2];
    if (failure?.status === 'rejected') expect(String(failure.reason)).toContain('path separator');
    for (const [index, result] of results.entries()) {
      if (result.status !== 'fulfilled') continue;
      const row = await rowOf(result.value);
      expect(row?.status).toBe('complete');
      expect(row?.sha256).toBe(sha256(files[index]?.data ?? Buffer.alloc(0)));
    }
  });

  it('refuses bad file names with 400 and stores nothing', async () => {
    const before = await testApp.ctx.db
      .selectFrom('support_uploads')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const filesBefore = uploadFiles().length;
    const cases: [string, string][] = [
      ['../etc/passwd', 'path separator'],
      ['dir\\file.txt', 'path separator'],
      ['line\nbreak.txt', 'control characters'],
      ['nul\u0000.txt', 'control characters'],
      ['bell\u0007', 'control characters'],
      ['   ', 'empty'],
      ['', 'empty'],
      ['x'.repeat(256), 'too long'],
      ['é'.repeat(128), 'too long'],
      ['..', '".."'],
    ];
    for (const [name, reason] of cases) {
      const response = await create(alice, { filename: name, batchId: newBatch() }, 10);
      expect(response.status, name).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message, name).toContain(reason);
    }
    const noName = await create(alice, { batchId: newBatch() }, 10);
    expect(noName.status).toBe(400);
    const noBatch = await create(alice, { filename: 'fine.txt' }, 10);
    expect(noBatch.status).toBe(400);
    const deferred = await fetch(`${base}${ENDPOINT_PATH}`, {
      method: 'POST',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-defer-length': '1',
        'upload-metadata': metadataHeader({ filename: 'fine.txt', batchId: newBatch() }),
        ...alice.writeHeaders,
      },
    });
    expect(deferred.status).toBe(400);
    const after = await testApp.ctx.db
      .selectFrom('support_uploads')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(uploadFiles().length).toBe(filesBefore);
    // The longest allowed name (255 bytes) is fine.
    expect((await create(alice, { filename: `${'é'.repeat(126)}.t`, batchId: newBatch() }, 0)).status).toBe(201);
  });

  it('answers 404 to a forged id and to another person’s upload (cross-tenant), for HEAD, PATCH and DELETE', async () => {
    const created = await create(alice, { filename: 'mine.txt', batchId: newBatch() }, 4);
    const id = uploadIdOf(created);
    for (const forged of [`${id.slice(0, -1)}0`.replace(/0$/, id.endsWith('0') ? '1' : '0'), 'AAAAAAAAAAAAAAAAAAAA', '..%2F..%2Fsecrets']) {
      expect((await head(alice, forged)).status).toBe(404);
      expect((await patch(alice, forged, 0, Buffer.from('data'))).status).toBe(404);
      expect((await terminate(alice, forged)).status).toBe(404);
    }
    for (const other of [bob, alicesColleague]) {
      expect((await head(other, id)).status).toBe(404);
      expect((await patch(other, id, 0, Buffer.from('evil'))).status).toBe(404);
      expect((await terminate(other, id)).status).toBe(404);
    }
    // A query string naming Alice's upload after Bob's own id reaches Bob's upload only.
    const bobs = uploadIdOf(await create(bob, { filename: 'bob.txt', batchId: newBatch() }, 4));
    expect((await patch(bob, `${bobs}?next=/${id}`, 0, Buffer.from('evil'))).status).toBe(204);
    expect((await rowOf(bobs))?.status).toBe('complete');
    expect(Number((await rowOf(id))?.received)).toBe(0);
    expect(fs.statSync(storedPath(id)).size).toBe(0);
    expect((await patch(alice, id, 0, Buffer.from('mine'))).status).toBe(204);
    expect((await rowOf(id))?.status).toBe('complete');
  });

  it('refuses another account’s case (404), and a colleague’s case without Manage Cases (404)', async () => {
    const response = await create(alice, { filename: 'x.txt', batchId: newBatch(), caseId: caseOfB }, 3);
    expect(response.status).toBe(404);
    expect((await create(alice, { filename: 'x.txt', batchId: newBatch(), caseId: 'not-a-uuid' }, 3)).status).toBe(404);
    expect((await create(alicesColleague, { filename: 'x.txt', batchId: newBatch(), caseId: caseOfA }, 3)).status).toBe(201);
    const stranger = await createCase(accountA.id, null);
    expect((await create(alicesColleague, { filename: 'x.txt', batchId: newBatch(), caseId: stranger }, 3)).status).toBe(404);
    expect((await create(bob, { filename: 'x.txt', batchId: newBatch(), caseId: caseOfA }, 3)).status).toBe(404);
  });

  it('lets support agents upload only onto cases of their accounts; other staff get 403; anonymous 401; no CSRF header 403', async () => {
    expect((await create(staff, { filename: 'x.txt', batchId: newBatch(), caseId: caseOfA }, 3)).status).toBe(403);
    expect((await create(agent, { filename: 'x.txt', batchId: newBatch() }, 3)).status).toBe(400);
    expect((await create(agent, { filename: 'x.txt', batchId: newBatch(), caseId: caseOfB }, 3)).status).toBe(404);
    const data = Buffer.from('agent notes');
    const id = await uploadWithClient(agent, data, { filename: 'notes.txt', batchId: newBatch(), caseId: caseOfA });
    expect(await rowOf(id)).toMatchObject({ case_id: caseOfA, status: 'complete', account_id: accountA.id });
    expect((await create(null, { filename: 'x.txt', batchId: newBatch() }, 3)).status).toBe(401);
    const noCsrf = await create(null, { filename: 'x.txt', batchId: newBatch() }, 3, { cookie: alice.cookie });
    expect(noCsrf.status).toBe(403);
    expect((await head(staff, id)).status).toBe(403);
  });

  it('attaches a file uploaded for a case as it finishes, and audits it', async () => {
    const data = crypto.randomBytes(200_000);
    const id = await uploadWithClient(alice, data, { filename: 'trace.har', batchId: newBatch(), caseId: caseOfA });
    const row = await rowOf(id);
    expect(row).toMatchObject({ case_id: caseOfA, status: 'complete', sha256: sha256(data) });
    expect(row?.attached_at).toBeInstanceOf(Date);
    const audit = await testApp.ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'support.file_uploaded')
      .where('target_id', '=', caseOfA)
      .execute();
    const event = audit.find((entry) => (entry.details as { uploadId?: string }).uploadId === row?.id);
    expect(event?.details).toMatchObject({ fileName: 'trace.har', size: data.length, sha256: sha256(data) });
    expect(event?.account_id).toBe(accountA.id);
    // Attached: the uploader cannot remove it through the upload endpoint.
    expect((await terminate(alice, id)).status).toBe(409);
    expect(await rowOf(id)).toBeDefined();
  });

  it('removes an unattached upload (row and bytes) on termination, auditing it when it was complete', async () => {
    const partial = uploadIdOf(await create(alice, { filename: 'half.bin', batchId: newBatch() }, 100));
    expect((await patch(alice, partial, 0, Buffer.alloc(40, 1))).status).toBe(204);
    expect((await terminate(alice, partial)).status).toBe(204);
    expect(await rowOf(partial)).toBeUndefined();
    expect(fs.existsSync(storedPath(partial))).toBe(false);
    expect(fs.existsSync(`${storedPath(partial)}.json`)).toBe(false);
    expect((await head(alice, partial)).status).toBe(404);

    const data = Buffer.from('complete file');
    const complete = await uploadWithClient(alice, data, { filename: 'done.txt', batchId: newBatch() });
    const row = await rowOf(complete);
    expect((await terminate(alice, complete)).status).toBe(204);
    expect(fs.existsSync(storedPath(complete))).toBe(false);
    const removed = await testApp.ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'support.file_removed')
      .where('target_id', '=', row?.id ?? '')
      .executeTakeFirst();
    expect(removed?.details).toMatchObject({ fileName: 'done.txt', size: data.length });
    const partialAudit = await testApp.ctx.db
      .selectFrom('audit_events')
      .select('id')
      .where('action', '=', 'support.file_removed')
      .where('target_id', '=', partial)
      .executeTakeFirst();
    expect(partialAudit).toBeUndefined();
  });
});
