import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createAccount, createContact, createStaff, signIn, type SignedIn } from '../../test/factories.js';

describe('POST /api/support/secret-check', () => {
  let t: TestApp;
  let contact: SignedIn;
  let agent: SignedIn;
  let administrator: SignedIn;
  beforeAll(async () => {
    t = await buildTestApp();
    const account = await createAccount(t.ctx);
    contact = await signIn(t.app, (await createContact(t.ctx, account.id)).username);
    agent = await signIn(t.app, (await createStaff(t.ctx, { role: 32, isSupportAgent: true })).username);
    administrator = await signIn(t.app, (await createStaff(t.ctx, { role: 64 })).username);
  });
  afterAll(() => t.close());

  const check = (text: unknown, headers: Record<string, string> = contact.writeHeaders) =>
    t.app.inject({ method: 'POST', url: '/api/support/secret-check', payload: { text }, headers });

  it('answers the kind, masked preview and offsets of each secret, and nothing else', async () => {
    const accessKey = crypto.randomBytes(32).toString('hex');
    const secretKey = crypto.randomBytes(32).toString('hex');
    const text = `Hello, X-ApiKeys: accessKey=${accessKey}; secretKey=${secretKey}; fails with 401.`;
    const response = await check(text);
    expect(response.statusCode).toBe(200);
    const start = text.indexOf('accessKey');
    expect(response.json()).toEqual({
      findings: [
        {
          kind: 'Tenable API keys',
          preview: `Hello, X-ApiKeys: accessKey=${accessKey.slice(0, 4)}…••••; secretKey=••••; fails with 401.`,
          start,
          end: start + `accessKey=${accessKey}; secretKey=${secretKey}`.length,
        },
      ],
    });
    expect(response.body).not.toContain(secretKey);
  });

  it('answers no findings for an ordinary description', async () => {
    const response = await check('Plugin 19506 reports CVE-2021-44228 on host 10.0.0.12; sha256 ' + crypto.randomBytes(32).toString('hex'));
    expect(response.json()).toEqual({ findings: [] });
  });

  it('lets support agents check their text too', async () => {
    expect((await check('nothing secret', agent.writeHeaders)).statusCode).toBe(200);
  });

  it('refuses staff who are not support agents, anonymous callers and writes without the CSRF header', async () => {
    expect((await check('text', administrator.writeHeaders)).statusCode).toBe(403);
    expect((await check('text', {})).statusCode).toBe(401);
    expect((await check('text', { cookie: contact.cookie })).statusCode).toBe(403);
  });

  it('refuses a text over 100,000 characters and a missing text with 400', async () => {
    expect((await check('a'.repeat(100_001))).statusCode).toBe(400);
    expect((await check(undefined)).statusCode).toBe(400);
  });
});
