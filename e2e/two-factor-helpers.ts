import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './support/app-snapshot.js';

/** Shared by the two-factor journeys: the text-message outbox, the code step, screenshots. */

const SCREENS = path.join(REPO_ROOT, '.tmp', 'screens');

export async function takeScreenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

export interface TextMessage {
  to: string;
  body: string;
  at: string;
  code: string;
}

/**
 * Reads the text messages the server writes to DATA_DIR/outbox (the default SMS sender). Each
 * call of next() waits for one message not returned before.
 */
export function watchSmsOutbox(dataDir: () => string) {
  const seen = new Set<string>();
  const read = (): TextMessage[] => {
    const dir = path.join(dataDir(), 'outbox');
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((name) => name.startsWith('sms-') && name.endsWith('.json') && !seen.has(name))
      .sort()
      .map((name) => {
        seen.add(name);
        const message = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Omit<TextMessage, 'code'>;
        return { ...message, code: /code is (\d{6})/.exec(message.body)?.[1] ?? '' };
      });
  };
  const pending: TextMessage[] = [];
  return {
    /** Forgets every message written so far. */
    skipAll(): void {
      read();
      pending.length = 0;
    },
    async next(timeoutMs = 10_000): Promise<TextMessage> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        pending.push(...read());
        const message = pending.shift();
        if (message) return message;
        if (Date.now() > deadline) throw new Error(`no text message in the outbox within ${timeoutMs / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

/** The code step after a right password, by its heading. */
export async function waitForCodeStep(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Two-step verification', exact: true }).waitFor();
}

/** Types a code on the code step and presses Verify. */
export async function submitCode(page: Page, label: 'Verification Code' | 'Recovery code', code: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
}

export async function openTwoFactorTab(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/my-account?tab=two-factor`);
  await page.getByRole('heading', { name: 'Enable Two Factor Authentication', exact: true }).waitFor();
}
