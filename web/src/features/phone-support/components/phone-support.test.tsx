// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MeResponse, SessionResponse } from '../../../../../common/schemas/auth.js';
import type { PhoneNumbersResponse } from '../../../../../common/schemas/phone-support.js';
import { installBrowserStubs, jsonResponse, render } from '../../../test-utils/render';
import { PhoneNumbersEditor } from './phone-numbers-editor';
import { PhoneSupportCard } from './phone-support-card';
import { PinLookup } from './pin-lookup';

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

const NUMBERS: PhoneNumbersResponse = {
  regions: [
    {
      region: 'americas',
      label: 'Americas',
      numbers: [{ country: 'United States', number: '+12025550142', display: '+1 202 555 0142', note: 'Toll free' }],
    },
    {
      region: 'europe',
      label: 'Europe',
      numbers: [{ country: 'France', number: '+33199001234', display: '+33 1 99 00 12 34', note: '' }],
    },
    { region: 'asia_australia', label: 'Asia/Australia', numbers: [] },
  ],
  updatedAt: '2026-11-23T10:00:00.000Z',
};

interface Call {
  method: string;
  path: string;
  body: unknown;
}

/** A server answering each `METHOD path` with a [status, body]; every request lands in the list returned. */
function mockServer(answers: Record<string, [number, unknown?]>) {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input, init) => {
      const url = new URL(String(input), 'http://bulwark.test');
      const method = init?.method ?? 'GET';
      calls.push({ method, path: `${url.pathname}${url.search}`, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      const [status, body] = answers[`${method} ${url.pathname}`] ?? [404, { error: { code: 'not_found', message: 'Not found.' } }];
      return jsonResponse(status, body);
    }),
  );
  return calls;
}

beforeAll(installBrowserStubs);
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('PhoneSupportCard', () => {
  it('lists every region with tel: links, and asks anonymous visitors to sign in for their PIN', async () => {
    const calls = mockServer({
      'GET /api/support/phone-numbers': [200, NUMBERS],
      'GET /api/auth/session': [401, { error: { code: 'unauthenticated', message: 'Sign in.' } }],
    });
    render(<PhoneSupportCard />);
    expect((await screen.findByRole('link', { name: '+1 202 555 0142' })).getAttribute('href')).toBe('tel:+12025550142');
    expect(screen.getByRole('link', { name: '+33 1 99 00 12 34' }).getAttribute('href')).toBe('tel:+33199001234');
    expect(screen.getByText('Toll free')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Asia/Australia' })).toBeTruthy();
    expect((await screen.findByRole('link', { name: 'Sign in to see your Support PIN' })).getAttribute('href')).toBe('/login');
    expect(calls.some((call) => call.path === '/api/support/pin')).toBe(false);
  });

  it("shows a contact's PIN and regenerates it after confirmation", async () => {
    const calls = mockServer({
      'GET /api/support/phone-numbers': [200, NUMBERS],
      'GET /api/auth/session': [200, session],
      'GET /api/support/pin': [200, { pin: '123456' }],
      'POST /api/support/pin/regenerate': [200, { pin: '654321' }],
    });
    render(<PhoneSupportCard />);
    expect((await screen.findByTestId('support-pin')).textContent).toBe('123456');
    await userEvent.click(screen.getByRole('button', { name: 'Regenerate' }));
    const dialog = await screen.findByRole('dialog', { name: 'Regenerate Support PIN' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Regenerate' }));
    await waitFor(() => expect(screen.getByTestId('support-pin').textContent).toBe('654321'));
    expect(calls.filter((call) => call.method === 'POST')).toEqual([
      { method: 'POST', path: '/api/support/pin/regenerate', body: undefined },
    ]);
  });
});

describe('PhoneNumbersEditor', () => {
  it('saves the edited list region by region', async () => {
    const calls = mockServer({ 'GET /api/auth/session': [200, session], 'PUT /api/support/phone-numbers': [200, NUMBERS] });
    render(<PhoneNumbersEditor initial={NUMBERS} />);
    await userEvent.click(screen.getByRole('button', { name: 'Remove Europe row 1' }));
    const addButtons = screen.getAllByRole('button', { name: 'Add number' });
    await userEvent.click(addButtons[2] as HTMLElement);
    await userEvent.type(screen.getByRole('textbox', { name: 'Country, Asia/Australia row 1' }), 'Japan');
    await userEvent.type(screen.getByRole('textbox', { name: 'Number, Asia/Australia row 1' }), '+81 3 1234 5678');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/The phone numbers are saved/)).toBeTruthy();
    expect(calls.find((call) => call.method === 'PUT')?.body).toEqual({
      numbers: [
        { region: 'americas', country: 'United States', number: '+1 202 555 0142', note: 'Toll free' },
        { region: 'asia_australia', country: 'Japan', number: '+81 3 1234 5678', note: '' },
      ],
    });
  });

  it("marks empty fields without asking the server, and the server's bad numbers on their rows", async () => {
    const calls = mockServer({
      'GET /api/auth/session': [200, session],
      'PUT /api/support/phone-numbers': [
        400,
        {
          error: {
            code: 'validation_failed',
            message: 'Invalid request.',
            issues: [{ path: 'body.numbers.1.number', message: 'Start the number with + and the country code.' }],
          },
        },
      ],
    });
    render(<PhoneNumbersEditor initial={NUMBERS} />);
    await userEvent.click(screen.getAllByRole('button', { name: 'Add number' })[0] as HTMLElement);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByText('Enter the country.')).toBeTruthy();
    expect(calls.some((call) => call.method === 'PUT')).toBe(false);

    await userEvent.click(screen.getByRole('button', { name: 'Remove Americas row 2' }));
    await userEvent.clear(screen.getByRole('textbox', { name: 'Number, Europe row 1' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Number, Europe row 1' }), '01 99 00 12 34');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Start the number with + and the country code.')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Number, Europe row 1' }).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Some numbers are not valid: see the marked rows.')).toBeTruthy();
  });
});

describe('PinLookup', () => {
  it("shows the caller's details, or that no contact in the agent's accounts has the PIN", async () => {
    const calls = mockServer({
      'GET /api/support/pin-lookup': [
        200,
        {
          contactId: contact.id,
          name: 'Carol Jones',
          username: 'carol@customer.example',
          accountId: contact.accountId,
          accountName: 'Contoso',
          role: 32,
          isPrimaryContact: true,
          canManageCases: false,
          isDisabled: false,
        },
      ],
    });
    render(<PinLookup />);
    await userEvent.type(screen.getByRole('textbox', { name: 'Support PIN' }), '12345');
    await userEvent.click(screen.getByRole('button', { name: 'Look up' }));
    expect(screen.getByText('A Support PIN is six digits.')).toBeTruthy();
    await userEvent.type(screen.getByRole('textbox', { name: 'Support PIN' }), '6');
    await userEvent.click(screen.getByRole('button', { name: 'Look up' }));
    expect(await screen.findByText('Carol Jones')).toBeTruthy();
    expect(screen.getByText('VM Standard')).toBeTruthy();
    expect(calls.map((call) => call.path)).toEqual(['/api/support/pin-lookup?pin=123456']);

    mockServer({
      'GET /api/support/pin-lookup': [404, { error: { code: 'not_found', message: 'No contact with this PIN in your accounts.' } }],
    });
    await userEvent.click(screen.getByRole('button', { name: 'Look up' }));
    expect(await screen.findByText('No contact with this PIN in your accounts.')).toBeTruthy();
  });
});
