// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SignInChallengeResponse } from '../../../../../common/schemas/two-factor.js';
import { installBrowserStubs, jsonResponse, render } from '../../../test-utils/render';
import { SignInForm } from '../../auth';
import { SecondFactorForm } from './second-factor-form';

const CHALLENGE: SignInChallengeResponse = {
  secondFactorRequired: true,
  methods: ['totp', 'sms', 'recovery_code'],
  phoneHint: '+1******0123',
  isCodeSent: false,
  expiresAt: '2026-11-22T10:10:00.000Z',
};

function mockFetch(...responses: Response[]) {
  const fetchMock = vi.fn<typeof fetch>();
  for (const response of responses) fetchMock.mockResolvedValueOnce(response);
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('the code step', () => {
  beforeAll(installBrowserStubs);
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('after a right password (202), hands the challenge on and stores no session', async () => {
    mockFetch(jsonResponse(202, CHALLENGE));
    const onSecondFactorRequired = vi.fn();
    const onSignedIn = vi.fn();
    const { queryClient } = render(<SignInForm onSecondFactorRequired={onSecondFactorRequired} onSignedIn={onSignedIn} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Username'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'Correct-Horse-42!');
    await user.click(screen.getByRole('button', { name: 'Sign In' }));
    await waitFor(() => expect(onSecondFactorRequired).toHaveBeenCalledWith(CHALLENGE));
    expect(onSignedIn).not.toHaveBeenCalled();
    expect(queryClient.getQueryData(['auth', 'session'])).toBeUndefined();
  });

  it('asks the strongest method first and offers the others', async () => {
    render(<SecondFactorForm challenge={CHALLENGE} onAttemptEnded={vi.fn()} onCancel={vi.fn()} />);
    expect(screen.getByText('The 6-digit code your authenticator app shows for Bulwark.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Text a code to my phone' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Use a recovery code' })).toBeTruthy();
  });

  it('sends the code with its method, and hands a 401 (attempt ended) back to the password', async () => {
    const message = 'Too many wrong codes. This sign-in attempt has ended. Sign in again with your username and password.';
    const fetchMock = mockFetch(jsonResponse(401, { error: { code: 'unauthenticated', message } }));
    const onAttemptEnded = vi.fn();
    render(<SecondFactorForm challenge={CHALLENGE} onAttemptEnded={onAttemptEnded} onCancel={vi.fn()} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/Verification Code/), '123 456');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    await waitFor(() => expect(onAttemptEnded).toHaveBeenCalledWith(message));
    const [path, init] = fetchMock.mock.calls[0] ?? [];
    expect(path).toBe('/api/auth/second-factor');
    expect(JSON.parse(String(init?.body))).toEqual({ method: 'totp', code: '123 456' });
  });

  it('switching to text message sends a code and says where it went', async () => {
    const fetchMock = mockFetch(
      jsonResponse(200, { message: 'A verification code was sent to your phone.', resendAvailableAt: '2026-11-22T10:00:30.000Z' }),
    );
    render(<SecondFactorForm challenge={CHALLENGE} onAttemptEnded={vi.fn()} onCancel={vi.fn()} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Text a code to my phone' }));
    expect(await screen.findByText('A verification code was sent to your phone.')).toBeTruthy();
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/auth/second-factor/send');
    expect(screen.getByRole('button', { name: 'Resend Code' })).toBeTruthy();
  });
});
