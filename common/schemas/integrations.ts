import { z } from 'zod';

/**
 * Integrations (issue 8): named instances of a connector (the first: Tenable) that poll a source
 * for records every interval, per stream. The connector catalogue comes from the server
 * (GET /api/integrations/connectors), so a new connector needs no change here.
 */

/** What a stream's last runs say, as the tile's indicator. */
export const INTEGRATION_HEALTHS = ['pending', 'healthy', 'degraded', 'failing', 'disabled'] as const;
export const IntegrationHealth = z.enum(INTEGRATION_HEALTHS);
export type IntegrationHealth = z.infer<typeof IntegrationHealth>;

/** The indicator's colour for each health: grey until the first poll, green, amber, red. */
export const INTEGRATION_HEALTH_COLORS: Record<IntegrationHealth, 'gray' | 'green' | 'yellow' | 'red'> = {
  pending: 'gray',
  healthy: 'green',
  degraded: 'yellow',
  failing: 'red',
  disabled: 'gray',
};

export const INTEGRATION_HEALTH_LABELS: Record<IntegrationHealth, string> = {
  pending: 'Waiting for the first poll',
  healthy: 'Healthy',
  degraded: 'Degraded',
  failing: 'Failing',
  disabled: 'Disabled',
};

/** Why a run failed; each kind carries the seed's troubleshooting advice. */
export const RUN_ERROR_KINDS = [
  'auth',
  'forbidden',
  'rate_limited',
  'unreachable',
  'tls',
  'bad_response',
  'export_failed',
  'timeout',
  'abandoned',
  'cancelled',
  'internal',
] as const;
export const RunErrorKind = z.enum(RUN_ERROR_KINDS);
export type RunErrorKind = z.infer<typeof RunErrorKind>;

/** The tile's message for each failure, with the seed's troubleshooting steps. */
export const RUN_ERROR_ADVICE: Record<RunErrorKind, { title: string; advice: string[] }> = {
  auth: {
    title: 'Authentication failed (401)',
    advice: [
      'Verify the Access Key and Secret Key are correct.',
      'Ensure the API keys have not been regenerated (regenerating invalidates previous keys).',
    ],
  },
  forbidden: {
    title: 'Forbidden (403)',
    advice: [
      'The API keys may belong to a user without scan result access.',
      'Ensure the user has at least Standard or Admin permissions.',
    ],
  },
  rate_limited: {
    title: 'Rate limited (429)',
    advice: [
      'The source enforces a rate limit (Tenable.io: 300-500 requests per minute, varies by subscription tier).',
      'Bulwark is backing off automatically (Retry-After when given, otherwise exponential backoff).',
      'Consider a longer Polling Interval (for example 60 minutes).',
    ],
  },
  unreachable: {
    title: 'Host unreachable',
    advice: [
      'Check the FQDN or base URL: the host did not answer.',
      'Verify network connectivity from Bulwark to the source (port 443 for cloud.tenable.com).',
    ],
  },
  tls: {
    title: 'TLS error',
    advice: [
      "The source's certificate was not trusted or did not match its name.",
      'For a private certificate authority, paste its certificate into Custom CA certificate.',
    ],
  },
  bad_response: {
    title: 'Unexpected response',
    advice: [
      'The source answered with something that is not the Tenable API (HTML, truncated JSON, a missing chunk).',
      'Check the FQDN or base URL points at the API.',
    ],
  },
  export_failed: {
    title: 'Export failed',
    advice: [
      'The source reported the export as failed (ERROR, CANCELLED or failed chunks).',
      'The next run tries again from the same point.',
    ],
  },
  timeout: {
    title: 'Export timed out',
    advice: ['The export did not finish in time and was cancelled.', 'The next run tries again from the same point.'],
  },
  abandoned: {
    title: 'Run interrupted',
    advice: ['The node running it stopped. The next run resumes the export where it was.'],
  },
  cancelled: {
    title: 'Run stopped',
    advice: ['The integration was disabled while this run was in progress.', 'Once enabled again, the next run resumes where it was.'],
  },
  internal: {
    title: 'Internal error',
    advice: ['Bulwark failed while storing the records. See the integration log.'],
  },
};

/** The seed's "No Data Appearing" checks, shown on a tile that has fetched nothing. */
export const NO_DATA_CHECKS = [
  'Confirm the integration shows Enabled.',
  "Check the integration's log for errors.",
  'Verify network connectivity to the source (Test Connection).',
  'Confirm vulnerability scans have completed in the source.',
  'Ensure scan results exist for the polling time window.',
] as const;

/** One field of a connector's settings form, as the catalogue describes it. */
export const ConnectorFieldResponse = z.object({
  name: z.string(),
  label: z.string(),
  kind: z.enum(['text', 'secret', 'pem']),
  required: z.boolean(),
  defaultValue: z.string().nullable(),
  description: z.string(),
});
export type ConnectorFieldResponse = z.infer<typeof ConnectorFieldResponse>;

export const ConnectorStreamResponse = z.object({
  name: z.string(),
  label: z.string(),
  defaultIntervalMinutes: z.number().int(),
});
export type ConnectorStreamResponse = z.infer<typeof ConnectorStreamResponse>;

export const ConnectorResponse = z.object({
  /** The connector name, for example `signal-client.tenable`. */
  id: z.string(),
  label: z.string(),
  description: z.string(),
  category: z.string(),
  authMethod: z.string(),
  multiInstance: z.boolean(),
  vendorDocs: z.object({ label: z.string(), url: z.string() }),
  prerequisites: z.array(z.string()),
  fields: z.array(ConnectorFieldResponse),
  streams: z.array(ConnectorStreamResponse),
});
export type ConnectorResponse = z.infer<typeof ConnectorResponse>;

export const ConnectorListResponse = z.object({ connectors: z.array(ConnectorResponse) });
export type ConnectorListResponse = z.infer<typeof ConnectorListResponse>;

export const MIN_INTERVAL_MINUTES = 1;
export const MAX_INTERVAL_MINUTES = 7 * 24 * 60;
const IntervalMinutes = z.coerce
  .number()
  .int('Enter whole minutes.')
  .min(MIN_INTERVAL_MINUTES, `The polling interval is at least ${MIN_INTERVAL_MINUTES} minute.`)
  .max(MAX_INTERVAL_MINUTES, 'The polling interval is at most 7 days.');

export const IntegrationName = z.string().trim().min(1, 'Enter a name.').max(100, 'At most 100 characters.');

/**
 * Create: the connector's fields by name (secret fields included; they are encrypted at rest and
 * never returned). The Polling Interval sets the first stream (vulnerabilities); the others run at
 * twice that unless `streamIntervals` sets them (advanced settings).
 */
export const CreateIntegrationBody = z.object({
  connector: z.string().min(1),
  name: IntegrationName,
  values: z.record(z.string(), z.string().max(20_000)),
  pollingIntervalMinutes: IntervalMinutes,
  streamIntervals: z.record(z.string(), IntervalMinutes).default({}),
  enabled: z.boolean(),
  targetAccountId: z.uuid().nullable().default(null),
});
export type CreateIntegrationBody = z.input<typeof CreateIntegrationBody>;

/** Update: every key optional; a secret field left out (or empty) keeps its stored value. */
export const UpdateIntegrationBody = z.object({
  name: IntegrationName.optional(),
  values: z.record(z.string(), z.string().max(20_000)).optional(),
  pollingIntervalMinutes: IntervalMinutes.optional(),
  streamIntervals: z.record(z.string(), IntervalMinutes).optional(),
  enabled: z.boolean().optional(),
  targetAccountId: z.uuid().nullable().optional(),
});
export type UpdateIntegrationBody = z.input<typeof UpdateIntegrationBody>;

export const IntegrationIdParams = z.object({ id: z.uuid() });

export const StreamStatusResponse = z.object({
  name: z.string(),
  label: z.string(),
  intervalMinutes: z.number().int(),
  health: IntegrationHealth,
  lastRunAt: z.iso.datetime().nullable(),
  lastSuccessAt: z.iso.datetime().nullable(),
  nextRunAt: z.iso.datetime().nullable(),
  running: z.boolean(),
  backingOffUntil: z.iso.datetime().nullable(),
  /** Records fetched by the last finished run, and in total. */
  lastFetched: z.number().int().nullable(),
  totalFetched: z.number().int(),
  cursor: z.iso.datetime().nullable(),
  lastError: z.object({ kind: RunErrorKind, message: z.string() }).nullable(),
});
export type StreamStatusResponse = z.infer<typeof StreamStatusResponse>;

export const IntegrationResponse = z.object({
  id: z.uuid(),
  connector: z.string(),
  connectorLabel: z.string(),
  name: z.string(),
  /** Non-secret fields as stored; secret fields as a mask (`••••1a2b`) or null when unset. */
  values: z.record(z.string(), z.string().nullable()),
  enabled: z.boolean(),
  targetAccount: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  owner: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  /** The worst health of its streams (disabled when not enabled). */
  health: IntegrationHealth,
  streams: z.array(StreamStatusResponse),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type IntegrationResponse = z.infer<typeof IntegrationResponse>;

export const IntegrationListResponse = z.object({ integrations: z.array(IntegrationResponse) });
export type IntegrationListResponse = z.infer<typeof IntegrationListResponse>;

/** Test Connection: the values of the form as they are now (a saved integration's secrets fill the gaps). */
export const TestConnectionBody = z.object({
  connector: z.string().min(1),
  integrationId: z.uuid().nullable().default(null),
  values: z.record(z.string(), z.string().max(20_000)),
});
export type TestConnectionBody = z.input<typeof TestConnectionBody>;

export const TestConnectionResponse = z.object({
  ok: z.boolean(),
  message: z.string(),
  error: z.object({ kind: RunErrorKind, title: z.string(), advice: z.array(z.string()) }).nullable(),
});
export type TestConnectionResponse = z.infer<typeof TestConnectionResponse>;

export const PollNowResponse = z.object({ queued: z.array(z.string()) });
export type PollNowResponse = z.infer<typeof PollNowResponse>;

export const RUN_STATUSES = ['running', 'succeeded', 'partial', 'failed'] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

export const RunResponse = z.object({
  id: z.uuid(),
  stream: z.string(),
  trigger: z.enum(['schedule', 'poll_now']),
  status: RunStatus,
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  since: z.iso.datetime().nullable(),
  exportId: z.string().nullable(),
  fetched: z.number().int(),
  stored: z.number().int(),
  duplicates: z.number().int(),
  chunksTotal: z.number().int().nullable(),
  chunksDone: z.number().int(),
  error: z.object({ kind: RunErrorKind, message: z.string() }).nullable(),
});
export type RunResponse = z.infer<typeof RunResponse>;

export const ListRunsQuery = z.object({
  stream: z.string().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export const RunListResponse = z.object({ runs: z.array(RunResponse), total: z.number().int() });
export type RunListResponse = z.infer<typeof RunListResponse>;

export const LOG_LEVELS = ['INFO', 'WARN', 'ERROR'] as const;
export const LogLineResponse = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  level: z.enum(LOG_LEVELS),
  /** As the seed shows it: `[INFO] tenable: fetched 42 vulnerabilities`. */
  line: z.string(),
  runId: z.uuid().nullable(),
});
export type LogLineResponse = z.infer<typeof LogLineResponse>;

export const ListLogsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Lines older than this id (paging backwards). */
  before: z.string().regex(/^\d+$/).optional(),
});
export const LogListResponse = z.object({ lines: z.array(LogLineResponse) });
export type LogListResponse = z.infer<typeof LogListResponse>;
