// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KbArticleResponse } from '../../../../common/schemas/knowledge-base.js';
import { installBrowserStubs, jsonResponse, render } from '../../test-utils/render';
import { KbArticlePage } from './kb-article-page';

const GUIDE: KbArticleResponse = {
  id: '00000000-0000-4000-8000-000000000001',
  slug: 'technical-support-guide',
  title: 'Technical Support Guide',
  summary: 'Problems with the products.',
  body: '## FedRAMP cases\n\nThe upload area is **hidden**.\n\n<script>alert(1)</script>\n\nSee the [Customer Care Guide](/support/kb/customer-care-guide).',
  product: null,
  audience: 'public',
  isPublished: true,
  createdAt: '2026-11-23T11:00:00.000Z',
  updatedAt: '2026-11-23T11:00:00.000Z',
};

function stubFetch(response: () => Response): URL[] {
  const requests: URL[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string) => {
      requests.push(new URL(input, 'http://bulwark.test'));
      return response();
    }),
  );
  return requests;
}

function renderPage(slug: string) {
  return render(
    <Routes>
      <Route path="/support/kb/:slug" element={<KbArticlePage />} />
    </Routes>,
    { initialEntries: [`/support/kb/${slug}`] },
  );
}

describe('KbArticlePage', () => {
  beforeAll(installBrowserStubs);
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('renders the guide from Markdown, without raw HTML, with links to other articles', async () => {
    const requests = stubFetch(() => jsonResponse(200, GUIDE));
    const { container } = renderPage('technical-support-guide');
    expect(await screen.findByRole('heading', { level: 1, name: 'Technical Support Guide' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'FedRAMP cases' })).toBeTruthy();
    expect(screen.getByText('hidden').tagName).toBe('STRONG');
    expect(screen.getByRole('link', { name: 'Customer Care Guide' }).getAttribute('href')).toBe('/support/kb/customer-care-guide');
    expect(container.querySelector('script')).toBeNull();
    expect(requests.map((url) => url.pathname)).toEqual(['/api/kb/pages/technical-support-guide']);
  });

  it('shows the not-found page when the article is missing or not for this visitor', async () => {
    stubFetch(() => jsonResponse(404, { error: { code: 'not_found', message: 'Article not found.' } }));
    renderPage('for-signed-in-users');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy();
  });
});
