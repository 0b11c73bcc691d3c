// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { installBrowserStubs, jsonResponse, render } from '../../../test-utils/render';
import { ChangePasswordCard } from './change-password-card';

const POLICY = {
  minLength: 12,
  minClasses: 4,
  description:
    'Passwords must be at least 12 characters long and contain each of: an uppercase letter, a lowercase letter, a number, a special character.',
};

/** Answers the password policy, no session (401), and `answer()` for the change itself. */
function mockServer(answer: () => Response) {
  const fetchMock = vi.fn<typeof fetch>(async (input) => {
    const path = String(input);
    if (path.endsWith('/api/auth/password-policy')) return jsonResponse(200, POLICY);
    if (path.endsWith('/api/auth/session'))
      return jsonResponse(401, { error: { code: 'unauthenticated', message: 'Sign in to continue.' } });
    return answer();
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('ChangePasswordCard', () => {
  beforeAll(installBrowserStubs);
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('lists what the new password lacks and refuses a confirmation that differs, without calling the server', async () => {
    const fetchMock = mockServer(() => jsonResponse(200, { message: 'unused', signedOutSessions: 0 }));
    render(<ChangePasswordCard username="ada@mssp.example" />);
    const user = userEvent.setup();
    await screen.findByText(POLICY.description);
    await user.type(screen.getByLabelText(/^Current Password/), 'Correct-Horse-42!');
    await user.type(screen.getByLabelText(/^New Password/), 'lowercase');
    expect(screen.getByText('Must be at least 12 characters long.')).toBeTruthy();
    expect(screen.getByText('Must contain: an uppercase letter, a number, a special character.')).toBeTruthy();
    await user.clear(screen.getByLabelText(/^New Password/));
    await user.type(screen.getByLabelText(/^New Password/), 'Brand-New-Horse-77!');
    await user.type(screen.getByLabelText(/^Confirm New Password/), 'Brand-New-Horse-78!');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('The passwords do not match.')).toBeTruthy();
    expect(fetchMock.mock.calls.filter(([input]) => String(input).endsWith('/api/my-account/password'))).toHaveLength(0);
  });

  it("shows the server's refusal of the current password beside the field and clears it", async () => {
    const message = 'The current password is not correct.';
    mockServer(() =>
      jsonResponse(400, { error: { code: 'validation_failed', message, issues: [{ path: 'body.currentPassword', message }] } }),
    );
    render(<ChangePasswordCard username="ada@mssp.example" />);
    const user = userEvent.setup();
    await screen.findByText(POLICY.description);
    await user.type(screen.getByLabelText(/^Current Password/), 'Wrong-Horse-42!');
    await user.type(screen.getByLabelText(/^New Password/), 'Brand-New-Horse-77!');
    await user.type(screen.getByLabelText(/^Confirm New Password/), 'Brand-New-Horse-77!');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(message)).toBeTruthy();
    await waitFor(() => expect(screen.getByLabelText(/^Current Password/)).toHaveProperty('value', ''));
    expect(screen.getByLabelText(/^New Password/)).toHaveProperty('value', 'Brand-New-Horse-77!');
  });
});
