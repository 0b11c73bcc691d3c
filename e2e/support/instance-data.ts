import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { callApi, SESSION_COOKIE, type ApiSession } from './api.js';
import { REPO_ROOT } from './app-snapshot.js';

/** The real .nessus files beside the checkout (read-only). */
export const NESSUS_FIXTURES = path.resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'real', 'nessus');

/** Where journeys leave their screenshots (not committed). */
const SCREENS = path.join(REPO_ROOT, '.tmp', 'screens');

/** A full-page screenshot in .tmp/screens, taken from the top (the fixed header is drawn where the page is scrolled to). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENS, `${name}.png`), animations: 'disabled', caret: 'hide', fullPage: true });
}

/** Uploads a fixture through POST /api/instances/:id/scans/import and waits for its import to finish. */
export async function importFixture(baseUrl: string, session: ApiSession, accountId: string, fileName: string): Promise<void> {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(path.join(NESSUS_FIXTURES, fileName))]), fileName);
  const response = await fetch(new URL(`/api/instances/${accountId}/scans/import`, baseUrl), {
    method: 'POST',
    headers: {
      cookie: `${SESSION_COOKIE}=${encodeURIComponent(session.sessionCookie)}`,
      'x-csrf-token': session.csrfToken,
      accept: 'application/json',
    },
    body: form,
  });
  const scan = (await response.json()) as { id: string; status: string };
  expect(response.status, JSON.stringify(scan)).toBe(202);
  await expect
    .poll(
      async () => {
        const current = await callApi(baseUrl, 'GET', `/api/instances/${accountId}/scans/${scan.id}`, {
          sessionCookie: session.sessionCookie,
        });
        return (current.body as { status: string }).status;
      },
      { timeout: 60_000, interval: 250 },
    )
    .toBe('completed');
}
