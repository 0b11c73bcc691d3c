import { beforeAll, describe, expect, it } from 'vitest';
import { createAdministratorThroughApi, makeAdministrator } from './support/api.js';
import { DESKTOP_VIEWPORT, PHONE_VIEWPORT } from './support/browser.js';
import { useJourney } from './support/journey.js';
import { signInWithForm, waitForSignInPage } from './support/pages.js';

/**
 * Signed out, the app asks GET /api/auth/session whether a session is open; the API answers 401,
 * and Chromium logs every non-2xx response as "Failed to load resource". That one line is the
 * documented answer, not an error of the app; anything else on the sign-in page is.
 */
function isSignedOutSessionProbe(problem: string, serverUrl: string): boolean {
  return (
    problem ===
    `console error: Failed to load resource: the server responded with a status of 401 (Unauthorized) (${serverUrl}/api/auth/session)`
  );
}

describe('no console errors at desktop and phone widths', () => {
  const journey = useJourney();
  const admin = makeAdministrator();

  beforeAll(async () => {
    await createAdministratorThroughApi(journey.server.url, journey.server.setupLink, admin);
  });

  for (const [label, viewport] of [
    ['1440 px', DESKTOP_VIEWPORT],
    ['390 px', PHONE_VIEWPORT],
  ] as const) {
    it(`at ${label}, the sign-in page and Accounts log no errors`, async () => {
      const { server } = journey;
      const { page, problems, waitForQuietNetwork } = await journey.openPage({ viewport });

      await page.goto(`${server.url}/login`);
      await waitForSignInPage(page);
      await waitForQuietNetwork();
      expect(
        problems.filter((problem) => !isSignedOutSessionProbe(problem, server.url)),
        'errors on the sign-in page',
      ).toEqual([]);
      problems.length = 0;

      await signInWithForm(page, server.url, { username: admin.username, password: admin.password });
      await page.getByText('No customer accounts yet').waitFor();
      await waitForQuietNetwork();
      expect(problems, 'errors on the Accounts page').toEqual([]);
    });
  }
});
