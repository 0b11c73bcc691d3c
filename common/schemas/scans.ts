import { z } from 'zod';

/* ---- Scans and imports of an instance (issue 5) ---- */

export const SCAN_STATUSES = ['queued', 'running', 'completed', 'failed', 'duplicate'] as const;
export const ScanStatus = z.enum(SCAN_STATUSES);

export const InstanceParams = z.object({ accountId: z.uuid() });
export const ScanParams = z.object({ accountId: z.uuid(), scanId: z.uuid() });

export const SeverityCounts = z.object({
  critical: z.number().int(),
  high: z.number().int(),
  medium: z.number().int(),
  low: z.number().int(),
  info: z.number().int(),
});
export type SeverityCounts = z.infer<typeof SeverityCounts>;

export const ScanResponse = z.object({
  id: z.uuid(),
  accountId: z.uuid(),
  name: z.string(),
  policyName: z.string().nullable(),
  status: ScanStatus,
  fileName: z.string().nullable(),
  fileSize: z.number().nullable(),
  bytesRead: z.number(),
  /** 0..1 while reading the file; 1 once read (applying the data may take a little longer). */
  progress: z.number(),
  hostCount: z.number().int(),
  findingCount: z.number().int(),
  complianceCount: z.number().int(),
  bySeverity: SeverityCounts,
  warnings: z.array(z.string()),
  error: z.string().nullable(),
  duplicateOfScanId: z.uuid().nullable(),
  scanStartedAt: z.iso.datetime({ offset: true }).nullable(),
  scanEndedAt: z.iso.datetime({ offset: true }).nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  finishedAt: z.iso.datetime({ offset: true }).nullable(),
  owner: z.object({ id: z.uuid(), username: z.string() }).nullable(),
});
export type ScanResponse = z.infer<typeof ScanResponse>;

export const ListScansQuery = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});
export type ListScansQuery = z.infer<typeof ListScansQuery>;

export const ScanListResponse = z.object({
  items: z.array(ScanResponse),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type ScanListResponse = z.infer<typeof ScanListResponse>;
