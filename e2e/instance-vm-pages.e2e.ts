import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { callApi, createAdministratorThroughApi, makeAdministrator, signInThroughApi } from './support/api.js';
import { PHONE_VIEWPORT } from './support/browser.js';
import { importFixture, saveScreenshot } from './support/instance-data.js';
import { useJourney } from './support/journey.js';
import { pathOf, submitSignInForm, waitForPath } from './support/pages.js';

const HEIMDALL = 'mitre__heimdall2__sample.nessus';
const ORACLE_COMPLIANCE = 'SoteriaSoftwareLLC__openrmfpro-automation__Oracle_Linux_7_CIS_Level_1_Server_ue9jey.nessus';
const PASSWORD = 'Correct-Horse-42!';

/** Mantine's chips hide their check box; a person clicks the chip's label. */
async function clickChip(page: Page, group: string, label: string): Promise<void> {
  await page
    .getByRole('group', { name: group, exact: true })
    .locator('label')
    .filter({ hasText: new RegExp(`^${label}$`) })
    .click();
}

/** Signed out, the app's session probe answers 401, which Chromium logs; that line is expected. */
function withoutSessionProbe(problems: string[]): string[] {
  return problems.filter((problem) => !/status of 401 \(Unauthorized\) \(\S+\/api\/auth\/session\)$/.test(problem));
}

interface Dashboard {
  openBySeverity: Record<'critical' | 'high' | 'medium' | 'low' | 'info', number>;
  assetCount: number;
  scanCount: number;
  complianceByResult: Record<string, number>;
}

describe('Vulnerability Management pages of an instance', () => {
  const journey = useJourney({ withMail: true });

  it('a contact sees the dashboard, filters vulnerabilities, opens a plugin, a finding and an asset', async () => {
    const { server, mail } = journey;
    const admin = makeAdministrator();
    const adminApi = await createAdministratorThroughApi(server.url, server.setupLink, admin);
    const suffix = crypto.randomBytes(3).toString('hex');

    // An account, its contact (a VM Scan Operator) with a password chosen from the invitation.
    const created = await callApi(server.url, 'POST', '/api/accounts', {
      ...adminApi,
      body: {
        name: `Umbrella ${suffix}`,
        siteId: `UMB-${suffix}`,
        region: 'EU',
        licenses: [{ app: 'vm', assetLimit: 100, expiresOn: '2030-12-31' }],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const accountId = (created.body as { id: string }).id;
    const contactUsername = `alice.${suffix}@umbrella.example`;
    const contact = await callApi(server.url, 'POST', `/api/accounts/${accountId}/contacts`, {
      ...adminApi,
      body: { name: 'Alice Analyst', username: contactUsername, role: 24 },
    });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const invitation = await mail.waitForMessage(contactUsername);
    const token = new URL(invitation.text.match(/https?:\/\/\S+reset-password\?token=[\w-]+/)?.[0] ?? 'http://missing').searchParams.get(
      'token',
    );
    const reset = await callApi(server.url, 'POST', '/api/auth/reset-password', { body: { token, password: PASSWORD } });
    expect(reset.status, JSON.stringify(reset.body)).toBeLessThan(300);
    const contactApi = await signInThroughApi(server.url, { username: contactUsername, password: PASSWORD });

    // An empty instance says so and points to the Scans page.
    const { page, problems, waitForQuietNetwork } = await journey.openPage();
    await submitSignInForm(page, server.url, { username: contactUsername, password: PASSWORD });
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.goto(`${server.url}/instances/${accountId}/vm`);
    await page.getByText('No scan data yet').waitFor();
    await page.getByRole('link', { name: 'Go to Scans' }).waitFor();
    await saveScreenshot(page, 'vm-dashboard-empty');

    await importFixture(server.url, contactApi, accountId, HEIMDALL);
    await importFixture(server.url, contactApi, accountId, ORACLE_COMPLIANCE);
    const dashboardResponse = await callApi(server.url, 'GET', `/api/instances/${accountId}/dashboard`, {
      sessionCookie: contactApi.sessionCookie,
    });
    const dashboard = dashboardResponse.body as Dashboard;
    expect(dashboard.openBySeverity.critical).toBeGreaterThan(0);
    expect(Object.keys(dashboard.complianceByResult).length).toBeGreaterThan(0);

    // The dashboard shows the API's counts.
    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    const severityNames = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' } as const;
    for (const [key, label] of Object.entries(severityNames)) {
      const count = dashboard.openBySeverity[key as keyof typeof severityNames];
      await page.getByRole('link', { name: `${count.toLocaleString('en-US')} ${label}`, exact: true }).waitFor();
    }
    await page.getByRole('link', { name: `${dashboard.assetCount} Assets`, exact: true }).waitFor();
    await page.getByRole('link', { name: `${dashboard.scanCount} Scans`, exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Compliance checks' }).waitFor();
    await page.getByRole('heading', { name: 'Open findings over 90 days' }).waitFor();
    await waitForQuietNetwork();
    await saveScreenshot(page, 'vm-dashboard');

    // Vulnerabilities: Critical only, then a search; both kept in the URL across a reload.
    await page.getByRole('link', { name: 'Vulnerabilities', exact: true }).first().click();
    await waitForPath(page, `/instances/${accountId}/vm/vulnerabilities`);
    await page.getByRole('heading', { name: 'Vulnerabilities', level: 1 }).waitFor();
    await clickChip(page, 'Severity', 'Critical');
    await page.waitForURL((url) => url.searchParams.get('severity') === '4');
    await page.getByRole('link', { name: 'Unix Operating System Unsupported Version Detection' }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: /Oracle Java SE/ }).count()).toBe(0);
    await saveScreenshot(page, 'vm-vulnerabilities-critical');

    await clickChip(page, 'Severity', 'Critical');
    await page.waitForURL((url) => !url.searchParams.has('severity'));
    await page.getByRole('searchbox', { name: 'Search' }).fill('oracle java');
    await page.waitForURL((url) => url.searchParams.get('search') === 'oracle java' && !url.searchParams.has('severity'));
    await expect.poll(() => page.getByRole('link', { name: /Oracle Java SE/ }).count()).toBe(2);
    await page.reload();
    await expect.poll(() => page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('oracle java');
    await expect.poll(() => page.getByRole('link', { name: /Oracle Java SE/ }).count()).toBe(2);
    await saveScreenshot(page, 'vm-vulnerabilities-search');

    // A plugin: its text, CVE links and affected assets; then one of its findings.
    await page.getByRole('searchbox', { name: 'Search' }).fill('SSL Certificate Cannot Be Trusted');
    await page.waitForURL((url) => url.searchParams.get('search') === 'SSL Certificate Cannot Be Trusted');
    await page.getByRole('link', { name: 'SSL Certificate Cannot Be Trusted', exact: true }).click();
    await waitForPath(page, `/instances/${accountId}/vm/vulnerabilities/51192`);
    await page.getByRole('heading', { name: 'SSL Certificate Cannot Be Trusted', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Synopsis' }).waitFor();
    await page.getByRole('heading', { name: 'Affected assets' }).waitFor();
    const findingLinks = page.getByRole('link', { name: /^Finding details:/ });
    await expect.poll(() => findingLinks.count()).toBe(2);
    const seeAlso = page.locator('a[target="_blank"]').first();
    expect(await seeAlso.getAttribute('rel')).toBe('noopener noreferrer');
    await waitForQuietNetwork();
    await saveScreenshot(page, 'vm-vulnerability');

    await findingLinks.first().click();
    await page.waitForURL((url) => url.pathname.startsWith(`/instances/${accountId}/vm/findings/`));
    await page.getByRole('heading', { name: 'Plugin output' }).waitFor();
    const output = page.getByLabel('Plugin output', { exact: true }).last();
    expect((await output.textContent())?.trim().length).toBeGreaterThan(0);
    await page.getByRole('list', { name: 'State history' }).getByText('Opened').waitFor();
    await page.getByText(`Scan: `).first().waitFor();
    await waitForQuietNetwork();
    await saveScreenshot(page, 'vm-finding');

    // Its asset: details, host properties and findings (filtered by state in the URL).
    await page.locator('main a[href*="/vm/assets/"]').first().click();
    await page.waitForURL((url) => url.pathname.startsWith(`/instances/${accountId}/vm/assets/`));
    await page.getByRole('heading', { name: 'Identity and addresses' }).waitFor();
    await page.getByRole('button', { name: /Show all \d+/ }).click();
    await page.getByRole('columnheader', { name: 'Property' }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: /^Finding details:/ }).count()).toBeGreaterThan(0);
    await clickChip(page, 'State', 'Fixed');
    await page.waitForURL((url) => url.searchParams.get('state') === 'OPEN,REOPENED');
    await waitForQuietNetwork();
    await saveScreenshot(page, 'vm-asset');

    // Assets: search by address.
    await page.getByRole('link', { name: 'Assets', exact: true }).first().click();
    await waitForPath(page, `/instances/${accountId}/vm/assets`);
    await page.getByRole('searchbox', { name: 'Search' }).fill('10.0.0.2');
    await page.waitForURL((url) => url.searchParams.get('search') === '10.0.0.2');
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
    await page.getByRole('cell', { name: '10.0.0.2', exact: true }).waitFor();
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await page.waitForURL((url) => !url.searchParams.has('search'));
    await expect.poll(() => page.getByRole('row').count()).toBeGreaterThan(3);
    await waitForQuietNetwork();
    await saveScreenshot(page, 'vm-assets');

    expect(pathOf(page)).toBe(`/instances/${accountId}/vm/assets`);
    expect(withoutSessionProbe(problems), 'errors on the instance pages').toEqual([]);

    // The dashboard at phone width.
    const phone = await journey.openPage({ viewport: PHONE_VIEWPORT });
    await submitSignInForm(phone.page, server.url, { username: contactUsername, password: PASSWORD });
    await phone.page.waitForURL((url) => url.pathname !== '/login');
    await phone.page.goto(`${server.url}/instances/${accountId}/vm`);
    await phone.page.getByRole('heading', { name: 'Most vulnerable assets' }).waitFor();
    await phone.waitForQuietNetwork();
    await saveScreenshot(phone.page, 'vm-dashboard-phone');
    const overflow = await phone.page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document
        .documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow, 'the phone page scrolls sideways').toBeLessThanOrEqual(0);
    await phone.page.goto(`${server.url}/instances/${accountId}/vm/vulnerabilities?severity=4,3,2`);
    await phone.page.getByRole('link', { name: 'SSL Certificate Cannot Be Trusted', exact: true }).waitFor();
    await phone.waitForQuietNetwork();
    await saveScreenshot(phone.page, 'vm-vulnerabilities-phone');
    expect(withoutSessionProbe(phone.problems), 'errors on the phone dashboard').toEqual([]);
  });
});
