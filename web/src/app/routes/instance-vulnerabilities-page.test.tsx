// @vitest-environment jsdom
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VulnerabilityListResponse } from '../../../../common/schemas/instances.js';
import { installBrowserStubs, jsonResponse, LocationProbe, recordFetches, render } from '../../test-utils/render';
import { VulnerabilitiesPage } from './instance-vulnerabilities-page';

const ACCOUNT = '00000000-0000-4000-8000-000000000001';
const PATH = `/instances/${ACCOUNT}/vm/vulnerabilities`;

const list: VulnerabilityListResponse = {
  items: [
    {
      pluginId: 33850,
      name: 'Unix Operating System Unsupported Version Detection',
      family: 'General',
      severity: 4,
      assetCount: 1,
      findingCount: 1,
      cvss3BaseScore: 10,
      lastFound: '2026-03-01T10:00:00.000Z',
    },
  ],
  total: 1,
  page: 1,
  pageSize: 25,
  families: ['General', 'Web Servers'],
};

function renderPage(search = '') {
  return render(
    <Routes>
      <Route
        path="/instances/:accountId/vm/vulnerabilities"
        element={
          <>
            <VulnerabilitiesPage />
            <LocationProbe />
          </>
        }
      />
    </Routes>,
    { initialEntries: [`${PATH}${search}`] },
  );
}

const currentSearch = () => new URLSearchParams(screen.getByTestId('location').textContent ?? '');

describe('VulnerabilitiesPage filters and the URL', () => {
  let requests: URL[] = [];

  beforeAll(installBrowserStubs);
  beforeEach(() => {
    requests = recordFetches(list);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('asks the server for the filters of the URL and shows them in the controls', async () => {
    renderPage('?severity=4,3&state=FIXED&search=java&sort=name&page=2');
    await screen.findByRole('link', { name: 'Unix Operating System Unsupported Version Detection' });
    const asked = requests.at(-1);
    expect(asked?.pathname).toBe(`/api/instances/${ACCOUNT}/vulnerabilities`);
    expect(Object.fromEntries(asked?.searchParams ?? [])).toEqual({
      severity: '4,3',
      state: 'FIXED',
      search: 'java',
      sort: 'name',
      order: 'asc',
      page: '2',
      pageSize: '25',
    });
    expect((screen.getByRole('checkbox', { name: 'Critical' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'High' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'Medium' }) as HTMLInputElement).checked).toBe(false);
    expect((screen.getByRole('checkbox', { name: 'Fixed' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'Open' }) as HTMLInputElement).checked).toBe(false);
    expect((screen.getByRole('searchbox', { name: 'Search' }) as HTMLInputElement).value).toBe('java');
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('ascending');
  });

  it('writes a severity, a state, a sort and a search typed (after a pause) into the URL, back to page 1', async () => {
    const user = userEvent.setup();
    renderPage('?page=3');
    await screen.findByRole('link', { name: 'Unix Operating System Unsupported Version Detection' });

    await user.click(screen.getByRole('checkbox', { name: 'Critical' }));
    expect(currentSearch().get('severity')).toBe('4');
    expect(currentSearch().has('page')).toBe(false);

    await user.click(screen.getByRole('checkbox', { name: 'Fixed' }));
    expect(currentSearch().get('state')).toBe('OPEN,REOPENED,FIXED');

    await user.click(screen.getByRole('button', { name: 'Sort by Assets' }));
    expect(currentSearch().get('sort')).toBe('assets');

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'CVE-2021-44228');
    expect(currentSearch().has('search')).toBe(false);
    await waitFor(() => expect(currentSearch().get('search')).toBe('CVE-2021-44228'));
    expect(currentSearch().get('severity')).toBe('4');
    await waitFor(() => expect(requests.at(-1)?.searchParams.get('search')).toBe('CVE-2021-44228'));

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(currentSearch().toString()).toBe('sort=assets');
    expect((screen.getByRole('searchbox', { name: 'Search' }) as HTMLInputElement).value).toBe('');
  });

  it('sorts by a clicked column header, and turns it round on a second click', async () => {
    const user = userEvent.setup();
    renderPage('?page=2');
    await screen.findByRole('link', { name: 'Unix Operating System Unsupported Version Detection' });
    expect(screen.getByRole('columnheader', { name: /Severity/ }).getAttribute('aria-sort')).toBe('descending');
    expect(requests.at(-1)?.searchParams.get('order')).toBe('desc');

    await user.click(screen.getByRole('button', { name: 'Sort by Family' }));
    expect(currentSearch().toString()).toBe('sort=family');
    await waitFor(() => expect(requests.at(-1)?.searchParams.get('sort')).toBe('family'));
    expect(requests.at(-1)?.searchParams.get('order')).toBe('asc');
    expect(screen.getByRole('columnheader', { name: /Family/ }).getAttribute('aria-sort')).toBe('ascending');
    expect(screen.getByRole('columnheader', { name: /Severity/ }).getAttribute('aria-sort')).toBe('none');

    await user.click(screen.getByRole('button', { name: 'Family, sorted ascending' }));
    expect(currentSearch().toString()).toBe('sort=family&order=desc');
    await waitFor(() => expect(requests.at(-1)?.searchParams.get('order')).toBe('desc'));
    expect(screen.getByRole('columnheader', { name: /Family/ }).getAttribute('aria-sort')).toBe('descending');
  });

  it('keeps at least one state: unticking the last one does nothing', async () => {
    const user = userEvent.setup();
    renderPage('?state=FIXED');
    await screen.findByRole('link', { name: 'Unix Operating System Unsupported Version Detection' });
    await user.click(screen.getByRole('checkbox', { name: 'Fixed' }));
    expect(currentSearch().get('state')).toBe('FIXED');
  });

  it('shows the server error with a way to try again', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse(404, { error: { code: 'not_found', message: 'Instance not found.' } })),
    );
    renderPage();
    expect(await screen.findByText('Instance not found.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
    await act(async () => {});
  });
});
