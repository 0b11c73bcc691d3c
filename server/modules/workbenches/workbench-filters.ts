import { AppError } from '../../lib/app-error.js';

/*
 * The workbench filter catalogues (GET /filters/workbenches/assets, …/vulnerabilities,
 * /filters/scans/reports) and the parsing of `filter.<i>.filter|quality|value` query parameters
 * against them (tenable-api.md section 3). One table drives both, so a catalogue never lists a
 * filter the query cannot apply; the repository maps each name to its SQL (FILTER_SQL there must
 * cover every FilterName). Pure: no I/O.
 */

export type FilterOperator =
  'eq' | 'neq' | 'match' | 'nmatch' | 'gte' | 'lte' | 'date-lt' | 'date-lte' | 'date-gt' | 'date-gte' | 'date-eq';

/**
 * How a filter's values are read: text (compared case-insensitively), integer, a fixed choice
 * list, a date, an asset UUID, an IPv4 address or CIDR block.
 */
export type FilterKind = 'text' | 'integer' | 'choice' | 'date' | 'uuid' | 'ipv4';

type ControlType = 'entry' | 'dropdown' | 'dropdown_multi' | 'datefield';

interface FilterDefinition {
  readableName: string;
  kind: FilterKind;
  operators: readonly FilterOperator[];
  controlType: ControlType;
  /** One value (the query's value is a comma-separated list of them). */
  valuePattern: RegExp;
  readableRegex: string;
  /** For choice filters: the labels offered, each with the value it stands for. */
  choices?: Readonly<Record<string, string | number | boolean>>;
  group: 'vulnerability' | 'asset';
}

const TEXT_OPERATORS = ['eq', 'neq', 'match', 'nmatch'] as const;
const DATE_OPERATORS = ['date-lt', 'date-lte', 'date-gt', 'date-gte', 'date-eq'] as const;
const ANY_TEXT = /^.+$/s;
// Tenable's catalogue writes YYYY/MM/DD; ISO dates and timestamps (its relative-date lists) pass too.
const DATE_VALUE = /^\d{4}[/-]\d{2}[/-]\d{2}(T[\d:.]+Z?)?$/;
const UUID_VALUE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IPV4_VALUE = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/([0-9]|[12]\d|3[0-2]))?$/;
const BOOLEAN_CHOICES = { true: true, false: false } as const;
/** Tenable's severity labels; the numeric levels 0–4 are accepted as well (spec 8.4). */
const SEVERITY_CHOICES = { Info: 0, Low: 1, Medium: 2, High: 3, Critical: 4 } as const;
/** Bulwark's finding states as Tenable's vulnerability states (see docs/instance-api/workbenches.md). */
const STATE_CHOICES = { New: 'New', Active: 'Active', Resurfaced: 'Resurfaced', Fixed: 'Fixed' } as const;

function text(
  readableName: string,
  group: FilterDefinition['group'],
  operators: readonly FilterOperator[] = TEXT_OPERATORS,
): FilterDefinition {
  return { readableName, kind: 'text', operators, controlType: 'entry', valuePattern: ANY_TEXT, readableRegex: 'TEXT', group };
}

function date(readableName: string, group: FilterDefinition['group']): FilterDefinition {
  return {
    readableName,
    kind: 'date',
    operators: DATE_OPERATORS,
    controlType: 'datefield',
    valuePattern: DATE_VALUE,
    readableRegex: 'YYYY/MM/DD',
    group,
  };
}

function choice(
  readableName: string,
  choices: Readonly<Record<string, string | number | boolean>>,
  group: FilterDefinition['group'],
  controlType: ControlType = 'dropdown',
): FilterDefinition {
  const labels = Object.keys(choices).map((label) => label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return {
    readableName,
    kind: 'choice',
    operators: ['eq', 'neq'],
    controlType,
    valuePattern: new RegExp(`^(${labels.join('|')})$`, 'i'),
    readableRegex: Object.keys(choices).join(', '),
    choices,
    group,
  };
}

const FILTERS = {
  'plugin.id': {
    readableName: 'Plugin ID',
    kind: 'integer',
    operators: ['eq', 'neq'],
    controlType: 'entry',
    valuePattern: /^\d{1,7}$/,
    readableRegex: 'NUMBER',
    group: 'vulnerability',
  },
  'plugin.name': text('Plugin Name', 'vulnerability'),
  'plugin.family': text('Plugin Family', 'vulnerability'),
  'plugin.attributes.plugin_type': choice('Plugin Type', { local: 'local', remote: 'remote', combined: 'combined' }, 'vulnerability'),
  'plugin.attributes.exploit_available': choice('Exploit Available', BOOLEAN_CHOICES, 'vulnerability'),
  'plugin.attributes.cve.raw': {
    readableName: 'CVE',
    kind: 'text',
    operators: TEXT_OPERATORS,
    controlType: 'entry',
    valuePattern: /^(CVE|CAN)-\d{4}-\d{4,}$/i,
    readableRegex: 'CVE-2015-9876,CVE-2016-10456',
    group: 'vulnerability',
  },
  output: text('Plugin Output', 'vulnerability'),
  severity: choice('Severity', { ...SEVERITY_CHOICES, 0: 0, 1: 1, 2: 2, 3: 3, 4: 4 }, 'vulnerability', 'dropdown_multi'),
  'tracking.state': choice('Vulnerability State', STATE_CHOICES, 'vulnerability'),
  'tracking.first_found': date('Vulnerability First Seen', 'vulnerability'),
  'tracking.last_found': date('Vulnerability Last Seen', 'vulnerability'),
  'port.port': {
    readableName: 'Port',
    kind: 'integer',
    operators: ['eq', 'neq', 'gte', 'lte'],
    controlType: 'entry',
    valuePattern: /^\d{1,5}$/,
    readableRegex: '80,443',
    group: 'vulnerability',
  },
  'port.protocol': choice('Protocol', { tcp: 'tcp', udp: 'udp', icmp: 'icmp' }, 'vulnerability'),
  'host.id': {
    readableName: 'Asset ID',
    kind: 'uuid',
    operators: ['eq', 'neq'],
    controlType: 'entry',
    valuePattern: UUID_VALUE,
    readableRegex: '01234567-abcd-ef01-2345-6789abcdef01',
    group: 'asset',
  },
  'host.target': text('Hostname/IP Address', 'asset'),
  ipv4: {
    readableName: 'IPv4 Address',
    kind: 'ipv4',
    operators: ['eq', 'neq'],
    controlType: 'entry',
    valuePattern: IPV4_VALUE,
    readableRegex: 'e.g. 192.168.0.1, 10.0.0.0/24',
    group: 'asset',
  },
  fqdn: text('DNS', 'asset'),
  netbios_name: text('NetBIOS Name', 'asset'),
  operating_system: text('Operating System', 'asset'),
  mac_address: text('MAC Address', 'asset', ['eq', 'neq']),
  first_scan_time: date('First Seen', 'asset'),
  last_scan_time: date('Last Seen', 'asset'),
  last_authenticated_scan_time: date('Last Authenticated Scan', 'asset'),
  has_plugin_results: choice('Has Plugin Results', BOOLEAN_CHOICES, 'asset'),
} as const satisfies Record<string, FilterDefinition>;

export type FilterName = keyof typeof FILTERS;

export type Catalogue = 'assets' | 'vulnerabilities' | 'scan-reports';

const ASSET_ONLY: ReadonlySet<FilterName> = new Set(['has_plugin_results']);
/**
 * The filters a scan's report (POST /scans/{id}/export, scans-api) applies: none yet, as it
 * exports the whole scan. pyTenable's scans.export() checks its filters against this catalogue
 * first, so a filter Bulwark would silently ignore is refused on the client instead.
 */
const SCAN_REPORT_FILTERS: ReadonlySet<FilterName> = new Set();

function catalogueNames(catalogue: Catalogue): FilterName[] {
  const names = Object.keys(FILTERS) as FilterName[];
  if (catalogue === 'assets') return names.filter((name) => FILTERS[name].group === 'asset');
  if (catalogue === 'vulnerabilities') return names.filter((name) => !ASSET_ONLY.has(name));
  return names.filter((name) => SCAN_REPORT_FILTERS.has(name));
}

export interface CatalogueEntry {
  name: string;
  readable_name: string;
  operators: string[];
  control: { type: ControlType; regex: string; readable_regex: string; list?: string[] };
  group_name: string | null;
}

/**
 * A catalogue as Tenable answers it. pyTenable checks each value against both `regex` and `list`
 * before sending, and reads `list[0]`, so a list is never empty and its labels match the regex.
 */
export function describeCatalogue(catalogue: Catalogue): { filters: CatalogueEntry[] } {
  return {
    filters: catalogueNames(catalogue).map((name) => {
      const filter: FilterDefinition = FILTERS[name];
      // Numeric severities are accepted but not offered: the labels are what people pick.
      const list = filter.choices ? Object.keys(filter.choices).filter((label) => !/^\d$/.test(label)) : undefined;
      return {
        name,
        readable_name: filter.readableName,
        operators: [...filter.operators],
        control: {
          type: filter.controlType,
          regex: filter.valuePattern.source,
          readable_regex: filter.readableRegex,
          ...(list ? { list } : {}),
        },
        group_name: catalogue === 'vulnerabilities' ? filter.group : null,
      };
    }),
  };
}

export type FilterValue = string | number | boolean;

export interface ParsedFilter {
  name: FilterName;
  kind: FilterKind;
  operator: FilterOperator;
  values: FilterValue[];
}

export interface ParsedFilters {
  filters: ParsedFilter[];
  /** filter.search_type: every filter must hold (and, the default) or any one (or). */
  matchAll: boolean;
}

function refused(message: string): AppError {
  return new AppError('validation_failed', message);
}

function isFilterName(name: string): name is FilterName {
  return Object.hasOwn(FILTERS, name);
}

function singleText(query: Record<string, unknown>, key: string): string | undefined {
  const value = query[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw refused(`Query parameter "${key}" must be given once.`);
  return value;
}

function typedValue(name: FilterName, filter: FilterDefinition, value: string): FilterValue {
  if (!filter.valuePattern.test(value)) throw refused(`Invalid value "${value}" for filter "${name}": expected ${filter.readableRegex}.`);
  switch (filter.kind) {
    case 'integer':
      return Number(value);
    case 'choice': {
      const label = Object.keys(filter.choices ?? {}).find((candidate) => candidate.toLowerCase() === value.toLowerCase());
      return filter.choices?.[label ?? ''] ?? value;
    }
    case 'date':
      return value.slice(0, 10).replaceAll('/', '-');
    case 'uuid':
      return value.toLowerCase();
    default:
      return value;
  }
}

function parseOne(query: Record<string, unknown>, index: string, catalogue: Catalogue): ParsedFilter {
  const name = singleText(query, `filter.${index}.filter`);
  const operator = singleText(query, `filter.${index}.quality`);
  const value = singleText(query, `filter.${index}.value`);
  if (name === undefined || operator === undefined || value === undefined) {
    throw refused(`Filter ${index} needs filter.${index}.filter, filter.${index}.quality and filter.${index}.value.`);
  }
  if (!isFilterName(name) || !catalogueNames(catalogue).includes(name)) {
    throw refused(`Invalid filter "${name}": not a filter of this endpoint; see its filter catalogue under /filters/.`);
  }
  const filter: FilterDefinition = FILTERS[name];
  if (!(filter.operators as readonly string[]).includes(operator)) {
    throw refused(`Invalid operator "${operator}" for filter "${name}": expected one of ${filter.operators.join(', ')}.`);
  }
  const values = value.split(',').map((part) => part.trim());
  if (values.some((part) => part === '')) throw refused(`Filter "${name}" needs a value.`);
  return { name, kind: filter.kind, operator: operator as FilterOperator, values: values.map((part) => typedValue(name, filter, part)) };
}

/**
 * The `filter.<i>.*` parameters of a workbench query, checked against the endpoint's catalogue:
 * an unknown filter or operator, a value its pattern or list refuses, or a filter given in part
 * throws a 400 AppError (Tenable's `{"error": "…"}`).
 */
export function parseWorkbenchFilters(query: Record<string, unknown>, catalogue: Catalogue): ParsedFilters {
  const indexes = new Set<string>();
  for (const key of Object.keys(query)) {
    const match = /^filter\.(\d+)\.(filter|quality|value)$/.exec(key);
    if (match?.[1] !== undefined) indexes.add(match[1]);
  }
  const searchType = (singleText(query, 'filter.search_type') ?? 'and').toLowerCase();
  if (searchType !== 'and' && searchType !== 'or') throw refused('filter.search_type must be "and" or "or".');
  const ordered = [...indexes].sort((left, right) => Number(left) - Number(right));
  return { filters: ordered.map((index) => parseOne(query, index, catalogue)), matchAll: searchType === 'and' };
}
