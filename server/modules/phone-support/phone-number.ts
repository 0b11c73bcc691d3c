import { parsePhoneNumber, ParseError, parsePhoneNumberWithError } from 'libphonenumber-js/max';

const EXAMPLE = 'for example +1 202 555 0142';

export type SupportPhoneCheck = { ok: true; e164: string } | { ok: false; message: string };

/**
 * Checks that the text is a valid phone number in international form (libphonenumber's full
 * metadata; landlines and toll-free numbers are fine) and answers it in E.164, or a sentence naming
 * what is wrong. International form because callers dial in from other countries.
 */
export function checkSupportPhone(input: string): SupportPhoneCheck {
  const text = input.trim();
  if (!/^[+\d\s().-]+$/.test(text)) return { ok: false, message: `A phone number has only digits, spaces and a leading + (${EXAMPLE}).` };
  if (!text.startsWith('+')) return { ok: false, message: `Start the number with + and the country code (${EXAMPLE}).` };
  try {
    const parsed = parsePhoneNumberWithError(text);
    if (parsed.isValid()) return { ok: true, e164: parsed.number };
    return { ok: false, message: `This is not a valid phone number for country code +${parsed.countryCallingCode}.` };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, message: `This is not a phone number (${EXAMPLE}).` };
    throw error;
  }
}

/** A stored E.164 number as people read it (+33 1 99 00 12 34). */
export function formatSupportPhone(e164: string): string {
  return parsePhoneNumber(e164).formatInternational();
}
