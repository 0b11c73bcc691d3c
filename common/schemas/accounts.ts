import { z } from 'zod';

export const LICENSED_APPS = ['vm', 'was', 'cs'] as const;
export const LicensedApp = z.enum(LICENSED_APPS);
export type LicensedApp = z.infer<typeof LicensedApp>;

export const LICENSED_APP_LABELS: Record<LicensedApp, string> = {
  vm: 'Vulnerability Management',
  was: 'Web App Scanning',
  cs: 'Container Security',
};

export const AccountLicenseResponse = z.object({
  app: LicensedApp,
  licensedAssets: z.number().int(),
  assetLimit: z.number().int(),
  expiresOn: z.iso.date().nullable(),
});

export const AccountSummaryResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  customName: z.string().nullable(),
  siteId: z.string().nullable(),
  region: z.string().nullable(),
  notes: z.string(),
  isActive: z.boolean(),
  licenses: z.array(AccountLicenseResponse),
});
export type AccountSummaryResponse = z.infer<typeof AccountSummaryResponse>;

export const ACCOUNT_SORT_FIELDS = ['name', 'siteId', 'region', 'createdAt'] as const;

export const ListAccountsQuery = z.object({
  search: z.string().trim().max(200).optional(),
  sort: z.enum(ACCOUNT_SORT_FIELDS).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});
export type ListAccountsQuery = z.infer<typeof ListAccountsQuery>;

export const AccountListResponse = z.object({
  items: z.array(AccountSummaryResponse),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type AccountListResponse = z.infer<typeof AccountListResponse>;
