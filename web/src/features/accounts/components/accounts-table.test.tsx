// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccountDetailsResponse, AccountSummaryResponse } from '../../../../../common/schemas/accounts.js';
import { Route, Routes } from 'react-router';
import { installBrowserStubs, jsonResponse, render } from '../../../test-utils/render';
import { formatSupportTicketDetails } from './account-details-drawer';
import { AccountsTable } from './accounts-table';

const account: AccountSummaryResponse = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Acme Logistics',
  customName: 'Acme East',
  siteId: 'ACME-01',
  region: 'US',
  notes: '',
  isActive: true,
  logoId: null,
  logoVersion: null,
  licenses: [{ app: 'vm', licensedAssets: 10, assetLimit: 100, expiresOn: '2027-06-30' }],
};
const withLogo: AccountSummaryResponse = {
  ...account,
  id: '00000000-0000-4000-8000-000000000002',
  name: 'Globex',
  customName: null,
  logoId: '00000000-0000-4000-8000-0000000000aa',
  logoVersion: '1',
};

describe('AccountsTable', () => {
  beforeAll(installBrowserStubs);
  afterEach(cleanup);

  it("shows a logo or Bulwark's default, and no check boxes or row buttons without administration (other staff)", () => {
    render(<AccountsTable accounts={[account, withLogo]} sort="name" order="asc" onSort={() => {}} />);
    expect(screen.getByRole('img', { name: 'Acme East logo: Bulwark default logo' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Globex logo' }).getAttribute('src')).toBe(
      '/api/logos/00000000-0000-4000-8000-0000000000aa/image?v=1',
    );
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.queryByRole('button', { name: /View details/ })).toBeNull();
  });

  it('gives Administrators check boxes, View details and Edit', async () => {
    const onToggle = vi.fn();
    const onToggleAll = vi.fn();
    const onViewDetails = vi.fn();
    const onEdit = vi.fn();
    render(
      <AccountsTable
        accounts={[account, withLogo]}
        sort="name"
        order="asc"
        onSort={() => {}}
        administration={{ selectedIds: new Set([account.id]), onToggle, onToggleAll, onViewDetails, onEdit }}
      />,
    );
    expect((screen.getByRole('checkbox', { name: 'Select Acme East' }) as HTMLInputElement).checked).toBe(true);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select Globex' }));
    expect(onToggle).toHaveBeenCalledWith(withLogo.id);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select all accounts on this page' }));
    expect(onToggleAll).toHaveBeenCalledWith([account.id, withLogo.id], true);
    await userEvent.click(screen.getByRole('button', { name: 'View details of Acme East' }));
    expect(onViewDetails).toHaveBeenCalledWith(account.id);
    await userEvent.click(screen.getByRole('button', { name: 'Edit Globex' }));
    expect(onEdit).toHaveBeenCalledWith(withLogo.id);
  });
});

describe('AccountsTable single sign-on', () => {
  beforeAll(installBrowserStubs);
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("gives every row (not only for Administrators) a button that records entering and opens the account's instance", async () => {
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async (input, init) => {
        calls.push(`${init?.method ?? 'GET'} ${String(input)}`);
        if (String(input) === '/api/auth/session') {
          return jsonResponse(200, { user: null, csrfToken: 'csrf', idleTimeoutMinutes: 30 });
        }
        return new Response(null, { status: 204 });
      }),
    );
    const inactive = { ...withLogo, isActive: false };
    render(
      <Routes>
        <Route path="/accounts" element={<AccountsTable accounts={[account, inactive]} sort="name" order="asc" onSort={() => {}} />} />
        <Route path="/instances/:accountId" element={<p>Instance page</p>} />
      </Routes>,
      { initialEntries: ['/accounts'] },
    );
    // A deactivated account's instance is closed.
    expect((screen.getByRole('button', { name: 'Sign in to the instance of Globex' }) as HTMLButtonElement).disabled).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Sign in to the instance of Acme East' }));
    expect(await screen.findByText('Instance page')).toBeTruthy();
    expect(calls).toContain(`POST /api/instances/${account.id}/sso`);
  });
});

describe('formatSupportTicketDetails', () => {
  it('lists what a support ticket needs, with the primary contact', () => {
    const details: AccountDetailsResponse = {
      ...account,
      containerUuid: account.id,
      isFedramp: false,
      companyName: null,
      postalAddress: null,
      contactEmail: null,
      logoName: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      subscriptions: [],
      customNameHistory: [],
      contacts: [
        {
          id: '00000000-0000-4000-8000-000000000009',
          name: 'Aisha Bailey',
          username: 'aisha@acme.example',
          email: null,
          role: 64,
          canManageCases: true,
          isPrimaryContact: true,
          supportPin: '123456',
          isDisabled: false,
          hasPassword: true,
          lastLoginAt: null,
        },
      ],
    };
    expect(formatSupportTicketDetails(details)).toEqual([
      ['Customer Name', 'Acme Logistics'],
      ['Custom Name', 'Acme East'],
      ['Container UUID', account.id],
      ['Site Identifier', 'ACME-01'],
      ['Region', 'US'],
      ['Licensed Apps', 'VM (Vulnerability Management)'],
      ['Licence Expiry', 'VM 2027-06-30'],
      ['Primary Contact', 'Aisha Bailey <aisha@acme.example>'],
    ]);
  });
});
