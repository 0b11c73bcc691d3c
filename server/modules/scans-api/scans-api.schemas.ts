import { z } from 'zod';

/*
 * Request and response schemas of the Tenable-compatible scans API (tenable-api.md section 4 and
 * the workbench export of section 3). The contract is Tenable's, so they live in this module.
 */

/** Numbers sent as numeric strings are accepted (section 8, item 4). */
const IntegerParam = z.coerce.number().int();
const UnixSeconds = z.number().int();

export const UploadQuery = z.object({ no_enc: z.coerce.string().optional() });
export const UploadResponse = z.object({ fileuploaded: z.string() });

export const ImportQuery = z.object({ include_aggregate: z.coerce.string().optional() });
export const ImportBody = z.object({
  file: z.string().min(1),
  folder_id: IntegerParam.nullable().optional(),
  password: z.string().optional(),
});
export type ImportBody = z.infer<typeof ImportBody>;

export const ScanParams = z.object({ scanId: z.string().min(1) });
export const ScanHistoryParams = ScanParams.extend({ historyUuid: z.string().min(1) });
export const ScanExportParams = ScanParams.extend({ file: z.string().min(1) });
export const WorkbenchExportParams = z.object({ file: IntegerParam });

export const StatusTimes = z.object({
  initializing: z.number().int(),
  pending: z.number().int(),
  processing: z.number().int(),
  publishing: z.number().int(),
  running: z.number().int(),
});

/** A scan as GET /scans lists it. */
export const ApiScan = z.object({
  id: z.number().int(),
  uuid: z.string(),
  schedule_uuid: z.string(),
  name: z.string(),
  status: z.string(),
  type: z.string().nullable(),
  owner: z.string().nullable(),
  enabled: z.boolean(),
  control: z.boolean(),
  read: z.boolean(),
  shared: z.boolean(),
  legacy: z.boolean(),
  permissions: z.number().int(),
  user_permissions: z.number().int(),
  policy_id: z.number().int().nullable(),
  template_uuid: z.string().nullable(),
  wizard_uuid: z.string().nullable(),
  folder_id: z.number().int(),
  creation_date: UnixSeconds,
  last_modification_date: UnixSeconds,
  starttime: z.string().nullable(),
  rrules: z.string().nullable(),
  timezone: z.string().nullable(),
  progress: z.number().int(),
  total_targets: z.number().int(),
  has_triggers: z.boolean(),
  status_times: StatusTimes,
});
export type ApiScan = z.infer<typeof ApiScan>;

export const Folder = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.enum(['main', 'trash', 'custom']),
  custom: z.number().int(),
  unread_count: z.number().int(),
  default_tag: z.number().int(),
});

export const ListScansQuery = z.object({
  folder_id: IntegerParam.optional(),
  last_modification_date: IntegerParam.optional(),
  started_from: IntegerParam.optional(),
  started_to: IntegerParam.optional(),
});
export type ListScansQuery = z.infer<typeof ListScansQuery>;

export const ScanListResponse = z.object({ scans: z.array(ApiScan), folders: z.array(Folder), timestamp: UnixSeconds });
export type ScanListResponse = z.infer<typeof ScanListResponse>;

export const ImportResponse = z.object({
  scan: ApiScan.pick({
    id: true,
    uuid: true,
    name: true,
    status: true,
    owner: true,
    user_permissions: true,
    creation_date: true,
    last_modification_date: true,
    read: true,
    shared: true,
    control: true,
    rrules: true,
    starttime: true,
    timezone: true,
  }).extend({ folder_id: z.number().int().nullable() }),
});
export type ImportResponse = z.infer<typeof ImportResponse>;

const SeverityCount = z.object({ count: z.number().int(), severitylevel: z.number().int() });

export const ScanHost = z.object({
  asset_id: z.string(),
  host_id: z.number().int(),
  uuid: z.string(),
  hostname: z.string(),
  host_index: z.number().int(),
  critical: z.number().int(),
  high: z.number().int(),
  medium: z.number().int(),
  low: z.number().int(),
  info: z.number().int(),
  severity: z.number().int(),
  score: z.number().int(),
  progress: z.string(),
  scanprogresscurrent: z.number().int(),
  scanprogresstotal: z.number().int(),
  numchecksconsidered: z.number().int(),
  totalchecksconsidered: z.number().int(),
  severitycount: z.object({ item: z.array(SeverityCount) }),
});
export type ScanHost = z.infer<typeof ScanHost>;

export const ScanPluginSummary = z.object({
  plugin_id: z.number().int(),
  plugin_name: z.string(),
  plugin_family: z.string().nullable(),
  count: z.number().int(),
  severity: z.number().int(),
  severity_index: z.number().int(),
  vuln_index: z.number().int(),
});

export const ScanResultsQuery = z.object({ history_id: IntegerParam.optional(), history_uuid: z.string().optional() });

export const ScanResultsResponse = z.object({
  info: z.object({
    owner: z.string().nullable(),
    name: z.string(),
    uuid: z.string(),
    schedule_uuid: z.string(),
    folder_id: z.number().int(),
    status: z.string(),
    scan_type: z.string().nullable(),
    targets: z.string(),
    policy: z.string().nullable(),
    scanner_name: z.string().nullable(),
    hostcount: z.number().int(),
    scan_start: UnixSeconds.nullable(),
    scan_end: UnixSeconds.nullable(),
    timestamp: UnixSeconds.nullable(),
    object_id: z.number().int(),
    control: z.boolean(),
    user_permissions: z.number().int(),
    edit_allowed: z.boolean(),
    acls: z.array(z.unknown()),
    haskb: z.boolean(),
    hasaudittrail: z.boolean(),
  }),
  hosts: z.array(ScanHost),
  vulnerabilities: z.array(ScanPluginSummary),
  comphosts: z.array(ScanHost),
  compliance: z.array(ScanPluginSummary),
  history: z.array(z.unknown()),
  notes: z.array(z.unknown()),
  remediations: z.object({}),
  filters: z.array(z.unknown()),
  progress: z.number().int(),
});
export type ScanResultsResponse = z.infer<typeof ScanResultsResponse>;

export const HistoryQuery = z.object({
  limit: IntegerParam.min(1).max(1000).default(50),
  offset: IntegerParam.min(0).default(0),
  sort: z.string().default('start_date:desc'),
  exclude_rollover: z.coerce.string().optional(),
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;

export const HistoryResponse = z.object({
  pagination: z.object({
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    sort: z.array(z.object({ name: z.string(), order: z.string() })),
  }),
  history: z.array(z.unknown()),
});
export type HistoryResponse = z.infer<typeof HistoryResponse>;

export const ExportScanQuery = z.object({ history_id: IntegerParam.optional(), history_uuid: z.string().optional() });
/** pyTenable sends chapters and filters too; they do not change a .nessus export. */
export const ExportScanBody = z.looseObject({ format: z.string() });
export type ExportScanBody = z.infer<typeof ExportScanBody>;
export const ExportScanResponse = z.object({ file: z.string() });
export const ExportScanStatusResponse = z.object({ status: z.enum(['loading', 'ready']) });

/**
 * GET /workbenches/export: format, report and chapter fixed; `filter.<i>.*` and `filter.search_type`
 * pass through to the workbench filter parser (workbench-filters.ts). date_range is capped as on the workbench.
 */
export const WorkbenchExportQuery = z.looseObject({
  format: z.string(),
  report: z.string(),
  chapter: z.string().optional(),
  plugin_id: IntegerParam.optional(),
  asset_id: z.string().optional(),
  date_range: IntegerParam.min(0).max(36500).optional(),
});
export type WorkbenchExportQuery = z.infer<typeof WorkbenchExportQuery>;
export const WorkbenchExportResponse = z.object({ file: z.number().int() });
export const WorkbenchExportStatusResponse = z.object({
  status: z.enum(['loading', 'ready']),
  progress: z.string(),
  progress_total: z.string(),
});
