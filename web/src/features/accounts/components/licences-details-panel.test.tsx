// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccountDetailsResponse } from '../../../../../common/schemas/accounts.js';
import { installBrowserStubs, jsonResponse, render } from '../../../test-utils/render';
import { LicencesDetailsPanel } from './licences-details-panel';

const account: AccountDetailsResponse = {
  id: '00000000-0000-4000-8000-000000000001',
  containerUuid: '00000000-0000-4000-8000-000000000001',
  name: 'Acme Logistics',
  customName: null,
  siteId: 'ACME-01',
  region: 'US',
  notes: '',
  isActive: true,
  isFedramp: false,
  companyName: 'Acme Logistics Inc.',
  postalAddress: null,
  contactEmail: null,
  logoId: null,
  logoName: null,
  logoVersion: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  licenses: [{ app: 'vm', licensedAssets: 10, assetLimit: 100, expiresOn: '2027-06-30' }],
  subscriptions: [],
  contacts: [],
  customNameHistory: [],
};

/** PATCH answers with the account; anything else (the session) answers 401. */
function mockFetch() {
  const fetchMock = vi.fn<typeof fetch>(async (_input, init) =>
    init?.method === 'PATCH' ? jsonResponse(200, account) : jsonResponse(401, { error: { code: 'unauthenticated', message: 'Sign in.' } }),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

const patchCalls = (fetchMock: ReturnType<typeof mockFetch>) => fetchMock.mock.calls.filter(([, init]) => init?.method === 'PATCH');

describe('LicencesDetailsPanel', () => {
  beforeAll(() => {
    installBrowserStubs();
    // jsdom has no FontFaceSet, which Mantine's autosizing Textarea listens to.
    if (!('fonts' in document)) {
      Object.defineProperty(document, 'fonts', { value: { addEventListener: () => undefined, removeEventListener: () => undefined } });
    }
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('starts from the account, refuses a subscription ending before it starts, then saves licences and subscriptions', async () => {
    const fetchMock = mockFetch();
    const onSaved = vi.fn();
    render(<LicencesDetailsPanel account={account} onSaved={onSaved} />);
    expect((screen.getByRole('textbox', { name: /Customer Name/ }) as HTMLInputElement).value).toBe('Acme Logistics');
    expect((screen.getByRole('textbox', { name: 'Licensed asset limit, VM' }) as HTMLInputElement).value).toBe('100');
    expect((screen.getByRole('checkbox', { name: /Container Security/ }) as HTMLInputElement).checked).toBe(false);

    fireEvent.change(screen.getByRole('textbox', { name: 'Licensed asset limit, VM' }), { target: { value: '250' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /Container Security/ }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Licensed asset limit, CS' }), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'FedRAMP authorized' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add subscription' }));
    fireEvent.change(screen.getByRole('textbox', { name: /Product/ }), { target: { value: 'Tenable Vulnerability Management' } });
    fireEvent.change(screen.getByRole('textbox', { name: /Service level/ }), { target: { value: 'Gold' } });
    fireEvent.change(screen.getByLabelText(/^Start/), { target: { value: '2027-01-01' } });
    fireEvent.change(screen.getByLabelText(/^End/), { target: { value: '2026-01-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('The end date must not be before the start date.')).toBeTruthy();
    expect(patchCalls(fetchMock)).toHaveLength(0);

    fireEvent.change(screen.getByLabelText(/^End/), { target: { value: '2027-12-31' } });
    expect(screen.queryByText('The end date must not be before the start date.')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('Account changes saved successfully'));
    const [path, init] = patchCalls(fetchMock)[0] ?? [];
    expect(path).toBe(`/api/accounts/${account.id}`);
    expect(JSON.parse(String(init?.body))).toMatchObject({
      name: 'Acme Logistics',
      isFedramp: true,
      companyName: 'Acme Logistics Inc.',
      licenses: [
        { app: 'vm', assetLimit: 250, expiresOn: '2027-06-30' },
        { app: 'cs', assetLimit: 5, expiresOn: null },
      ],
      subscriptions: [{ product: 'Tenable Vulnerability Management', serviceLevel: 'Gold', startsOn: '2027-01-01', endsOn: '2027-12-31' }],
    });
  });
});
