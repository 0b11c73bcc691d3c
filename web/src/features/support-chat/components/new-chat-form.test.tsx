// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ELIGIBILITY_MESSAGES, type SupportOverviewResponse } from '../../../../../common/schemas/support-cases.js';
import { installBrowserStubs, jsonResponse, render } from '../../../test-utils/render';
import { NewChatForm } from './new-chat-form';
import { StartChat } from './start-chat';

const PRODUCTS = [
  { name: 'Tenable.io Vulnerability Management', versions: [], serviceLevel: 'Standard' },
  { name: 'Nessus Professional', versions: ['10.8', '10.7'], serviceLevel: 'Standard' },
];
const OPERATING_SYSTEMS = ['Debian 12', 'Windows 11'];
const OPEN_CASES = [{ id: '00000000-0000-4000-8000-000000000001', number: '100042', subject: 'Scanner offline' }];

beforeAll(() => installBrowserStubs());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** The Product menu (its label is also the start of Product Version's). */
const productMenu = () => screen.getAllByLabelText(/^Product/)[0] as HTMLSelectElement;

function renderForm(onSubmit = vi.fn()) {
  render(
    <NewChatForm
      products={PRODUCTS}
      operatingSystems={OPERATING_SYSTEMS}
      openCases={OPEN_CASES}
      isSubmitting={false}
      onSubmit={onSubmit}
    />,
  );
  return onSubmit;
}

describe('New Chat Support Session form', () => {
  it('asks for the Product Version only for a product that has versions', async () => {
    const user = userEvent.setup();
    renderForm();
    expect(screen.queryByLabelText(/Product Version/)).toBeNull();
    await user.selectOptions(productMenu(), 'Nessus Professional');
    expect(screen.getByLabelText(/Product Version/)).toBeTruthy();
    await user.selectOptions(productMenu(), 'Tenable.io Vulnerability Management');
    expect(screen.queryByLabelText(/Product Version/)).toBeNull();
  });

  it('lists the open cases and New Case, and submits New Case as caseId null with no version for a product without versions', async () => {
    const user = userEvent.setup();
    const onSubmit = renderForm();
    const caseMenu = screen.getByLabelText(/Support Case Number/);
    expect([...caseMenu.querySelectorAll('option')].map((option) => option.textContent)).toEqual([
      'Select a case',
      '100042 - Scanner offline',
      'New Case',
    ]);
    await user.selectOptions(productMenu(), 'Tenable.io Vulnerability Management');
    await user.selectOptions(screen.getByLabelText(/Operating System/), 'Debian 12');
    await user.selectOptions(caseMenu, 'New Case');
    await user.type(screen.getByLabelText(/Description/), 'Dashboards are empty since this morning.');
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    expect(onSubmit).toHaveBeenCalledWith({
      product: 'Tenable.io Vulnerability Management',
      productVersion: null,
      operatingSystem: 'Debian 12',
      caseId: null,
      description: 'Dashboards are empty since this morning.',
    });
  });

  it('requires the version of a product with versions, then sends it with the chosen case', async () => {
    const user = userEvent.setup();
    const onSubmit = renderForm();
    await user.selectOptions(productMenu(), 'Nessus Professional');
    await user.selectOptions(screen.getByLabelText(/Operating System/), 'Windows 11');
    await user.selectOptions(screen.getByLabelText(/Support Case Number/), '100042 - Scanner offline');
    await user.type(screen.getByLabelText(/Description/), 'Plugin updates fail.');
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('Select the product version.')).toBeTruthy();
    await user.selectOptions(screen.getByLabelText(/Product Version/), '10.7');
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ productVersion: '10.7', caseId: OPEN_CASES[0]?.id }));
  });
});

describe('Chat with Technical Support for an ineligible contact', () => {
  it("shows the seed's message instead of the form", async () => {
    const overview: SupportOverviewResponse = {
      signedIn: true,
      isContact: true,
      isSupportAgent: false,
      customerCare: { allowed: true, reason: null, message: null },
      technicalSupport: { allowed: false, reason: 'no_permission', message: ELIGIBILITY_MESSAGES.no_permission },
      account: { id: '00000000-0000-4000-8000-000000000002', name: 'Initech', isFedramp: false },
      canManageCases: false,
      isPrimaryContact: false,
    };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => (String(input).startsWith('/api/support/overview') ? jsonResponse(200, overview) : jsonResponse(404))),
    );
    render(<StartChat />);
    expect(await screen.findByText(ELIGIBILITY_MESSAGES.no_permission)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Submit' })).toBeNull();
    expect(screen.queryByLabelText(/Support Case Number/)).toBeNull();
  });
});
