import type { z } from 'zod';
import {
  EXACT_COUNT_LIMIT,
  SIGNAL_SEVERITIES,
  SIGNAL_STATES,
  type FacetBucket,
  type SignalDetailResponse,
  type SignalCountsQuery,
  type SignalCountsResponse,
  type SignalExportQuery,
  type SignalResultsResponse,
  type SignalSearchQuery,
  type SignalSearchResponse,
  type SignalSettingsResponse,
  type SignalSummaryResponse,
  type UpdateSignalSettingsBody,
} from '../../../common/schemas/signals.js';
import { AppError } from '../../lib/app-error.js';
import { accountScopeOf } from '../accounts/accounts.service.js';
import type { ServiceContext } from '../../lib/context.js';
import { recordAudit } from '../audit/audit.service.js';
import {
  countFacetsUpTo,
  estimateFacets,
  estimateMatchingRows,
  findAccountNames,
  findIntegrationNames,
  findRetentionDays,
  findSignalById,
  findSignalExportPage,
  findSignalPage,
  signalWhere,
  updateRetentionDays,
  type FacetCount,
  type FacetName,
  type SignalDetailRow,
  type SignalFilters,
  type SignalKey,
  type SignalRow,
  type SignalScope,
} from './signals.repository.js';

/**
 * Which artifacts the caller sees: the accounts the caller sees (accountScopeOf: Administrators
 * every one, other staff their assigned accounts; artifacts without an account are Administrators'
 * only). Contacts never get here (the policy table), but are refused there too.
 */
export function signalScopeOf(ctx: Pick<ServiceContext, 'actor'>): SignalScope {
  const scope = accountScopeOf(ctx);
  return scope.kind === 'all' ? null : scope.accountIds;
}

export function presentSignal(row: SignalRow): SignalSummaryResponse {
  return {
    id: String(row.id),
    integration: { id: row.integration_id, name: row.integration_name },
    stream: row.stream,
    observedAt: new Date(row.observed_at).toISOString(),
    fingerprint: row.fingerprint,
    severity: row.severity,
    state: row.state,
    hostName: row.host_name,
    ip: row.ip,
    pluginId: row.plugin_id,
    pluginName: row.plugin_name,
    cve: row.cve ?? [],
    account: row.account_id ? { id: row.account_id, name: row.account_name ?? '' } : null,
  };
}

export function presentSignalDetail(row: SignalDetailRow): SignalDetailResponse {
  return { ...presentSignal(row), raw: row.raw === null ? null : (JSON.parse(row.raw) as unknown) };
}

export interface MatchCounts {
  total: number;
  estimated: boolean;
  facets: FacetCount[];
}

type Sample = Awaited<ReturnType<typeof estimateFacets>>;

/**
 * Free text's first step: the block sample (estimateFacets). The planner takes words as independent,
 * so a phrase or a vendor and its product look rare to it; the sample sees the real rows. Both the
 * results (how to read the page) and the counts (estimate or count exactly) are decided by it.
 */
function sampleTextSearch(ctx: Pick<ServiceContext, 'db'>, filters: SignalFilters, scope: SignalScope): Promise<Sample> | null {
  return filters.q ? estimateFacets(ctx.db, signalWhere(filters, scope), signalWhere({ q: filters.q }, null)) : null;
}

/**
 * The total and facet counts of a search. Exact up to `limit` matches: one pass over at most
 * limit + 1 matches gives the total and the facets together. Above it, `estimated`: the total and
 * facets are scaled from a block sample of the table (estimateFacets; the total never below
 * limit + 1). Free text, or a planner expecting more than the limit, asks the sample first, and the
 * exact pass (limit + 1 rows read for nothing) is skipped when the sample agrees.
 */
export async function countMatches(
  ctx: Pick<ServiceContext, 'db'>,
  filters: SignalFilters,
  scope: SignalScope,
  limit = EXACT_COUNT_LIMIT,
  textSample: Promise<Sample> | null = sampleTextSearch(ctx, filters, scope),
): Promise<MatchCounts> {
  const where = signalWhere(filters, scope);
  let sample = textSample ? await textSample : null;
  if (!sample && (await estimateMatchingRows(ctx.db, where)) > limit) sample = await estimateFacets(ctx.db, where);
  if (sample && sample.total > limit) return { total: sample.total, estimated: true, facets: sample.facets };
  const exact = await countFacetsUpTo(ctx.db, where, limit + 1);
  if (exact.total <= limit) return { total: exact.total, estimated: false, facets: exact.facets };
  sample ??= await estimateFacets(ctx.db, where);
  return { total: Math.max(limit + 1, sample.total), estimated: true, facets: sample.facets };
}

/** Each facet and the filter that narrows it. */
const FACET_FILTERS = [
  ['severity', 'severity'],
  ['state', 'state'],
  ['stream', 'stream'],
  ['integration', 'integrationId'],
  ['account', 'accountId'],
] as const satisfies ReadonlyArray<readonly [FacetName, keyof SignalFilters]>;

export interface SearchCounts extends MatchCounts {
  /** Whether any facet's counts are estimates (a facet counted without its own filter may be, when the total is not). */
  facetsEstimated: boolean;
}

function withoutFilter(filters: SignalFilters, key: keyof SignalFilters): SignalFilters {
  const copy = { ...filters };
  delete copy[key];
  return copy;
}

/**
 * The total and the facet counts of a search, each facet counted without its own filter, as faceted
 * search does: with Critical ticked, the severity facet still lists High and the others with what
 * they would add, so a second value can be ticked. The total and the facets whose filter is not set
 * come from the search's own count; each facet whose filter is set is counted by its own
 * countMatches without that filter (in parallel; same exact-or-estimate rule). The caller's scope
 * always applies.
 */
export async function countSearch(
  ctx: Pick<ServiceContext, 'db'>,
  filters: SignalFilters,
  scope: SignalScope,
  limit = EXACT_COUNT_LIMIT,
  textSample: Promise<Sample> | null = sampleTextSearch(ctx, filters, scope),
): Promise<SearchCounts> {
  const narrowed = FACET_FILTERS.filter(([, key]) => (filters[key]?.length ?? 0) > 0);
  const [main, ...own] = await Promise.all([
    countMatches(ctx, filters, scope, limit, textSample),
    ...narrowed.map(([, key]) => countMatches(ctx, withoutFilter(filters, key), scope, limit)),
  ]);
  const facets = main.facets.filter((count) => !narrowed.some(([facet]) => facet === count.facet));
  narrowed.forEach(([facet], index) => facets.push(...own[index]!.facets.filter((count) => count.facet === facet)));
  return { ...main, facets, facetsEstimated: main.estimated || own.some((counts) => counts.estimated) };
}

/**
 * Free text matching at most this many artifacts (by the sample, the text alone) has its page read
 * by collecting its matches through the GIN index and sorting them; more are met sooner by walking
 * an ordered index newest first (at 0.1% of 5,000,000 rows, the 50 newest are about 50,000 rows in).
 */
const FEW_TEXT_MATCHES = 5_000;

/** One page of results, newest first, and whether another follows (one row more is read). */
async function findResults(
  ctx: Pick<ServiceContext, 'db'>,
  filters: SignalFilters,
  scope: SignalScope,
  page: { page: number; pageSize: number },
  textSample: Promise<Sample> | null,
): Promise<{ rows: SignalRow[]; hasMore: boolean }> {
  const sample = textSample ? await textSample : null;
  const rows = await findSignalPage(ctx.db, signalWhere(filters, scope), {
    limit: page.pageSize + 1,
    offset: (page.page - 1) * page.pageSize,
    strategy: sample === null ? 'planner' : sample.textTotal <= FEW_TEXT_MATCHES ? 'few-text' : 'walk',
  });
  return { rows: rows.slice(0, page.pageSize), hasMore: rows.length > page.pageSize };
}

const capitalise = (text: string) => (text ? text[0]!.toUpperCase() + text.slice(1) : text);
const SEVERITY_ORDER: readonly string[] = [...SIGNAL_SEVERITIES].reverse();

async function presentFacets(ctx: Pick<ServiceContext, 'db'>, counts: FacetCount[]): Promise<SignalSearchResponse['facets']> {
  const of = (facet: FacetName) => counts.filter((count) => count.facet === facet);
  const [integrationNames, accountNames] = await Promise.all([
    findIntegrationNames(
      ctx.db,
      of('integration').map((count) => count.value),
    ),
    findAccountNames(
      ctx.db,
      of('account').map((count) => count.value),
    ),
  ]);
  const buckets = (facet: FacetName, label: (value: string) => string): FacetBucket[] =>
    of(facet)
      .map((count) => ({ value: count.value, label: label(count.value), count: count.count }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  const byOrder = (order: readonly string[]) => (a: FacetBucket, b: FacetBucket) => order.indexOf(a.value) - order.indexOf(b.value);
  return {
    severity: buckets('severity', capitalise).sort(byOrder(SEVERITY_ORDER)),
    // OPEN, REOPENED, FIXED as the instance pages say them: Open, Reopened, Fixed.
    state: buckets('state', (value) => capitalise(value.toLowerCase())).sort(byOrder(SIGNAL_STATES)),
    stream: buckets('stream', capitalise),
    integration: buckets('integration', (value) => integrationNames.get(value) ?? value),
    account: buckets('account', (value) => accountNames.get(value) ?? value),
  };
}

async function presentCounts(ctx: Pick<ServiceContext, 'db'>, counts: SearchCounts): Promise<SignalCountsResponse> {
  return {
    total: counts.total,
    estimated: counts.estimated,
    facetsEstimated: counts.facetsEstimated,
    facets: await presentFacets(ctx, counts.facets),
  };
}

/** One page of results, newest first, without counting the match (the Signals page shows it first). */
export async function searchSignalResults(ctx: ServiceContext, query: z.output<typeof SignalSearchQuery>): Promise<SignalResultsResponse> {
  const scope = signalScopeOf(ctx);
  const { page, pageSize, ...filters } = query;
  const { rows, hasMore } = await findResults(ctx, filters, scope, { page, pageSize }, sampleTextSearch(ctx, filters, scope));
  return { results: rows.map(presentSignal), hasMore };
}

/** The total and facet counts of a search (exact up to EXACT_COUNT_LIMIT, estimates above; each facet without its own filter). */
export async function countSignals(
  ctx: ServiceContext,
  filters: z.output<typeof SignalCountsQuery>,
  options: { exactCountLimit?: number } = {},
): Promise<SignalCountsResponse> {
  return presentCounts(ctx, await countSearch(ctx, filters, signalScopeOf(ctx), options.exactCountLimit));
}

/** One page of results with the total and facet counts of the whole match (one sample shared by both). */
export async function searchSignals(
  ctx: ServiceContext,
  query: z.output<typeof SignalSearchQuery>,
  options: { exactCountLimit?: number } = {},
): Promise<SignalSearchResponse> {
  const scope = signalScopeOf(ctx);
  const { page, pageSize, ...filters } = query;
  const textSample = sampleTextSearch(ctx, filters, scope);
  const [{ rows }, counts] = await Promise.all([
    findResults(ctx, filters, scope, { page, pageSize }, textSample),
    countSearch(ctx, filters, scope, options.exactCountLimit, textSample),
  ]);
  return { results: rows.map(presentSignal), ...(await presentCounts(ctx, counts)) };
}

/** One artifact with its raw record; outside the caller's scope it is the same 404 as a missing one. */
export async function getSignal(ctx: ServiceContext, id: string): Promise<SignalDetailResponse> {
  const row = await findSignalById(ctx.db, id, signalScopeOf(ctx));
  if (!row) throw new AppError('not_found', 'Signal not found.');
  return presentSignalDetail(row);
}

const EXPORT_PAGE_ROWS = 500;

export const CSV_COLUMNS = [
  'id',
  'observed_at',
  'integration',
  'stream',
  'severity',
  'state',
  'host_name',
  'ip',
  'plugin_id',
  'plugin_name',
  'cve',
  'account',
  'fingerprint',
] as const;

/**
 * One CSV cell: quoted when it holds a comma, quote or line break; a cell a spreadsheet would run as
 * a formula (= + - @, tab, carriage return first) gets a leading apostrophe (OWASP's CSV injection advice).
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(signal: SignalSummaryResponse): string {
  const cells = [
    signal.id,
    signal.observedAt,
    signal.integration.name,
    signal.stream,
    signal.severity,
    signal.state,
    signal.hostName,
    signal.ip,
    signal.pluginId,
    signal.pluginName,
    signal.cve.join(' '),
    signal.account?.name ?? null,
    signal.fingerprint,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export interface SignalExport {
  fileName: string;
  contentType: string;
  /** The file, produced page by page from the database as it is read. */
  body: AsyncGenerator<string>;
}

/**
 * Exports every match (the search's filters, the caller's scope) as CSV or JSON (an array of
 * SignalDetailResponse), newest first, streamed in keyset pages: never the whole result in memory.
 * Audited `signals.exported` with the filters and the rows written, once the stream ends or is cut.
 */
export function exportSignals(ctx: ServiceContext, query: z.output<typeof SignalExportQuery>, now = new Date()): SignalExport {
  const scope = signalScopeOf(ctx);
  const { format, ...filters } = query;
  const where = signalWhere(filters, scope);
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

  async function* produce(): AsyncGenerator<string> {
    let rows = 0;
    let isComplete = false;
    try {
      if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\r\n`;
      else yield '[';
      let after: SignalKey | null = null;
      for (;;) {
        const page = await findSignalExportPage(ctx.db, where, after, { limit: EXPORT_PAGE_ROWS, withRaw: format === 'json' });
        if (page.length === 0) break;
        let text = '';
        for (const row of page) {
          text +=
            format === 'csv' ? csvLine(presentSignal(row)) : `${rows === 0 ? '\n' : ',\n'}${JSON.stringify(presentSignalDetail(row))}`;
          rows += 1;
        }
        yield text;
        const last = page[page.length - 1]!;
        after = { observedAt: last.observed_key, id: String(last.id) };
        if (page.length < EXPORT_PAGE_ROWS) break;
      }
      if (format === 'json') yield '\n]\n';
      isComplete = true;
    } finally {
      await recordAudit(ctx, {
        action: 'signals.exported',
        outcome: isComplete ? 'success' : 'failure',
        targetType: 'signals',
        details: { format, filters, rows, isComplete },
      }).catch((error: unknown) => ctx.log.error({ err: error }, 'auditing a signals export failed'));
    }
  }

  return {
    fileName: `signals-${stamp}.${format}`,
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    body: produce(),
  };
}

export async function getSignalSettings(ctx: Pick<ServiceContext, 'db'>): Promise<SignalSettingsResponse> {
  return { retentionDays: await findRetentionDays(ctx.db) };
}

export async function updateSignalSettings(
  ctx: ServiceContext,
  body: z.output<typeof UpdateSignalSettingsBody>,
): Promise<SignalSettingsResponse> {
  const before = await findRetentionDays(ctx.db);
  await updateRetentionDays(ctx.db, body.retentionDays);
  await recordAudit(ctx, {
    action: 'signals.settings_updated',
    targetType: 'signal_settings',
    details: { retentionDays: { from: before, to: body.retentionDays } },
  });
  return { retentionDays: body.retentionDays };
}
