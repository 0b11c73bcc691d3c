// @vitest-environment jsdom
import { cleanup, configure, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MeResponse } from '../../../../common/schemas/auth.js';
import type { InstanceResponse } from '../../../../common/schemas/instances.js';
import { installBrowserStubs, jsonResponse, render } from '../../test-utils/render';
import { InstanceHomePage } from './instance-home-page';
import { InstanceLayout } from './instance-layout';

const ACCOUNT_ID = '0b9c1e2d-3c4b-4a69-8d7a-5f0b7c1e9a57';
const STAFF: MeResponse = {
  id: '5f0b7c1e-8d7a-4c3b-9a57-1e2d3c4b5a69',
  kind: 'staff',
  username: 'grace@mssp.example',
  name: 'Grace Hopper',
  email: null,
  role: 32,
  isSupportAgent: false,
  accountId: null,
  canManageCases: false,
  isPrimaryContact: false,
  assignedAccountIds: [ACCOUNT_ID],
  lastLoginAt: null,
};
const CONTACT: MeResponse = { ...STAFF, kind: 'contact', username: 'joan@acme.example', name: 'Joan Clarke', accountId: ACCOUNT_ID };
const INSTANCE: InstanceResponse = {
  accountId: ACCOUNT_ID,
  displayName: 'Acme East',
  name: 'Acme Logistics',
  isActive: true,
  logoId: '00000000-0000-4000-8000-0000000000aa',
  logoVersion: '3',
  apps: ['vm', 'was'],
  defaultApp: 'vm',
  licenses: [
    { app: 'vm', assetLimit: 100, assetCount: 120, expiresOn: '2030-01-31', isOverLimit: true, isExpired: false },
    { app: 'was', assetLimit: 5, assetCount: 1, expiresOn: '2024-03-01', isOverLimit: false, isExpired: true },
  ],
  canImport: true,
  isPortalSignIn: true,
};

type Handler = (init: RequestInit | undefined) => Response;

function stubApi(routes: Record<string, Handler>) {
  const calls: Array<{ method: string; path: string }> = [];
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input, init) => {
      const path = String(input).split('?')[0] ?? '';
      const method = init?.method ?? 'GET';
      calls.push({ method, path });
      const handler = routes[`${method} ${path}`];
      return handler ? handler(init) : jsonResponse(404, { error: { code: 'not_found', message: `No stub for ${method} ${path}` } });
    }),
  );
  return calls;
}

function session(user: MeResponse) {
  return () => jsonResponse(200, { user, csrfToken: 'csrf', idleTimeoutMinutes: 30 });
}

function renderInstance(path: string) {
  return render(
    <Routes>
      <Route path="/login" element={<p>Sign-in page</p>} />
      <Route path="/accounts" element={<p>Accounts page</p>} />
      <Route path="/instances/:accountId" element={<InstanceLayout />}>
        <Route index element={<InstanceHomePage />} />
        <Route path="vm" element={<p>VM dashboard</p>} />
        <Route path="was" element={<p>WAS page</p>} />
        <Route path="cs" element={<p>CS page</p>} />
        <Route path="scans" element={<p>Scans page</p>} />
      </Route>
    </Routes>,
    { initialEntries: [path] },
  );
}

describe('the instance layout', () => {
  beforeAll(() => {
    installBrowserStubs();
    // Several lazy menus and navigations in a row: a loaded machine needs more than the default second.
    configure({ asyncUtilTimeout: 5000 });
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('frames a staff sign-in with the MSSP overlay, the logo, the licensed apps and the licence banner; Return to MSSP Portal records leaving', async () => {
    const calls = stubApi({
      'GET /api/auth/session': session(STAFF),
      [`GET /api/instances/${ACCOUNT_ID}`]: () => jsonResponse(200, INSTANCE),
      [`POST /api/instances/${ACCOUNT_ID}/sso`]: () => new Response(null, { status: 204 }),
      [`POST /api/instances/${ACCOUNT_ID}/sso/leave`]: () => new Response(null, { status: 204 }),
    });
    renderInstance(`/instances/${ACCOUNT_ID}`);

    // The index opens the default app.
    expect(await screen.findByText('VM dashboard')).toBeTruthy();
    const overlay = screen.getByRole('region', { name: 'MSSP portal sign-in' });
    expect(overlay.textContent).toContain('signed in to Acme East');
    expect(overlay.textContent).toContain('grace@mssp.example');
    expect(overlay.textContent).toContain('(VM Standard)');
    expect(screen.getByRole('img', { name: 'Acme East logo' }).getAttribute('src')).toBe(`/api/logos/${INSTANCE.logoId}/image?v=3`);
    // Arriving by URL (not the Accounts button) records the entering too.
    expect(calls).toContainEqual({ method: 'POST', path: `/api/instances/${ACCOUNT_ID}/sso` });
    // VM navigation, and the licence problems.
    const navigation = screen.getByRole('navigation', { name: 'Acme East navigation' });
    expect(within(navigation).getByRole('link', { name: 'Dashboard' }).getAttribute('aria-current')).toBe('page');
    expect(within(navigation).getByRole('link', { name: 'Scans' })).toBeTruthy();
    expect(screen.getByText('Vulnerability Management: Licensed assets: 120 of 100 — over the licence limit')).toBeTruthy();
    expect(screen.getByText(/^The Web App Scanning licence expired on/)).toBeTruthy();

    // The switcher offers the licensed apps only.
    await userEvent.click(screen.getByRole('button', { name: 'Switch app (current: Vulnerability Management)' }));
    expect(screen.getByRole('menuitem', { name: 'Web App Scanning' })).toBeTruthy();
    expect(screen.queryByRole('menuitem', { name: 'Container Security' })).toBeNull();
    await userEvent.click(screen.getByRole('menuitem', { name: 'Web App Scanning' }));
    expect(await screen.findByText('WAS page')).toBeTruthy();
    expect(within(navigation).getByRole('link', { name: 'Web applications' })).toBeTruthy();
    // Scans keeps the app the person came from.
    await userEvent.click(within(navigation).getByRole('link', { name: 'Scans' }));
    expect(await screen.findByText('Scans page')).toBeTruthy();
    expect(within(navigation).getByRole('link', { name: 'Web applications' })).toBeTruthy();

    await userEvent.click(within(overlay).getByRole('button', { name: 'Return to MSSP Portal' }));
    expect(await screen.findByText('Accounts page')).toBeTruthy();
    expect(calls).toContainEqual({ method: 'POST', path: `/api/instances/${ACCOUNT_ID}/sso/leave` });
  });

  it('offers Leave User in the user menu while signed in from the portal', async () => {
    const calls = stubApi({
      'GET /api/auth/session': session(STAFF),
      [`GET /api/instances/${ACCOUNT_ID}`]: () => jsonResponse(200, INSTANCE),
      [`POST /api/instances/${ACCOUNT_ID}/sso`]: () => new Response(null, { status: 204 }),
      [`POST /api/instances/${ACCOUNT_ID}/sso/leave`]: () => new Response(null, { status: 204 }),
    });
    renderInstance(`/instances/${ACCOUNT_ID}/vm`);
    await userEvent.click(await screen.findByRole('button', { name: 'User account menu' }));
    expect(screen.queryByRole('menuitem', { name: 'My Account' })).toBeNull();
    await userEvent.click(screen.getByRole('menuitem', { name: 'Leave User' }));
    expect(await screen.findByText('Accounts page')).toBeTruthy();
    expect(calls.filter((call) => call.path.endsWith('/sso/leave'))).toHaveLength(1);
  });

  it('shows a contact their own instance without the overlay, with My Account and Sign Out', async () => {
    const calls = stubApi({
      'GET /api/auth/session': session(CONTACT),
      [`GET /api/instances/${ACCOUNT_ID}`]: () =>
        jsonResponse(200, {
          ...INSTANCE,
          isPortalSignIn: false,
          logoId: null,
          logoVersion: null,
          licenses: [],
          apps: ['was'],
          defaultApp: 'was',
        }),
    });
    renderInstance(`/instances/${ACCOUNT_ID}`);
    expect(await screen.findByText('WAS page')).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'MSSP portal sign-in' })).toBeNull();
    expect(screen.getByRole('img', { name: 'Acme East logo: Bulwark default logo' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(calls.some((call) => call.method === 'POST')).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'User account menu' }));
    expect(screen.getByRole('menuitem', { name: 'My Account' })).toBeTruthy();
    expect(screen.getByRole('menuitem', { name: 'Sign Out' })).toBeTruthy();
    expect(screen.queryByRole('menuitem', { name: 'Leave User' })).toBeNull();
  });

  it('says an instance the person may not see is not found, and a deactivated one is closed', async () => {
    stubApi({
      'GET /api/auth/session': session({ ...STAFF, assignedAccountIds: [] }),
      [`GET /api/instances/${ACCOUNT_ID}`]: () => jsonResponse(404, { error: { code: 'not_found', message: 'Instance not found.' } }),
    });
    renderInstance(`/instances/${ACCOUNT_ID}/vm`);
    expect(await screen.findByRole('heading', { name: 'Instance not found' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to Accounts' }).getAttribute('href')).toBe('/accounts');
    cleanup();
    vi.unstubAllGlobals();

    const closed = 'This customer account is deactivated: its instance is closed until an Administrator reactivates it.';
    stubApi({
      'GET /api/auth/session': session(STAFF),
      [`GET /api/instances/${ACCOUNT_ID}`]: () => jsonResponse(403, { error: { code: 'forbidden', message: closed } }),
    });
    renderInstance(`/instances/${ACCOUNT_ID}/vm`);
    expect(await screen.findByRole('heading', { name: 'Instance closed' })).toBeTruthy();
    expect(screen.getByText(closed)).toBeTruthy();
  });

  it('sends someone without a session to sign in, and explains an account without licensed apps', async () => {
    stubApi({ 'GET /api/auth/session': () => jsonResponse(401, { error: { code: 'unauthenticated', message: 'Sign in to continue.' } }) });
    renderInstance(`/instances/${ACCOUNT_ID}/vm`);
    expect(await screen.findByText('Sign-in page')).toBeTruthy();
    cleanup();
    vi.unstubAllGlobals();

    stubApi({
      'GET /api/auth/session': session(CONTACT),
      [`GET /api/instances/${ACCOUNT_ID}`]: () =>
        jsonResponse(200, { ...INSTANCE, isPortalSignIn: false, licenses: [], apps: [], defaultApp: null }),
    });
    renderInstance(`/instances/${ACCOUNT_ID}`);
    expect(await screen.findByRole('heading', { name: 'No licensed apps' })).toBeTruthy();
  });
});
