// @vitest-environment jsdom
import { useQuery } from '@tanstack/react-query';
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiRequest } from '../lib/api-client';
import { installBrowserStubs, jsonResponse, render } from '../test-utils/render';
import { createQueryClient } from './query-client';
import { LoginPage } from './routes/login-page';
import { RequireGuest, RequireSession } from './session-guards';

const SESSION = {
  user: {
    id: '5f0b7c1e-8d7a-4c3b-9a57-1e2d3c4b5a69',
    kind: 'staff',
    username: 'ada@example.com',
    name: 'Ada Lovelace',
    email: null,
    role: 64,
    isSupportAgent: false,
    accountId: null,
    canManageCases: false,
    isPrimaryContact: false,
    assignedAccountIds: [],
    lastLoginAt: null,
  },
  csrfToken: 'csrf-token-value',
  idleTimeoutMinutes: 30,
};
const UNAUTHENTICATED = { error: { code: 'unauthenticated', message: 'Sign in to continue.' } };
const SESSION_ENDED = 'Your session has ended. Sign in again.';

/** Answers each API path in turn from its own list of responses (the last one repeats). */
function stubApi(routes: Record<string, Array<() => Response>>) {
  const calls: string[] = [];
  const fetchMock = vi.fn<typeof fetch>(async (input) => {
    const path = String(input).split('?')[0] ?? '';
    calls.push(path);
    const queue = routes[path];
    const next = queue && (queue.length > 1 ? queue.shift() : queue[0]);
    return next ? next() : jsonResponse(404, { error: { code: 'not_found', message: `No stub for ${path}` } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}

/** A signed-in page whose data request may answer 401. */
function ProbePage() {
  const probe = useQuery({ queryKey: ['probe'], queryFn: () => apiRequest('/api/probe') });
  return <p>{probe.isSuccess ? 'Probe loaded' : 'Signed-in page'}</p>;
}

function renderApp(path: string) {
  return render(
    <Routes>
      <Route element={<RequireGuest />}>
        <Route path="/login" element={<LoginPage />} />
      </Route>
      <Route element={<RequireSession />}>
        <Route path="/accounts" element={<ProbePage />} />
      </Route>
    </Routes>,
    { initialEntries: [path], queryClient: createQueryClient() },
  );
}

describe('the session guard', () => {
  beforeAll(installBrowserStubs);
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    window.sessionStorage.clear();
  });

  it('sends a first-time visitor to sign in without talk of an ended session', async () => {
    stubApi({ '/api/auth/session': [() => jsonResponse(401, UNAUTHENTICATED)] });
    renderApp('/accounts');

    expect(await screen.findByRole('heading', { name: 'Sign in to Bulwark' })).toBeTruthy();
    expect(screen.queryByText(SESSION_ENDED)).toBeNull();
  });

  it('says the session has ended when this tab had one, and returns there after signing in', async () => {
    window.sessionStorage.setItem('bulwark:session', 'active');
    stubApi({
      '/api/auth/session': [() => jsonResponse(401, UNAUTHENTICATED)],
      '/api/auth/sign-in': [() => jsonResponse(200, SESSION)],
      '/api/probe': [() => jsonResponse(200, { ok: true })],
    });
    renderApp('/accounts');

    expect(await screen.findByText(SESSION_ENDED)).toBeTruthy();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Username'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'Correct-Horse-42!');
    await user.click(screen.getByRole('button', { name: 'Sign In' }));

    expect(await screen.findByText('Probe loaded')).toBeTruthy();
  });

  it('treats a 401 from any signed-in request as the end of the session', async () => {
    const calls = stubApi({
      '/api/auth/session': [() => jsonResponse(200, SESSION)],
      '/api/probe': [() => jsonResponse(401, UNAUTHENTICATED)],
    });
    renderApp('/accounts');

    expect(await screen.findByText(SESSION_ENDED)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Sign in to Bulwark' })).toBeTruthy();
    expect(calls).toContain('/api/probe');
  });
});
