import { Secret, TOTP } from 'otpauth';
import { beforeAll, describe, expect, it } from 'vitest';
import { callApi, createAdministratorThroughApi, makeAdministrator } from './support/api.js';
import { useJourney } from './support/journey.js';
import { readSessionCookie, submitSignInForm, waitForAccountsPage, waitForPath } from './support/pages.js';
import { takeScreenshot } from './two-factor-helpers.js';

describe('REQUIRE_STAFF_TWO_FACTOR=true', () => {
  const journey = useJourney({ env: { REQUIRE_STAFF_TWO_FACTOR: 'true' } });
  const admin = makeAdministrator();

  beforeAll(async () => {
    await createAdministratorThroughApi(journey.server.url, journey.server.setupLink, admin);
  });

  it('takes a staff user without a second factor to setup right after sign-in, and keeps them there until done', async () => {
    const { server } = journey;
    const { page } = await journey.openPage();
    await submitSignInForm(page, server.url, { username: admin.username, password: admin.password });
    await waitForPath(page, '/two-factor-setup');
    await page.getByRole('heading', { name: 'Set up two-factor authentication', exact: true }).waitFor();
    await page.getByText('Two-factor authentication is required').waitFor();
    await takeScreenshot(page, 'two-factor-required-setup');

    // Anywhere else in the app leads back here, and the API refuses everything but setup.
    await page.goto(`${server.url}/accounts`);
    await waitForPath(page, '/two-factor-setup');
    const refused = await callApi(server.url, 'GET', '/api/accounts', { sessionCookie: await readSessionCookie(page) });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'two_factor_required' } });

    await page.getByRole('button', { name: 'Set up', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Set up an authenticator app' });
    const secret = (await dialog.getByTestId('totp-secret').textContent())?.trim() ?? '';
    await dialog.getByLabel('Code from the app').fill(new TOTP({ secret: Secret.fromBase32(secret) }).generate());
    await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
    await dialog.getByText('You have configured two-factor authentication for your account.').waitFor();
    await dialog.getByRole('button', { name: 'Done', exact: true }).click();

    await page.getByText('Two-factor authentication is set up.').waitFor();
    await page.getByRole('link', { name: 'Continue', exact: true }).click();
    await waitForAccountsPage(page);
  });
});
