import { LICENSED_APPS } from '../../../common/schemas/accounts.js';
import { TenableError } from './mssp-api.errors.js';
import type { MsspAccount } from './mssp-api.schemas.js';

/*
 * GET /mssp/accounts filtering (tenable-api.md 6.1): repeatable `f=field:operator:value` joined by
 * `ft` (and|or), plus `w` wildcard text in the `wf` fields. The list is unpaged and already scoped
 * to what the caller may see, so the filters apply to the presented accounts. Pure: no I/O.
 */

const SECONDS_PER_DAY = 86_400;

type FieldKind = 'text' | 'number' | 'days' | 'apps';

interface FilterField {
  readableName: string;
  kind: FieldKind;
  valueOf: (account: MsspAccount, nowSeconds: number) => string | number | readonly string[] | null;
}

const FIELDS: Record<string, FilterField> = {
  container_name: { readableName: 'Container Name', kind: 'text', valueOf: (account) => account.container_name },
  uuid: { readableName: 'Account UUID', kind: 'text', valueOf: (account) => account.uuid },
  licensed_assets: { readableName: 'Licensed Assets', kind: 'number', valueOf: (account) => account.licensed_assets },
  license_utilization: { readableName: 'License Utilization', kind: 'number', valueOf: (account) => account.license_utilization },
  // In days from now, as Tenable's filter list says; negative once expired.
  license_expiration_date: {
    readableName: 'License Expiration (days)',
    kind: 'days',
    valueOf: (account, nowSeconds) =>
      account.license_expiration_date === null ? null : Math.floor((account.license_expiration_date - nowSeconds) / SECONDS_PER_DAY),
  },
  licensed_apps: { readableName: 'Licensed Apps', kind: 'apps', valueOf: (account) => account.licensed_apps },
  region: { readableName: 'Region', kind: 'text', valueOf: (account) => account.region },
};

const OPERATORS: Record<FieldKind, readonly string[]> = {
  text: ['eq', 'neq', 'match', 'nmatch'],
  number: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte'],
  days: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte'],
  apps: ['eq', 'neq', 'match', 'nmatch'],
};

const CONTROLS: Record<FieldKind, { type: 'entry' | 'dropdown'; regex: string; readable_regex: string; list?: string[] }> = {
  text: { type: 'entry', regex: '.*', readable_regex: 'TEXT' },
  number: { type: 'entry', regex: '^-?[0-9]+(\\.[0-9]+)?$', readable_regex: 'NUMBER' },
  days: { type: 'entry', regex: '^-?[0-9]+$', readable_regex: 'NUMBER OF DAYS' },
  apps: { type: 'dropdown', regex: '.*', readable_regex: 'TEXT', list: [...LICENSED_APPS] },
};

/** The fields `w` searches, and that `wf` may name. */
export const WILDCARD_FIELDS = ['container_name', 'custom_name', 'licensed_apps', 'region', 'notes'] as const;
type WildcardField = (typeof WILDCARD_FIELDS)[number];

/** GET /filters/mssp/accounts. */
export function describeAccountFilters() {
  return {
    wildcard_fields: [...WILDCARD_FIELDS],
    filters: Object.entries(FIELDS).map(([name, field]) => ({
      name,
      readable_name: field.readableName,
      control: CONTROLS[field.kind],
      operators: [...OPERATORS[field.kind]],
    })),
  };
}

interface ParsedFilter {
  field: FilterField;
  operator: string;
  value: string;
}

function badFilter(message: string): TenableError {
  return new TenableError(400, { error: message });
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** `field:operator:value`; the value may itself hold colons. */
export function parseFilter(text: string): ParsedFilter {
  const first = text.indexOf(':');
  const second = first === -1 ? -1 : text.indexOf(':', first + 1);
  if (first === -1 || second === -1) throw badFilter(`Invalid filter "${text}": expected field:operator:value.`);
  const name = text.slice(0, first);
  const operator = text.slice(first + 1, second);
  const value = text.slice(second + 1);
  const field = FIELDS[name];
  if (!field) throw badFilter(`Invalid filter "${text}": unknown field "${name}"; see GET /filters/mssp/accounts.`);
  if (!OPERATORS[field.kind].includes(operator)) {
    throw badFilter(`Invalid filter "${text}": operator "${operator}" does not apply to ${name} (${OPERATORS[field.kind].join(', ')}).`);
  }
  if ((field.kind === 'number' || field.kind === 'days') && !new RegExp(CONTROLS[field.kind].regex).test(value)) {
    throw badFilter(`Invalid filter "${text}": ${name} takes a number.`);
  }
  return { field, operator, value };
}

function compareNumbers(actual: number | null, operator: string, expected: number): boolean {
  if (actual === null) return operator === 'neq';
  switch (operator) {
    case 'eq':
      return actual === expected;
    case 'neq':
      return actual !== expected;
    case 'lt':
      return actual < expected;
    case 'lte':
      return actual <= expected;
    case 'gt':
      return actual > expected;
    default:
      return actual >= expected;
  }
}

function compareTexts(actual: readonly string[], operator: string, expected: string): boolean {
  const wanted = expected.toLowerCase();
  const values = actual.map((value) => value.toLowerCase());
  switch (operator) {
    case 'eq':
      return values.includes(wanted);
    case 'neq':
      return !values.includes(wanted);
    case 'match':
      return values.some((value) => value.includes(wanted));
    default:
      return !values.some((value) => value.includes(wanted));
  }
}

function matchesFilter(account: MsspAccount, filter: ParsedFilter, nowSeconds: number): boolean {
  const actual = filter.field.valueOf(account, nowSeconds);
  if (filter.field.kind === 'number' || filter.field.kind === 'days') {
    return compareNumbers(typeof actual === 'number' ? actual : null, filter.operator, Number(filter.value));
  }
  const texts = actual === null ? [] : typeof actual === 'string' ? [actual] : typeof actual === 'number' ? [String(actual)] : actual;
  return compareTexts(texts, filter.operator, filter.value);
}

function wildcardText(account: MsspAccount, field: WildcardField): string {
  const value = account[field];
  return (Array.isArray(value) ? value.join(' ') : (value ?? '')).toLowerCase();
}

export interface AccountFilterQuery {
  f?: string | string[];
  ft?: string;
  w?: string;
  wf?: string | string[];
}

/**
 * The accounts that pass the query's filters. Unknown fields or operators and non-numeric values
 * answer 400 `{"error":...}` before anything is filtered.
 */
export function filterAccounts(accounts: MsspAccount[], query: AccountFilterQuery, now = new Date()): MsspAccount[] {
  const filters = asList(query.f).map(parseFilter);
  const isAny = query.ft?.toLowerCase() === 'or';
  const wildcard = query.w?.trim().toLowerCase() ?? '';
  const requestedFields = asList(query.wf)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
  for (const name of requestedFields) {
    if (!(WILDCARD_FIELDS as readonly string[]).includes(name)) {
      throw badFilter(`Invalid wildcard field "${name}"; wildcard fields are ${WILDCARD_FIELDS.join(', ')}.`);
    }
  }
  const wildcardFields = (requestedFields.length > 0 ? requestedFields : WILDCARD_FIELDS) as readonly WildcardField[];
  const nowSeconds = Math.floor(now.getTime() / 1000);
  return accounts.filter((account) => {
    if (wildcard && !wildcardFields.some((field) => wildcardText(account, field).includes(wildcard))) return false;
    if (filters.length === 0) return true;
    return isAny
      ? filters.some((filter) => matchesFilter(account, filter, nowSeconds))
      : filters.every((filter) => matchesFilter(account, filter, nowSeconds));
  });
}
