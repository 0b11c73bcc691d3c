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
  /** The account's logo, or null for Bulwark's default logo; its image is GET /api/logos/{logoId}/image. */
  logoId: z.uuid().nullable(),
  /** Changes when the logo's file changes, so the image URL can be cached. */
  logoVersion: z.string().nullable(),
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

/* ---- One account: details, creation, edits (issue 3) ---- */

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === '' ? null : value))
    .nullable();

export const AccountLicenseInput = z.object({
  app: LicensedApp,
  assetLimit: z.number().int().min(0).max(10_000_000),
  expiresOn: z.iso.date().nullable().default(null),
});
export type AccountLicenseInput = z.infer<typeof AccountLicenseInput>;

export const AccountSubscriptionInput = z
  .object({
    product: z.string().trim().min(1).max(200),
    serviceLevel: z.string().trim().min(1).max(200),
    startsOn: z.iso.date(),
    endsOn: z.iso.date(),
  })
  .refine((value) => value.endsOn >= value.startsOn, { message: 'The end date must not be before the start date.', path: ['endsOn'] });
export type AccountSubscriptionInput = z.infer<typeof AccountSubscriptionInput>;

const licensesField = z
  .array(AccountLicenseInput)
  .max(LICENSED_APPS.length)
  .refine((licenses) => new Set(licenses.map((license) => license.app)).size === licenses.length, {
    message: 'Each licensed app may appear once.',
  });

export const CreateAccountBody = z.object({
  name: z.string().trim().min(1, 'Enter the customer name.').max(200),
  customName: optionalText(200).default(null),
  siteId: optionalText(100).default(null),
  region: optionalText(100).default(null),
  notes: z.string().max(10_000).default(''),
  isFedramp: z.boolean().default(false),
  companyName: optionalText(200).default(null),
  postalAddress: optionalText(1000).default(null),
  contactEmail: z
    .union([z.literal(''), z.email('Enter a valid email address.').max(254)])
    .nullable()
    .default(null)
    .transform((value) => (value ? value : null)),
  licenses: licensesField.default([]),
  subscriptions: z.array(AccountSubscriptionInput).max(50).default([]),
});
export type CreateAccountBody = z.input<typeof CreateAccountBody>;
export type CreateAccountInput = z.output<typeof CreateAccountBody>;

/** Every field optional: only the fields sent change. Licences and subscriptions, when sent, replace the lists. */
export const UpdateAccountBody = z.object({
  name: z.string().trim().min(1, 'Enter the customer name.').max(200).optional(),
  customName: optionalText(200).optional(),
  siteId: optionalText(100).optional(),
  region: optionalText(100).optional(),
  notes: z.string().max(10_000).optional(),
  isFedramp: z.boolean().optional(),
  companyName: optionalText(200).optional(),
  postalAddress: optionalText(1000).optional(),
  contactEmail: z
    .union([z.literal(''), z.email('Enter a valid email address.').max(254)])
    .nullable()
    .transform((value) => (value ? value : null))
    .optional(),
  licenses: licensesField.optional(),
  subscriptions: z.array(AccountSubscriptionInput).max(50).optional(),
});
export type UpdateAccountBody = z.input<typeof UpdateAccountBody>;
export type UpdateAccountInput = z.output<typeof UpdateAccountBody>;

export const AccountIdParams = z.object({ id: z.uuid() });

export const AccountSubscriptionResponse = z.object({
  id: z.uuid(),
  product: z.string(),
  serviceLevel: z.string(),
  startsOn: z.iso.date(),
  endsOn: z.iso.date(),
});

export const CustomNameChangeResponse = z.object({
  id: z.uuid(),
  changedAt: z.iso.datetime(),
  changedByUserId: z.uuid().nullable(),
  changedByUsername: z.string().nullable(),
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
});
export type CustomNameChangeResponse = z.infer<typeof CustomNameChangeResponse>;

export const AccountContactResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  username: z.string(),
  email: z.string().nullable(),
  role: z.number().int(),
  canManageCases: z.boolean(),
  isPrimaryContact: z.boolean(),
  supportPin: z.string().nullable(),
  isDisabled: z.boolean(),
  hasPassword: z.boolean(),
  lastLoginAt: z.iso.datetime().nullable(),
});
export type AccountContactResponse = z.infer<typeof AccountContactResponse>;

export const AccountDetailsResponse = AccountSummaryResponse.extend({
  /** The container UUID of the account's instance: the account id itself. */
  containerUuid: z.uuid(),
  isFedramp: z.boolean(),
  companyName: z.string().nullable(),
  postalAddress: z.string().nullable(),
  contactEmail: z.string().nullable(),
  logoName: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  subscriptions: z.array(AccountSubscriptionResponse),
  contacts: z.array(AccountContactResponse),
  customNameHistory: z.array(CustomNameChangeResponse),
});
export type AccountDetailsResponse = z.infer<typeof AccountDetailsResponse>;
