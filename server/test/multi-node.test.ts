import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, type TestApp } from './build-test-app.js';
import { createAccount, createStaff, signIn, TEST_PASSWORD } from './factories.js';

const SHARED_SECRETS = { SESSION_SECRET: 'shared-session-secret-for-two-nodes-0123456789', MASTER_KEY: 'ab'.repeat(32) };

// Two nodes need one PostgreSQL; PGlite is single-process. CI runs this suite with DATABASE_URL.
describe.skipIf(!process.env.DATABASE_URL)('two nodes against one PostgreSQL', () => {
  let nodeA: TestApp;
  let nodeB: TestApp;
  let dropDatabase: () => Promise<void>;
  const urlOf = (node: TestApp) => `http://127.0.0.1:${(node.app.server.address() as AddressInfo).port}`;

  beforeAll(async () => {
    const shared = await createTestDatabase();
    dropDatabase = shared.drop;
    nodeA = await buildTestApp(SHARED_SECRETS, { database: shared.database });
    nodeB = await buildTestApp(SHARED_SECRETS, { database: shared.database });
    await nodeA.app.listen({ port: 0, host: '127.0.0.1' });
    await nodeB.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await nodeA.close();
    await nodeB.close();
    await dropDatabase();
  });

  it('accepts a session made on one node on the other, and signing out on one ends it on both', async () => {
    const user = await createStaff(nodeA.ctx);
    const signIn = await fetch(`${urlOf(nodeA)}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user.username, password: TEST_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };

    const onB = await fetch(`${urlOf(nodeB)}/api/auth/session`, { headers: { cookie } });
    expect(onB.status).toBe(200);

    const signOut = await fetch(`${urlOf(nodeB)}/api/auth/sign-out`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(signOut.status).toBe(204);
    expect((await fetch(`${urlOf(nodeA)}/api/auth/session`, { headers: { cookie } })).status).toBe(401);
    expect((await fetch(`${urlOf(nodeB)}/api/auth/session`, { headers: { cookie } })).status).toBe(401);
  });

  it("shows an account written through one node in the other node's Accounts list on the next request", async () => {
    const admin = await createStaff(nodeA.ctx, { role: 64 });
    const { cookie } = await signIn(nodeB.app, admin.username);
    const namesOnB = async () => {
      const response = await fetch(`${urlOf(nodeB)}/api/accounts?search=tyrell`, { headers: { cookie } });
      return ((await response.json()) as { items: { name: string }[] }).items.map((item) => item.name);
    };
    expect(await namesOnB()).toEqual([]);
    await createAccount(nodeA.ctx, { name: 'Tyrell Corporation' });
    expect(await namesOnB()).toEqual(['Tyrell Corporation']);
  });

  it('shares the sign-in lockout between nodes', async () => {
    const user = await createStaff(nodeA.ctx);
    const attempt = (node: TestApp, password: string) =>
      fetch(`${urlOf(node)}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user.username, password }),
      });
    // SIGN_IN_MAX_FAILURES_PER_USER (5) failures spread over both nodes lock the username on both:
    // even the right password is then refused with "try again later".
    for (let index = 0; index < 5; index += 1)
      expect((await attempt(index % 2 === 0 ? nodeA : nodeB, 'Wrong-Password-1!')).status).toBe(401);
    expect((await attempt(nodeA, TEST_PASSWORD)).status).toBe(429);
    expect((await attempt(nodeB, TEST_PASSWORD)).status).toBe(429);
  });
});
