import { beforeAll, describe, expect, it } from 'vitest';
import { callApi, createAdministratorThroughApi, makeAdministrator } from './support/api.js';
import { useJourney } from './support/journey.js';
import { signInWithForm, signOutWithMenu, submitSignInForm, waitForPath, waitForSignInPage } from './support/pages.js';

const NEW_PASSWORD = 'Battery-Staple-77?';

describe('forgot password', () => {
  const journey = useJourney({ withMail: true });
  const admin = makeAdministrator();

  beforeAll(async () => {
    await createAdministratorThroughApi(journey.server.url, journey.server.setupLink, admin);
  });

  it('mails a reset link over SMTP; the link sets a new password, which signs in while the old one fails', async () => {
    const { server, mail } = journey;
    const { page } = await journey.openPage();

    await page.goto(`${server.url}/login`);
    await page.getByRole('link', { name: 'Forgot Password', exact: true }).click();
    await waitForPath(page, '/forgot-password');
    await page.getByRole('heading', { name: 'Reset your password', exact: true }).waitFor();
    await page.getByLabel('Username', { exact: true }).fill(admin.username);
    await page.getByRole('button', { name: 'Send reset link', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'a password reset link is on its way' }).waitFor();

    // Mail goes to the user's Email, not to the username.
    const message = await mail.waitForMessage(admin.email);
    expect(message.subject).toBe('Reset your Bulwark password');
    const link = message.text.match(/https?:\/\/\S+\/reset-password\?token=[\w-]+/)?.[0];
    expect(link, `a reset link in:\n${message.text}`).toBeDefined();
    expect(link?.startsWith(`${server.url}/reset-password?token=`)).toBe(true);

    await page.goto(link ?? '');
    await page.getByRole('heading', { name: 'Choose a new password', exact: true }).waitFor();
    await page.getByLabel('New Password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Verify Password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set password', exact: true }).click();
    await waitForSignInPage(page);
    await page.getByText(/password has been changed/i).waitFor();

    await signInWithForm(page, server.url, { username: admin.username, password: NEW_PASSWORD });
    await signOutWithMenu(page);

    await submitSignInForm(page, server.url, { username: admin.username, password: admin.password });
    await page.getByRole('alert').filter({ hasText: 'Invalid username or password.' }).waitFor();

    // The link worked once.
    const token = new URL(link ?? '').searchParams.get('token');
    const reused = await callApi(server.url, 'POST', '/api/auth/reset-password/inspect', { body: { token } });
    expect(reused.status).toBe(400);
  });
});
