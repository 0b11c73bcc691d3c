// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MeResponse, SessionResponse } from '../../../../../common/schemas/auth.js';
import type { CaseDetailResponse, CaseListResponse, QueuesResponse } from '../../../../../common/schemas/support-cases.js';
import { installBrowserStubs, jsonResponse, render } from '../../../test-utils/render';
import { AccountContactsView } from './account-contacts-view';
import { CaseView } from './case-view';
import { SupportConsoleView } from './support-console-view';

vi.mock('../../support-uploads', () => ({
  FileUploader: ({ caseId, showFedrampCaution }: { caseId?: string; showFedrampCaution: boolean }) => (
    <p data-testid="uploader">{`uploader for ${caseId ?? 'new'}${showFedrampCaution ? ' with FedRAMP caution' : ''}`}</p>
  ),
}));

const ACCOUNT_ID = '00000000-0000-4000-8000-00000000000a';
const CASE_ID = '00000000-0000-4000-8000-0000000000c1';
const AGENT_ID = '00000000-0000-4000-8000-0000000000a1';

const agent: MeResponse = {
  id: AGENT_ID,
  kind: 'staff',
  username: 'jordan@mssp.example',
  name: 'Jordan Ellis',
  email: null,
  role: 32,
  isSupportAgent: true,
  accountId: null,
  canManageCases: false,
  isPrimaryContact: false,
  assignedAccountIds: [ACCOUNT_ID],
  lastLoginAt: null,
};
const session: SessionResponse = { user: agent, csrfToken: 'csrf-1', idleTimeoutMinutes: 30, assisting: null };

const DETAIL: CaseDetailResponse = {
  id: CASE_ID,
  number: 'CS-000042',
  kind: 'technical',
  status: 'new',
  priority: 'p2',
  subject: 'Scans hang at 99%',
  product: 'Tenable Nessus',
  productVersion: '10.8',
  category: null,
  issueType: null,
  queue: 'Tenable Nessus',
  isFedramp: false,
  account: { id: ACCOUNT_ID, name: 'Acme Logistics' },
  openedBy: { id: '00000000-0000-4000-8000-000000000003', name: 'Aisha Bailey' },
  assignedTo: null,
  serviceLevel: 'Premium',
  sla: { state: 'running', dueAt: new Date(Date.now() + 90 * 60_000).toISOString(), respondedAt: null, targetMinutes: 120 },
  secretOverride: {
    findings: [{ kind: 'Tenable API keys', preview: 'accessKey=2c93…•••• ; secretKey=••••' }],
    at: '2026-11-22T10:00:00.000Z',
  },
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:05:00.000Z',
  description: 'The scan stops.',
  operatingSystem: 'Ubuntu 24.04',
  messages: [
    {
      id: '00000000-0000-4000-8000-0000000000e1',
      authorName: 'Jordan Ellis',
      authorKind: 'agent',
      visibility: 'internal',
      via: 'portal',
      body: 'Probably the plugin feed.',
      secretOverride: false,
      createdAt: '2026-11-22T10:03:00.000Z',
    },
  ],
  attachments: [
    {
      id: '00000000-0000-4000-8000-0000000000f1',
      fileName: 'nessusd.dump',
      size: 1536,
      sha256: null,
      contentType: 'application/octet-stream',
      uploadedBy: 'Aisha Bailey',
      createdAt: '2026-11-22T10:01:00.000Z',
    },
  ],
  can: { reply: true, addFiles: true, close: false, reopen: false, work: true },
};

interface Call {
  method: string;
  path: string;
  body: unknown;
}

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

function installStubs() {
  installBrowserStubs();
  if (!('fonts' in document)) {
    Object.defineProperty(document, 'fonts', { value: { addEventListener: () => undefined, removeEventListener: () => undefined } });
  }
}

describe('Case page', () => {
  beforeAll(installStubs);
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('gives an agent the secret-override notice, the internal note, the SLA clock, status and assignee controls', async () => {
    const calls = mockServer({
      'GET /api/auth/session': [200, session],
      [`GET /api/support/cases/${CASE_ID}`]: [200, DETAIL],
      'GET /api/support/overview': [200, null],
      'GET /api/support/agents': [200, { items: [{ id: AGENT_ID, name: 'Jordan Ellis', username: 'jordan@mssp.example' }] }],
      [`PATCH /api/support/cases/${CASE_ID}`]: [200, {}],
      [`POST /api/support/cases/${CASE_ID}/messages`]: [201, {}],
    });
    render(<CaseView caseId={CASE_ID} isConsole userName="Jordan Ellis" />);
    const user = userEvent.setup();

    expect((await screen.findByTestId('secret-override-notice')).textContent).toContain(
      'The contact submitted this despite a secret warning: Tenable API keys accessKey=2c93…•••• ; secretKey=••••',
    );
    expect(within(screen.getByTestId('internal-note')).getByText('Internal note')).toBeTruthy();
    expect(screen.getByText(/1 h 30 min left|1 h 29 min left/)).toBeTruthy();
    expect(screen.getByRole('link', { name: /nessusd.dump/ }).getAttribute('href')).toBe(
      `/api/support/cases/${CASE_ID}/attachments/00000000-0000-4000-8000-0000000000f1`,
    );
    expect(screen.getByText('1.5 KB')).toBeTruthy();
    expect(screen.getByTestId('uploader').textContent).toBe(`uploader for ${CASE_ID}`);

    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'in_progress');
    await waitFor(() => expect(calls.find((call) => call.method === 'PATCH')?.body).toEqual({ status: 'in_progress' }));
    await screen.findByRole('option', { name: 'Jordan Ellis' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Assigned to' }), AGENT_ID);
    await waitFor(() => expect(calls.filter((call) => call.method === 'PATCH').at(-1)?.body).toEqual({ assignedToUserId: AGENT_ID }));

    await user.click(screen.getByRole('radio', { name: 'Internal note' }));
    await user.type(screen.getByRole('textbox', { name: 'Internal note (agents only)' }), 'Check the feed');
    await user.click(screen.getByRole('button', { name: 'Add note' }));
    await waitFor(() =>
      expect(calls.find((call) => call.path.endsWith('/messages'))?.body).toEqual({
        body: 'Check the feed',
        visibility: 'internal',
        secretOverride: false,
      }),
    );
  });

  it('gives a contact the conversation, reply, Reopen and the FedRAMP caution, without agent controls', async () => {
    const contactDetail: CaseDetailResponse = {
      ...DETAIL,
      status: 'closed',
      secretOverride: null,
      messages: [{ ...DETAIL.messages[0]!, visibility: 'public', body: 'Please send the dump.' }],
      can: { reply: true, addFiles: true, close: false, reopen: true, work: false },
    };
    const calls = mockServer({
      'GET /api/auth/session': [200, { ...session, user: { ...agent, kind: 'contact', isSupportAgent: false } }],
      [`GET /api/support/cases/${CASE_ID}`]: [200, contactDetail],
      'GET /api/support/overview': [
        200,
        {
          signedIn: true,
          isContact: true,
          isSupportAgent: false,
          customerCare: { allowed: true, reason: null, message: null },
          technicalSupport: { allowed: true, reason: null, message: null },
          account: { id: ACCOUNT_ID, name: 'Acme Logistics', isFedramp: true },
          canManageCases: true,
          isPrimaryContact: false,
        },
      ],
      [`POST /api/support/cases/${CASE_ID}/reopen`]: [200, {}],
    });
    render(<CaseView caseId={CASE_ID} isConsole={false} userName="Aisha Bailey" />);
    const user = userEvent.setup();
    expect(await screen.findByText('Please send the dump.')).toBeTruthy();
    expect(screen.queryByTestId('secret-override-notice')).toBeNull();
    expect(screen.queryByRole('combobox', { name: 'Status' })).toBeNull();
    expect(screen.queryByRole('radio', { name: 'Internal note' })).toBeNull();
    expect(screen.getByRole('link', { name: /My Cases/ }).getAttribute('href')).toBe('/support/cases');
    await waitFor(() => expect(screen.getByTestId('uploader').textContent).toBe(`uploader for ${CASE_ID} with FedRAMP caution`));
    // Their own upload: they may remove it.
    expect(screen.getByRole('button', { name: 'Remove nessusd.dump' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Reopen case' }));
    await waitFor(() => expect(calls.some((call) => call.method === 'POST' && call.path.endsWith('/reopen'))).toBe(true));
  });
});

describe('Contacts page', () => {
  beforeAll(installStubs);
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('lets the Primary Contact switch Manage Cases for others, not for themselves', async () => {
    const primaryId = '00000000-0000-4000-8000-0000000000b1';
    const otherId = '00000000-0000-4000-8000-0000000000b2';
    const calls = mockServer({
      'GET /api/auth/session': [200, session],
      'GET /api/support/account-contacts': [
        200,
        {
          items: [
            {
              id: primaryId,
              name: 'Pat Primary',
              username: 'pat',
              email: 'pat@acme.example',
              canManageCases: true,
              isPrimaryContact: true,
              isDisabled: false,
            },
            {
              id: otherId,
              name: 'Olu Other',
              username: 'olu',
              email: null,
              canManageCases: false,
              isPrimaryContact: false,
              isDisabled: false,
            },
          ],
        },
      ],
      [`PUT /api/support/account-contacts/${otherId}/manage-cases`]: [200, {}],
    });
    render(<AccountContactsView currentUserId={primaryId} />);
    const user = userEvent.setup();
    const own = await screen.findByRole<HTMLInputElement>('switch', { name: 'Manage Cases for Pat Primary' });
    expect(own.disabled).toBe(true);
    await user.click(screen.getByRole('switch', { name: 'Manage Cases for Olu Other' }));
    await waitFor(() =>
      expect(calls.find((call) => call.method === 'PUT')).toEqual({
        method: 'PUT',
        path: `/api/support/account-contacts/${otherId}/manage-cases`,
        body: { canManageCases: true },
      }),
    );
  });
});

describe('Support console', () => {
  beforeAll(installStubs);
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows queues with counts and suggestion stats; a queue click filters the case list', async () => {
    const queues: QueuesResponse = {
      items: [
        { queue: 'Tenable Nessus', open: 4, unassigned: 2, breached: 1, byStatus: {}, nextDueAt: null },
        { queue: 'FedRAMP intake', open: 1, unassigned: 1, breached: 0, byStatus: {}, nextDueAt: null },
      ],
    };
    const list: CaseListResponse = { items: [{ ...DETAIL }], total: 1, page: 1, pageSize: 25 };
    const calls = mockServer({
      'GET /api/auth/session': [200, session],
      'GET /api/support/queues': [200, queues],
      'GET /api/support/cases': [200, list],
      'GET /api/support/suggestion-stats': [200, { shown: 10, left: 3, continued: 5, submitted: 2, resolvedRate: 0.3 }],
    });
    render(<SupportConsoleView />, { initialEntries: ['/support-console'] });
    const user = userEvent.setup();
    expect((await screen.findByTestId('suggestion-stats')).textContent).toContain('Suggestions resolved 30% of visits');
    expect(await screen.findByText('1 breached')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'CS-000042' }).getAttribute('href')).toBe(`/support-console/cases/${CASE_ID}`);
    expect(screen.getByRole('link', { name: /Chats/ }).getAttribute('href')).toBe('/support-console/chats');

    await user.click(screen.getByRole('button', { name: 'Queue FedRAMP intake: 1 open' }));
    await waitFor(() =>
      expect(calls.filter((call) => call.path.startsWith('/api/support/cases')).at(-1)?.path).toBe(
        '/api/support/cases?queue=FedRAMP+intake&state=open&assigned=any&page=1&pageSize=25',
      ),
    );
    await user.selectOptions(screen.getByRole('combobox', { name: 'Assigned' }), 'unassigned');
    await waitFor(() =>
      expect(calls.filter((call) => call.path.startsWith('/api/support/cases')).at(-1)?.path).toBe(
        '/api/support/cases?queue=FedRAMP+intake&state=open&assigned=unassigned&page=1&pageSize=25',
      ),
    );
  });
});
