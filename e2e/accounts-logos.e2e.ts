import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makePng } from '../server/test/factories.js';
import { callApi, createAdministratorThroughApi, makeAdministrator } from './support/api.js';
import { useJourney } from './support/journey.js';
import { signInWithForm, waitForPath } from './support/pages.js';

describe('accounts and logos', () => {
  const journey = useJourney();

  it('adds a logo (247 x 52 refused), assigns it to three accounts, removes it from one, searches, renames twice and copies the details', async () => {
    const { server } = journey;
    const admin = makeAdministrator();
    const adminApi = await createAdministratorThroughApi(server.url, server.setupLink, admin);
    const suffix = crypto.randomBytes(3).toString('hex');
    const accounts = [
      { name: `Acme ${suffix}`, siteId: `ACME-${suffix}`, notes: 'Weekly scans' },
      { name: `Globex ${suffix}`, siteId: `GLBX-${suffix}`, notes: `Escalate to the pelican${suffix} desk` },
      { name: `Initech ${suffix}`, siteId: `INI-${suffix}`, notes: '' },
    ];
    for (const account of accounts) {
      const created = await callApi(server.url, 'POST', '/api/accounts', {
        ...adminApi,
        body: { ...account, region: 'EU', licenses: [{ app: 'vm', assetLimit: 100, expiresOn: '2027-06-30' }] },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }

    const { page, context } = await journey.openPage();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await signInWithForm(page, server.url, admin);

    // Logos: a 247 x 52 PNG is refused with its size; a 246 x 52 one is accepted.
    await page.getByRole('link', { name: 'Logos', exact: true }).click();
    await waitForPath(page, '/logos');
    await page.getByRole('button', { name: 'Add Logo' }).click();
    await page.getByLabel('Name').fill('Blue mark');
    const chooseFile = async (name: string, width: number, height: number) => {
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Add File' }).click();
      await (await chooser).setFiles({ name, mimeType: 'image/png', buffer: makePng(width, height) });
    };
    await chooseFile('too-wide.png', 247, 52);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('The logo is 247 x 52 pixels; logos can be at most 246 x 52 pixels.').waitFor();
    await page.getByRole('button', { name: 'Remove too-wide.png' }).click();
    await chooseFile('blue-mark.png', 246, 52);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Logo created successfully').waitFor();
    await page.getByRole('cell', { name: 'blue-mark.png' }).waitFor();

    // Assign it to the three accounts, then remove it from one with (No Logo).
    await page.getByRole('link', { name: 'Accounts', exact: true }).click();
    await waitForPath(page, '/accounts');
    const assign = async (names: string[], logo: string) => {
      for (const name of names) await page.getByRole('checkbox', { name: `Select ${name}` }).check();
      await page.getByRole('button', { name: 'Assign logo to selected accounts' }).click();
      await page.getByRole('combobox', { name: 'Logo' }).click();
      await page.getByRole('option', { name: logo }).click();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Logo assigned to all selected accounts').waitFor();
    };
    await assign(
      accounts.map((account) => account.name),
      'Blue mark',
    );
    for (const account of accounts) await page.getByRole('img', { name: `${account.name} logo`, exact: true }).waitFor();
    await assign([accounts[0]?.name ?? ''], '(No Logo)');
    await page.getByRole('img', { name: `${accounts[0]?.name} logo: Bulwark default logo` }).waitFor();
    const listed = await callApi(server.url, 'GET', '/api/accounts', adminApi);
    const logoIds = (listed.body as { items: { name: string; logoId: string | null }[] }).items.map((item) => item.logoId);
    expect(logoIds.filter((logoId) => logoId !== null)).toHaveLength(2);

    // Search by site identifier and by a word in the notes.
    const search = async (text: string) => {
      await page.getByLabel('Search accounts').fill(text);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
    };
    await search(`GLBX-${suffix}`);
    await page.getByText(`Globex ${suffix}`).first().waitFor();
    await expect.poll(() => page.getByText(`Acme ${suffix}`).count()).toBe(0);
    await search(`pelican${suffix}`);
    await page.getByText(`Globex ${suffix}`).first().waitFor();
    await expect.poll(() => page.getByText(`Initech ${suffix}`).count()).toBe(0);

    // Rename twice: both changes are in the history.
    await page.getByRole('button', { name: `Edit Globex ${suffix}` }).click({ force: true });
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Custom Name' }).fill('Globex One');
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await dialog.getByRole('cell', { name: 'Globex One', exact: true }).waitFor();
    await dialog.getByRole('textbox', { name: 'Custom Name' }).fill('Globex Two');
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await dialog.getByRole('cell', { name: 'Globex Two', exact: true }).waitFor();
    expect(await dialog.getByRole('cell', { name: 'Globex One', exact: true }).count()).toBe(2);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // Copy the support-ticket details.
    await page.getByRole('button', { name: 'View details of Globex Two' }).click({ force: true });
    await page.getByText('Account Details for Support Ticket').waitFor();
    await page.getByRole('button', { name: 'Copy account details' }).click();
    await page.getByText('Copied to clipboard').waitFor();
    // The e2e tsconfig has no DOM types: reach the browser's clipboard through globalThis.
    const copied = await page.evaluate(() =>
      (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText(),
    );
    expect(copied).toContain(`Customer Name: Globex ${suffix}`);
    expect(copied).toContain('Custom Name: Globex Two');
    expect(copied).toContain(`Site Identifier: GLBX-${suffix}`);
    expect(copied).toMatch(/Container UUID: [0-9a-f-]{36}/);
  });
});
