import { describe, expect, it } from 'vitest';
import { callApi, makeAdministrator } from './support/api.js';
import { useJourney } from './support/journey.js';
import { completeSetupForm, readSessionCookie, signInWithForm, signOutWithMenu } from './support/pages.js';

describe('first Administrator', () => {
  const journey = useJourney();

  it('is created from the logged setup link, lands on Accounts, and can sign out and back in with that password', async () => {
    const { server } = journey;
    const admin = makeAdministrator();
    const { page } = await journey.openPage();

    await completeSetupForm(page, server.setupLink, admin);

    const session = await callApi(server.url, 'GET', '/api/auth/session', { sessionCookie: await readSessionCookie(page) });
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ user: { username: admin.username, name: admin.name, email: admin.email, kind: 'staff' } });

    await signOutWithMenu(page);
    await signInWithForm(page, server.url, { username: admin.username, password: admin.password });

    // The link worked once: Bulwark now has its Administrator and refuses the same link.
    const token = new URL(server.setupLink).searchParams.get('token');
    const reused = await callApi(server.url, 'POST', '/api/setup/inspect', { body: { token } });
    expect(reused.status).toBe(409);
  });
});
