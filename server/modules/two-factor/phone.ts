import { parsePhoneNumber, ParseError, parsePhoneNumberWithError, validatePhoneNumberLength } from 'libphonenumber-js/max';

const EXAMPLE = 'for example +1 201 555 0123';

export type PhoneCheck = { ok: true; e164: string; international: string } | { ok: false; message: string };

/**
 * Checks that the text is a mobile phone number in international form (libphonenumber's full
 * metadata) and answers it in E.164, or a sentence naming what is wrong with it.
 */
export function checkMobilePhone(input: string): PhoneCheck {
  const text = input.trim();
  if (!/^[+\d\s().-]+$/.test(text)) {
    return { ok: false, message: `A phone number has only digits, spaces and a leading + (${EXAMPLE}).` };
  }
  if (!text.startsWith('+')) {
    return { ok: false, message: `Start the number with + and the country code (${EXAMPLE}).` };
  }
  let parsed;
  try {
    parsed = parsePhoneNumberWithError(text);
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, message: describeParseError(error.message) };
    throw error;
  }
  if (!parsed.isValid()) {
    const length = validatePhoneNumberLength(text);
    if (length) return { ok: false, message: describeParseError(length) };
    return { ok: false, message: `This is not a valid phone number for country code +${parsed.countryCallingCode}.` };
  }
  const type = parsed.getType();
  if (type !== undefined && type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') {
    const kind = TYPE_NAMES[type] ?? 'not a mobile number';
    return { ok: false, message: `This number is ${kind}; text messages need a mobile phone number.` };
  }
  return { ok: true, e164: parsed.number, international: parsed.formatInternational() };
}

const TYPE_NAMES: Record<string, string> = {
  FIXED_LINE: 'a landline',
  TOLL_FREE: 'a toll-free number',
  PREMIUM_RATE: 'a premium-rate number',
  SHARED_COST: 'a shared-cost number',
  VOIP: 'an internet (VoIP) number',
  PAGER: 'a pager number',
  UAN: 'a company (UAN) number',
  VOICEMAIL: 'a voicemail number',
  PERSONAL_NUMBER: 'a personal (forwarding) number',
};

function describeParseError(code: string): string {
  switch (code) {
    case 'INVALID_COUNTRY':
      return `The country code is not one we know. Start with + and the country code (${EXAMPLE}).`;
    case 'TOO_SHORT':
      return 'This phone number is too short for its country.';
    case 'TOO_LONG':
      return 'This phone number is too long for its country.';
    case 'INVALID_LENGTH':
      return 'This phone number has the wrong number of digits for its country.';
    case 'NOT_A_NUMBER':
    default:
      return `This is not a phone number (${EXAMPLE}).`;
  }
}

/** A stored E.164 number as people read it (+1 201 555 0123). */
export function formatPhone(e164: string): string {
  try {
    return parsePhoneNumber(e164).formatInternational();
  } catch {
    return e164;
  }
}
