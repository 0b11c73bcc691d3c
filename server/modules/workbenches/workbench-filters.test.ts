import { describe, expect, it } from 'vitest';
import { describeCatalogue, parseWorkbenchFilters } from './workbench-filters.js';

describe('parseWorkbenchFilters', () => {
  it('reads pyTenable’s filter.<i>.* parameters in index order, with typed values', () => {
    const parsed = parseWorkbenchFilters(
      {
        'filter.1.filter': 'plugin.id',
        'filter.1.quality': 'eq',
        'filter.1.value': '19506, 10107',
        'filter.0.filter': 'severity',
        'filter.0.quality': 'neq',
        'filter.0.value': 'critical,3',
        'filter.search_type': 'OR',
        date_range: '30',
      },
      'vulnerabilities',
    );
    expect(parsed).toEqual({
      matchAll: false,
      filters: [
        { name: 'severity', kind: 'choice', operator: 'neq', values: [4, 3] },
        { name: 'plugin.id', kind: 'integer', operator: 'eq', values: [19506, 10107] },
      ],
    });
  });

  it('normalises states, booleans, dates and asset ids', () => {
    const { filters } = parseWorkbenchFilters(
      {
        'filter.0.filter': 'tracking.state',
        'filter.0.quality': 'eq',
        'filter.0.value': 'resurfaced',
        'filter.1.filter': 'plugin.attributes.exploit_available',
        'filter.1.quality': 'eq',
        'filter.1.value': 'TRUE',
        'filter.2.filter': 'tracking.last_found',
        'filter.2.quality': 'date-gt',
        'filter.2.value': '2021/06/10',
        'filter.3.filter': 'host.id',
        'filter.3.quality': 'eq',
        'filter.3.value': '9A89C820-EF78-45A5-9573-76326189555E',
      },
      'vulnerabilities',
    );
    expect(filters.map((filter) => filter.values)).toEqual([
      ['Resurfaced'],
      [true],
      ['2021-06-10'],
      ['9a89c820-ef78-45a5-9573-76326189555e'],
    ]);
  });

  it('matches all filters when no search type is given, and reads no filter as none', () => {
    expect(parseWorkbenchFilters({ all_fields: 'full' }, 'assets')).toEqual({ matchAll: true, filters: [] });
  });

  it.each([
    [{ 'filter.0.filter': 'plugin.id', 'filter.0.quality': 'eq', 'filter.0.value': '1' }, 'assets', /not a filter of this endpoint/],
    [{ 'filter.0.filter': 'severity', 'filter.0.quality': 'eq', 'filter.0.value': 'High,' }, 'vulnerabilities', /needs a value/],
    [{ 'filter.0.filter': 'severity', 'filter.0.quality': 'eq', 'filter.0.value': ['High', 'Low'] }, 'vulnerabilities', /given once/],
    [{ 'filter.0.filter': 'port.port', 'filter.0.quality': 'gte', 'filter.0.value': '123456' }, 'vulnerabilities', /Invalid value/],
  ] as const)('refuses %j on %s', (query, catalogue, message) => {
    expect(() => parseWorkbenchFilters(query, catalogue)).toThrow(message);
  });
});

describe('describeCatalogue', () => {
  it('offers severity labels only, groups vulnerability filters, keeps asset-only filters to assets', () => {
    const vulnerabilities = describeCatalogue('vulnerabilities').filters;
    expect(vulnerabilities.find((filter) => filter.name === 'severity')?.control.list).toEqual([
      'Info',
      'Low',
      'Medium',
      'High',
      'Critical',
    ]);
    expect(vulnerabilities.find((filter) => filter.name === 'host.id')?.group_name).toBe('asset');
    expect(vulnerabilities.map((filter) => filter.name)).not.toContain('has_plugin_results');
    expect(describeCatalogue('assets').filters.map((filter) => filter.name)).toContain('has_plugin_results');
    // The scan export applies no filters: its catalogue offers none rather than ones it would ignore.
    expect(describeCatalogue('scan-reports')).toEqual({ filters: [] });
  });
});
