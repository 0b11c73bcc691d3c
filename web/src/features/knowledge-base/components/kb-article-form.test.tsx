// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KbArticleResponse } from '../../../../../common/schemas/knowledge-base.js';
import { installBrowserStubs, jsonResponse, render } from '../../../test-utils/render';
import { KbArticleForm } from './kb-article-form';

const SESSION = {
  user: {
    id: '5f0b7c1e-8d7a-4c3b-9a57-1e2d3c4b5a69',
    kind: 'staff',
    username: 'jordan.ellis@northwind-mssp.example',
    name: 'Jordan Ellis',
    email: null,
    role: 32,
    isSupportAgent: true,
    accountId: null,
    canManageCases: false,
    isPrimaryContact: false,
    assignedAccountIds: [],
    lastLoginAt: null,
  },
  csrfToken: 'csrf-token-value',
  idleTimeoutMinutes: 30,
};

const SAVED: KbArticleResponse = {
  id: '00000000-0000-4000-8000-000000000009',
  slug: 'agent-not-linking',
  title: 'Agent not linking',
  summary: '',
  body: 'Check the linking key.',
  product: 'Tenable.io Vulnerability Management',
  audience: 'signed_in',
  isPublished: true,
  createdAt: '2026-11-23T11:00:00.000Z',
  updatedAt: '2026-11-23T11:00:00.000Z',
};

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

/** The session for the CSRF token; the save answers `saveResponse`. */
function stubApi(saveResponse: () => Response): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const path = new URL(input, 'http://bulwark.test').pathname;
      if (path === '/api/auth/session') return jsonResponse(200, SESSION);
      sent.push({
        method: init.method ?? 'GET',
        path,
        headers: init.headers as Record<string, string>,
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      });
      return saveResponse();
    }),
  );
  return sent;
}

describe('KbArticleForm', () => {
  beforeAll(() => {
    installBrowserStubs();
    // jsdom has no FontFaceSet; the autosizing textareas listen to it.
    if (!('fonts' in document)) {
      Object.defineProperty(document, 'fonts', { value: { addEventListener: () => undefined, removeEventListener: () => undefined } });
    }
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('creates an article with a slug from its title and the CSRF token, then reports it saved', async () => {
    const sent = stubApi(() => jsonResponse(201, SAVED));
    const onSaved = vi.fn();
    const user = userEvent.setup();
    render(<KbArticleForm article={null} onSaved={onSaved} onCancel={() => undefined} />);

    await user.type(screen.getByRole('textbox', { name: 'Title' }), 'Agent not linking');
    await user.tab();
    expect((screen.getByRole('textbox', { name: 'Slug' }) as HTMLInputElement).value).toBe('agent-not-linking');
    await user.click(screen.getByRole('combobox', { name: 'Product' }));
    await user.paste('Tenable.io Vulnerability Management');
    await user.click(screen.getByRole('switch', { name: 'Published' }));
    await user.click(screen.getByRole('textbox', { name: 'Body (Markdown)' }));
    await user.paste('Check the linking key.');
    await user.click(screen.getByRole('button', { name: 'Create article' }));

    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(SAVED));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      method: 'POST',
      path: '/api/kb/articles',
      headers: expect.objectContaining({ 'X-CSRF-Token': 'csrf-token-value' }),
      body: {
        slug: 'agent-not-linking',
        title: 'Agent not linking',
        summary: '',
        body: 'Check the linking key.',
        product: 'Tenable.io Vulnerability Management',
        audience: 'signed_in',
        isPublished: true,
      },
    });
  });

  it('checks the fields before sending and shows the server refusal on the field', async () => {
    const sent = stubApi(() =>
      jsonResponse(409, {
        error: {
          code: 'conflict',
          message: 'Another article already uses the slug agent-not-linking.',
          issues: [{ path: 'slug', message: 'Another article already uses the slug agent-not-linking.' }],
        },
      }),
    );
    const user = userEvent.setup();
    render(<KbArticleForm article={null} onSaved={() => undefined} onCancel={() => undefined} />);

    await user.click(screen.getByRole('button', { name: 'Create article' }));
    expect(await screen.findByText('Enter a title.')).toBeTruthy();
    expect(sent).toHaveLength(0);

    await user.type(screen.getByRole('textbox', { name: 'Title' }), 'Agent not linking');
    await user.tab();
    await user.type(screen.getByRole('textbox', { name: 'Body (Markdown)' }), 'Text.');
    await user.click(screen.getByRole('button', { name: 'Create article' }));
    expect(await screen.findByText('Another article already uses the slug agent-not-linking.')).toBeTruthy();
    expect(sent).toHaveLength(1);
  });

  it('keeps a guide public and published: its slug, readers and publication cannot be changed', () => {
    stubApi(() => jsonResponse(200, SAVED));
    render(
      <KbArticleForm
        article={{ ...SAVED, slug: 'customer-care-guide', title: 'Customer Care Guide', audience: 'public' }}
        onSaved={() => undefined}
        onCancel={() => undefined}
      />,
    );
    expect((screen.getByRole('textbox', { name: 'Slug' }) as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('switch', { name: 'Published' }) as HTMLInputElement).disabled).toBe(true);
  });
});
