// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SignalCountsResponse } from '../../../../../common/schemas/signals.js';
import { installBrowserStubs, render } from '../../../test-utils/render';
import { EMPTY_SIGNAL_FILTERS } from '../url-filters';
import { FacetFilters } from './facet-filters';

beforeAll(installBrowserStubs);
afterEach(cleanup);

const FACETS: SignalCountsResponse['facets'] = {
  severity: [
    { value: 'critical', label: 'Critical', count: 120_000 },
    { value: 'high', label: 'High', count: 3 },
  ],
  state: [{ value: 'OPEN', label: 'Open', count: 120_003 }],
  stream: [{ value: 'vulnerabilities', label: 'Vulnerabilities', count: 120_003 }],
  integration: [{ value: '00000000-0000-4000-8000-0000000000aa', label: 'Tenable production', count: 120_003 }],
  account: [],
};

describe('FacetFilters', () => {
  it('shows each value with its count, marked ≈ when estimated, and filters by the value clicked', async () => {
    const onToggle = vi.fn();
    render(<FacetFilters facets={FACETS} isEstimated filters={EMPTY_SIGNAL_FILTERS} onToggle={onToggle} />);
    const severity = screen.getByRole('group', { name: 'Severity' });
    expect(within(severity).getByText('≈120,000')).toBeTruthy();
    await userEvent.click(within(severity).getByRole('checkbox', { name: 'High (≈3)' }));
    expect(onToggle).toHaveBeenCalledWith('severity', 'high');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Tenable production (≈120,003)' }));
    expect(onToggle).toHaveBeenLastCalledWith('integrationId', '00000000-0000-4000-8000-0000000000aa');
    expect(within(screen.getByRole('group', { name: 'Account' })).getByText('None in these results')).toBeTruthy();
  });

  it('keeps a chosen value the results no longer count, ticked, so it can be unticked', () => {
    render(
      <FacetFilters
        facets={{ ...FACETS, severity: [] }}
        isEstimated={false}
        filters={{ ...EMPTY_SIGNAL_FILTERS, severity: ['low'] }}
        onToggle={() => undefined}
      />,
    );
    const low = screen.getByRole('checkbox', { name: 'low (0)' }) as HTMLInputElement;
    expect(low.checked).toBe(true);
    expect(screen.queryByText(/≈/)).toBeNull();
  });

  it('shows a placeholder in each group while the counts are on their way, and no "None" yet', () => {
    render(<FacetFilters facets={undefined} isCounting isEstimated={false} filters={EMPTY_SIGNAL_FILTERS} onToggle={() => undefined} />);
    expect(screen.getByLabelText('Counting severity')).toBeTruthy();
    expect(screen.getByLabelText('Counting account')).toBeTruthy();
    expect(screen.queryByText('None in these results')).toBeNull();
  });
});
