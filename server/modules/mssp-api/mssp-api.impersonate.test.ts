import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRow } from '../../db/schema.js';
import { assignAccount, createAccount, createStaff } from '../../test/factories.js';
import { parseImpersonateHeader } from '../api-keys/impersonation.js';
import { apiKeysHeaderFor, call, startListeningApp, type ListeningApp } from './mssp-api.test-support.js';

let testApp: ListeningApp;
let admin: UserRow;
let adminKeys: string;
let analyst: UserRow;
let analystKeys: string;
let analystAccountId: string;

beforeAll(async () => {
  testApp = await startListeningApp();
  admin = await createStaff(testApp.ctx, { role: 64, username: 'root@mssp.example' });
  adminKeys = await apiKeysHeaderFor(testApp, admin);
  analyst = await createStaff(testApp.ctx, { role: 32, username: 'analyst@mssp.example' });
  analystKeys = await apiKeysHeaderFor(testApp, analyst);
  const mine = await createAccount(testApp.ctx, { name: 'Assigned Customer' });
  await createAccount(testApp.ctx, { name: 'Other Customer' });
  await assignAccount(testApp.ctx, analyst.id, mine.id);
  analystAccountId = mine.id;
});

afterAll(async () => {
  await testApp.close();
});

const accountNames = (json: Record<string, unknown>) =>
  (json.accounts as { custom_name: string | null; container_name: string }[]).map((a) => a.container_name);

describe('X-Impersonate (tenable-api.md 1.2)', () => {
  it('parses the header as leniently as X-ApiKeys', () => {
    expect(parseImpersonateHeader('username=a@b.example')).toBe('a@b.example');
    expect(parseImpersonateHeader(' username = a@b.example ; ')).toBe('a@b.example');
    expect(parseImpersonateHeader('user=a@b.example')).toBeNull();
    expect(parseImpersonateHeader('username=')).toBeNull();
    expect(parseImpersonateHeader('username=a; username=b')).toBeNull();
  });

  it("lets an Administrator act as a portal user: that user's accounts only", async () => {
    const own = await call(testApp, 'GET', '/mssp/accounts', { keys: adminKeys });
    expect(accountNames(own.json).sort()).toEqual(['Assigned Customer', 'Other Customer']);
    const asAnalyst = await call(testApp, 'GET', '/mssp/accounts', {
      keys: adminKeys,
      headers: { 'X-Impersonate': 'username=analyst@mssp.example' },
    });
    expect(asAnalyst.status, asAnalyst.text).toBe(200);
    expect(accountNames(asAnalyst.json)).toEqual(['Assigned Customer']);
    expect(
      (
        await call(testApp, 'GET', `/mssp/accounts/${analystAccountId}`, {
          keys: adminKeys,
          headers: { 'X-Impersonate': 'username=ANALYST@mssp.example' },
        })
      ).status,
    ).toBe(200);
    // Administrator-only endpoints answer as they would for the analyst.
    const users = await call(testApp, 'GET', '/users', { keys: adminKeys, headers: { 'X-Impersonate': 'username=analyst@mssp.example' } });
    expect(users.status).toBe(403);
  });

  it('refuses non-administrators, unknown users, administrators and malformed headers, and audits the refusal', async () => {
    const fromAnalyst = await call(testApp, 'GET', '/mssp/accounts', {
      keys: analystKeys,
      headers: { 'X-Impersonate': 'username=root@mssp.example' },
    });
    expect(fromAnalyst.status).toBe(403);
    expect(fromAnalyst.json).toEqual({ statusCode: 403, error: 'Forbidden', message: 'Insufficient scope' });
    const unknown = await call(testApp, 'GET', '/mssp/accounts', {
      keys: adminKeys,
      headers: { 'X-Impersonate': 'username=nobody@mssp.example' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ statusCode: 404, error: 'Not Found', message: 'Not Found' });
    const otherAdmin = await createStaff(testApp.ctx, { role: 64 });
    expect(
      (await call(testApp, 'GET', '/mssp/accounts', { keys: adminKeys, headers: { 'X-Impersonate': `username=${otherAdmin.username}` } }))
        .status,
    ).toBe(403);
    const malformed = await call(testApp, 'GET', '/mssp/accounts', {
      keys: adminKeys,
      headers: { 'X-Impersonate': 'analyst@mssp.example' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.contentType).toContain('application/json');
    const refusals = await testApp.ctx.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'details'])
      .where('action', '=', 'api_keys.impersonation_refused')
      .execute();
    expect(refusals).toHaveLength(4);
    expect(refusals.filter((row) => row.actor_user_id === admin.id)).toHaveLength(3);
  });

  it('answers 404 for an account group, since Bulwark has none, rather than every account', async () => {
    const response = await call(testApp, 'GET', '/mssp/accounts?group=2f6a1b0e-3c4d-4e5f-8a9b-0c1d2e3f4a5b', { keys: adminKeys });
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ statusCode: 404, error: 'Not Found', message: 'Not Found' });
  });

  it('never lets a missing or wrong key through with the header', async () => {
    expect((await call(testApp, 'GET', '/mssp/accounts', { headers: { 'X-Impersonate': 'username=analyst@mssp.example' } })).status).toBe(
      401,
    );
  });
});
