import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROOT_VARIABLE, REPO_ROOT } from './support/app-snapshot.js';
import { createFreshDatabase, findPostgresBaseUrl, type FreshDatabase } from './support/database.js';
import { useJourney, type JourneyOptions } from './support/journey.js';
import { submitSignInForm } from './support/pages.js';

/**
 * Support cases in Chromium against a server seeded by `npm run demo`: a Customer Care case with
 * two files, a Technical Support case through Suggestions and Review with FedRAMP changed to Yes,
 * a secret warning overridden and shown to the agent, and the agent's reply reaching the contact
 * by email through a real SMTP server.
 */

const DEMO_PASSWORD = 'Demo-Password-2026!';
// A demo contact with Manage Cases on an account the demo agent supports.
const CONTACT = 'rachel.coleman@contoso-health.example';
const AGENT = 'jordan.ellis@northwind-mssp.example';
const CASE_PATH = /\/support\/cases\/[0-9a-f-]{36}$/;

// The demo seeds its own data directory (and database); the journey's server then starts on it.
const seededDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-e2e-support-'));
let seededDatabase: FreshDatabase | null = null;
const journeyOptions: JourneyOptions = { withMail: true, expectSetupLink: false, env: { DATA_DIR: seededDataDir } };

beforeAll(async () => {
  const postgresBaseUrl = findPostgresBaseUrl();
  if (postgresBaseUrl) {
    seededDatabase = await createFreshDatabase(postgresBaseUrl);
    journeyOptions.databaseUrl = seededDatabase.url;
  }
  const appRoot = process.env[APP_ROOT_VARIABLE] ?? REPO_ROOT;
  const result = spawnSync(path.join(appRoot, 'node_modules', '.bin', 'tsx'), ['scripts/demo.ts'], {
    cwd: appRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: seededDataDir,
      ...(seededDatabase ? { DATABASE_URL: seededDatabase.url } : {}),
    },
    encoding: 'utf8',
    timeout: 170_000,
  });
  if (result.status !== 0) throw new Error(`npm run demo failed:\n${result.stdout}\n${result.stderr}`);
});

const journey = useJourney(journeyOptions);

afterAll(async () => {
  fs.rmSync(seededDataDir, { recursive: true, force: true });
  await seededDatabase?.drop();
});

async function signIn(page: Page, username: string): Promise<void> {
  await submitSignInForm(page, journey.server.url, { username, password: DEMO_PASSWORD });
  await page.waitForURL((url) => url.pathname !== '/login');
}

/** Chooses files through the uploader's Browse input and waits until every row says Done. */
async function uploadFiles(page: Page, files: { name: string; text: string }[]): Promise<void> {
  await page
    .getByLabel('Choose files to upload')
    .setInputFiles(files.map((file) => ({ name: file.name, mimeType: 'text/plain', buffer: Buffer.from(file.text) })));
  for (const file of files) {
    await page.getByRole('row', { name: file.name }).getByText('Done', { exact: true }).waitFor({ timeout: 30_000 });
  }
}

async function openCustomerCareForm(page: Page): Promise<void> {
  await page.goto(`${journey.server.url}/support`);
  const button = page.getByRole('button', { name: 'Create Customer Care Case', exact: true });
  await expect.poll(() => button.isEnabled(), { timeout: 15_000 }).toBe(true);
  await button.click();
  await page.getByRole('heading', { name: 'New Customer Care Case', exact: true }).waitFor();
}

async function fillCustomerCareCase(page: Page, subject: string, description: string): Promise<void> {
  const category = page.getByRole('combobox', { name: 'I Need Help With' });
  const issues = page.getByRole('combobox', { name: 'Customer Care Issues' });
  await expect.poll(() => issues.isDisabled(), { timeout: 15_000 }).toBe(true);
  await category.selectOption({ index: 1 });
  await issues.selectOption({ index: 1 });
  await page.getByRole('textbox', { name: 'Subject' }).fill(subject);
  await page.getByRole('textbox', { name: 'Description' }).fill(description);
}

describe('Support cases', () => {
  let secretCaseUrl = '';
  let secretCaseNumber = '';

  it('opens a Customer Care case with two uploaded files', async () => {
    const { page } = await journey.openPage();
    await signIn(page, CONTACT);
    await openCustomerCareForm(page);
    await fillCustomerCareCase(page, 'Add a contact to our account', 'Please add Sam Lee as a contact.');
    await uploadFiles(page, [
      { name: 'contacts.csv', text: 'name,email\nSam Lee,sam@contoso-health.example\n' },
      { name: 'approval.txt', text: 'Approved by the Primary Contact.\n' },
    ]);
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.waitForURL(CASE_PATH);
    await page.getByRole('heading', { name: 'Add a contact to our account' }).waitFor();
    const attachments = page.getByRole('table', { name: 'Attachments' });
    await attachments.getByRole('link', { name: /contacts\.csv/ }).waitFor();
    await attachments.getByRole('link', { name: /approval\.txt/ }).waitFor();

    await page.goto(`${journey.server.url}/support/cases`);
    await page.getByRole('table', { name: 'Cases' }).getByText('Add a contact to our account').waitFor();
  });

  it('opens a Technical Support case through Suggestions and Review; FedRAMP Yes removes the files', async () => {
    const { page } = await journey.openPage();
    await signIn(page, CONTACT);
    await page.goto(`${journey.server.url}/support/cases/new/technical`);
    await page.getByRole('combobox', { name: 'Priority' }).selectOption('p3');
    await page.getByRole('combobox', { name: 'Product' }).selectOption({ index: 1 });
    const version = page.getByRole('combobox', { name: 'Product Version' });
    if ((await version.count()) > 0) await version.selectOption({ index: 1 });
    await page.getByRole('textbox', { name: 'Subject' }).fill('Credentialed scan authentication failed');
    await page.getByRole('button', { name: 'Next', exact: true }).click();

    await page.getByRole('heading', { name: 'Suggestions', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await page.getByRole('heading', { name: 'Review', exact: true }).waitFor();
    await page.getByRole('combobox', { name: 'Operating System' }).selectOption({ index: 1 });
    await page.getByRole('textbox', { name: 'Description' }).fill('Windows targets report authentication failed since Monday.');
    await page.getByRole('radio', { name: 'No', exact: true }).check();
    await uploadFiles(page, [{ name: 'scan-debug.log', text: 'plugin 19506 output\n' }]);

    await page.getByRole('radio', { name: 'Yes', exact: true }).check();
    await page.getByText('any files already added are removed from the case', { exact: false }).waitFor();
    await expect.poll(() => page.getByLabel('Choose files to upload').count()).toBe(0);
    await expect.poll(() => page.getByRole('table', { name: 'Upload progress' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.waitForURL(CASE_PATH);
    await page.getByRole('heading', { name: 'Credentialed scan authentication failed' }).waitFor();
    await page.getByText('FedRAMP intake', { exact: true }).waitFor();
    await page.getByText('No files yet.', { exact: true }).waitFor();
  });

  it('shows the agent a secret warning the contact overrode', async () => {
    const { page } = await journey.openPage();
    await signIn(page, CONTACT);
    await openCustomerCareForm(page);
    await fillCustomerCareCase(page, 'Sign-in settings for the portal', 'Our service account is admin with password=Hunter2-Secret!');
    // The browser's check warns before anything is sent.
    await page.getByRole('checkbox', { name: /Submit anyway/ }).waitFor();
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    const warning = page.getByTestId('secret-detected');
    await warning.waitFor();
    expect(await warning.textContent()).not.toContain('Hunter2-Secret!');
    await warning.getByRole('button', { name: 'Submit anyway', exact: true }).click();
    await page.waitForURL(CASE_PATH);
    await page.getByRole('heading', { name: 'Sign-in settings for the portal' }).waitFor();
    secretCaseUrl = page.url();
    secretCaseNumber = ((await page.getByTestId('case-number').textContent()) ?? '').trim();

    const agent = await journey.openPage();
    await signIn(agent.page, AGENT);
    await agent.page.goto(secretCaseUrl.replace('/support/cases/', '/support-console/cases/'));
    const notice = agent.page.getByTestId('secret-override-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('The contact submitted this despite a secret warning:');
    expect(await notice.textContent()).not.toContain('Hunter2-Secret!');
  });

  it("emails the contact the agent's public reply through the real SMTP server", async () => {
    expect(secretCaseUrl).not.toBe('');
    const agent = await journey.openPage();
    await signIn(agent.page, AGENT);
    await agent.page.goto(secretCaseUrl.replace('/support/cases/', '/support-console/cases/'));
    // Public reply is the default; the contact is mailed only for those.
    await agent.page.getByRole('textbox', { name: 'Reply' }).fill('Thanks: please rotate that password now; we removed it from our notes.');
    await agent.page.getByRole('button', { name: 'Send reply', exact: true }).click();
    await agent.page.getByText('Thanks: please rotate that password now', { exact: false }).first().waitFor();

    const mail = await journey.mail.waitForMessage(CONTACT, { timeoutMs: 30_000 });
    expect(mail.subject).toContain(secretCaseNumber);
    expect(mail.text).toContain('please rotate that password now');
  });
});
