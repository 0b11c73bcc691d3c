import crypto from 'node:crypto';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { hashPassword } from '../server/lib/crypto.js';
import { makeAdministrator, createAdministratorThroughApi } from './support/api.js';
import { launchBrowser, openPage, type OpenedPage } from './support/browser.js';
import { createFreshDatabase, findPostgresBaseUrl, type FreshDatabase } from './support/database.js';
import { submitSignInForm } from './support/pages.js';
import { startBulwark, type BulwarkServer } from './support/server.js';

/**
 * Chat with Technical Support between a contact's browser on node A and an agent's browser on
 * node B, both on one PostgreSQL database: the New Chat Support Session form, the wait, Accept,
 * messages and a typing indicator both ways (LISTEN/NOTIFY between the nodes), End chat, and the
 * transcript on the case page.
 */

const postgresBaseUrl = findPostgresBaseUrl();
if (!postgresBaseUrl) {
  console.log('support-chat.e2e.ts: skipped, it needs DATABASE_URL (two nodes can only share a PostgreSQL database, not PGlite).');
}

const PASSWORD = 'Chat-Journey-2026!';
const PRODUCT = 'Nessus Professional';
const id = crypto.randomBytes(4).toString('hex');
const CONTACT = { username: `dana.${id}@initech.example`, name: 'Dana Whitfield' };
const AGENT = { username: `sam.${id}@mssp.example`, name: 'Sam Okafor' };
const ACCOUNT_NAME = `Initech ${id}`;

/** A subscribed account, its contact with Manage Cases, and a support agent assigned to it, straight into the database. */
async function seed(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const passwordHash = await hashPassword(PASSWORD);
    const account = await client.query<{ id: string }>(
      `insert into customer_accounts (name, region, notes) values ($1, 'US', '') returning id`,
      [ACCOUNT_NAME],
    );
    const accountId = account.rows[0]?.id;
    await client.query(
      `insert into account_subscriptions (account_id, product, service_level, starts_on, ends_on) values ($1, $2, 'Premium 24x7', '2020-01-01', '2099-12-31')`,
      [accountId, PRODUCT],
    );
    await client.query(
      `insert into users (kind, username, name, password_hash, role, account_id, can_manage_cases) values ('contact', $1, $2, $3, 32, $4, true)`,
      [CONTACT.username, CONTACT.name, passwordHash, accountId],
    );
    await client.query(`insert into approved_domains (domain) values ('mssp.example') on conflict do nothing`);
    const agent = await client.query<{ id: string }>(
      `insert into users (kind, username, name, password_hash, role, is_support_agent) values ('staff', $1, $2, $3, 32, true) returning id`,
      [AGENT.username, AGENT.name, passwordHash],
    );
    await client.query(`insert into staff_account_assignments (user_id, account_id) values ($1, $2)`, [agent.rows[0]?.id, accountId]);
  } finally {
    await client.end();
  }
}

/** With CHAT_SCREENSHOTS_DIR set, keeps a picture of each step there (for reviewing the pages). */
async function keepScreenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.CHAT_SCREENSHOTS_DIR;
  if (folder) await page.screenshot({ path: `${folder}/${name}.png`, fullPage: true });
}

async function signIn(page: Page, baseUrl: string, username: string): Promise<void> {
  await submitSignInForm(page, baseUrl, { username, password: PASSWORD });
  await page.waitForURL((url) => url.pathname !== '/login');
}

describe.skipIf(!postgresBaseUrl)('chat between a contact on node A and an agent on node B (needs DATABASE_URL)', () => {
  const sharedSecrets = {
    SESSION_SECRET: crypto.randomBytes(32).toString('base64url'),
    MASTER_KEY: crypto.randomBytes(32).toString('hex'),
  };
  let database: FreshDatabase | undefined;
  let nodeA: BulwarkServer | undefined;
  let nodeB: BulwarkServer | undefined;
  let browser: Browser | undefined;
  const opened: OpenedPage[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    database = await createFreshDatabase(postgresBaseUrl ?? '');
    nodeA = await startBulwark({ databaseUrl: database.url, env: sharedSecrets });
    await createAdministratorThroughApi(nodeA.url, nodeA.setupLink, makeAdministrator());
    nodeB = await startBulwark({ databaseUrl: database.url, env: sharedSecrets, expectSetupLink: false });
    await seed(database.url);
  });

  afterAll(async () => {
    for (const { context } of opened) await context.close();
    await browser?.close();
    await nodeA?.dispose();
    await nodeB?.dispose();
    await database?.drop();
  });

  it('chats live across the two nodes, ends, and keeps the transcript on the case', async () => {
    if (!browser || !nodeA || !nodeB) throw new Error('beforeAll did not finish');
    const [a, b] = [nodeA, nodeB];
    onTestFailed(() => {
      const pages = opened.map(({ page, problems }) => `Page at ${page.url()}; problems: ${problems.join('; ') || 'none'}`);
      console.error([...pages, `Node A: ${a.describeLogs()}`, `Node B: ${b.describeLogs()}`].join('\n'));
    });

    // The contact, on node A: the New Chat Support Session form, then the wait.
    const contact = await openPage(browser);
    opened.push(contact);
    await signIn(contact.page, a.url, CONTACT.username);
    await contact.page.goto(`${a.url}/support/chat`);
    await contact.page.getByRole('heading', { name: 'New Chat Support Session', exact: true }).waitFor();
    const form = contact.page.getByRole('form', { name: 'New Chat Support Session' });
    await form.getByRole('combobox', { name: 'Product', exact: true }).selectOption(PRODUCT);
    await form.getByRole('combobox', { name: 'Product Version' }).selectOption('10.8');
    await form.getByRole('combobox', { name: 'Operating System' }).selectOption('Debian 12');
    await form.getByRole('combobox', { name: 'Support Case Number' }).selectOption('New Case');
    await form.getByRole('textbox', { name: 'Description' }).fill('Scans stop at 40% since the upgrade to 10.8.');
    await keepScreenshot(contact.page, '1-new-chat-form');
    await form.getByRole('button', { name: 'Submit', exact: true }).click();
    await contact.page.waitForURL(/\/support\/chat\/[0-9a-f-]{36}$/);
    await contact.page.getByText('Waiting for a support engineer…').waitFor();
    await keepScreenshot(contact.page, '2-contact-waiting');

    // The agent, on node B: the inbox shows the chat; Accept opens it.
    const agent = await openPage(browser);
    opened.push(agent);
    await signIn(agent.page, b.url, AGENT.username);
    await agent.page.goto(`${b.url}/support-console/chats`);
    await agent.page.getByRole('button', { name: `Accept the chat of ${ACCOUNT_NAME}` }).waitFor();
    await keepScreenshot(agent.page, '3-agent-inbox');
    await agent.page.getByRole('button', { name: `Accept the chat of ${ACCOUNT_NAME}` }).click();
    await agent.page.waitForURL(/\/support-console\/chats\/[0-9a-f-]{36}$/);
    const agentLog = agent.page.getByRole('log', { name: 'Conversation' });
    await agentLog.getByText('Scans stop at 40% since the upgrade to 10.8.').waitFor();

    // The contact's page learns of the accept through node B -> PostgreSQL -> node A.
    await contact.page.getByText(`You are chatting with ${AGENT.name}.`).waitFor({ timeout: 15_000 });
    const contactLog = contact.page.getByRole('log', { name: 'Conversation' });

    await agent.page.getByRole('textbox', { name: 'Message' }).pressSequentially('Which scan pol', { delay: 20 });
    await contact.page.getByText(`${AGENT.name} is typing…`).waitFor({ timeout: 10_000 });
    await agent.page.getByRole('textbox', { name: 'Message' }).fill('Which scan policy do you use?');
    await agent.page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await contactLog.getByText('Which scan policy do you use?').waitFor({ timeout: 10_000 });

    await contact.page.getByRole('textbox', { name: 'Message' }).fill('Advanced Network Scan, 2,000 hosts.');
    await contact.page.getByRole('button', { name: 'Send', exact: true }).click();
    await agentLog.getByText('Advanced Network Scan, 2,000 hosts.').waitFor({ timeout: 10_000 });
    await keepScreenshot(agent.page, '4-agent-conversation');
    await keepScreenshot(contact.page, '5-contact-conversation');

    // The agent ends it; both sides see the end, and the contact follows the link to the case.
    await agent.page.getByRole('button', { name: 'End chat', exact: true }).click();
    await agent.page.getByTestId('chat-ended').waitFor();
    await contact.page.getByTestId('chat-ended').waitFor({ timeout: 15_000 });
    await expect.poll(() => contact.page.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
    await contact.page.getByTestId('chat-ended').getByRole('link').click();
    await contact.page.waitForURL(/\/support\/cases\/[0-9a-f-]{36}$/);
    for (const text of [
      'Scans stop at 40% since the upgrade to 10.8.',
      'Which scan policy do you use?',
      'Advanced Network Scan, 2,000 hosts.',
    ]) {
      await contact.page.getByText(text, { exact: true }).first().waitFor({ timeout: 15_000 });
    }
    await contact.page.getByText(`${AGENT.name} ended the chat.`).first().waitFor();
    await keepScreenshot(contact.page, '6-case-with-transcript');
  });
});
