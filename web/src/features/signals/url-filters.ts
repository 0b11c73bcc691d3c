import { SIGNAL_SEVERITIES, SIGNAL_STATES, type SignalSearchQuery } from '../../../../common/schemas/signals.js';

/**
 * The Signals search as it lives in the URL query (q, the list filters comma-separated, from, to,
 * page), so a search can be bookmarked, shared and reloaded. Anything unreadable in a hand-edited
 * URL is dropped instead of failing the page.
 */

export const SIGNALS_PAGE_SIZE = 50;

export const LIST_FILTERS = ['integrationId', 'stream', 'severity', 'state', 'accountId'] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

export interface SignalFilters {
  q: string;
  integrationId: string[];
  stream: string[];
  severity: string[];
  state: string[];
  accountId: string[];
  /** ISO instants, or '' for none. */
  from: string;
  to: string;
  page: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function readList(params: URLSearchParams, name: string): string[] {
  return [
    ...new Set(
      params
        .getAll(name)
        .flatMap((value) => value.split(','))
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  ].slice(0, 50);
}

function readInstant(params: URLSearchParams, name: string): string {
  const value = params.get(name) ?? '';
  const time = Date.parse(value);
  return value && Number.isFinite(time) ? new Date(time).toISOString() : '';
}

export function readSignalFilters(params: URLSearchParams): SignalFilters {
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  return {
    q: (params.get('q') ?? '').trim().slice(0, 500),
    integrationId: readList(params, 'integrationId').filter((id) => UUID.test(id)),
    stream: readList(params, 'stream').filter((stream) => stream.length <= 50),
    severity: readList(params, 'severity').filter((value) => (SIGNAL_SEVERITIES as readonly string[]).includes(value)),
    state: readList(params, 'state').filter((value) => (SIGNAL_STATES as readonly string[]).includes(value)),
    accountId: readList(params, 'accountId').filter((id) => UUID.test(id)),
    from: readInstant(params, 'from'),
    to: readInstant(params, 'to'),
    page: Number.isFinite(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

/** Writes the filters into a URL query, leaving out empty ones and page 1; `keep` holds other keys (the open signal). */
export function writeSignalFilters(filters: SignalFilters, keep?: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  for (const name of LIST_FILTERS) if (filters[name].length > 0) params.set(name, filters[name].join(','));
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.page > 1) params.set('page', String(filters.page));
  const signal = keep?.get('signal');
  if (signal) params.set('signal', signal);
  return params;
}

/** The API query of the filters (lists comma-separated, as the server accepts them). */
export function toSignalQuery(filters: SignalFilters): Record<string, string | number | undefined> {
  return {
    q: filters.q || undefined,
    ...Object.fromEntries(LIST_FILTERS.map((name) => [name, filters[name].length > 0 ? filters[name].join(',') : undefined])),
    from: filters.from || undefined,
    to: filters.to || undefined,
  } satisfies Partial<Record<keyof SignalSearchQuery, string | number | undefined>>;
}

export function hasActiveSignalFilters(filters: SignalFilters): boolean {
  return Boolean(filters.q || filters.from || filters.to || LIST_FILTERS.some((name) => filters[name].length > 0));
}

export const EMPTY_SIGNAL_FILTERS: SignalFilters = {
  q: '',
  integrationId: [],
  stream: [],
  severity: [],
  state: [],
  accountId: [],
  from: '',
  to: '',
  page: 1,
};
