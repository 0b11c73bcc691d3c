// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MeResponse, SessionResponse } from '../../../../../common/schemas/auth.js';
import { installBrowserStubs, jsonResponse, render } from '../../../test-utils/render';
import { useSession } from '../../auth';
import { AssistBar } from './assist-bar';

const grace: MeResponse = {
  id: '00000000-0000-4000-8000-000000000002',
  kind: 'staff',
  username: 'grace@mssp.example',
  name: 'Grace Hopper',
  email: null,
  role: 16,
  isSupportAgent: false,
  accountId: null,
  canManageCases: false,
  isPrimaryContact: false,
  assignedAccountIds: [],
  lastLoginAt: null,
};
const ada: MeResponse = { ...grace, id: '00000000-0000-4000-8000-000000000001', username: 'ada@mssp.example', name: 'Ada', role: 64 };

/** The app shell as far as the bar needs it: the session query is active, as under RequireSession. */
function Shell() {
  const session = useSession();
  const data = session.data;
  return (
    <>
      {data?.assisting && <AssistBar user={data.user} assisting={data.assisting} />}
      <Routes>
        <Route path="/accounts" element={<p>Accounts page</p>} />
        <Route path="/admin/users" element={<p>Users page</p>} />
      </Routes>
    </>
  );
}

describe('AssistBar', () => {
  beforeAll(installBrowserStubs);
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('names the assisted user and role, and at the time limit returns the Administrator to the Users page', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const endsAt = new Date(Date.now() + 100_000).toISOString();
    const assisting: SessionResponse = {
      user: grace,
      csrfToken: 'csrf',
      idleTimeoutMinutes: 30,
      assisting: { by: { id: ada.id, username: ada.username }, reason: 'Ticket 1', endsAt },
    };
    // The server's answer: the assisted user until endsAt, the Administrator from then on.
    const isAssistOver = () => Date.now() >= Date.parse(endsAt);
    const fetchMock = vi.fn(async () => jsonResponse(200, isAssistOver() ? { ...assisting, user: ada, assisting: null } : assisting));
    vi.stubGlobal('fetch', fetchMock);

    render(<Shell />, { initialEntries: ['/accounts'] });
    const bar = await screen.findByRole('region', { name: 'User assist' });
    // (jsdom applies no CSS: the phone and desktop wordings are both in the text here.)
    for (const part of ['You are assisting', 'Grace Hopper', '(grace@mssp.example)', 'Role: Basic', 'ends at']) {
      expect(bar.textContent).toContain(part);
    }
    expect(screen.getByRole('button', { name: 'Stop assisting' })).toBeTruthy();
    expect(screen.getByText('Accounts page')).toBeTruthy();

    // The server ends the assist at endsAt; a second later the bar reloads the session and leaves.
    await vi.advanceTimersByTimeAsync(99_000);
    expect(screen.getByRole('region', { name: 'User assist' })).toBeTruthy();
    await vi.advanceTimersByTimeAsync(2_000);
    await screen.findByText('Users page');
    expect(screen.queryByRole('region', { name: 'User assist' })).toBeNull();
  });
});
