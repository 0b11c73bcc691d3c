import { describe, expect, it } from 'vitest';
import { checkMobilePhone } from './phone.js';

describe('checkMobilePhone', () => {
  it('answers a mobile number in E.164', () => {
    expect(checkMobilePhone('+1 (201) 555-0123')).toEqual({ ok: true, e164: '+12015550123', international: '+1 201 555 0123' });
  });

  it.each([
    ['hello', 'A phone number has only digits'],
    ['201 555 0123', 'Start the number with + and the country code'],
    ['+999 123456', 'The country code is not one we know'],
    ['+1 201', 'too short'],
    ['+1 201 555 01234567', 'too long'],
    ['+44 20 7946 0958', 'This number is a landline; text messages need a mobile phone number.'],
    ['+1 800 555 0199', 'This number is a toll-free number'],
  ])('refuses %s, naming the problem', (input, message) => {
    const result = checkMobilePhone(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain(message);
  });
});
