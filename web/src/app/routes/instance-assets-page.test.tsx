// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AssetListResponse } from '../../../../common/schemas/instances.js';
import { installBrowserStubs, LocationProbe, recordFetches, render } from '../../test-utils/render';
import { AssetsPage } from './instance-assets-page';

const ACCOUNT = '00000000-0000-4000-8000-000000000001';

const list: AssetListResponse = {
  items: [
    {
      id: '00000000-0000-4000-8000-000000000002',
      kind: 'host',
      name: 'web01.example',
      fqdn: 'web01.example',
      ipv4: '10.0.0.5',
      ipv6: null,
      netbiosName: null,
      operatingSystem: 'Linux',
      firstSeen: '2026-03-01T10:00:00.000Z',
      lastSeen: '2026-03-01T10:00:00.000Z',
      open: { critical: 1, high: 0, medium: 2, low: 0, info: 3 },
    },
  ],
  total: 1,
  page: 1,
  pageSize: 25,
};

describe('AssetsPage sorting', () => {
  let requests: URL[] = [];

  beforeAll(installBrowserStubs);
  beforeEach(() => {
    requests = recordFetches(list);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('reads the sort from the URL, and a clicked column header writes it back and asks the server', async () => {
    const user = userEvent.setup();
    render(
      <Routes>
        <Route
          path="/instances/:accountId/vm/assets"
          element={
            <>
              <AssetsPage />
              <LocationProbe />
            </>
          }
        />
      </Routes>,
      { initialEntries: [`/instances/${ACCOUNT}/vm/assets?search=web&sort=name&order=desc`] },
    );
    await screen.findByRole('link', { name: 'web01.example' });
    expect(Object.fromEntries(requests.at(-1)?.searchParams ?? [])).toMatchObject({ search: 'web', sort: 'name', order: 'desc' });
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('descending');

    await user.click(screen.getByRole('button', { name: 'Sort by Last seen' }));
    expect(screen.getByTestId('location').textContent).toBe('?search=web&sort=lastSeen');
    await waitFor(() => expect(requests.at(-1)?.searchParams.get('sort')).toBe('lastSeen'));
    expect(requests.at(-1)?.searchParams.get('order')).toBe('desc');
    expect(screen.getByRole('columnheader', { name: /Last seen/ }).getAttribute('aria-sort')).toBe('descending');
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('none');
  });
});
