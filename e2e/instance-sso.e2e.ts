import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makePng } from '../server/test/factories.js';
import { REPO_ROOT } from './support/app-snapshot.js';
import {
  callApi,
  createAdministratorThroughApi,
  listAuditEvents,
  makeAdministrator,
  SESSION_COOKIE,
  type ApiSession,
} from './support/api.js';
import { PHONE_VIEWPORT } from './support/browser.js';
import { useJourney } from './support/journey.js';
import { signInWithForm, waitForAccountsPage, waitForPath } from './support/pages.js';

const SCREENS = path.join(REPO_ROOT, '.tmp', 'screens');
const FIXTURES = path.resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'real', 'nessus');
const HOSTS_FIXTURE = 'mitre__heimdall2__sample.nessus';
const WAS_FIXTURE = 'DefectDojo__django-DefectDojo__nessus_was_many_vuln.xml';

async function takeScreenshot(page: Page, name: string, isFullPage = false): Promise<void> {
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: isFullPage });
}

/** A request callApi does not make: multipart (a logo) or PUT (assigning it). */
async function sendRaw(baseUrl: string, session: ApiSession, method: 'POST' | 'PUT', apiPath: string, body: FormData | object) {
  const isForm = body instanceof FormData;
  const response = await fetch(new URL(apiPath, baseUrl), {
    method,
    headers: {
      accept: 'application/json',
      cookie: `${SESSION_COOKIE}=${encodeURIComponent(session.sessionCookie)}`,
      'x-csrf-token': session.csrfToken,
      ...(isForm ? {} : { 'content-type': 'application/json' }),
    },
    body: isForm ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as unknown };
}

/** Chooses files in the Scans page's drop zone (its hidden file input). */
async function uploadFixture(page: Page, fileName: string): Promise<void> {
  await page.getByLabel('Choose Nessus files to import').setInputFiles(path.join(FIXTURES, fileName));
}

describe('single sign-on into a customer instance', () => {
  const journey = useJourney();

  it('signs in from the Accounts page, imports a real scan with progress, sees the dashboard change, opens a finding and returns; an unassigned instance stays closed', async () => {
    const { server } = journey;
    const admin = makeAdministrator();
    const adminApi = await createAdministratorThroughApi(server.url, server.setupLink, admin);
    const domain = admin.username.split('@')[1] ?? '';
    const suffix = crypto.randomBytes(3).toString('hex');

    // Two accounts: Acme (licensed for all three apps, at most 2 hosts) is assigned to Grace; Globex is not.
    const licenses = [
      { app: 'vm', assetLimit: 2, expiresOn: '2030-06-30' },
      { app: 'was', assetLimit: 10, expiresOn: '2030-06-30' },
      { app: 'cs', assetLimit: 10, expiresOn: '2030-06-30' },
    ];
    const acme = await callApi(server.url, 'POST', '/api/accounts', { ...adminApi, body: { name: `Acme ${suffix}`, licenses } });
    expect(acme.status, JSON.stringify(acme.body)).toBe(201);
    const acmeId = (acme.body as { id: string }).id;
    const globex = await callApi(server.url, 'POST', '/api/accounts', { ...adminApi, body: { name: `Globex ${suffix}`, licenses } });
    expect(globex.status, JSON.stringify(globex.body)).toBe(201);
    const globexId = (globex.body as { id: string }).id;

    // Acme's logo.
    const form = new FormData();
    form.append('name', 'Acme mark');
    form.append('file', new Blob([new Uint8Array(makePng(200, 40))], { type: 'image/png' }), 'acme.png');
    const logo = await sendRaw(server.url, adminApi, 'POST', '/api/logos', form);
    expect(logo.status, JSON.stringify(logo.body)).toBe(201);
    const assigned = await sendRaw(server.url, adminApi, 'PUT', '/api/accounts/logo', {
      logoId: (logo.body as { id: string }).id,
      accountIds: [acmeId],
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);

    // Grace: VM Standard, assigned to Acme only.
    const grace = { name: 'Grace Hopper', username: `grace.${suffix}@${domain}`, password: 'Correct-Horse-42!' };
    const createdUser = await callApi(server.url, 'POST', '/api/admin/users', {
      ...adminApi,
      body: { ...grace, role: 32, accountIds: [acmeId] },
    });
    expect(createdUser.status, JSON.stringify(createdUser.body)).toBe(201);

    const { page } = await journey.openPage();
    await signInWithForm(page, server.url, grace);

    // The row's single sign-on button opens the instance on Vulnerability Management.
    await page.getByRole('button', { name: `Sign in to the instance of Acme ${suffix}` }).click();
    await waitForPath(page, `/instances/${acmeId}/vm`);
    const overlay = page.getByRole('region', { name: 'MSSP portal sign-in' });
    await overlay.waitFor();
    expect((await overlay.innerText()).replace(/\s+/g, ' ')).toContain(`signed in to Acme ${suffix} as ${grace.username} (VM Standard)`);
    const logoImage = page.getByRole('img', { name: `Acme ${suffix} logo` });
    await logoImage.waitFor();
    await expect.poll(() => logoImage.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth)).toBe(200);
    // The dashboard before any scan: nothing yet.
    const dashboardBefore = await callApi(server.url, 'GET', `/api/instances/${acmeId}/dashboard`, {
      sessionCookie: adminApi.sessionCookie,
    });
    expect((dashboardBefore.body as { assetCount: number }).assetCount).toBe(0);
    await page.getByRole('heading', { name: 'Dashboard' }).first().waitFor();
    await takeScreenshot(page, 'instance-overlay');

    // Scans: upload a real fixture, watch it go from upload to import to its outcome.
    await page.getByRole('link', { name: 'Scans', exact: true }).click();
    await waitForPath(page, `/instances/${acmeId}/scans`);
    await page.getByText('No scans yet').waitFor();
    await uploadFixture(page, HOSTS_FIXTURE);
    const upload = page.getByRole('listitem', { name: `Import of ${HOSTS_FIXTURE}` });
    await upload.waitFor();
    await takeScreenshot(page, 'instance-scans-during-import');
    await upload.getByText(/Imported 3 hosts and \d+ findings/).waitFor({ timeout: 60_000 });
    const scansTable = page.getByRole('table', { name: 'Scans of this instance' });
    await scansTable.getByText('Completed').waitFor();
    await scansTable.getByText(HOSTS_FIXTURE, { exact: false }).waitFor();
    // Three hosts on a licence for two: the banner says so, and the import still worked.
    await page.getByText('Licensed assets: 3 of 2 — over the licence limit', { exact: false }).waitFor();
    await takeScreenshot(page, 'instance-scans-after-import', true);

    // The same file again changes nothing.
    await uploadFixture(page, HOSTS_FIXTURE);
    await page
      .getByRole('listitem', { name: `Import of ${HOSTS_FIXTURE}` })
      .getByText('Already imported (no changes)')
      .first()
      .waitFor({ timeout: 60_000 });

    // The dashboard counts changed (the import refreshed the instance's pages).
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await waitForPath(page, `/instances/${acmeId}/vm`);
    await page.getByLabel('3 Assets', { exact: true }).waitFor();
    const dashboardAfter = await callApi(server.url, 'GET', `/api/instances/${acmeId}/dashboard`, {
      sessionCookie: adminApi.sessionCookie,
    });
    expect((dashboardAfter.body as { assetCount: number; scanCount: number }).assetCount).toBe(3);

    // Web App Scanning: import a web application scan, open the application, then one of its findings.
    await page.getByRole('button', { name: /Switch app/ }).click();
    await page.getByRole('menuitem', { name: 'Web App Scanning' }).click();
    await waitForPath(page, `/instances/${acmeId}/was`);
    await page.getByText('No web applications yet').waitFor();
    await page.getByRole('link', { name: 'Scans', exact: true }).click();
    await uploadFixture(page, WAS_FIXTURE);
    await page
      .getByRole('listitem', { name: `Import of ${WAS_FIXTURE}` })
      .getByText(/Imported \d+ hosts? and \d+ findings/)
      .waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: 'Web applications', exact: true }).click();
    await waitForPath(page, `/instances/${acmeId}/was`);
    const webApps = page.getByRole('table', { name: 'Web applications' });
    await webApps.getByRole('link').first().waitFor();
    await page.getByRole('table', { name: 'Web application findings by plugin' }).waitFor();
    await takeScreenshot(page, 'instance-was', true);
    await webApps.getByRole('link').first().click();
    await page
      .getByRole('link', { name: /^Finding details/ })
      .first()
      .click();
    await page.waitForURL((url) => url.pathname.startsWith(`/instances/${acmeId}/vm/findings/`));
    await overlay.waitFor();
    await takeScreenshot(page, 'instance-finding');

    // Container Security: nothing has arrived yet.
    await page.getByRole('button', { name: /Switch app/ }).click();
    await page.getByRole('menuitem', { name: 'Container Security' }).click();
    await waitForPath(page, `/instances/${acmeId}/cs`);
    await page.getByText('No container data has arrived in this instance yet', { exact: false }).waitFor();
    await takeScreenshot(page, 'instance-cs');

    // Phone width: the overlay stays, the navigation folds behind the menu button.
    await page.setViewportSize(PHONE_VIEWPORT);
    await page.goto(`${server.url}/instances/${acmeId}/scans`);
    await overlay.waitFor();
    await scansTable.waitFor();
    await takeScreenshot(page, 'instance-scans-phone', true);
    await page.setViewportSize({ width: 1440, height: 900 });

    // Back to the portal.
    await overlay.getByRole('button', { name: 'Return to MSSP Portal' }).click();
    await waitForAccountsPage(page);

    // Leave User in the user menu does the same.
    await page.getByRole('button', { name: `Sign in to the instance of Acme ${suffix}` }).click();
    await waitForPath(page, `/instances/${acmeId}/vm`);
    await page.getByRole('button', { name: 'User account menu' }).click();
    await page.getByRole('menuitem', { name: 'Leave User' }).click();
    await waitForAccountsPage(page);

    // Entering and leaving were audited as Grace in Acme.
    const entered = await listAuditEvents(server.url, adminApi, { action: 'instance.sso_entered' });
    const left = await listAuditEvents(server.url, adminApi, { action: 'instance.sso_left' });
    expect(entered.length).toBeGreaterThanOrEqual(2);
    expect(left.length).toBeGreaterThanOrEqual(2);

    // Globex is not Grace's: its URL shows a clear refusal, not a broken page.
    await page.goto(`${server.url}/instances/${globexId}`);
    await page.getByRole('heading', { name: 'Instance not found' }).waitFor();
    await page.getByText('does not exist, or you do not have access to it', { exact: false }).waitFor();
    await takeScreenshot(page, 'instance-no-access');
    await page.getByRole('link', { name: 'Back to Accounts' }).click();
    await waitForAccountsPage(page);
  });
});
