import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callApi, createAdministratorThroughApi, makeAdministrator } from './support/api.js';
import { useJourney } from './support/journey.js';
import { readSessionCookie, signInWithForm, waitForPath } from './support/pages.js';

describe('users', () => {
  const journey = useJourney();

  it('creates a user (an unapproved domain is refused) assigned to two accounts, who sees exactly those; disables and deletes them', async () => {
    const { server } = journey;
    const admin = makeAdministrator();
    const adminApi = await createAdministratorThroughApi(server.url, server.setupLink, admin);
    const domain = admin.username.split('@')[1] ?? '';
    const suffix = crypto.randomBytes(3).toString('hex');
    const names = [`Acme ${suffix}`, `Globex ${suffix}`, `Initech ${suffix}`];
    for (const name of names) {
      const created = await callApi(server.url, 'POST', '/api/accounts', { ...adminApi, body: { name } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }

    const { page } = await journey.openPage();
    await signInWithForm(page, server.url, admin);
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await waitForPath(page, '/admin/users');
    await page.getByRole('link', { name: 'Create User' }).click();
    await waitForPath(page, '/admin/users/new');

    const user = { name: 'Grace Hopper', username: `grace.${suffix}@elsewhere.example`, password: 'Correct-Horse-42!' };
    await page.getByLabel('Full Name').fill(user.name);
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByLabel('Verify Password').fill(user.password);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByText(`The username must be in an approved domain: ${domain}.`).first().waitFor();

    user.username = `grace.${suffix}@${domain}`;
    await page.getByLabel('Username').fill(user.username);
    await page.getByRole('tab', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: 'Assign Accounts' }).click();
    await page.getByRole('checkbox', { name: names[0] }).check();
    await page.getByRole('checkbox', { name: names[1] }).check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('cell', { name: names[1], exact: true }).waitFor();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByText(`User ${user.username} created successfully.`).waitFor();

    const { page: userPage } = await journey.openPage();
    await signInWithForm(userPage, server.url, user);
    for (const name of names.slice(0, 2)) await userPage.getByText(name).first().waitFor();
    expect(await userPage.getByText(names[2] ?? '').count()).toBe(0);
    const userCookie = await readSessionCookie(userPage);

    await page.getByRole('row', { name: new RegExp(user.name) }).hover();
    await page.getByRole('button', { name: `Disable ${user.username}` }).click();
    await page.getByRole('button', { name: 'Disable', exact: true }).click();
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await page.getByText(`User ${user.username} disabled successfully.`).waitFor();
    expect((await callApi(server.url, 'GET', '/api/accounts', { sessionCookie: userCookie })).status).toBe(401);

    // The row actions appear on hover, once the Disable User window has gone.
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByRole('row', { name: new RegExp(user.name) }).hover();
    await page.getByRole('link', { name: `Delete ${user.username}` }).click();
    await page.getByText('Once you delete a user account, the account cannot be recovered and the action cannot be reversed.').waitFor();
    await page.getByRole('combobox', { name: 'Select New Object Owner' }).click();
    await page.getByRole('option', { name: new RegExp(admin.username.replace(/[.]/g, '\\.')) }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText(`User ${user.username} deleted successfully`).waitFor();
    expect(await page.getByRole('link', { name: user.name }).count()).toBe(0);
  });
});
