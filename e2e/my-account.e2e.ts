import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/app-snapshot.js';
import { callApi, createAdministratorThroughApi, listAuditEvents, makeAdministrator, signInThroughApi } from './support/api.js';
import { useJourney } from './support/journey.js';
import { readSessionCookie, signInWithForm, waitForPath, waitForSignInPage } from './support/pages.js';

const SCREENS = path.join(REPO_ROOT, '.tmp', 'screens');

async function takeScreenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

const NEW_PASSWORD = 'Brand-New-Horse-77!';

describe('My Account', () => {
  const journey = useJourney({ withMail: true });

  it('changes the name, the email through the mailed link, the password, and signs out another session', async () => {
    const { server, mail } = journey;
    const admin = makeAdministrator();
    const setupSession = await createAdministratorThroughApi(server.url, server.setupLink, admin);
    const { page } = await journey.openPage();
    await signInWithForm(page, server.url, admin);

    // The seed's way in: the user account menu, then My Account.
    await page.getByRole('button', { name: /user account menu/i }).click();
    await page.getByRole('menuitem', { name: 'My Account', exact: true }).click();
    await waitForPath(page, '/my-account');
    await page.getByRole('heading', { name: 'My Account', exact: true }).waitFor();
    await takeScreenshot(page, 'my-account-profile');

    // Name, then Save.
    await page.getByLabel('Name', { exact: true }).fill('Ada King');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Your changes have been saved.').waitFor();
    await page.getByRole('heading', { name: 'Ada King', exact: true }).waitFor();

    // Email: asks for the current password, and changes only when the mailed link is opened.
    const newEmail = `ada.king.${crypto.randomBytes(3).toString('hex')}@mail.example`;
    await page.getByLabel('Email', { exact: true }).fill(newEmail);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Enter your current password to change your email.').waitFor();
    await page.getByLabel('Current Password', { exact: true }).fill(admin.password);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(`To finish changing your email, open the link we sent to ${newEmail} within 24 hours.`).waitFor();
    expect(await page.getByLabel('Email', { exact: true }).inputValue()).toBe(admin.email);
    // The change waits for its link, also after a reload.
    await page.reload();
    await page.getByText('Email change waiting for confirmation').waitFor();
    expect(await page.getByLabel('Email', { exact: true }).inputValue()).toBe(admin.email);
    await takeScreenshot(page, 'my-account-email-pending');

    const confirmation = await mail.waitForMessage(newEmail);
    expect(confirmation.subject).toBe('Confirm your new Bulwark email address');
    const link = /https?:\/\/\S+/.exec(confirmation.text)?.[0] ?? '';
    expect(new URL(link).pathname).toBe('/confirm-email');
    await page.goto(link.replace(/^https?:\/\/[^/]+/, server.url));
    await page.getByRole('heading', { name: 'Confirm your new email address', exact: true }).waitFor();
    await takeScreenshot(page, 'confirm-email');
    await page.getByRole('button', { name: 'Confirm email address', exact: true }).click();
    await page.getByText(`Your email address is now ${newEmail}.`).waitFor();
    const notice = await mail.waitForMessage(admin.email);
    expect(notice.subject).toBe('Your Bulwark email address was changed');
    expect(notice.text).toContain(newEmail);
    await page.getByRole('link', { name: 'Back to My Account', exact: true }).click();
    await waitForPath(page, '/my-account');
    await page.getByLabel('Email', { exact: true }).waitFor();
    expect(await page.getByLabel('Email', { exact: true }).inputValue()).toBe(newEmail);

    // Password: a wrong current password is refused, the right one changes it.
    await page.getByRole('tab', { name: 'Password', exact: true }).click();
    await page.getByLabel('Current Password', { exact: true }).fill('Not-The-Password-1!');
    await page.getByLabel('New Password', { exact: true }).fill('weak');
    await page.getByText('Must be at least 12 characters long.').waitFor();
    await page.getByLabel('New Password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByText('Meets the password policy.').waitFor();
    await page.getByLabel('Confirm New Password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('The current password is not correct.').waitFor();
    await takeScreenshot(page, 'my-account-password');
    await page.getByLabel('Current Password', { exact: true }).fill(admin.password);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    // The setup session (another session of this user) is signed out; this one stays.
    await page.getByText('Your password has been changed. Your other sessions (1) have been signed out.').waitFor();
    expect((await callApi(server.url, 'GET', '/api/my-account/profile', { sessionCookie: setupSession.sessionCookie })).status).toBe(401);
    const passwordNotice = await mail.waitForMessage(newEmail);
    expect([passwordNotice.subject, ...mail.messages.map((message) => message.subject)]).toContain('Your Bulwark password was changed');

    // Sessions: sign in from a second browser, see both, sign the other one out.
    const { page: otherPage } = await journey.openPage();
    await signInWithForm(otherPage, server.url, { username: admin.username, password: NEW_PASSWORD });
    await page.getByRole('tab', { name: 'Sessions', exact: true }).click();
    const table = page.getByRole('table', { name: 'Your sessions' });
    await table.getByRole('row').nth(2).waitFor();
    expect(await table.getByRole('row').count()).toBe(3);
    await table.getByText('This device').waitFor();
    expect(await table.getByText('This device').count()).toBe(1);
    await table
      .getByText(/Chrome \d+ on Linux/)
      .first()
      .waitFor();
    await takeScreenshot(page, 'my-account-sessions');
    await table.getByRole('button', { name: /^Sign out Chrome/ }).click();
    await page.getByText('The session has been signed out.').waitFor();
    await table.getByRole('row').nth(2).waitFor({ state: 'detached' });

    // The other browser's next request is refused, and it is sent to sign in.
    const otherCookie = await readSessionCookie(otherPage);
    expect(otherCookie).toBeDefined();
    expect((await callApi(server.url, 'GET', '/api/auth/session', { sessionCookie: otherCookie })).status).toBe(401);
    await otherPage.reload();
    await waitForSignInPage(otherPage);

    const auditor = await signInThroughApi(server.url, { username: admin.username, password: NEW_PASSWORD });
    const actions = new Set((await listAuditEvents(server.url, auditor, { user: admin.username, pageSize: '100' })).map((e) => e.action));
    for (const action of [
      'user.profile_updated',
      'user.email_change_requested',
      'user.email_changed',
      'user.password_changed',
      'sessions.revoked',
    ]) {
      expect(actions, action).toContain(action);
    }
  });
});
