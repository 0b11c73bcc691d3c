import { beforeAll, describe, expect, it } from 'vitest';
import { createAdministratorThroughApi, makeAdministrator } from './support/api.js';
import { findAccessibilityViolations, formatViolations, isSeriousOrCritical } from './support/accessibility.js';
import { useJourney } from './support/journey.js';
import { signInWithForm, waitForSignInPage } from './support/pages.js';

describe('accessibility (axe-core)', () => {
  const journey = useJourney();
  const admin = makeAdministrator();

  beforeAll(async () => {
    await createAdministratorThroughApi(journey.server.url, journey.server.setupLink, admin);
  });

  it('finds no serious or critical violation on the sign-in page or the signed-in Accounts page', async () => {
    const { server } = journey;
    const { page } = await journey.openPage({ bypassCSP: true });

    await page.goto(`${server.url}/login`);
    await waitForSignInPage(page);
    const onSignIn = (await findAccessibilityViolations(page)).filter(isSeriousOrCritical);

    await signInWithForm(page, server.url, { username: admin.username, password: admin.password });
    await page.getByText('No customer accounts yet').waitFor();
    const onAccounts = (await findAccessibilityViolations(page)).filter(isSeriousOrCritical);

    const report = [
      onSignIn.length > 0 ? `Sign-in page:\n${formatViolations(onSignIn)}` : '',
      onAccounts.length > 0 ? `Accounts page:\n${formatViolations(onAccounts)}` : '',
    ]
      .filter(Boolean)
      .join('\n\n');
    if (report) console.error(report);
    expect(report, 'serious or critical axe violations').toBe('');
  });
});
