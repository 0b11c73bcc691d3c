import { beforeAll, describe, expect, it } from 'vitest';
import { createAdministratorThroughApi, listAuditEvents, makeAdministrator, type ApiSession } from './support/api.js';
import { readSignInCounters } from './support/database.js';
import { useJourney } from './support/journey.js';
import { pathOf, readSessionCookie, submitSignInForm } from './support/pages.js';

const INVALID_CREDENTIALS = 'Invalid username or password.';

describe('a wrong password', () => {
  const journey = useJourney();
  const admin = makeAdministrator();
  // The setup session, not a sign-in: a successful sign-in would reset the failed count under test.
  let adminSession: ApiSession;

  beforeAll(async () => {
    adminSession = await createAdministratorThroughApi(journey.server.url, journey.server.setupLink, admin);
  });

  it('shows exactly "Invalid username or password.", signs nobody in, and counts and audits the failure', async () => {
    const { server } = journey;
    const { page } = await journey.openPage();

    for (const attempt of [1, 2]) {
      await submitSignInForm(page, server.url, { username: admin.username, password: `Wrong-Horse-4${attempt}!` });
      const alert = page.getByRole('alert').filter({ hasText: INVALID_CREDENTIALS });
      await alert.waitFor();
      expect((await alert.innerText()).trim()).toBe(INVALID_CREDENTIALS);
      expect(pathOf(page)).toBe('/login');
      expect(await readSessionCookie(page)).toBeUndefined();
      await page.reload();
    }

    // An unknown username gets the very same answer, so usernames cannot be probed.
    await submitSignInForm(page, server.url, { username: `nobody.${admin.username}`, password: 'Wrong-Horse-43!' });
    const unknownAlert = page.getByRole('alert').filter({ hasText: INVALID_CREDENTIALS });
    await unknownAlert.waitFor();
    expect((await unknownAlert.innerText()).trim()).toBe(INVALID_CREDENTIALS);

    const failures = await listAuditEvents(server.url, adminSession, { action: 'auth.sign_in_failed', user: admin.username });
    const wrongPasswordFailures = failures.filter(
      (event) => event.actorUsername === admin.username && event.details.reason === 'wrong_password',
    );
    expect(wrongPasswordFailures).toHaveLength(2);
    expect(wrongPasswordFailures.every((event) => event.outcome === 'failure')).toBe(true);

    // The user's own counter, read from the database (PGlite only lets one process open it).
    if (!server.databaseUrl) await server.stop();
    const counters = await readSignInCounters(server, admin.username);
    expect(counters.failedLoginCount).toBe(2);
    expect(counters.lastFailedLoginAt).not.toBeNull();
  });
});
