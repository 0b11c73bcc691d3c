import crypto from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { callApi, createAdministratorThroughApi, listAuditEvents, makeAdministrator, signInThroughApi } from './support/api.js';
import { importFixture, saveScreenshot } from './support/instance-data.js';
import { useJourney } from './support/journey.js';
import { signInWithForm, waitForAccountsPage, waitForPath } from './support/pages.js';

/**
 * Integrations and Signals (issue 8) in Chromium: a Tenable integration pointing at this Bulwark's
 * own Tenable-compatible API (keys generated there for a contact of account A, whose instance holds
 * an imported scan) with account B as its target; Test Connection, Save, Poll Now, the tile turning
 * green with counts, the known CVE found on the Signals page, and the findings in B's instance.
 */

const HEIMDALL = 'mitre__heimdall2__sample.nessus';
// In the Heimdall sample: plugin 154345 (Oracle Java SE … Unix October 2021 CPU) lists it.
const KNOWN_CVE = 'CVE-2021-3517';
const PASSWORD = 'Correct-Horse-42!';

describe('Integrations and Signals', () => {
  // A short scheduler tick so Poll Now's runs start at once.
  const journey = useJourney({ withMail: true, env: { INTEGRATIONS_TICK_SECONDS: '2' } });

  it('adds a Tenable integration against this Bulwark, polls it, finds the CVE in Signals and the findings in the target instance', async () => {
    const { server, mail } = journey;
    const admin = makeAdministrator();
    const adminApi = await createAdministratorThroughApi(server.url, server.setupLink, admin);
    const suffix = crypto.randomBytes(3).toString('hex');
    const licenses = [{ app: 'vm', assetLimit: 100, expiresOn: '2030-12-31' }];

    // Account A, the source: its contact (an instance Administrator) imports a real scan and generates API keys.
    const source = await callApi(server.url, 'POST', '/api/accounts', { ...adminApi, body: { name: `Initech ${suffix}`, licenses } });
    expect(source.status, JSON.stringify(source.body)).toBe(201);
    const sourceId = (source.body as { id: string }).id;
    const contactUsername = `carol.${suffix}@initech.example`;
    const contact = await callApi(server.url, 'POST', `/api/accounts/${sourceId}/contacts`, {
      ...adminApi,
      body: { name: 'Carol Source', username: contactUsername, role: 64 },
    });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const invitation = await mail.waitForMessage(contactUsername);
    const token = new URL(invitation.text.match(/https?:\/\/\S+reset-password\?token=[\w-]+/)?.[0] ?? 'http://missing').searchParams.get(
      'token',
    );
    const reset = await callApi(server.url, 'POST', '/api/auth/reset-password', { body: { token, password: PASSWORD } });
    expect(reset.status, JSON.stringify(reset.body)).toBeLessThan(300);
    const contactApi = await signInThroughApi(server.url, { username: contactUsername, password: PASSWORD });
    await importFixture(server.url, contactApi, sourceId, HEIMDALL);
    const keys = await callApi(server.url, 'POST', '/api/me/api-keys', { ...contactApi });
    expect(keys.status, JSON.stringify(keys.body)).toBe(201);
    const { accessKey, secretKey } = keys.body as { accessKey: string; secretKey: string };

    // Account B, the target: empty until the integration merges the findings into it.
    const target = await callApi(server.url, 'POST', '/api/accounts', { ...adminApi, body: { name: `Globex ${suffix}`, licenses } });
    expect(target.status, JSON.stringify(target.body)).toBe(201);
    const targetId = (target.body as { id: string }).id;
    const targetName = `Globex ${suffix}`;

    const { page } = await journey.openPage();
    await signInWithForm(page, server.url, admin);

    // Settings → Integrations: the catalogue, then Add Integration → Tenable.
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Integrations' }).click();
    await waitForPath(page, '/settings/integrations');
    const catalogue = page.getByRole('region', { name: 'Tenable connector' });
    await catalogue.getByText('signal-client.tenable').waitFor();
    await catalogue.getByText('Access Key + Secret Key').waitFor();
    await catalogue.getByRole('link', { name: /Tenable\.io API Documentation/ }).waitFor();
    await page.getByText('No integrations yet').waitFor();
    await saveScreenshot(page, 'integrations-empty');
    await page.getByRole('button', { name: 'Add Integration' }).click();
    await page.getByRole('menuitem', { name: /Tenable/ }).click();
    await waitForPath(page, '/settings/integrations/new/signal-client.tenable');

    // The seed's form: FQDN defaults to cloud.tenable.com; here it is this server's own base URL.
    const form = page.getByRole('form', { name: 'New Tenable integration' });
    await form.waitFor();
    expect(await form.getByLabel('FQDN').inputValue()).toBe('cloud.tenable.com');
    await form.getByLabel('Name').fill(`Initech Tenable ${suffix}`);
    await form.getByLabel('FQDN').fill(server.url);
    await form.getByLabel('Client ID').fill(accessKey);
    await form.getByLabel('API Secret').fill(secretKey);
    await form.getByLabel('Polling Interval (minutes)').fill('30');
    const targetPicker = form.getByLabel('Target customer account');
    await targetPicker.click();
    await targetPicker.fill(targetName);
    await page.getByRole('option', { name: targetName, exact: true }).click();

    await form.getByRole('button', { name: 'Test Connection' }).click();
    await form.getByText('Connection succeeded').waitFor({ timeout: 30_000 });
    await saveScreenshot(page, 'integration-form-tested');

    await form.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL((url) => /^\/settings\/integrations\/[0-9a-f-]{36}$/.test(url.pathname));
    const integrationId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await page.getByText('The first data arrives within one polling interval', { exact: false }).first().waitFor();

    // Poll Now: the tile goes green with counts.
    await page.getByRole('button', { name: 'Poll Now' }).click();
    // Saving already schedules the first runs; if both have started, Poll Now says so instead of queuing.
    await page.getByText(/^Poll Now: .* queued\.|^Every stream is already running\.$/).waitFor();
    const tile = page.getByRole('article', { name: `Integration Initech Tenable ${suffix}` });
    const indicator = tile.getByTestId('health-indicator').first();
    await expect.poll(() => indicator.getAttribute('data-health'), { timeout: 120_000, interval: 1_000 }).toBe('healthy');
    expect(await indicator.getAttribute('data-color')).toBe('green');
    // Counts: what the last run fetched (a later scheduled run may find nothing new) and, above zero, the total.
    for (const stream of ['vulnerabilities', 'assets']) {
      const fetched = (await tile.getByTestId(`fetched-${stream}`).innerText()).replace(/\s+/g, ' ');
      expect(fetched, fetched).toMatch(/^[\d,]+ fetched by the last run, [1-9][\d,]* in total$/);
    }
    // The ledger and the seed's log line, one per stream.
    const runs = page.getByRole('table', { name: 'Run history' });
    await expect.poll(() => runs.getByText('Succeeded').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const log = page.getByRole('log', { name: 'Connector log' });
    await log
      .getByText(/\[INFO\] tenable: fetched \d+ vulnerabilities/)
      .first()
      .waitFor({ timeout: 30_000 });
    await log
      .getByText(/\[INFO\] tenable: fetched \d+ assets/)
      .first()
      .waitFor();
    await saveScreenshot(page, 'integration-green');

    // Poll Now and the creation were audited.
    expect((await listAuditEvents(server.url, adminApi, { action: 'integration.created' })).length).toBe(1);
    expect((await listAuditEvents(server.url, adminApi, { action: 'integration.poll_now' })).length).toBeGreaterThanOrEqual(1);

    // Signals → Search: the results show before the counts (held back here), which fill in after.
    let releaseCounts = () => undefined as void;
    const countsHeld = new Promise<void>((resolve) => (releaseCounts = resolve));
    await page.route('**/api/signals/counts**', async (route) => {
      await countsHeld;
      await route.continue();
    });
    await page.getByRole('link', { name: 'Signals', exact: true }).click();
    await waitForPath(page, '/signals');
    await page.getByRole('table', { name: 'Signals' }).waitFor();
    await page.getByText('Counting…').waitFor();
    await page.getByText('Counting the matches…').waitFor();
    await saveScreenshot(page, 'signals-counting');
    releaseCounts();
    await page.getByText('Counting the matches…').waitFor({ state: 'detached' });
    await page.unroute('**/api/signals/counts**');

    // The known CVE.
    await page.getByRole('searchbox', { name: 'Search' }).fill(KNOWN_CVE);
    await page.waitForURL((url) => url.searchParams.get('q') === KNOWN_CVE);
    const results = page.getByRole('table', { name: 'Signals' });
    await results.getByText(KNOWN_CVE, { exact: false }).first().waitFor({ timeout: 30_000 });
    await results.getByText(`Initech Tenable ${suffix}`).first().waitFor();
    await results.getByText(targetName).first().waitFor();
    // The facets count the matches; the integration's one filters by it.
    await page
      .getByRole('group', { name: 'Integration' })
      .getByRole('checkbox', { name: new RegExp(`^Initech Tenable ${suffix}`) })
      .click();
    await page.waitForURL((url) => url.searchParams.get('integrationId') === integrationId);
    await results.getByText(KNOWN_CVE, { exact: false }).first().waitFor();
    await saveScreenshot(page, 'signals-search');
    // The detail drawer shows the raw record.
    await results
      .getByRole('button', { name: /Oracle Java SE/ })
      .first()
      .click();
    const drawer = page.getByRole('dialog', { name: 'Signal details' });
    await drawer.getByLabel('Raw record (JSON)').getByText(KNOWN_CVE, { exact: false }).first().waitFor();
    await saveScreenshot(page, 'signal-drawer');
    await drawer.getByRole('button', { name: 'Close signal details' }).click();

    // Export CSV downloads the current results.
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Export CSV' }).click();
    const downloaded = await download;
    const csv = fs.readFileSync(await downloaded.path(), 'utf8');
    expect(csv).toContain(KNOWN_CVE);

    // Each facet is counted without its own filter: with one severity ticked, the others stay listed.
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await page.waitForURL((url) => !url.searchParams.has('q'));
    const severities = page.getByRole('group', { name: 'Severity' }).getByRole('checkbox');
    await expect.poll(() => severities.count(), { timeout: 30_000 }).toBeGreaterThan(1);
    const listed = await severities.count();
    await severities.first().click();
    await page.waitForURL((url) => url.searchParams.has('severity'));
    await expect.poll(() => page.getByRole('group', { name: 'Severity' }).getByRole('checkbox', { checked: true }).count()).toBe(1);
    await expect.poll(() => severities.count()).toBe(listed);
    await saveScreenshot(page, 'signals-severity-ticked');

    // Account B's instance, through single sign-on from the Accounts page, shows the merged findings.
    await page.getByRole('link', { name: 'Accounts', exact: true }).click();
    await waitForAccountsPage(page);
    await page.getByRole('button', { name: `Sign in to the instance of ${targetName}` }).click();
    await waitForPath(page, `/instances/${targetId}/vm`);
    await page.getByRole('link', { name: 'Vulnerabilities', exact: true }).first().click();
    await waitForPath(page, `/instances/${targetId}/vm/vulnerabilities`);
    await page.getByRole('searchbox', { name: 'Search' }).fill('oracle java');
    await page.waitForURL((url) => url.searchParams.get('search') === 'oracle java');
    await expect.poll(() => page.getByRole('link', { name: /Oracle Java SE/ }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await saveScreenshot(page, 'target-instance-vulnerabilities');
  }, 420_000);
});
