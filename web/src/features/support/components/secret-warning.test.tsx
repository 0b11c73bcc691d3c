// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MeResponse, SessionResponse } from '../../../../../common/schemas/auth.js';
import type { SecretCheckResponse } from '../../../../../common/schemas/support.js';
import { installBrowserStubs, jsonResponse, render } from '../../../test-utils/render';
import { SecretWarning, type SecretWarningState } from './secret-warning';

const contact: MeResponse = {
  id: '00000000-0000-4000-8000-000000000003',
  kind: 'contact',
  username: 'carol@customer.example',
  name: 'Carol',
  email: null,
  role: 32,
  isSupportAgent: false,
  accountId: '00000000-0000-4000-8000-00000000000a',
  canManageCases: true,
  isPrimaryContact: false,
  assignedAccountIds: [],
  lastLoginAt: null,
};
const session: SessionResponse = { user: contact, csrfToken: 'csrf-1', idleTimeoutMinutes: 30, assisting: null };

const TENABLE_FINDING = { kind: 'Tenable API keys', preview: 'accessKey=2c93…•••• ; secretKey=••••', start: 8, end: 150 };

/** The session, and the secret check answering `answerFor(text)`; every checked text lands in the list returned. */
function mockServer(answerFor: (text: string) => SecretCheckResponse) {
  const checked: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input, init) => {
      if (String(input).endsWith('/api/auth/session')) return jsonResponse(200, session);
      const { text } = JSON.parse(String(init?.body)) as { text: string };
      checked.push(text);
      return jsonResponse(200, answerFor(text));
    }),
  );
  return checked;
}

/** A description box with the warning under it, as the case forms will use it. */
function Form({ onStateChange }: { onStateChange: (state: SecretWarningState) => void }) {
  const [text, setText] = useState('');
  return (
    <>
      <textarea aria-label="Description" value={text} onChange={(event) => setText(event.currentTarget.value)} />
      <SecretWarning text={text} onStateChange={onStateChange} />
    </>
  );
}

describe('SecretWarning', () => {
  beforeAll(installBrowserStubs);
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('checks once typing stops, names each kind with its masked preview, and reports "Submit anyway"', async () => {
    const checked = mockServer((text) => ({ findings: text.includes('accessKey') ? [TENABLE_FINDING] : [] }));
    const onStateChange = vi.fn<(state: SecretWarningState) => void>();
    render(<Form onStateChange={onStateChange} />);
    const user = userEvent.setup();

    await user.type(screen.getByLabelText('Description'), 'Scans: accessKey=…');
    const alert = await screen.findByRole('alert');
    // Typed character by character, yet checked once: the whole text after the pause.
    expect(checked).toEqual(['Scans: accessKey=…']);
    expect(alert.textContent).toContain('Tenable API keys:');
    expect(alert.textContent).toContain('accessKey=2c93…•••• ; secretKey=••••');
    expect(onStateChange).toHaveBeenLastCalledWith({ findings: [TENABLE_FINDING], isSubmitAnywayChosen: false });

    await user.click(screen.getByRole('checkbox', { name: /Submit anyway/ }));
    expect(onStateChange).toHaveBeenLastCalledWith({ findings: [TENABLE_FINDING], isSubmitAnywayChosen: true });
  });

  it('disappears, and withdraws "Submit anyway", once the contact edits the secret out', async () => {
    mockServer((text) => ({ findings: text.includes('accessKey') ? [TENABLE_FINDING] : [] }));
    const onStateChange = vi.fn<(state: SecretWarningState) => void>();
    render(<Form onStateChange={onStateChange} />);
    const user = userEvent.setup();

    await user.type(screen.getByLabelText('Description'), 'accessKey=x');
    await user.click(await screen.findByRole('checkbox', { name: /Submit anyway/ }));
    await user.clear(screen.getByLabelText('Description'));
    await user.type(screen.getByLabelText('Description'), 'Scans fail since Monday');
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(onStateChange).toHaveBeenLastCalledWith({ findings: [], isSubmitAnywayChosen: false });
  });
});
