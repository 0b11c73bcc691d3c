import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdministratorThroughApi, makeAdministrator } from './support/api.js';
import { useJourney } from './support/journey.js';
import { signInWithForm, signOutWithMenu, submitSignInForm, waitForAccountsPage } from './support/pages.js';
import { findFreePort } from './support/ports.js';
import { openTwoFactorTab, submitCode, takeScreenshot, waitForCodeStep } from './two-factor-helpers.js';

// WebAuthn needs a domain as relying party id, not an IP address: this server's PUBLIC_URL (and
// so its RP ID) is localhost, and the browser opens it there.
const port = await findFreePort();
const baseUrl = `http://localhost:${port}`;
const apiUrl = `http://127.0.0.1:${port}`;

describe('stronger factors: authenticator app, recovery codes, passkeys', () => {
  const journey = useJourney({ env: { PORT: String(port), PUBLIC_URL: baseUrl } });
  const admin = makeAdministrator();
  let page: Page;
  let totp: TOTP;
  let recoveryCodes: string[] = [];

  beforeAll(async () => {
    await createAdministratorThroughApi(apiUrl, journey.server.setupLink, admin);
  });

  it('enrols an authenticator app from the shown secret and signs in with a computed code', async () => {
    ({ page } = await journey.openPage());
    await signInWithForm(page, baseUrl, { username: admin.username, password: admin.password });
    await openTwoFactorTab(page, baseUrl);
    await page.getByRole('button', { name: 'Set up', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Set up an authenticator app' });
    await dialog.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    const secret = (await dialog.getByTestId('totp-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await takeScreenshot(page, 'two-factor-totp-setup');
    totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });

    await dialog.getByLabel('Code from the app').fill(totp.generate());
    await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
    await dialog.getByText('You have configured two-factor authentication for your account.').waitFor();
    recoveryCodes = await dialog.getByTestId('recovery-code').allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    await dialog.getByRole('button', { name: 'Done', exact: true }).click();
    await page.getByRole('button', { name: 'Remove', exact: true }).waitFor();

    await signOutWithMenu(page);
    await submitSignInForm(page, baseUrl, { username: admin.username, password: admin.password });
    await waitForCodeStep(page);
    // The setup used this step's code; a code is accepted once, so use the next step's (within ±1).
    await submitCode(page, 'Verification Code', totp.generate({ timestamp: Date.now() + 30_000 }));
    await waitForAccountsPage(page);
  });

  it('signs in once with a recovery code', async () => {
    await signOutWithMenu(page);
    await submitSignInForm(page, baseUrl, { username: admin.username, password: admin.password });
    await waitForCodeStep(page);
    await page.getByRole('button', { name: 'Use a recovery code', exact: true }).click();
    await submitCode(page, 'Recovery code', recoveryCodes[0] ?? '');
    await waitForAccountsPage(page);
    await openTwoFactorTab(page, baseUrl);
    await page.getByText('9 of 10 unused.', { exact: false }).waitFor();
  });

  it("enrols a passkey with Chromium's virtual authenticator and signs in with it", async () => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });

    await page.getByRole('button', { name: 'Add passkey', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a passkey' });
    await dialog.getByLabel('Passkey name').fill('Virtual key');
    await dialog.getByRole('button', { name: 'Add passkey', exact: true }).click();
    await dialog.getByText('Passkey “Virtual key” added. You can use it to sign in.').waitFor();
    await dialog.getByRole('button', { name: 'Done', exact: true }).click();
    await page.getByRole('list', { name: 'Your passkeys' }).getByText('Virtual key').waitFor();
    await takeScreenshot(page, 'two-factor-my-account-strong');

    await signOutWithMenu(page);
    await submitSignInForm(page, baseUrl, { username: admin.username, password: admin.password });
    await waitForCodeStep(page);
    await takeScreenshot(page, 'two-factor-code-step-passkey');
    await page.getByRole('button', { name: 'Sign in with a passkey', exact: true }).click();
    await waitForAccountsPage(page);
  });
});
