import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findAccessibilityViolations, formatViolations, isSeriousOrCritical } from './support/accessibility.js';
import { REPO_ROOT } from './support/app-snapshot.js';
import { callApi, createAdministratorThroughApi, makeAdministrator, signInThroughApi } from './support/api.js';
import { useJourney } from './support/journey.js';
import { signInWithForm, waitForAccountsPage, waitForPath } from './support/pages.js';

const SCREENS = path.join(REPO_ROOT, '.tmp', 'screens');

async function takeScreenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, `${name}.png`) });
}

const REFUSED_WHILE_ASSISTING =
  'While you assist a user you cannot change their security settings (password, email, two-factor, API keys, sessions).';

describe('user assist', () => {
  const journey = useJourney();

  it('assists a Basic user with a reason: the blue overlay, only their accounts, no API keys, stop, and the audit log', async () => {
    const { server } = journey;
    const admin = makeAdministrator();
    const adminApi = await createAdministratorThroughApi(server.url, server.setupLink, admin);
    const domain = admin.username.split('@')[1] ?? '';
    const suffix = crypto.randomBytes(3).toString('hex');
    const names = [`Acme ${suffix}`, `Globex ${suffix}`, `Initech ${suffix}`];
    const accountIds: string[] = [];
    for (const name of names) {
      const created = await callApi(server.url, 'POST', '/api/accounts', { ...adminApi, body: { name } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      accountIds.push((created.body as { id: string }).id);
    }
    const grace = { name: 'Grace Hopper', username: `grace.${suffix}@${domain}`, password: 'Correct-Horse-42!' };
    const createdUser = await callApi(server.url, 'POST', '/api/admin/users', {
      ...adminApi,
      body: { ...grace, email: '', role: 16, accountIds: accountIds.slice(0, 2) },
    });
    expect(createdUser.status, JSON.stringify(createdUser.body)).toBe(201);
    // Grace is signed in herself too; the assist must leave her session alone.
    const graceApi = await signInThroughApi(server.url, grace);

    // bypassCSP: axe-core checks the overlay on the assisted Accounts page.
    const { page } = await journey.openPage({ bypassCSP: true });
    await signInWithForm(page, server.url, admin);
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await waitForPath(page, '/admin/users');

    // The seed: roll over the user, then the assist button at the end of the row.
    await page.getByRole('row', { name: new RegExp(grace.name) }).hover();
    await page.getByRole('button', { name: `Assist ${grace.username}` }).hover();
    await page.getByRole('tooltip', { name: 'Assist user' }).waitFor();
    await takeScreenshot(page, 'assist-users-row');
    await page.getByRole('button', { name: `Assist ${grace.username}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Assist User' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Start Assisting', exact: true }).click();
    await dialog.getByText('Give a reason of at least 3 characters.').waitFor();
    const reason = `Ticket ${suffix}: cannot find the Globex account`;
    await dialog.getByLabel('Reason').fill(reason);
    await takeScreenshot(page, 'assist-start-modal');
    await dialog.getByRole('button', { name: 'Start Assisting', exact: true }).click();

    // The default Accounts page, as Grace, under the blue overlay with her role.
    await waitForAccountsPage(page);
    const overlay = page.getByRole('region', { name: 'User assist' });
    await overlay.waitFor();
    const overlayText = (await overlay.innerText()).replace(/\s+/g, ' ');
    expect(overlayText).toMatch(
      new RegExp(`^You are assisting ${grace.name} \\(${grace.username.replace(/\./g, '\\.')}\\) · Role: Basic · ends at \\d`),
    );
    for (const name of names.slice(0, 2)) await page.getByText(name).first().waitFor();
    expect(await page.getByText(names[2] ?? '').count()).toBe(0);
    // Administration is not Grace's.
    expect(await page.getByRole('link', { name: 'Users', exact: true }).count()).toBe(0);
    await takeScreenshot(page, 'assist-accounts');
    const violations = (await findAccessibilityViolations(page)).filter(isSeriousOrCritical);
    expect(violations, formatViolations(violations)).toEqual([]);
    // On a phone the overlay keeps who and the role, and the Stop button stays on screen.
    const desktop = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    // A reload keeps the assist: it lives in a cookie beside the Administrator's session.
    await page.reload();
    await waitForAccountsPage(page);
    await overlay.getByRole('button', { name: 'Stop assisting' }).waitFor();
    expect((await overlay.innerText()).replace(/\s+/g, ' ')).toContain(`Assisting ${grace.name} · Basic`);
    await takeScreenshot(page, 'assist-accounts-phone');
    if (desktop) await page.setViewportSize(desktop);

    // Her security settings are hers: generating API keys is refused, and nothing changes.
    await page.getByRole('button', { name: /user account menu/i }).click();
    await page.getByRole('menuitem', { name: 'My Account', exact: true }).click();
    await waitForPath(page, '/my-account');
    await overlay.waitFor();
    await page.getByRole('tab', { name: 'API Keys' }).click();
    await page.getByText('You have no API keys yet.').waitFor();
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const keysDialog = page.getByRole('dialog', { name: 'Generate API Keys' });
    await keysDialog.getByRole('button', { name: 'Generate', exact: true }).click();
    await keysDialog.getByText(REFUSED_WHILE_ASSISTING).waitFor();
    await takeScreenshot(page, 'assist-api-keys-refused');
    await keysDialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await keysDialog.waitFor({ state: 'hidden' });

    // Grace's own session still works, as herself.
    const graceSession = await callApi(server.url, 'GET', '/api/auth/session', { sessionCookie: graceApi.sessionCookie });
    expect(graceSession.status).toBe(200);
    expect((graceSession.body as { user: { username: string }; assisting?: unknown }).user.username).toBe(grace.username);
    expect((graceSession.body as { assisting?: unknown }).assisting ?? null).toBeNull();

    // Stop: back to the Administrator, on the Users page.
    await overlay.getByRole('button', { name: 'Stop assisting' }).click();
    await waitForPath(page, '/admin/users');
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await overlay.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Create User' }).waitFor();
    await takeScreenshot(page, 'assist-stopped');

    // Settings → Audit log: started and stopped, by the Administrator on behalf of Grace, with the reason.
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await waitForPath(page, '/settings/audit-log');
    const events = page.getByRole('region', { name: 'Audit events' });
    for (const action of ['assist.started', 'assist.stopped']) {
      const row = events.getByRole('row').filter({ hasText: action });
      await row.first().waitFor();
      expect(await row.count(), action).toBe(1);
      await row.getByText(admin.username).waitFor();
      await row.getByText(`on behalf of ${grace.username}`).waitFor();
      await row.getByText(`Reason: ${reason}`).waitFor();
    }
    await takeScreenshot(page, 'assist-audit-log');
  });
});
