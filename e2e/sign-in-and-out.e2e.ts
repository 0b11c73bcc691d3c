import { beforeAll, describe, expect, it } from 'vitest';
import { callApi, createAdministratorThroughApi, makeAdministrator } from './support/api.js';
import { useJourney } from './support/journey.js';
import { readSessionCookie, signInWithForm, signOutWithMenu, waitForSignInPage } from './support/pages.js';

describe('signing in and out', () => {
  const journey = useJourney();
  const admin = makeAdministrator();

  beforeAll(async () => {
    await createAdministratorThroughApi(journey.server.url, journey.server.setupLink, admin);
  });

  it('signs in to Accounts, signs out to the sign-in page, and the old session cookie stops working', async () => {
    const { server } = journey;
    const { page } = await journey.openPage();

    // Signed out, the app sends a person to the sign-in page.
    await page.goto(`${server.url}/accounts`);
    await waitForSignInPage(page);

    await signInWithForm(page, server.url, { username: admin.username, password: admin.password });
    const cookie = await readSessionCookie(page);
    expect(cookie, 'the session cookie after signing in').toBeTruthy();
    const before = await callApi(server.url, 'GET', '/api/auth/session', { sessionCookie: cookie });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ user: { username: admin.username } });

    await signOutWithMenu(page);
    expect(await readSessionCookie(page), 'the session cookie after signing out').toBeUndefined();

    await page.goto(`${server.url}/accounts`);
    await waitForSignInPage(page);

    const after = await callApi(server.url, 'GET', '/api/auth/session', { sessionCookie: cookie });
    expect(after.status).toBe(401);
  });
});
