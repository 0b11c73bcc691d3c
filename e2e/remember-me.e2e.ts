import { beforeAll, describe, expect, it } from 'vitest';
import { callApi, createAdministratorThroughApi, makeAdministrator } from './support/api.js';
import { useJourney } from './support/journey.js';
import { pathOf, readSessionCookie, signInWithForm, waitForAccountsPage, waitForSignInPage } from './support/pages.js';

// The server ends sessions without Remember Me after 0.05 minutes (3 s) of inactivity; the
// journeys stay idle for longer than that. This is the one wait on the clock in the journeys.
const IDLE_MINUTES = '0.05';
const IDLE_WAIT_MS = 5_000;

function stayIdle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, IDLE_WAIT_MS));
}

describe('Remember Me and the inactivity timeout', () => {
  const journey = useJourney({ env: { SESSION_IDLE_MINUTES: IDLE_MINUTES } });
  const admin = makeAdministrator();

  beforeAll(async () => {
    await createAdministratorThroughApi(journey.server.url, journey.server.setupLink, admin);
  });

  it('without Remember Me, an idle session ends and the app says so on the sign-in page', async () => {
    const { server } = journey;
    const { page } = await journey.openPage();
    await signInWithForm(page, server.url, { username: admin.username, password: admin.password, rememberMe: false });
    const cookie = await readSessionCookie(page);

    await stayIdle();
    await page.reload();

    await waitForSignInPage(page);
    await page.getByText('Your session has ended. Sign in again.', { exact: true }).waitFor();
    const session = await callApi(server.url, 'GET', '/api/auth/session', { sessionCookie: cookie });
    expect(session.status).toBe(401);
  });

  it('with Remember Me, the same idle time keeps the person signed in', async () => {
    const { server } = journey;
    const { page } = await journey.openPage();
    await signInWithForm(page, server.url, { username: admin.username, password: admin.password, rememberMe: true });

    await stayIdle();
    await page.reload();

    await waitForAccountsPage(page);
    expect(pathOf(page)).toBe('/accounts');
    const session = await callApi(server.url, 'GET', '/api/auth/session', { sessionCookie: await readSessionCookie(page) });
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ user: { username: admin.username }, idleTimeoutMinutes: null });
  });
});
