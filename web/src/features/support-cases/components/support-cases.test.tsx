// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MeResponse, SessionResponse } from '../../../../../common/schemas/auth.js';
import {
  ELIGIBILITY_MESSAGES,
  type CaseListResponse,
  type SupportCatalogResponse,
  type SupportOverviewResponse,
} from '../../../../../common/schemas/support-cases.js';
import { installBrowserStubs, jsonResponse, render } from '../../../test-utils/render';
import { CustomerCareCaseForm } from './customer-care-case-form';
import { MyCasesView } from './my-cases-view';
import { NewCaseGate } from './new-case-gate';
import { SupportLanding } from './support-landing';
import { TechnicalCaseForm } from './technical-case-form';

// The real uploader is another feature's: stand in with one that "finishes" a file on a click.
vi.mock('../../support-uploads', () => ({
  FileUploader: ({ onChange }: { onChange?: (files: { uploadId: string; fileName: string; size: number }[]) => void }) => (
    <button type="button" onClick={() => onChange?.([{ uploadId: 'upload-0001abcd', fileName: 'scan.log', size: 120 }])}>
      Add test file
    </button>
  ),
}));

const ACCOUNT_ID = '00000000-0000-4000-8000-00000000000a';
const CASE_ID = '00000000-0000-4000-8000-0000000000c1';
const VISIT_ID = '00000000-0000-4000-8000-0000000000v1'.replace('v', 'a');

const contact: MeResponse = {
  id: '00000000-0000-4000-8000-000000000003',
  kind: 'contact',
  username: 'carol@customer.example',
  name: 'Carol',
  email: null,
  role: 32,
  isSupportAgent: false,
  accountId: ACCOUNT_ID,
  canManageCases: true,
  isPrimaryContact: false,
  assignedAccountIds: [],
  lastLoginAt: null,
};
const session: SessionResponse = { user: contact, csrfToken: 'csrf-1', idleTimeoutMinutes: 30, assisting: null };

const allowed = { allowed: true, reason: null, message: null };
function overviewFor(technical: SupportOverviewResponse['technicalSupport'], signedIn = true): SupportOverviewResponse {
  return {
    signedIn,
    isContact: signedIn,
    isSupportAgent: false,
    customerCare: signedIn ? allowed : { allowed: false, reason: 'signed_out', message: ELIGIBILITY_MESSAGES.signed_out },
    technicalSupport: technical,
    account: signedIn ? { id: ACCOUNT_ID, name: 'Acme Logistics', isFedramp: false } : null,
    canManageCases: signedIn,
    isPrimaryContact: false,
  };
}
const refused = (reason: keyof typeof ELIGIBILITY_MESSAGES) => ({ allowed: false, reason, message: ELIGIBILITY_MESSAGES[reason] });

const CATALOG: SupportCatalogResponse = {
  careCategories: [
    { name: 'Orders', issueTypes: ['Order status', 'Invoice question'] },
    { name: 'Sign-in', issueTypes: ['Cannot sign in', 'Two-step verification'] },
  ],
  products: [
    { name: 'Tenable Vulnerability Management', versions: [], serviceLevel: 'Standard' },
    { name: 'Tenable Nessus', versions: ['10.8', '10.7'], serviceLevel: 'Premium' },
  ],
  operatingSystems: ['Ubuntu 24.04', 'Windows Server 2022'],
};

interface Call {
  method: string;
  path: string;
  body: unknown;
}
type Answer = [number, unknown?] | ((call: Call) => [number, unknown?]);

/** A server answering `METHOD /path` (the query is ignored for matching); every request lands in the list returned. */
function mockServer(answers: Record<string, Answer>) {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input, init) => {
      const url = new URL(String(input), 'http://bulwark.test');
      const method = init?.method ?? 'GET';
      const call = { method, path: `${url.pathname}${url.search}`, body: init?.body ? JSON.parse(String(init.body)) : undefined };
      calls.push(call);
      const answer = answers[`${method} ${url.pathname}`] ?? [404, { error: { code: 'not_found', message: 'Not found.' } }];
      const [status, body] = typeof answer === 'function' ? answer(call) : answer;
      return jsonResponse(status, body);
    }),
  );
  return calls;
}

const phoneNumbers = { regions: [], updatedAt: null };

/** jsdom lacks document.fonts, which the autosizing Description box listens to; and matchMedia and ResizeObserver. */
function installStubs() {
  installBrowserStubs();
  if (!('fonts' in document)) {
    Object.defineProperty(document, 'fonts', { value: { addEventListener: () => undefined, removeEventListener: () => undefined } });
  }
}

function PathProbe() {
  return <output data-testid="path">{useLocation().pathname}</output>;
}

function renderLanding() {
  return render(
    <Routes>
      <Route
        path="/support"
        element={
          <>
            <SupportLanding />
            <PathProbe />
          </>
        }
      />
      <Route path="*" element={<PathProbe />} />
    </Routes>,
    { initialEntries: ['/support'] },
  );
}

describe('Support page eligibility', () => {
  beforeAll(installStubs);
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('asks an anonymous visitor to sign in, with the seed message word for word for Technical Support and Chat', async () => {
    mockServer({
      'GET /api/auth/session': [401, { error: { code: 'unauthenticated', message: 'Sign in.' } }],
      'GET /api/support/overview': [200, overviewFor(refused('signed_out'), false)],
      'GET /api/support/phone-numbers': [200, phoneNumbers],
    });
    renderLanding();
    const user = userEvent.setup();
    expect(await screen.findByRole('heading', { name: 'Non-Technical Issue' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Customer Care Guide' }).getAttribute('href')).toBe('/support/kb/customer-care-guide');
    expect(screen.getByRole('link', { name: 'Technical Support Guide' }).getAttribute('href')).toBe('/support/kb/technical-support-guide');

    await waitFor(() =>
      expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Create Technical Support Case' }).disabled).toBe(false),
    );
    await user.click(screen.getByRole('button', { name: 'Create Technical Support Case' }));
    expect((await screen.findByTestId('support-refusal')).textContent).toBe('Login is required to access Technical Support.');
    expect(screen.getByRole('link', { name: 'Sign in' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    await user.click(screen.getByRole('button', { name: 'Chat with Technical Support' }));
    expect(screen.getByTestId('support-refusal').textContent).toBe('Login is required to access Technical Support.');
    await user.click(screen.getByRole('button', { name: 'Create Customer Care Case' }));
    expect(screen.getByTestId('support-refusal').textContent).toBe('Sign in to create a Customer Care case.');
    expect(screen.getByTestId('path').textContent).toBe('/support');
  });

  it.each([
    ['no_subscription', 'Create Technical Support Case'],
    ['no_permission', 'Chat with Technical Support'],
  ] as const)('shows a signed-in contact the %s message instead of opening %s', async (reason, buttonName) => {
    mockServer({
      'GET /api/auth/session': [200, session],
      'GET /api/support/overview': [200, overviewFor(refused(reason))],
      'GET /api/support/phone-numbers': [200, phoneNumbers],
      'GET /api/support/pin': [200, { pin: '123456' }],
    });
    renderLanding();
    const user = userEvent.setup();
    await screen.findByRole('heading', { name: 'Contact Support' });
    await waitFor(() => expect(screen.getByRole<HTMLButtonElement>('button', { name: buttonName }).disabled).toBe(false));
    await user.click(screen.getByRole('button', { name: buttonName }));
    expect((await screen.findByTestId('support-refusal')).textContent).toBe(ELIGIBILITY_MESSAGES[reason]);
    expect(screen.getByTestId('path').textContent).toBe('/support');

    // Customer Care stays open to them.
    await user.click(screen.getByRole('button', { name: 'Create Customer Care Case' }));
    await waitFor(() => expect(screen.getByTestId('path').textContent).toBe('/support/cases/new/customer-care'));
  });

  it('shows the message instead of the form to an ineligible contact opening the Technical Support URL directly', async () => {
    const calls = mockServer({
      'GET /api/auth/session': [200, session],
      'GET /api/support/overview': [200, overviewFor(refused('no_permission'))],
    });
    render(<NewCaseGate kind="technicalSupport">{() => <p>The form</p>}</NewCaseGate>);
    expect((await screen.findByTestId('eligibility-message')).textContent).toBe(ELIGIBILITY_MESSAGES.no_permission);
    expect(screen.queryByText('The form')).toBeNull();
    expect(calls.some((call) => call.path === '/api/support/catalog')).toBe(false);
  });
});

describe('New Customer Care Case', () => {
  beforeAll(installStubs);
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('keeps Customer Care Issues unavailable until a category is chosen, and resets it when the category changes', async () => {
    mockServer({ 'GET /api/auth/session': [200, session] });
    render(<CustomerCareCaseForm categories={CATALOG.careCategories} isFedrampAccount={false} />);
    const user = userEvent.setup();
    const issues = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Customer Care Issues' });
    expect(issues.disabled).toBe(true);
    expect(screen.getByText('Select a category in I Need Help With first.')).toBeTruthy();

    await user.selectOptions(screen.getByRole('combobox', { name: 'I Need Help With' }), 'Orders');
    expect(issues.disabled).toBe(false);
    await user.selectOptions(issues, 'Invoice question');
    expect(issues.value).toBe('Invoice question');

    await user.selectOptions(screen.getByRole('combobox', { name: 'I Need Help With' }), 'Sign-in');
    expect(issues.value).toBe('');
    expect(
      within(issues)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['Select the issue', 'Cannot sign in', 'Two-step verification']);
  });

  it('shows the server secret warning with kind and preview, and Submit anyway resends with secretOverride true', async () => {
    const calls = mockServer({
      'GET /api/auth/session': [200, session],
      'POST /api/support/secret-check': [200, { findings: [] }],
      'POST /api/support/cases/customer-care': (call) =>
        (call.body as { secretOverride: boolean }).secretOverride
          ? [201, { id: CASE_ID, number: 'CS-000123' }]
          : [
              422,
              {
                error: {
                  code: 'secret_detected',
                  message: 'The description contains text that looks like a credential or secret.',
                  findings: [{ kind: 'Password in URL', preview: 'https://admin:••••@scanner.example', start: 0, end: 10 }],
                },
              },
            ],
    });
    render(
      <Routes>
        <Route path="/" element={<CustomerCareCaseForm categories={CATALOG.careCategories} isFedrampAccount={false} />} />
        <Route path="*" element={<PathProbe />} />
      </Routes>,
    );
    const user = userEvent.setup();
    await user.selectOptions(screen.getByRole('combobox', { name: 'I Need Help With' }), 'Orders');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Customer Care Issues' }), 'Order status');
    await user.type(screen.getByRole('textbox', { name: 'Subject' }), 'Order missing');
    await user.type(screen.getByRole('textbox', { name: 'Description' }), 'https://a:b@c.example');
    await user.click(screen.getByRole('button', { name: 'Submit' }));

    const warning = await screen.findByTestId('secret-detected');
    expect(warning.textContent).toContain('Password in URL:');
    expect(warning.textContent).toContain('https://admin:••••@scanner.example');
    await user.click(within(warning).getByRole('button', { name: 'Submit anyway' }));

    await waitFor(() => expect(screen.getByTestId('path').textContent).toBe(`/support/cases/${CASE_ID}`));
    const posts = calls.filter((call) => call.path === '/api/support/cases/customer-care');
    expect(posts.map((call) => (call.body as { secretOverride: boolean }).secretOverride)).toEqual([false, true]);
    expect(posts[1]?.body).toMatchObject({ category: 'Orders', issueType: 'Order status', subject: 'Order missing', uploadIds: [] });
  });

  it('warns before submission when the browser check finds a secret, and Submit anyway then sends secretOverride true', async () => {
    const calls = mockServer({
      'GET /api/auth/session': [200, session],
      'POST /api/support/secret-check': [200, { findings: [{ kind: 'password= pair', preview: 'password=••••', start: 0, end: 17 }] }],
      'POST /api/support/cases/customer-care': [201, { id: CASE_ID, number: 'CS-000126' }],
    });
    render(<CustomerCareCaseForm categories={CATALOG.careCategories} isFedrampAccount={false} />);
    const user = userEvent.setup();
    await user.selectOptions(screen.getByRole('combobox', { name: 'I Need Help With' }), 'Sign-in');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Customer Care Issues' }), 'Cannot sign in');
    await user.type(screen.getByRole('textbox', { name: 'Subject' }), 'Locked out');
    await user.type(screen.getByRole('textbox', { name: 'Description' }), 'password=x');
    await screen.findByRole('checkbox', { name: /Submit anyway/ });
    await user.click(screen.getByRole('button', { name: 'Submit' }));

    const warning = await screen.findByTestId('secret-detected');
    expect(warning.textContent).toContain('password= pair:');
    expect(warning.textContent).toContain('password=••••');
    expect(calls.some((call) => call.path === '/api/support/cases/customer-care')).toBe(false);
    await user.click(within(warning).getByRole('button', { name: 'Submit anyway' }));
    await waitFor(() =>
      expect(calls.find((call) => call.path === '/api/support/cases/customer-care')?.body).toMatchObject({ secretOverride: true }),
    );
  });

  it('"Edit" dismisses the server secret warning and sends nothing', async () => {
    const calls = mockServer({
      'GET /api/auth/session': [200, session],
      'POST /api/support/secret-check': [200, { findings: [] }],
      'POST /api/support/cases/customer-care': [
        422,
        {
          error: {
            code: 'secret_detected',
            message: 'Secret.',
            findings: [{ kind: 'Private key', preview: '-----BEGIN ••••', start: 0, end: 5 }],
          },
        },
      ],
    });
    render(<CustomerCareCaseForm categories={CATALOG.careCategories} isFedrampAccount={false} />);
    const user = userEvent.setup();
    await user.selectOptions(screen.getByRole('combobox', { name: 'I Need Help With' }), 'Orders');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Customer Care Issues' }), 'Order status');
    await user.type(screen.getByRole('textbox', { name: 'Subject' }), 'Key');
    await user.type(screen.getByRole('textbox', { name: 'Description' }), 'BEGIN KEY');
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    await user.click(await screen.findByRole('button', { name: 'Edit' }));
    expect(screen.queryByTestId('secret-detected')).toBeNull();
    expect(calls.filter((call) => call.method === 'POST' && call.path === '/api/support/cases/customer-care')).toHaveLength(1);
  });
});

describe('New Technical Support Case', () => {
  beforeAll(installStubs);
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('asks for a Product Version only for products with versions', async () => {
    mockServer({ 'GET /api/auth/session': [200, session] });
    render(<TechnicalCaseForm products={CATALOG.products} operatingSystems={CATALOG.operatingSystems} isFedrampAccount={false} />);
    const user = userEvent.setup();
    expect(screen.queryByRole('combobox', { name: 'Product Version' })).toBeNull();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Product' }), 'Tenable Nessus');
    expect(screen.getByRole('combobox', { name: 'Product Version' })).toBeTruthy();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Product' }), 'Tenable Vulnerability Management');
    expect(screen.queryByRole('combobox', { name: 'Product Version' })).toBeNull();
  });

  it('goes Next -> Suggestions -> Continue -> Review; FedRAMP Yes hides Upload Files and submits no files', async () => {
    const calls = mockServer({
      'GET /api/auth/session': [200, session],
      'POST /api/support/secret-check': [200, { findings: [] }],
      'POST /api/support/suggestions': [
        200,
        {
          visitId: VISIT_ID,
          articles: [{ slug: 'nessus-scan-hangs', title: 'Scans hang at 99%', summary: 'Restart the scanner.', product: 'Tenable Nessus' }],
        },
      ],
      [`POST /api/support/suggestions/${VISIT_ID}/outcome`]: [204],
      'POST /api/support/cases/technical': [201, { id: CASE_ID, number: 'CS-000124' }],
    });
    render(
      <Routes>
        <Route
          path="/"
          element={<TechnicalCaseForm products={CATALOG.products} operatingSystems={CATALOG.operatingSystems} isFedrampAccount />}
        />
        <Route path="*" element={<PathProbe />} />
      </Routes>,
    );
    const user = userEvent.setup();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Priority' }), 'p2');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Product' }), 'Tenable Nessus');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Product Version' }), '10.8');
    await user.type(screen.getByRole('textbox', { name: 'Subject' }), 'Scan hangs');
    await user.click(screen.getByRole('button', { name: 'Next' }));

    const article = await screen.findByRole('link', { name: /Scans hang at 99%/ });
    expect(article.getAttribute('href')).toBe('/support/kb/nessus-scan-hangs');
    expect(article.getAttribute('target')).toBe('_blank');
    expect(calls.find((call) => call.path === '/api/support/suggestions')?.body).toEqual({
      priority: 'p2',
      product: 'Tenable Nessus',
      productVersion: '10.8',
      subject: 'Scan hangs',
    });
    expect(screen.queryByRole('heading', { name: 'Review' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByRole('heading', { name: 'Review' })).toBeTruthy();
    await waitFor(() =>
      expect(calls.find((call) => call.path === `/api/support/suggestions/${VISIT_ID}/outcome`)?.body).toEqual({ outcome: 'continued' }),
    );

    await user.selectOptions(screen.getByRole('combobox', { name: 'Operating System' }), 'Ubuntu 24.04');
    await user.click(screen.getByRole('button', { name: 'Add test file' }));
    await user.click(screen.getByRole('radio', { name: 'Yes' }));
    expect(screen.queryByRole('button', { name: 'Add test file' })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Upload Files' })).toBeNull();
    expect(screen.getByText(/the Upload Files section is hidden and any files already added are removed from the case/)).toBeTruthy();

    await user.type(screen.getByRole('textbox', { name: 'Description' }), 'The scan stops at 99%.');
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    await waitFor(() => expect(screen.getByTestId('path').textContent).toBe(`/support/cases/${CASE_ID}`));
    expect(calls.find((call) => call.path === '/api/support/cases/technical')?.body).toEqual({
      priority: 'p2',
      product: 'Tenable Nessus',
      productVersion: '10.8',
      subject: 'Scan hangs',
      operatingSystem: 'Ubuntu 24.04',
      isFedramp: true,
      description: 'The scan stops at 99%.',
      uploadIds: [],
      suggestionVisitId: VISIT_ID,
      secretOverride: false,
    });
  });

  it('"This solved my issue" records left and returns to the Support page', async () => {
    const calls = mockServer({
      'GET /api/auth/session': [200, session],
      'POST /api/support/suggestions': [200, { visitId: VISIT_ID, articles: [] }],
      [`POST /api/support/suggestions/${VISIT_ID}/outcome`]: [204],
    });
    render(
      <Routes>
        <Route path="/" element={<TechnicalCaseForm products={CATALOG.products} operatingSystems={[]} isFedrampAccount={false} />} />
        <Route path="*" element={<PathProbe />} />
      </Routes>,
    );
    const user = userEvent.setup();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Priority' }), 'p4');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Product' }), 'Tenable Vulnerability Management');
    await user.type(screen.getByRole('textbox', { name: 'Subject' }), 'Question');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await user.click(await screen.findByRole('button', { name: 'This solved my issue' }));
    await waitFor(() => expect(screen.getByTestId('path').textContent).toBe('/support'));
    expect(calls.find((call) => call.path.endsWith('/outcome'))?.body).toEqual({ outcome: 'left' });
    expect(calls.find((call) => call.path === '/api/support/suggestions')?.body).toMatchObject({ productVersion: null });
  });
  it('sends the files uploaded when FedRAMP is No, and none of those added before a Yes', async () => {
    const calls = mockServer({
      'GET /api/auth/session': [200, session],
      'POST /api/support/secret-check': [200, { findings: [] }],
      'POST /api/support/suggestions': [200, { visitId: VISIT_ID, articles: [] }],
      [`POST /api/support/suggestions/${VISIT_ID}/outcome`]: [204],
      'POST /api/support/cases/technical': [201, { id: CASE_ID, number: 'CS-000125' }],
    });
    render(<TechnicalCaseForm products={CATALOG.products} operatingSystems={[]} isFedrampAccount={false} />);
    const user = userEvent.setup();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Priority' }), 'p3');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Product' }), 'Tenable Vulnerability Management');
    await user.type(screen.getByRole('textbox', { name: 'Subject' }), 'Agents');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await user.click(await screen.findByRole('button', { name: 'Continue' }));
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Operating System' }), 'Debian 12');
    await user.type(screen.getByRole('textbox', { name: 'Description' }), 'Agents offline');

    // Added, then Yes (removed), then No: the uploader starts empty again.
    await user.click(screen.getByRole('button', { name: 'Add test file' }));
    await user.click(screen.getByRole('radio', { name: 'Yes' }));
    await user.click(screen.getByRole('radio', { name: 'No' }));
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    await waitFor(() => expect(calls.filter((call) => call.path === '/api/support/cases/technical')).toHaveLength(1));
    expect(calls.find((call) => call.path === '/api/support/cases/technical')?.body).toMatchObject({ isFedramp: false, uploadIds: [] });

    // A file added while the answer is No goes with the case.
    await user.click(screen.getByRole('button', { name: 'Add test file' }));
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    await waitFor(() => expect(calls.filter((call) => call.path === '/api/support/cases/technical')).toHaveLength(2));
    expect(calls.filter((call) => call.path === '/api/support/cases/technical')[1]?.body).toMatchObject({
      isFedramp: false,
      uploadIds: ['upload-0001abcd'],
    });
  });
});

describe('My Cases', () => {
  beforeAll(installStubs);
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  const EMPTY_LIST: CaseListResponse = { items: [], total: 0, page: 1, pageSize: 25 };

  it('asks the API with the filters, the search and the page chosen', async () => {
    const calls = mockServer({
      'GET /api/auth/session': [200, session],
      'GET /api/support/cases': [200, EMPTY_LIST],
      'GET /api/support/catalog': [200, CATALOG],
    });
    render(<MyCasesView canManageCases />, { initialEntries: ['/support/cases'] });
    const user = userEvent.setup();
    const listCalls = () => calls.filter((call) => call.path.startsWith('/api/support/cases')).map((call) => call.path);
    await waitFor(() => expect(listCalls()).toEqual(['/api/support/cases?page=1&pageSize=25']));

    await user.selectOptions(screen.getByLabelText('Status'), 'awaiting_customer');
    await user.selectOptions(screen.getByLabelText('Type'), 'technical');
    await screen.findByRole('option', { name: 'Tenable Nessus' });
    await user.selectOptions(screen.getByLabelText('Product'), 'Tenable Nessus');
    await user.type(screen.getByLabelText('Search'), 'scan hangs{Enter}');

    await waitFor(() =>
      expect(listCalls().at(-1)).toBe(
        '/api/support/cases?status=awaiting_customer&kind=technical&product=Tenable+Nessus&q=scan+hangs&page=1&pageSize=25',
      ),
    );
    expect(await screen.findByText('No cases match these filters.')).toBeTruthy();
  });
});
