import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createInstanceCaller, REAL_FIXTURES } from '../../test/instance-api.js';

let t: TestApp;

beforeAll(async () => {
  // A small import limit, to see an upload past it refused.
  t = await buildTestApp({ IMPORT_MAX_BYTES: String(100_000) });
});
afterAll(async () => {
  await t.close();
});

describe('uploads past the import limit', () => {
  it('are refused with 413 while streaming, and nothing is kept', async () => {
    const operator = await createInstanceCaller(t, { role: 24 });
    const form = new FormData();
    const bytes = fs.readFileSync(path.join(REAL_FIXTURES, 'nessus/savon-noir__python-libnessus__nessus_report_local_3.nessus'));
    form.append('Filedata', new Blob([new Uint8Array(bytes)]), 'big.nessus');
    const encoded = new Response(form);
    const response = await t.app.inject({
      method: 'POST',
      url: '/file/upload',
      headers: { ...operator.headers, 'content-type': encoded.headers.get('content-type') ?? '' },
      payload: Buffer.from(await encoded.arrayBuffer()),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ error: 'The file is larger than the import limit of 0.1 MB.' });
    expect(await t.ctx.db.selectFrom('scan_uploads').selectAll().execute()).toEqual([]);
    const uploadsDir = path.join(t.dataDir, 'files', 'scan-uploads', operator.accountId);
    expect(fs.existsSync(uploadsDir) ? fs.readdirSync(uploadsDir) : []).toEqual([]);
  });
});
