import crypto from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { ExportFormat, ExportType } from '../../db/schema-exports.js';
import { TenableError } from '../mssp-api/mssp-api.errors.js';
import { AssetFilters, ComplianceFilters, SEVERITIES, VulnFilters } from './exports.schemas.js';

/**
 * Filters of an export: checked and normalised once when the export is created (the normalised
 * form is stored, echoed by the status request and hashed for the identical-export 409), then
 * turned into SQL conditions by the writer. Conditions use the aliases f (findings), p (plugins),
 * a (assets) and c (compliance_results).
 */

export type NormalisedFilters = Record<string, unknown> & { tags?: Record<string, string[]> };

const TAG_KEY = /^tag\.[^\s].*$/;
const TIME_FILTERS_NEEDING_STATE = ['first_found', 'last_found', 'last_fixed'] as const;
const V2_ONLY_ASSET_FILTERS = ['since', 'types'];

function badFilters(message: string): TenableError {
  return new TenableError(400, { error: message });
}

/** Tag filters as given: "tag.<Category>": value or [values] (vulns, assets v1), or compliance's tags: {Category: [..]}. */
function tagsOf(raw: Record<string, unknown>): Record<string, string[]> | undefined {
  const tags: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!TAG_KEY.test(key)) continue;
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0 || !values.every((item): item is string => typeof item === 'string' && item !== '')) {
      throw badFilters(`filters.${key} must be a string or a list of strings`);
    }
    tags[key] = [...new Set(values)].sort();
  }
  return Object.keys(tags).length > 0 ? tags : undefined;
}

function parseKnown<T extends z.ZodObject>(schema: T, known: Record<string, unknown>): z.infer<T> {
  const parsed = schema.safeParse(known);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw badFilters(`filters.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid value'}`);
}

/** Splits raw filters into the schema's known keys and tags; any other key is refused (400). */
function splitKnown(schema: z.ZodObject, raw: Record<string, unknown>, allowTags: boolean) {
  const known: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key in schema.shape) known[key] = value;
    else if (!(allowTags && TAG_KEY.test(key))) throw badFilters(`Unknown filter: ${key}`);
  }
  return { known, tags: allowTags ? tagsOf(raw) : undefined };
}

/** Sorted, de-duplicated lists and no undefined keys: equal requests give equal JSON. */
function tidy(filters: Record<string, unknown>): NormalisedFilters {
  const result: NormalisedFilters = {};
  for (const key of Object.keys(filters).sort()) {
    const value = filters[key];
    if (value === undefined) continue;
    result[key] = Array.isArray(value) ? [...new Set(value as unknown[])].sort() : value;
  }
  return result;
}

function normaliseVulnFilters(raw: Record<string, unknown>): NormalisedFilters {
  // first_seen and last_seen are the older names of first_found and last_found.
  const renamed = { ...raw };
  for (const [alias, name] of [
    ['first_seen', 'first_found'],
    ['last_seen', 'last_found'],
  ] as const) {
    if (alias in renamed) {
      renamed[name] ??= renamed[alias];
      delete renamed[alias];
    }
  }
  const { known, tags } = splitKnown(VulnFilters, renamed, true);
  const filters = parseKnown(VulnFilters, known);
  const timeFilters = TIME_FILTERS_NEEDING_STATE.filter((key) => filters[key] !== undefined);
  if (filters.since !== undefined && timeFilters.length > 0) {
    throw badFilters(`since cannot be combined with ${timeFilters.join(', ')}`);
  }
  if (timeFilters.length > 0 && filters.state === undefined) {
    throw badFilters(`state is required with ${timeFilters.join(', ')}`);
  }
  return tidy({ ...filters, state: filters.state ?? ['OPEN', 'REOPENED'], tags });
}

function normaliseAssetFilters(raw: Record<string, unknown>, format: ExportFormat): NormalisedFilters {
  const { known, tags } = splitKnown(AssetFilters, raw, format === 'v1');
  const v2Only = format === 'v1' ? V2_ONLY_ASSET_FILTERS.filter((key) => key in known) : [];
  if (v2Only.length > 0) throw badFilters(`Unknown filter: ${v2Only.join(', ')} (only in POST /assets/v2/export)`);
  return tidy({ ...parseKnown(AssetFilters, known), tags });
}

function normaliseComplianceFilters(raw: Record<string, unknown>, assets: string[] | undefined): NormalisedFilters {
  const { known } = splitKnown(ComplianceFilters, raw, false);
  const { tags, ...filters } = parseKnown(ComplianceFilters, known);
  const tagFilters = tags
    ? tagsOf(Object.fromEntries(Object.entries(tags).map(([category, values]) => [`tag.${category}`, values])))
    : undefined;
  return tidy({ ...filters, tags: tagFilters, asset: assets?.map((id) => id.toLowerCase()) });
}

/** The checked, normalised filters of a new export; 400 {"error": …} when they cannot be honoured. */
export function normaliseFilters(
  type: ExportType,
  format: ExportFormat,
  raw: Record<string, unknown>,
  options: { assets?: string[] } = {},
): NormalisedFilters {
  if (type === 'vulns') return normaliseVulnFilters(raw);
  if (type === 'assets') return normaliseAssetFilters(raw, format);
  return normaliseComplianceFilters(raw, options.assets);
}

/** What makes two exports identical: type, format, chunk size and filters. */
export function fingerprintOf(type: ExportType, format: ExportFormat, chunkSize: number, filters: NormalisedFilters): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([type, format, chunkSize, filters]))
    .digest('hex');
}

const since = (column: string, seconds: unknown) => sql`${sql.ref(column)} >= to_timestamp(${Number(seconds)})`;
const NOTHING = sql<boolean>`false`;
const IPV4 = String.raw`^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}$`;

function list<T>(value: unknown): T[] {
  return value as T[];
}

/** Conditions on a finding row (f, p, a). Bulwark's assets carry no tags: a tag filter matches nothing. */
export function vulnConditions(filters: NormalisedFilters): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [sql`f.state = any(${list<string>(filters.state)}::text[])`];
  if (filters.severity)
    conditions.push(sql`f.severity = any(${list<string>(filters.severity).map((name) => SEVERITIES.indexOf(name as never))}::int[])`);
  if (filters.since !== undefined) {
    const at = Number(filters.since);
    conditions.push(
      sql`((f.state <> 'FIXED' and f.last_found >= to_timestamp(${at})) or (f.state = 'FIXED' and f.last_fixed >= to_timestamp(${at})))`,
    );
  }
  if (filters.first_found !== undefined) conditions.push(since('f.first_found', filters.first_found));
  if (filters.last_found !== undefined) conditions.push(since('f.last_found', filters.last_found));
  if (filters.last_fixed !== undefined) conditions.push(since('f.last_fixed', filters.last_fixed));
  if (filters.plugin_id) conditions.push(sql`f.plugin_id = any(${list<number>(filters.plugin_id)}::int[])`);
  if (filters.plugin_family) {
    conditions.push(sql`lower(p.family) = any(${list<string>(filters.plugin_family).map((family) => family.toLowerCase())}::text[])`);
  }
  if (filters.cve_id) conditions.push(sql`p.cve && ${list<string>(filters.cve_id).map((cve) => cve.toUpperCase())}::text[]`);
  if (filters.network_id) conditions.push(sql`a.network_id = ${String(filters.network_id)}::uuid`);
  if (filters.cidr_range) {
    conditions.push(sql`(case when a.ipv4 ~ ${IPV4} then a.ipv4::inet <<= ${String(filters.cidr_range)}::inet else false end)`);
  }
  if (filters.tags) conditions.push(NOTHING);
  return conditions;
}

/** Conditions on an asset row (a). Bulwark never terminates or deletes an asset, and has no tags. */
export function assetConditions(filters: NormalisedFilters): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [];
  if (filters.created_at !== undefined) conditions.push(since('a.created_at', filters.created_at));
  if (filters.updated_at !== undefined) conditions.push(since('a.updated_at', filters.updated_at));
  if (filters.since !== undefined) conditions.push(since('a.updated_at', filters.since));
  if (filters.first_scan_time !== undefined) conditions.push(since('a.first_seen', filters.first_scan_time));
  if (filters.last_assessed !== undefined) conditions.push(since('a.last_seen', filters.last_assessed));
  if (filters.last_authenticated_scan_time !== undefined) {
    conditions.push(since('a.last_authenticated_scan_at', filters.last_authenticated_scan_time));
  }
  if (filters.network_id) conditions.push(sql`a.network_id = ${String(filters.network_id)}::uuid`);
  if (filters.types) conditions.push(sql`a.kind = any(${list<string>(filters.types)}::text[])`);
  if (filters.has_plugin_results !== undefined) {
    const exists = sql`exists (select 1 from findings f where f.asset_id = a.id)`;
    conditions.push(filters.has_plugin_results ? exists : sql`not ${exists}`);
  }
  const neverTrue = [
    filters.terminated_at,
    filters.deleted_at,
    filters.is_terminated || undefined,
    filters.is_deleted || undefined,
    filters.tags,
  ];
  if (neverTrue.some((value) => value !== undefined)) conditions.push(NOTHING);
  return conditions;
}

/** Conditions on a compliance result row (c, a). */
export function complianceConditions(filters: NormalisedFilters): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [];
  if (filters.first_seen !== undefined) conditions.push(since('c.first_seen', filters.first_seen));
  for (const key of ['last_seen', 'last_observed', 'since']) {
    if (filters[key] !== undefined) conditions.push(since('c.last_seen', filters[key]));
  }
  if (filters.audit_file_name) conditions.push(sql`c.audit_file = ${String(filters.audit_file_name)}`);
  if (filters.compliance_results) conditions.push(sql`c.result = any(${list<string>(filters.compliance_results)}::text[])`);
  if (filters.plugin_id) conditions.push(sql`c.plugin_id = any(${list<number>(filters.plugin_id)}::int[])`);
  if (filters.ipv4_addresses) conditions.push(sql`a.ipv4 = any(${list<string>(filters.ipv4_addresses)}::text[])`);
  if (filters.ipv6_addresses) conditions.push(sql`a.ipv6 = any(${list<string>(filters.ipv6_addresses)}::text[])`);
  if (filters.network_id) conditions.push(sql`a.network_id = ${String(filters.network_id)}::uuid`);
  if (filters.asset) conditions.push(sql`c.asset_id = any(${list<string>(filters.asset)}::uuid[])`);
  if (filters.tags) conditions.push(NOTHING);
  return conditions;
}

/** Conditions joined with and; `true` when there are none. */
export function allOf(conditions: RawBuilder<unknown>[]): RawBuilder<unknown> {
  return conditions.length === 0 ? sql`true` : sql`(${sql.join(conditions, sql` and `)})`;
}
