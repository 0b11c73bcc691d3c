import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; the journeys never download a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function isChromiumInstalled(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

// Without the background-networking flags Chromium keeps trying to reach Google's hosts.
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!isChromiumInstalled()) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export const DESKTOP_VIEWPORT = { width: 1440, height: 900 };
export const PHONE_VIEWPORT = { width: 390, height: 844 };

export interface OpenPageOptions {
  viewport?: { width: number; height: number };
  /** Lets page.addScriptTag inject axe-core despite Bulwark's Content-Security-Policy. */
  bypassCSP?: boolean;
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught page errors and blocked non-loopback requests, in order. */
  problems: string[];
  /** Resolves once no request of the page has been in flight for `quietMs` (client-side navigations included). */
  waitForQuietNetwork(quietMs?: number): Promise<void>;
}

function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

/** Records what went wrong on a page without failing anything itself. */
export function watchForProblems(page: Page, problems: string[]): void {
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    problems.push(`console error: ${message.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.stack ?? error.message}`));
}

/**
 * A new context (own cookies and storage) with one page. Requests to any host but loopback are
 * aborted and reported, so a journey can never reach the internet.
 */
export async function openPage(browser: Browser, options: OpenPageOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP_VIEWPORT, bypassCSP: options.bypassCSP ?? false });
  context.setDefaultTimeout(20_000);
  context.setDefaultNavigationTimeout(30_000);
  const problems: string[] = [];
  await context.route(
    (url) => !isLoopback(url),
    (route) => {
      problems.push(`blocked request to a non-loopback host: ${route.request().url()}`);
      return route.abort('blockedbyclient');
    },
  );
  const page = await context.newPage();
  watchForProblems(page, problems);
  return { context, page, problems, waitForQuietNetwork: trackRequests(page) };
}

/** Counts the page's requests in flight; Playwright's 'networkidle' does not see client-side navigations. */
function trackRequests(page: Page): (quietMs?: number) => Promise<void> {
  let inFlight = 0;
  let lastChangeAt = Date.now();
  const change = (delta: number) => {
    inFlight += delta;
    lastChangeAt = Date.now();
  };
  page.on('request', () => change(1));
  page.on('requestfinished', () => change(-1));
  page.on('requestfailed', () => change(-1));
  return async (quietMs = 500) => {
    const deadline = Date.now() + 20_000;
    while (inFlight > 0 || Date.now() - lastChangeAt < quietMs) {
      if (Date.now() > deadline) throw new Error(`The page still had ${inFlight} request(s) in flight after 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
}
