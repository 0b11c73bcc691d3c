// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { installBrowserStubs, jsonResponse, render } from '../../../test-utils/render';
import { sessionQueryKey } from '../auth.api';
import { SignInForm } from './sign-in-form';

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
    lastLoginAt: '2026-11-22T09:30:00.000Z',
  },
  csrfToken: 'csrf-token-value',
  idleTimeoutMinutes: 30,
};

function mockFetch(response: Response) {
  const fetchMock = vi.fn<typeof fetch>().mockResolvedValue(response);
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

async function fillAndSubmit(options: { rememberMe?: boolean } = {}) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Username'), 'ada@example.com');
  await user.type(screen.getByLabelText('Password'), 'Correct-Horse-42!');
  if (options.rememberMe) await user.click(screen.getByRole('checkbox', { name: /Remember Me/ }));
  await user.click(screen.getByRole('button', { name: 'Sign In' }));
}

describe('SignInForm', () => {
  beforeAll(installBrowserStubs);
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    window.sessionStorage.clear();
  });

  it("shows the server's message when sign-in is refused", async () => {
    mockFetch(jsonResponse(401, { error: { code: 'invalid_credentials', message: 'Invalid username or password.' } }));
    render(<SignInForm />);

    await fillAndSubmit();

    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'Invalid username or password.');
    // The password is cleared for the next try; the username stays.
    expect(screen.getByLabelText('Password')).toHaveProperty('value', '');
    expect(screen.getByLabelText('Username')).toHaveProperty('value', 'ada@example.com');
  });

  it('shows a rate-limit message verbatim', async () => {
    const message = 'Too many sign-in attempts. Try again in 15 minutes.';
    mockFetch(jsonResponse(429, { error: { code: 'rate_limited', message } }));
    render(<SignInForm />);

    await fillAndSubmit();

    expect((await screen.findByRole('alert')).textContent).toBe(message);
  });

  it('sends rememberMe and stores the session it gets back', async () => {
    const fetchMock = mockFetch(jsonResponse(200, SESSION));
    const onSignedIn = vi.fn();
    const { queryClient } = render(<SignInForm onSignedIn={onSignedIn} />);

    await fillAndSubmit({ rememberMe: true });

    await waitFor(() => expect(onSignedIn).toHaveBeenCalledOnce());
    const [path, init] = fetchMock.mock.calls[0] ?? [];
    expect(path).toBe('/api/auth/sign-in');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('same-origin');
    expect(JSON.parse(String(init?.body))).toEqual({ username: 'ada@example.com', password: 'Correct-Horse-42!', rememberMe: true });
    expect(queryClient.getQueryData(sessionQueryKey)).toEqual(SESSION);
  });

  it('sends rememberMe false when the box is left clear', async () => {
    const fetchMock = mockFetch(jsonResponse(200, SESSION));
    render(<SignInForm />);

    await fillAndSubmit();

    await waitFor(() => expect(fetchMock).toHaveBeenCalledOnce());
    expect(JSON.parse(String(fetchMock.mock.calls[0]?.[1]?.body))).toMatchObject({ rememberMe: false });
  });

  it('asks for the missing fields without calling the server', async () => {
    const fetchMock = mockFetch(jsonResponse(200, SESSION));
    render(<SignInForm />);

    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign In' }));

    expect(await screen.findByText('Enter your username.')).toBeTruthy();
    expect(screen.getByText('Enter your password.')).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
