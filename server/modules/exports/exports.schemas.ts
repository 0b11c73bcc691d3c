import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Request bodies of the bulk exports (tenable-api.md 2.2, 2.4, 2.5). The Tenable contract is defined
 * outside Bulwark, so these schemas live in the module, not in common/schemas. Numbers may come as
 * numeric strings (old pyTenable sent "num_assets":"50"); state and severity in any case. Filter
 * keys are checked by normaliseFilters (export-filters.ts), which knows the tag.<Category> form.
 */

/** An integer, or a string of digits (Tenable accepts both). */
export const IntegerLike = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/, 'must be an integer')
    .transform(Number),
]);
const UnixSeconds = IntegerLike.pipe(z.number().int().min(0, 'must be Unix seconds'));
const Flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([z.array(item), item.transform((value) => [value])]);
const Strings = oneOrMany(z.string().min(1));
const Integers = oneOrMany(IntegerLike);
const Uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');

export const FINDING_STATES = ['OPEN', 'REOPENED', 'FIXED'] as const;
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
const State = z
  .string()
  .transform((value) => value.toUpperCase())
  .pipe(z.enum(FINDING_STATES));
const Severity = z
  .string()
  .transform((value) => value.toLowerCase())
  .pipe(z.enum(SEVERITIES));

/** "10.0.0.0/8" or a single IPv4 address (assets are matched on their IPv4 address). */
const Cidr = z.string().refine((value) => {
  const [address = '', prefix, ...rest] = value.split('/');
  if (isIP(address) !== 4 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,2}$/.test(prefix) && Number(prefix) <= 32);
}, 'must be an IPv4 range such as 10.0.0.0/8');

const ScoreRange = z.object({
  eq: z.array(z.number()).optional(),
  neq: z.array(z.number()).optional(),
  gt: z.number().optional(),
  gte: z.number().optional(),
  lt: z.number().optional(),
  lte: z.number().optional(),
});

/** The vulns filters Bulwark narrows by; the others (VULN_FILTERS_NOT_NARROWING) are accepted and ignored. */
export const VulnFilters = z.object({
  state: oneOrMany(State).optional(),
  severity: oneOrMany(Severity).optional(),
  since: UnixSeconds.optional(),
  first_found: UnixSeconds.optional(),
  last_found: UnixSeconds.optional(),
  last_fixed: UnixSeconds.optional(),
  plugin_id: Integers.optional(),
  plugin_family: Strings.optional(),
  cve_id: z.union([z.array(z.string().min(1)).max(200), z.string().transform((value) => [value])]).optional(),
  network_id: Uuid.optional(),
  cidr_range: Cidr.optional(),
  // Accepted, not narrowing (see docs/instance-api/exports.md).
  indexed_at: UnixSeconds.optional(),
  resurfaced_date: UnixSeconds.optional(),
  time_taken_to_fix: z.object({ gte: IntegerLike.optional(), lte: IntegerLike.optional() }).optional(),
  plugin_type: z.string().optional(),
  scan_uuid: z.string().optional(),
  cve_category: Strings.optional(),
  exploit_maturity: Strings.optional(),
  vpr_threat_intensity: Strings.optional(),
  weaponization: Strings.optional(),
  severity_modification_type: Strings.optional(),
  source: Strings.optional(),
  vpr_score: ScoreRange.optional(),
  vpr_v2_score: ScoreRange.optional(),
  cvss4_base_score: ScoreRange.optional(),
  epss_score: ScoreRange.optional(),
  zero_day: Flag.optional(),
  initiative_id: z.string().optional(),
  software_vulns_potential: Flag.optional(),
  software_vulns_potential_reasons: Strings.optional(),
});
export type VulnFilters = z.infer<typeof VulnFilters>;

export const AssetFilters = z.object({
  created_at: UnixSeconds.optional(),
  updated_at: UnixSeconds.optional(),
  terminated_at: UnixSeconds.optional(),
  deleted_at: UnixSeconds.optional(),
  first_scan_time: UnixSeconds.optional(),
  last_authenticated_scan_time: UnixSeconds.optional(),
  last_assessed: UnixSeconds.optional(),
  is_terminated: Flag.optional(),
  is_deleted: Flag.optional(),
  has_plugin_results: Flag.optional(),
  network_id: Uuid.optional(),
  // v2 only (checked by normaliseFilters).
  since: UnixSeconds.optional(),
  types: oneOrMany(z.enum(['host', 'webapp'])).optional(),
  // Accepted, not narrowing.
  is_licensed: Flag.optional(),
  servicenow_sysid: Flag.optional(),
  last_scan_id: z.string().optional(),
  sources: Strings.optional(),
});
export type AssetFilters = z.infer<typeof AssetFilters>;

export const COMPLIANCE_RESULTS = ['PASSED', 'FAILED', 'WARNING', 'SKIPPED', 'ERROR', 'UNKNOWN'] as const;

export const ComplianceFilters = z.object({
  first_seen: UnixSeconds.optional(),
  last_seen: UnixSeconds.optional(),
  last_observed: UnixSeconds.optional(),
  since: UnixSeconds.optional(),
  audit_file_name: z.string().min(1).optional(),
  compliance_results: oneOrMany(
    z
      .string()
      .transform((value) => value.toUpperCase())
      .pipe(z.enum(COMPLIANCE_RESULTS)),
  ).optional(),
  ipv4_addresses: Strings.optional(),
  ipv6_addresses: Strings.optional(),
  network_id: Uuid.optional(),
  plugin_id: Integers.optional(),
  // Accepted, not narrowing.
  indexed_at: UnixSeconds.optional(),
  audit_name: z.string().optional(),
  state: Strings.optional(),
  tags: z.record(z.string(), Strings).optional(),
});
export type ComplianceFilters = z.infer<typeof ComplianceFilters>;

/** Raw filters: checked key by key in normaliseFilters, so unknown keys get a clear error. */
const RawFilters = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((value) => value ?? {});

export const VulnExportBody = z
  .object({
    num_assets: IntegerLike.pipe(z.number().int().min(50).max(5000)).default(50),
    include_unlicensed: Flag.optional(),
    include_software_vulns: Flag.optional(),
    filters: RawFilters,
  })
  .nullish()
  .transform((body) => body ?? { num_assets: 50, filters: {} });
export type VulnExportBody = z.infer<typeof VulnExportBody>;

export const AssetExportBody = z.object({
  chunk_size: IntegerLike.pipe(z.number().int().min(50).max(10_000)),
  include_open_ports: Flag.optional(),
  include_resource_tags: Flag.optional(),
  filters: RawFilters,
});
export type AssetExportBody = z.infer<typeof AssetExportBody>;

export const ComplianceExportBody = z
  .object({
    num_findings: IntegerLike.pipe(z.number().int().min(50).max(10_000)).default(5000),
    asset: z.array(Uuid).optional(),
    filters: RawFilters,
  })
  .nullish()
  .transform((body) => body ?? { num_findings: 5000, filters: {} });
export type ComplianceExportBody = z.infer<typeof ComplianceExportBody>;

export const ExportParams = z.object({ uuid: z.string().min(1).max(100) });
export const ChunkParams = z.object({
  uuid: z.string().min(1).max(100),
  chunk: z
    .string()
    .regex(/^\d{1,9}$/, 'must be a chunk number')
    .transform(Number),
});
