import { describe, expect, it } from 'vitest';
import { checkPassword, DEFAULT_PASSWORD_POLICY, describePasswordPolicy } from './password-policy.js';

describe('password policy', () => {
  it('takes the stricter seed rule by default: 12 characters with all four classes', () => {
    expect(checkPassword('Correct-Horse-42!', DEFAULT_PASSWORD_POLICY).isValid).toBe(true);
    expect(checkPassword('Short-1!', DEFAULT_PASSWORD_POLICY).problems).toEqual(['Must be at least 12 characters long.']);
    expect(checkPassword('correct-horse-42!', DEFAULT_PASSWORD_POLICY).problems).toEqual(['Must contain: an uppercase letter.']);
    expect(describePasswordPolicy(DEFAULT_PASSWORD_POLICY)).toMatch(/at least 12 characters long and contain each of/);
  });

  it('refuses a password that contains the username', () => {
    expect(checkPassword('Ada.Lovelace-2026!', DEFAULT_PASSWORD_POLICY, 'ada.lovelace@mssp.example').problems).toEqual([
      'Must not contain the username.',
    ]);
    expect(checkPassword('Correct-Horse-42!', DEFAULT_PASSWORD_POLICY, 'ada@mssp.example').isValid).toBe(true);
  });

  it('can be set to the portal-user rule: 8 characters with three of four classes', () => {
    const policy = { minLength: 8, minClasses: 3 };
    expect(checkPassword('Abcdefg1', policy).isValid).toBe(true);
    expect(checkPassword('abcdefg1', policy).problems).toEqual(['Must contain 1 more of: an uppercase letter, a special character.']);
  });
});
