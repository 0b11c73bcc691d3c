import crypto from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { callApi, createAdministratorThroughApi, makeAdministrator, SESSION_COOKIE } from './support/api.js';
import { launchBrowser, openPage, type OpenedPage } from './support/browser.js';
import { createFreshDatabase, findPostgresBaseUrl, type FreshDatabase } from './support/database.js';
import { readSessionCookie, signInWithForm, signOutWithMenu, waitForAccountsPage, waitForSignInPage } from './support/pages.js';
import { startBulwark, type BulwarkServer } from './support/server.js';

const postgresBaseUrl = findPostgresBaseUrl();
if (!postgresBaseUrl) {
  console.log('two-nodes.e2e.ts: skipped, it needs DATABASE_URL (two nodes can only share a PostgreSQL database, not PGlite).');
}

describe.skipIf(!postgresBaseUrl)('a session shared by two nodes on one PostgreSQL database (needs DATABASE_URL)', () => {
  // Every node of one deployment shares these; a node with another SESSION_SECRET would not know the session.
  const sharedSecrets = {
    SESSION_SECRET: crypto.randomBytes(32).toString('base64url'),
    MASTER_KEY: crypto.randomBytes(32).toString('hex'),
  };
  const admin = makeAdministrator();
  let database: FreshDatabase | undefined;
  let nodeA: BulwarkServer | undefined;
  let nodeB: BulwarkServer | undefined;
  let browser: Browser | undefined;
  const opened: OpenedPage[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    database = await createFreshDatabase(postgresBaseUrl ?? '');
    nodeA = await startBulwark({ databaseUrl: database.url, env: sharedSecrets });
    await createAdministratorThroughApi(nodeA.url, nodeA.setupLink, admin);
    nodeB = await startBulwark({ databaseUrl: database.url, env: sharedSecrets, expectSetupLink: false });
  });

  afterAll(async () => {
    for (const { context } of opened) await context.close();
    await browser?.close();
    await nodeA?.dispose();
    await nodeB?.dispose();
    await database?.drop();
  });

  it('signs in on node A, uses the session on node B, signs out on B, and A refuses the session', async () => {
    if (!browser || !nodeA || !nodeB) throw new Error('beforeAll did not finish');
    const [a, b] = [nodeA, nodeB];
    onTestFailed(() => {
      const pages = opened.map(({ page, problems }) => `Page at ${page.url()}; problems: ${problems.join('; ') || 'none'}`);
      console.error([...pages, `Node A: ${a.describeLogs()}`, `Node B: ${b.describeLogs()}`].join('\n'));
    });
    for (const node of [nodeA, nodeB]) {
      const health = await callApi(node.url, 'GET', '/api/health');
      expect(health.body).toMatchObject({ status: 'ok', database: 'postgres' });
    }

    const onA = await openPage(browser);
    opened.push(onA);
    await signInWithForm(onA.page, nodeA.url, { username: admin.username, password: admin.password });
    const cookie = await readSessionCookie(onA.page);
    expect(cookie, 'the session cookie node A set').toBeTruthy();

    // A separate browser context for node B, given only the cookie copied from node A.
    const onB = await openPage(browser);
    opened.push(onB);
    await onB.context.addCookies([{ name: SESSION_COOKIE, value: cookie ?? '', url: nodeB.url }]);
    const onBSession = await callApi(nodeB.url, 'GET', '/api/auth/session', { sessionCookie: cookie });
    expect(onBSession.status).toBe(200);
    expect(onBSession.body).toMatchObject({ user: { username: admin.username } });
    await onB.page.goto(`${nodeB.url}/accounts`);
    await waitForAccountsPage(onB.page);

    await signOutWithMenu(onB.page);

    const onASession = await callApi(nodeA.url, 'GET', '/api/auth/session', { sessionCookie: cookie });
    expect(onASession.status).toBe(401);
    await onA.page.reload();
    await waitForSignInPage(onA.page);
  });
});
