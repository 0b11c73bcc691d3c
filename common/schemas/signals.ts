import { z } from 'zod';

/**
 * Signals (issue 8): every record a connector fetched, as an artifact people search. Administrators
 * see every artifact; other staff those whose account (the integration's target account) they may see.
 */

export const SIGNAL_SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export const SignalSeverity = z.enum(SIGNAL_SEVERITIES);
export const SIGNAL_STATES = ['OPEN', 'REOPENED', 'FIXED'] as const;
export const SignalState = z.enum(SIGNAL_STATES);

/** Above this many matches, facet counts (and the total) are estimates, marked as such. */
export const EXACT_COUNT_LIMIT = 100_000;

/** A query-string list: `severity=high&severity=critical` or `severity=high,critical`. */
const listOf = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(item).max(50));

export const SignalSearchQuery = z.object({
  /** Free text: words match host names, IPs, plugin names, CVEs (websearch syntax: quotes, OR, -word). */
  q: z.string().trim().max(500).optional(),
  integrationId: listOf(z.uuid()).optional(),
  stream: listOf(z.string().max(50)).optional(),
  severity: listOf(SignalSeverity).optional(),
  state: listOf(SignalState).optional(),
  accountId: listOf(z.uuid()).optional(),
  /** Observed at or after / before (ISO). */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type SignalSearchQuery = z.input<typeof SignalSearchQuery>;

export const SignalSummaryResponse = z.object({
  id: z.string(),
  integration: z.object({ id: z.uuid().nullable(), name: z.string() }),
  stream: z.string(),
  observedAt: z.iso.datetime(),
  fingerprint: z.string(),
  severity: z.string().nullable(),
  state: z.string().nullable(),
  hostName: z.string().nullable(),
  ip: z.string().nullable(),
  pluginId: z.number().int().nullable(),
  pluginName: z.string().nullable(),
  cve: z.array(z.string()),
  account: z.object({ id: z.uuid(), name: z.string() }).nullable(),
});
export type SignalSummaryResponse = z.infer<typeof SignalSummaryResponse>;

export const FacetBucket = z.object({ value: z.string(), label: z.string(), count: z.number().int() });
export type FacetBucket = z.infer<typeof FacetBucket>;

/** The total and facet counts of a search (GET /api/signals/counts, and part of GET /api/signals). */
export const SignalCountsResponse = z.object({
  total: z.number().int(),
  /** True when `total` is an estimate (more than EXACT_COUNT_LIMIT matches). */
  estimated: z.boolean(),
  /**
   * True when the facet counts are estimates. Each facet is counted without its own filter (ticking
   * Critical still lists High with its count), so its counts can be estimates while the total is exact.
   */
  facetsEstimated: z.boolean(),
  facets: z.object({
    severity: z.array(FacetBucket),
    state: z.array(FacetBucket),
    stream: z.array(FacetBucket),
    integration: z.array(FacetBucket),
    account: z.array(FacetBucket),
  }),
});
export type SignalCountsResponse = z.infer<typeof SignalCountsResponse>;

/** One page of results without the counts (GET /api/signals/results): the Signals page shows it first. */
export const SignalResultsResponse = z.object({
  results: z.array(SignalSummaryResponse),
  /** Whether a later page has results (known without counting the whole match). */
  hasMore: z.boolean(),
});
export type SignalResultsResponse = z.infer<typeof SignalResultsResponse>;

export const SignalSearchResponse = SignalCountsResponse.extend({ results: z.array(SignalSummaryResponse) });
export type SignalSearchResponse = z.infer<typeof SignalSearchResponse>;

export const SignalCountsQuery = SignalSearchQuery.omit({ page: true, pageSize: true });
export type SignalCountsQuery = z.input<typeof SignalCountsQuery>;

export const SignalIdParams = z.object({ id: z.string().regex(/^\d{1,18}$/, 'Not a signal id.') });

export const SignalDetailResponse = SignalSummaryResponse.extend({ raw: z.unknown() });
export type SignalDetailResponse = z.infer<typeof SignalDetailResponse>;

export const SignalExportQuery = SignalCountsQuery.extend({
  format: z.enum(['csv', 'json']).default('csv'),
});
export type SignalExportQuery = z.input<typeof SignalExportQuery>;

export const SignalSettingsResponse = z.object({ retentionDays: z.number().int() });
export type SignalSettingsResponse = z.infer<typeof SignalSettingsResponse>;
export const UpdateSignalSettingsBody = z.object({
  retentionDays: z.coerce.number().int().min(1, 'At least 1 day.').max(3650, 'At most 3,650 days.'),
});
export type UpdateSignalSettingsBody = z.input<typeof UpdateSignalSettingsBody>;
