import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createAdministratorThroughApi, makeAdministrator } from './support/api.js';
import { findAccessibilityViolations, formatViolations, isSeriousOrCritical } from './support/accessibility.js';
import { useJourney } from './support/journey.js';
import { signOutWithMenu, submitSignInForm, waitForAccountsPage, waitForSignInPage } from './support/pages.js';
import { openTwoFactorTab, submitCode, takeScreenshot, waitForCodeStep, watchSmsOutbox } from './two-factor-helpers.js';

describe('two-factor authentication by text message (the seed)', () => {
  const journey = useJourney({ withMail: true });
  const admin = makeAdministrator();
  const outbox = watchSmsOutbox(() => journey.server.dataDir);
  // One browser page through the whole file: each step continues where the previous one ended.
  let page: Page;

  beforeAll(async () => {
    await createAdministratorThroughApi(journey.server.url, journey.server.setupLink, admin);
  });

  async function expectNoSeriousViolations(where: string): Promise<void> {
    const violations = (await findAccessibilityViolations(page)).filter(isSeriousOrCritical);
    expect(violations.length > 0 ? `${where}:\n${formatViolations(violations)}` : '', 'serious or critical axe violations').toBe('');
  }

  async function signInWithTextedCode(): Promise<void> {
    outbox.skipAll();
    await submitSignInForm(page, journey.server.url, { username: admin.username, password: admin.password });
    await waitForCodeStep(page);
    const sms = await outbox.next();
    await submitCode(page, 'Verification Code', sms.code);
    await waitForAccountsPage(page);
  }

  it('enables text-message two-factor from My Account, reading the code from the outbox', async () => {
    ({ page } = await journey.openPage({ bypassCSP: true }));
    await submitSignInForm(page, journey.server.url, { username: admin.username, password: admin.password });
    await waitForAccountsPage(page);
    await openTwoFactorTab(page, journey.server.url);
    await takeScreenshot(page, 'two-factor-my-account-off');
    await expectNoSeriousViolations('My Account, Two-Factor tab');

    await page.getByRole('button', { name: 'Enable', exact: true }).click();
    const plane = page.getByRole('dialog', { name: 'Two-Factor Setup' });
    await plane.waitFor();
    await plane.getByLabel('Mobile phone number').fill('201 555 0123');
    await plane.getByRole('button', { name: 'Next', exact: true }).click();
    await plane.getByText('Start the number with + and the country code (for example +1 201 555 0123).').waitFor();
    await takeScreenshot(page, 'two-factor-setup-plane-phone');

    outbox.skipAll();
    await plane.getByLabel('Mobile phone number').fill('+1 201 555 0123');
    await plane.getByRole('button', { name: 'Next', exact: true }).click();
    await plane.getByText('Verification Code', { exact: true }).first().waitFor();
    await plane.getByRole('button', { name: 'Resend Code', exact: true }).waitFor();
    const sms = await outbox.next();
    expect(sms.to).toBe('+12015550123');
    await takeScreenshot(page, 'two-factor-setup-plane-code');
    await expectNoSeriousViolations('Two-Factor Setup plane, Verification Code');

    await plane.getByLabel('Verification Code').fill(sms.code);
    await plane.getByRole('button', { name: 'Next', exact: true }).click();
    await plane.getByText('You have configured two-factor authentication for your account.').waitFor();
    await expect(plane.getByTestId('recovery-code').count()).resolves.toBe(10);
    await takeScreenshot(page, 'two-factor-setup-plane-done');
    await plane.getByRole('button', { name: 'Done', exact: true }).click();
    await plane.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Edit', exact: true }).waitFor();
    await page.getByText('Codes go to +1 201 555 0123.', { exact: false }).waitFor();
    await takeScreenshot(page, 'two-factor-my-account-on');
  });

  it('signs out, and signs in again with the texted code', async () => {
    await signOutWithMenu(page);
    outbox.skipAll();
    await submitSignInForm(page, journey.server.url, { username: admin.username, password: admin.password });
    await waitForCodeStep(page);
    await page.getByText('We sent a verification code to +1******0123.').waitFor();
    const sms = await outbox.next();
    await takeScreenshot(page, 'two-factor-code-step');
    await expectNoSeriousViolations('the code step');
    await submitCode(page, 'Verification Code', sms.code);
    await waitForAccountsPage(page);
  });

  it('ends the attempt after five wrong codes: back to the password', async () => {
    await signOutWithMenu(page);
    outbox.skipAll();
    await submitSignInForm(page, journey.server.url, { username: admin.username, password: admin.password });
    await waitForCodeStep(page);
    const sms = await outbox.next();
    const wrong = sms.code === '000000' ? '111111' : '000000';
    for (const left of [4, 3, 2, 1]) {
      await submitCode(page, 'Verification Code', wrong);
      await page.getByText(`That code is not right. You have ${left} ${left === 1 ? 'try' : 'tries'} left.`).waitFor();
    }
    await submitCode(page, 'Verification Code', wrong);
    await waitForSignInPage(page);
    await page.getByRole('alert').filter({ hasText: 'Too many wrong codes.' }).waitFor();
    await takeScreenshot(page, 'two-factor-attempt-ended');
  });

  it('with "Send backup email", signs in with the emailed code', async () => {
    await signInWithTextedCode();
    await openTwoFactorTab(page, journey.server.url);
    await page.getByRole('checkbox', { name: 'Send backup email' }).check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Your backup email settings are saved.').waitFor();

    await signOutWithMenu(page);
    await submitSignInForm(page, journey.server.url, { username: admin.username, password: admin.password });
    await waitForCodeStep(page);
    const mail = await journey.mail.waitForMessage(admin.email);
    expect(mail.subject).toBe('Your Bulwark verification code');
    const code = /code is (\d{6})/.exec(mail.text)?.[1] ?? '';
    await submitCode(page, 'Verification Code', code);
    await waitForAccountsPage(page);
  });

  it('disables two-factor after the warning; the password alone signs in again', async () => {
    await openTwoFactorTab(page, journey.server.url);
    await page.getByRole('button', { name: 'Disable', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Disable Two-Factor' });
    await dialog
      .getByText(
        'If you disable this feature for your account, Bulwark deletes the mobile phone number and other settings associated with the feature (your authenticator app, passkeys and recovery codes too).',
      )
      .waitFor();
    await takeScreenshot(page, 'two-factor-disable-window');
    await dialog.getByRole('button', { name: 'Continue', exact: true }).click();
    await page.getByText('Two-factor authentication is disabled for your account.').waitFor();
    await page.getByRole('button', { name: 'Enable', exact: true }).waitFor();

    await signOutWithMenu(page);
    await submitSignInForm(page, journey.server.url, { username: admin.username, password: admin.password });
    await waitForAccountsPage(page);
  });
});
