import type { Page } from 'playwright-core';
import { SESSION_COOKIE, type Administrator } from './api.js';

/**
 * What a person does on Bulwark's pages, by the accessible names the pages promise. Every step
 * waits for the page it should lead to, so a broken step fails here with the name it missed.
 */

export function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

export async function waitForPath(page: Page, path: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === path);
}

export async function waitForAccountsPage(page: Page): Promise<void> {
  await waitForPath(page, '/accounts');
  await page.getByRole('heading', { name: 'Accounts', exact: true }).waitFor();
}

export async function waitForSignInPage(page: Page): Promise<void> {
  await waitForPath(page, '/login');
  await page.getByRole('heading', { name: 'Sign in to Bulwark', exact: true }).waitFor();
}

/** Opens the logged setup link and creates the first Administrator; ends on the Accounts page. */
export async function completeSetupForm(page: Page, setupLink: string, admin: Administrator): Promise<void> {
  await page.goto(setupLink);
  await page.getByRole('heading', { name: 'Create the first Administrator', exact: true }).waitFor();
  await page.getByLabel('Full Name', { exact: true }).fill(admin.name);
  await page.getByLabel('Username', { exact: true }).fill(admin.username);
  await page.getByLabel('Email', { exact: true }).fill(admin.email);
  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByLabel('Verify Password', { exact: true }).fill(admin.password);
  await page.getByRole('button', { name: 'Create Administrator', exact: true }).click();
  await waitForAccountsPage(page);
}

/** Fills and submits the sign-in form at /login; does not wait for the outcome. */
export async function submitSignInForm(
  page: Page,
  baseUrl: string,
  credentials: { username: string; password: string; rememberMe?: boolean },
): Promise<void> {
  if (pathOf(page) !== '/login' || !page.url().startsWith(baseUrl)) await page.goto(`${baseUrl}/login`);
  await page.getByRole('heading', { name: 'Sign in to Bulwark', exact: true }).waitFor();
  await page.getByLabel('Username', { exact: true }).fill(credentials.username);
  await page.getByLabel('Password', { exact: true }).fill(credentials.password);
  const rememberMe = page.getByRole('checkbox', { name: 'Remember Me', exact: true });
  if (credentials.rememberMe) await rememberMe.check();
  else await rememberMe.uncheck();
  await page.getByRole('button', { name: 'Sign In', exact: true }).click();
}

/** Signs in through the form and waits for the Accounts page. */
export async function signInWithForm(
  page: Page,
  baseUrl: string,
  credentials: { username: string; password: string; rememberMe?: boolean },
): Promise<void> {
  await submitSignInForm(page, baseUrl, credentials);
  await waitForAccountsPage(page);
}

/** Signs out through the user account menu and waits for the sign-in page. */
export async function signOutWithMenu(page: Page): Promise<void> {
  // A name that also carries the visible user name (WCAG 2.5.3, label in name) still matches.
  await page.getByRole('button', { name: /user account menu/i }).click();
  await page.getByRole('menuitem', { name: 'Sign Out', exact: true }).click();
  await waitForSignInPage(page);
}

/** The value of Bulwark's session cookie in the page's context, or undefined. */
export async function readSessionCookie(page: Page): Promise<string | undefined> {
  const cookies = await page.context().cookies(page.url());
  return cookies.find((cookie) => cookie.name === SESSION_COOKIE)?.value;
}
