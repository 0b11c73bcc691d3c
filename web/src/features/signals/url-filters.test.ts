import { describe, expect, it } from 'vitest';
import { EMPTY_SIGNAL_FILTERS, hasActiveSignalFilters, readSignalFilters, toSignalQuery, writeSignalFilters } from './url-filters';

const INTEGRATION = '00000000-0000-4000-8000-0000000000aa';

describe('Signals filters in the URL', () => {
  it('reads what it writes, leaving out the empty filters and page 1', () => {
    const filters = {
      ...EMPTY_SIGNAL_FILTERS,
      q: 'CVE-2021-3517',
      severity: ['critical', 'high'],
      integrationId: [INTEGRATION],
      from: '2026-11-21T15:00:00.000Z',
      page: 3,
    };
    const params = writeSignalFilters(filters);
    expect(params.toString()).toBe(
      `q=CVE-2021-3517&integrationId=${INTEGRATION}&severity=critical%2Chigh&from=2026-11-21T15%3A00%3A00.000Z&page=3`,
    );
    expect(readSignalFilters(params)).toEqual(filters);
    expect(writeSignalFilters(EMPTY_SIGNAL_FILTERS).toString()).toBe('');
    expect(hasActiveSignalFilters(filters)).toBe(true);
    expect(hasActiveSignalFilters(EMPTY_SIGNAL_FILTERS)).toBe(false);
  });

  it('drops what a hand-edited URL gets wrong instead of failing the page', () => {
    const filters = readSignalFilters(
      new URLSearchParams('severity=critical,loud&state=OPEN,closed&integrationId=not-a-uuid&from=yesterday&page=-2'),
    );
    expect(filters).toEqual({ ...EMPTY_SIGNAL_FILTERS, severity: ['critical'], state: ['OPEN'] });
  });

  it('keeps the open signal when the filters change', () => {
    const params = writeSignalFilters({ ...EMPTY_SIGNAL_FILTERS, state: ['FIXED'] }, new URLSearchParams('signal=42&page=2'));
    expect(params.toString()).toBe('state=FIXED&signal=42');
  });

  it('sends the lists comma-separated to the API', () => {
    expect(toSignalQuery({ ...EMPTY_SIGNAL_FILTERS, stream: ['vulnerabilities', 'assets'] })).toEqual({
      q: undefined,
      integrationId: undefined,
      stream: 'vulnerabilities,assets',
      severity: undefined,
      state: undefined,
      accountId: undefined,
      from: undefined,
      to: undefined,
    });
  });
});
