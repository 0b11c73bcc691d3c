import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, onTestFailed } from 'vitest';
import { launchBrowser, openPage, type OpenPageOptions, type OpenedPage } from './browser.js';
import { startMailServer, type MailServer } from './mail.js';
import { startBulwark, type BulwarkServer, type StartServerOptions } from './server.js';

export interface JourneyOptions extends StartServerOptions {
  /** Start a loopback SMTP server first and point the server's SMTP_URL at it. */
  withMail?: boolean;
}

export interface Journey {
  readonly server: BulwarkServer;
  readonly browser: Browser;
  readonly mail: MailServer;
  /** A new browser context and page, closed after the file; on failure its problems and the server's log are printed. */
  openPage(options?: OpenPageOptions): Promise<OpenedPage>;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not started (did beforeAll fail?)`);
  return value;
}

/**
 * The fixture of one journey file: one Bulwark server (fresh data, fresh database) and one
 * browser for the whole file, a new browser context per page.
 */
export function useJourney(options: JourneyOptions = {}): Journey {
  let server: BulwarkServer | undefined;
  let browser: Browser | undefined;
  let mail: MailServer | undefined;
  const opened: OpenedPage[] = [];

  beforeAll(async () => {
    const browserStarting = launchBrowser();
    try {
      if (options.withMail) mail = await startMailServer();
      server = await startBulwark({ ...options, env: { ...(mail ? { SMTP_URL: mail.url } : {}), ...options.env } });
    } finally {
      browser = await browserStarting;
    }
  });

  afterAll(async () => {
    for (const { context } of opened) await context.close();
    await browser?.close();
    await server?.dispose();
    await mail?.stop();
  });

  return {
    get server() {
      return required(server, 'The Bulwark server');
    },
    get browser() {
      return required(browser, 'The browser');
    },
    get mail() {
      return required(mail, 'The mail server (pass withMail: true)');
    },
    async openPage(pageOptions) {
      const result = await openPage(required(browser, 'The browser'), pageOptions);
      opened.push(result);
      onTestFailed(() => {
        const problems = result.problems.length > 0 ? result.problems.join('\n  ') : 'none';
        console.error(`Page was at ${result.page.url()}\nPage problems:\n  ${problems}\n${server?.describeLogs() ?? ''}`);
      });
      return result;
    },
  };
}
