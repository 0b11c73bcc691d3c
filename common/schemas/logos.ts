import { z } from 'zod';

/** The seed's limit: no PNG larger than 246 x 52 pixels. */
export const LOGO_MAX_WIDTH = 246;
export const LOGO_MAX_HEIGHT = 52;
export const LOGO_MAX_BYTES = 1024 * 1024;

export const LOGO_MESSAGES = {
  created: 'Logo created successfully',
  saved: 'Logo changes saved successfully',
  assigned: 'Logo assigned to all selected accounts',
} as const;

export const LogoName = z.string().trim().min(1, 'Enter a name for the logo.').max(100);

export const LogoResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  fileName: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  sizeBytes: z.number().int(),
  accountCount: z.number().int(),
  createdByUserId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type LogoResponse = z.infer<typeof LogoResponse>;

export const LogoListResponse = z.object({ items: z.array(LogoResponse) });
export type LogoListResponse = z.infer<typeof LogoListResponse>;

export const LogoIdParams = z.object({ id: z.uuid() });

export const AssignLogoBody = z.object({
  /** null removes the logo ("(No Logo)"). */
  logoId: z.uuid().nullable(),
  accountIds: z.array(z.uuid()).min(1, 'Select at least one account.').max(10_000),
});
export type AssignLogoBody = z.infer<typeof AssignLogoBody>;

export const AssignLogoResponse = z.object({ message: z.string(), updatedCount: z.number().int() });
