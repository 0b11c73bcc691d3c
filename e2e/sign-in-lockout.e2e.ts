import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/app-snapshot.js';
import { createAdministratorThroughApi, listAuditEvents, makeAdministrator, type ApiSession } from './support/api.js';
import { useJourney } from './support/journey.js';
import { pathOf, readSessionCookie, submitSignInForm } from './support/pages.js';

const INVALID_CREDENTIALS = 'Invalid username or password.';
const TRY_AGAIN_LATER = 'Too many failed sign-in attempts. Try again later.';
const SCREENS = path.join(REPO_ROOT, '.tmp', 'screens');

/** Submits the form and answers the text of the alert it shows. */
async function signInAndReadAlert(page: Page, baseUrl: string, username: string, password: string): Promise<string> {
  await page.goto(`${baseUrl}/login`);
  await submitSignInForm(page, baseUrl, { username, password });
  const alert = page.getByRole('alert').filter({ hasText: /Invalid username or password|Try again later/ });
  await alert.waitFor();
  return (await alert.innerText()).trim();
}

describe('sign-in lockout', () => {
  const journey = useJourney();
  const admin = makeAdministrator();
  let adminSession: ApiSession;

  beforeAll(async () => {
    adminSession = await createAdministratorThroughApi(journey.server.url, journey.server.setupLink, admin);
  });

  it('after 5 wrong passwords even the right one gets "try again later", and an unknown username gets the very same answers', async () => {
    const { server } = journey;
    const { page } = await journey.openPage();
    const unknown = `nobody.${admin.username}`;

    const knownAnswers: string[] = [];
    const unknownAnswers: string[] = [];
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      knownAnswers.push(await signInAndReadAlert(page, server.url, admin.username, `Wrong-Horse-${attempt}0!`));
      unknownAnswers.push(await signInAndReadAlert(page, server.url, unknown, `Wrong-Horse-${attempt}0!`));
    }
    expect(knownAnswers).toEqual(Array(5).fill(INVALID_CREDENTIALS));
    expect(unknownAnswers).toEqual(knownAnswers);

    expect(await signInAndReadAlert(page, server.url, admin.username, admin.password)).toBe(TRY_AGAIN_LATER);
    fs.mkdirSync(SCREENS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENS, 'sign-in-locked.png'), animations: 'disabled', caret: 'hide' });
    expect(pathOf(page)).toBe('/login');
    expect(await readSessionCookie(page)).toBeUndefined();
    expect(await signInAndReadAlert(page, server.url, unknown, admin.password)).toBe(TRY_AGAIN_LATER);

    const locks = await listAuditEvents(server.url, adminSession, { action: 'auth.sign_in_locked' });
    expect(locks.map((event) => event.actorUsername).sort()).toEqual([admin.username, unknown].sort());
    for (const lock of locks) {
      expect(lock.outcome).toBe('failure');
      expect(lock.details).toMatchObject({ minutes: 1, lockNumber: 1 });
      expect(Date.parse(String(lock.details.until))).toBeGreaterThan(Date.now());
    }
  });
});
