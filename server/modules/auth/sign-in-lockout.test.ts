import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import {
  currentState,
  isLockedAt,
  lockMinutesFor,
  LOCKOUT_MEMORY_MS,
  MAX_LOCK_MINUTES,
  NO_FAILURES,
  normaliseUsername,
  registerFailure,
  secondsLeft,
  type LockoutPolicy,
  type LockoutState,
} from './sign-in-lockout.js';

const policy: LockoutPolicy = { maxFailures: 5, lockoutMinutes: [1, 5, 15, 60] };

/** A clock the test moves by hand. */
function clock(start = '2026-11-22T08:00:00Z') {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    advanceMinutes: (minutes: number) => {
      now += minutes * 60_000;
    },
    advanceMs: (ms: number) => {
      now += ms;
    },
  };
}

function fail(state: LockoutState, times: number, at: () => Date) {
  let current = state;
  let lock: { until: Date; minutes: number } | null = null;
  for (let i = 0; i < times; i += 1) {
    const outcome = registerFailure(policy, current, at());
    current = outcome.state;
    lock = outcome.lock ?? lock;
  }
  return { state: current, lock };
}

describe('lockout schedule', () => {
  it('uses the configured periods, then doubles the last one, never beyond a day', () => {
    expect([1, 2, 3, 4].map((n) => lockMinutesFor(policy, n))).toEqual([1, 5, 15, 60]);
    expect(lockMinutesFor(policy, 5)).toBe(120);
    expect(lockMinutesFor(policy, 6)).toBe(240);
    expect(lockMinutesFor(policy, 20)).toBe(MAX_LOCK_MINUTES);
    // Each further lock is at least as long as the one before.
    const periods = Array.from({ length: 30 }, (_, index) => lockMinutesFor(policy, index + 1));
    expect(periods.every((minutes, index) => index === 0 || minutes >= (periods[index - 1] ?? 0))).toBe(true);
  });

  it('does not lock before the Nth failure, locks for one minute at the Nth, and unlocks when the minute is over', () => {
    const time = clock();
    const four = fail(NO_FAILURES, 4, time.now);
    expect(four.lock).toBeNull();
    expect(four.state.failedAttempts).toBe(4);
    expect(isLockedAt(four.state, time.now())).toBe(false);

    const fifth = registerFailure(policy, four.state, time.now());
    expect(fifth.lock?.minutes).toBe(1);
    expect(fifth.lock?.until.toISOString()).toBe('2026-11-22T08:01:00.000Z');
    expect(isLockedAt(fifth.state, time.now())).toBe(true);
    expect(secondsLeft(fifth.state, time.now())).toBe(60);

    time.advanceMs(59_999);
    expect(isLockedAt(fifth.state, time.now())).toBe(true);
    expect(secondsLeft(fifth.state, time.now())).toBe(1);
    time.advanceMs(1);
    expect(isLockedAt(fifth.state, time.now())).toBe(false);
    expect(secondsLeft(fifth.state, time.now())).toBe(0);
  });

  it('locks for longer each time: 1, 5, 15, 60, then 120 minutes', () => {
    const time = clock();
    let state: LockoutState = NO_FAILURES;
    const periods: number[] = [];
    for (let lock = 0; lock < 5; lock += 1) {
      const result = fail(state, 5, time.now);
      if (!result.lock) throw new Error('expected a lock');
      periods.push(result.lock.minutes);
      state = result.state;
      time.advanceMinutes(result.lock.minutes);
      expect(isLockedAt(state, time.now())).toBe(false);
    }
    expect(periods).toEqual([1, 5, 15, 60, 120]);
  });

  it('forgets failures and locks a day after the last failure or the end of the last lock', () => {
    const time = clock();
    const locked = fail(NO_FAILURES, 10, time.now).state;
    expect(locked.lockCount).toBe(2);
    time.advanceMinutes(5); // the second lock (5 minutes) ends now
    time.advanceMs(LOCKOUT_MEMORY_MS);
    expect(currentState(locked, time.now())).toBe(locked);
    time.advanceMs(1);
    expect(currentState(locked, time.now())).toEqual(NO_FAILURES);
    // So the next lock is a first lock again.
    expect(fail(locked, 5, time.now).lock?.minutes).toBe(1);

    const fewFailures = fail(NO_FAILURES, 3, time.now).state;
    time.advanceMs(LOCKOUT_MEMORY_MS + 1);
    expect(registerFailure(policy, fewFailures, time.now()).state.failedAttempts).toBe(1);
  });

  it('keys usernames by their trimmed lower-case form', () => {
    expect(normaliseUsername('  Ada@MSSP.example ')).toBe('ada@mssp.example');
  });
});

describe('SIGN_IN_LOCKOUT_MINUTES', () => {
  const secrets = { SESSION_SECRET: 'x'.repeat(40), MASTER_KEY: 'a'.repeat(64), DATA_DIR: '/nonexistent-bulwark-test' };

  it('defaults to 1, 5, 15 and 60 minutes after 5 failures, and reads a list', () => {
    expect(loadConfig({}, secrets).signInThrottle).toMatchObject({ maxFailuresPerUser: 5, lockoutMinutes: [1, 5, 15, 60] });
    expect(loadConfig({}, { ...secrets, SIGN_IN_LOCKOUT_MINUTES: ' 2, 10,30 ' }).signInThrottle.lockoutMinutes).toEqual([2, 10, 30]);
  });

  it('refuses a list that is not minutes or gets shorter', () => {
    for (const value of ['soon', '5,1', '0,5', '1,,5']) {
      expect(() => loadConfig({}, { ...secrets, SIGN_IN_LOCKOUT_MINUTES: value }), value).toThrow(ConfigError);
    }
  });
});
