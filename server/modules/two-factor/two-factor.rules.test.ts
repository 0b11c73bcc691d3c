import { describe, expect, it } from 'vitest';
import {
  ATTEMPT_LIFETIME_MS,
  checkAttempt,
  checkSend,
  checkWrongCodesPerUser,
  CODE_LIFETIME_MS,
  generateCode,
  generateRecoveryCode,
  isTotpReplay,
  matchCode,
  MAX_RESENDS_PER_HOUR,
  MAX_WRONG_TRIES,
  normalizeRecoveryCode,
  totpStepAt,
  type StoredCode,
} from './two-factor.rules.js';

const t0 = new Date('2026-11-22T10:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

function code(overrides: Partial<StoredCode> = {}): StoredCode {
  return { id: 'c1', attempt_id: 'a1', code_hash: 'hash-123456', expires_at: at(CODE_LIFETIME_MS), used_at: null, ...overrides };
}

describe('one-time code rules (controllable clock)', () => {
  it('makes six-digit codes from the whole range, leading zeros kept', () => {
    const codes = Array.from({ length: 2000 }, generateCode);
    expect(codes.every((value) => /^\d{6}$/.test(value))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(1900);
  });

  it('accepts a code until the end of its 10 minutes, not after', () => {
    expect(matchCode([code()], 'a1', 'hash-123456', at(CODE_LIFETIME_MS - 1))).toEqual({ kind: 'accepted', codeId: 'c1' });
    expect(matchCode([code()], 'a1', 'hash-123456', at(CODE_LIFETIME_MS))).toEqual({ kind: 'expired' });
  });

  it('binds a code to the attempt that asked for it', () => {
    expect(matchCode([code()], 'a2', 'hash-123456', t0)).toEqual({ kind: 'wrong' });
  });

  it('refuses a used code as a replay', () => {
    expect(matchCode([code({ used_at: at(1000) })], 'a1', 'hash-123456', at(2000))).toEqual({ kind: 'replayed' });
  });

  it('takes the still-usable one when a resend made two codes with the same digits', () => {
    const codes = [code({ id: 'old', used_at: at(10) }), code({ id: 'new' })];
    expect(matchCode(codes, 'a1', 'hash-123456', at(20))).toEqual({ kind: 'accepted', codeId: 'new' });
  });

  it('answers wrong for other digits', () => {
    expect(matchCode([code()], 'a1', 'hash-654321', t0)).toEqual({ kind: 'wrong' });
  });
});

describe('attempt rules', () => {
  const attempt = { id: 'a1', state: 'pending' as const, expires_at: at(ATTEMPT_LIFETIME_MS), wrong_tries: 0 };

  it('lives 10 minutes', () => {
    expect(checkAttempt(attempt, at(ATTEMPT_LIFETIME_MS - 1))).toBeNull();
    expect(checkAttempt(attempt, at(ATTEMPT_LIFETIME_MS))).toBe('expired');
  });

  it('dies at the fifth wrong try', () => {
    expect(checkAttempt({ ...attempt, wrong_tries: MAX_WRONG_TRIES - 1 }, t0)).toBeNull();
    expect(checkAttempt({ ...attempt, wrong_tries: MAX_WRONG_TRIES }, t0)).toBe('exhausted');
    expect(checkAttempt({ ...attempt, state: 'failed' }, t0)).toBe('exhausted');
  });

  it('takes no code once passed', () => {
    expect(checkAttempt({ ...attempt, state: 'passed' }, t0)).toBe('finished');
  });
});

describe('resend limits', () => {
  it('allows a resend 30 seconds after the last code of the attempt, not sooner', () => {
    const history = { lastSentForAttempt: t0, sentToUser: [{ at: t0, isResend: false }] };
    expect(checkSend(history, true, at(29_000))).toEqual({ allowed: false, reason: 'too_soon', retryAfterSeconds: 1 });
    expect(checkSend(history, true, at(30_000))).toEqual({ allowed: true });
  });

  it('allows 5 resends per hour per user, then waits for the oldest to age out', () => {
    const sentToUser = Array.from({ length: MAX_RESENDS_PER_HOUR }, (_, index) => ({ at: at(index * 60_000), isResend: true }));
    const now = at(10 * 60_000);
    const refused = checkSend({ lastSentForAttempt: at(4 * 60_000), sentToUser }, true, now);
    expect(refused).toEqual({ allowed: false, reason: 'hourly_limit', retryAfterSeconds: 50 * 60 });
    expect(checkSend({ lastSentForAttempt: at(4 * 60_000), sentToUser }, true, at(3_600_001))).toEqual({ allowed: true });
  });

  it('does not count first sends against the resend limit', () => {
    const sentToUser = Array.from({ length: 6 }, (_, index) => ({ at: at(index * 1000), isResend: false }));
    expect(checkSend({ lastSentForAttempt: null, sentToUser }, false, at(10_000))).toEqual({ allowed: true });
  });
});

describe('TOTP replay', () => {
  it('numbers 30-second steps', () => {
    expect(totpStepAt(new Date(0), 0)).toBe(0);
    expect(totpStepAt(new Date(29_999), 0)).toBe(0);
    expect(totpStepAt(new Date(30_000), 0)).toBe(1);
    expect(totpStepAt(new Date(30_000), -1)).toBe(0);
  });

  it('refuses a step at or before the last one used', () => {
    expect(isTotpReplay(100, null)).toBe(false);
    expect(isTotpReplay(101, 100)).toBe(false);
    expect(isTotpReplay(100, 100)).toBe(true);
    expect(isTotpReplay(99, 100)).toBe(true);
  });
});

describe('recovery codes', () => {
  it('are xxxxx-xxxxx and read back however typed', () => {
    const value = generateRecoveryCode();
    expect(value).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(normalizeRecoveryCode(` ${value.replace('-', '').toUpperCase()} `)).toBe(value);
  });
});

describe('wrong codes per user across attempts', () => {
  it('refuses new sign-in attempts after 15 wrong codes in an hour, until the oldest ages out', () => {
    const attempts = [0, 1, 2].map((index) => ({ created_at: at(index * 60_000), wrong_tries: 5 }));
    expect(checkWrongCodesPerUser(attempts.slice(0, 2), at(5 * 60_000))).toBeNull();
    expect(checkWrongCodesPerUser(attempts, at(5 * 60_000))).toBe(55 * 60);
    expect(checkWrongCodesPerUser(attempts, at(3_600_001))).toBeNull();
  });
});
