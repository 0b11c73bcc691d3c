import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { callApi, signInThroughApi, type Administrator } from '../e2e/support/api.js';
import { createAppSnapshot, REPO_ROOT } from '../e2e/support/app-snapshot.js';
import { DESKTOP_VIEWPORT, launchBrowser, openPage } from '../e2e/support/browser.js';
import { completeSetupForm, waitForPath, waitForSignInPage } from '../e2e/support/pages.js';
import { startBulwark, type BulwarkServer } from '../e2e/support/server.js';

/**
 * `npm run screenshots`: starts a fresh Bulwark, creates the first Administrator through the
 * logged setup link in Debian's Chromium, and saves the README's screenshots (1440x900) under
 * docs/screenshots/.
 */

const OUTPUT_DIR = path.join(REPO_ROOT, 'docs', 'screenshots');
const ADMIN: Administrator = {
  name: 'Ada Lovelace',
  username: 'ada@mssp.example',
  email: 'ada@mssp.example',
  password: 'Correct-Horse-42!',
};

async function save(page: Page, name: string): Promise<void> {
  const file = path.join(OUTPUT_DIR, name);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  console.log(`saved ${path.relative(REPO_ROOT, file)}`);
}

async function takeScreenshots(server: BulwarkServer): Promise<void> {
  const browser = await launchBrowser();
  try {
    const signedOut = await openPage(browser, { viewport: DESKTOP_VIEWPORT });
    await signedOut.page.goto(`${server.url}/login`);
    await waitForSignInPage(signedOut.page);
    await save(signedOut.page, 'sign-in.png');

    const { page, problems } = await openPage(browser, { viewport: DESKTOP_VIEWPORT });
    await completeSetupForm(page, server.setupLink, ADMIN);
    await page.getByText('No customer accounts yet').waitFor();
    await save(page, 'accounts-empty.png');

    // A few more events, so the audit log shows what it is for: a mistyped password, then a sign-in.
    await callApi(server.url, 'POST', '/api/auth/sign-in', { body: { username: ADMIN.username, password: 'Not-The-Password-1!' } });
    await signInThroughApi(server.url, { username: ADMIN.username, password: ADMIN.password });
    await page.goto(`${server.url}/settings/audit-log`);
    await waitForPath(page, '/settings/audit-log');
    await page.getByRole('heading', { name: 'Audit log', exact: true }).waitFor();
    await page.getByRole('table').getByText('auth.sign_in_failed', { exact: true }).waitFor();
    await save(page, 'audit-log.png');
    if (problems.length > 0) console.warn(`Problems seen on the pages:\n  ${problems.join('\n  ')}`);
  } finally {
    await browser.close();
  }
}

fs.mkdirSync(OUTPUT_DIR, { recursive: true });
const snapshot = createAppSnapshot();
let exitCode = 0;
try {
  const server = await startBulwark({ appRoot: snapshot.root });
  try {
    await takeScreenshots(server);
  } catch (error) {
    console.error(server.describeLogs());
    throw error;
  } finally {
    await server.dispose();
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  snapshot.dispose();
}
process.exit(exitCode);
