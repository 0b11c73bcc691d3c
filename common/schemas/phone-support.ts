import { z } from 'zod';

/** The three regions of the Phone Support tile, in the order the tile lists them. */
export const PHONE_SUPPORT_REGIONS = ['americas', 'europe', 'asia_australia'] as const;
export const PhoneSupportRegion = z.enum(PHONE_SUPPORT_REGIONS);
export type PhoneSupportRegion = z.infer<typeof PhoneSupportRegion>;

export const PHONE_SUPPORT_REGION_LABELS: Record<PhoneSupportRegion, string> = {
  americas: 'Americas',
  europe: 'Europe',
  asia_australia: 'Asia/Australia',
};

/** More rows than any MSSP lists; a bound so one request cannot write an unbounded table. */
export const MAX_PHONE_NUMBERS = 200;

/** One row as Administrators enter it; the server checks the number itself with libphonenumber-js. */
export const PhoneNumberInput = z.object({
  region: PhoneSupportRegion,
  country: z.string().trim().min(1, 'Enter the country.').max(80),
  number: z.string().trim().min(1, 'Enter the phone number.').max(40),
  note: z.string().trim().max(120).default(''),
});
export type PhoneNumberInput = z.input<typeof PhoneNumberInput>;

/** The whole list, replacing the stored one; rows keep their order within each region. */
export const ReplacePhoneNumbersBody = z.object({ numbers: z.array(PhoneNumberInput).max(MAX_PHONE_NUMBERS) });
export type ReplacePhoneNumbersBody = z.input<typeof ReplacePhoneNumbersBody>;

export const PhoneNumberResponse = z.object({
  country: z.string(),
  /** E.164, for tel: links. */
  number: z.string(),
  /** The number as people read it (+33 1 99 00 12 34). */
  display: z.string(),
  note: z.string(),
});
export type PhoneNumberResponse = z.infer<typeof PhoneNumberResponse>;

export const PhoneRegionResponse = z.object({
  region: PhoneSupportRegion,
  label: z.string(),
  numbers: z.array(PhoneNumberResponse),
});
export type PhoneRegionResponse = z.infer<typeof PhoneRegionResponse>;

/** Every region, in tile order, even one without numbers. */
export const PhoneNumbersResponse = z.object({
  regions: z.array(PhoneRegionResponse),
  updatedAt: z.iso.datetime().nullable(),
});
export type PhoneNumbersResponse = z.infer<typeof PhoneNumbersResponse>;

/** Six digits: short enough to read over the phone. */
export const SupportPin = z.string().regex(/^\d{6}$/, 'A Support PIN is six digits.');

export const SupportPinResponse = z.object({ pin: z.string() });
export type SupportPinResponse = z.infer<typeof SupportPinResponse>;

export const PinLookupQuery = z.object({ pin: z.string().trim().pipe(SupportPin) });
export type PinLookupQuery = z.infer<typeof PinLookupQuery>;

/** Who a caller is, for an agent verifying them: nothing an agent could not see on the account's contacts. */
export const PinLookupResponse = z.object({
  contactId: z.uuid(),
  name: z.string(),
  username: z.string(),
  accountId: z.uuid(),
  accountName: z.string(),
  role: z.number().int(),
  isPrimaryContact: z.boolean(),
  canManageCases: z.boolean(),
  isDisabled: z.boolean(),
});
export type PinLookupResponse = z.infer<typeof PinLookupResponse>;
