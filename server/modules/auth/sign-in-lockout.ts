/**
 * The lockout schedule of sign-in, as pure functions of a state and `now`: after `maxFailures`
 * failed attempts a username is locked, each further lock for longer (the configured periods,
 * then doubling up to a day). The state is kept per normalised username, whether or not such a
 * user exists, so a lock reveals nothing about which usernames are real.
 */

export interface LockoutPolicy {
  /** Failed attempts in a row that lock the username. */
  maxFailures: number;
  /** Minutes of the first, second, ... lock. */
  lockoutMinutes: readonly number[];
}

export interface LockoutState {
  /** Failures since the last lock (or success). */
  failedAttempts: number;
  /** Locks so far; the next lock is the (lockCount + 1)th. */
  lockCount: number;
  lockedUntil: Date | null;
  lastFailedAt: Date | null;
}

export const NO_FAILURES: LockoutState = Object.freeze({ failedAttempts: 0, lockCount: 0, lockedUntil: null, lastFailedAt: null });

/** The longest lock, whatever the configured periods. */
export const MAX_LOCK_MINUTES = 24 * 60;

/** A username with no failure (and no lock ending) for this long starts again from nothing. */
export const LOCKOUT_MEMORY_MS = 24 * 3_600_000;

/** The same username spelled differently ("Ada@X.example ") is the same key. */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

/** Minutes of the n-th lock (1-based): the configured periods, then each one double the last, up to a day. */
export function lockMinutesFor(policy: LockoutPolicy, lockNumber: number): number {
  const periods = policy.lockoutMinutes.length > 0 ? policy.lockoutMinutes : [1];
  const index = Math.max(1, Math.floor(lockNumber)) - 1;
  const configured = periods[Math.min(index, periods.length - 1)] ?? 1;
  const doublings = Math.max(0, index - (periods.length - 1));
  return Math.min(MAX_LOCK_MINUTES, configured * 2 ** doublings);
}

export function isLockedAt(state: LockoutState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/** Whole seconds until the lock ends (at least 1 while locked, 0 otherwise). */
export function secondsLeft(state: LockoutState, now: Date): number {
  if (!isLockedAt(state, now) || !state.lockedUntil) return 0;
  return Math.max(1, Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000));
}

/** The state as it stands at `now`: forgotten once a day has passed since the last failure and the last lock. */
export function currentState(state: LockoutState, now: Date): LockoutState {
  const lastEvent = Math.max(state.lastFailedAt?.getTime() ?? 0, state.lockedUntil?.getTime() ?? 0);
  return now.getTime() - lastEvent > LOCKOUT_MEMORY_MS ? NO_FAILURES : state;
}

export interface FailureOutcome {
  state: LockoutState;
  /** Set when this failure started a lock: until when, and for how many minutes. */
  lock: { until: Date; minutes: number } | null;
}

/**
 * One more failed attempt at `now`. The failure that reaches `maxFailures` starts a lock and sets
 * the count back to zero, so after the lock another `maxFailures` failures lock again, for longer.
 * Attempts made while locked are refused before the password is checked and never come here.
 */
export function registerFailure(policy: LockoutPolicy, previous: LockoutState, now: Date): FailureOutcome {
  const state = currentState(previous, now);
  const failedAttempts = state.failedAttempts + 1;
  if (failedAttempts < policy.maxFailures) {
    return { state: { ...state, failedAttempts, lastFailedAt: now }, lock: null };
  }
  const lockCount = state.lockCount + 1;
  const minutes = lockMinutesFor(policy, lockCount);
  const until = new Date(now.getTime() + minutes * 60_000);
  return { state: { failedAttempts: 0, lockCount, lockedUntil: until, lastFailedAt: now }, lock: { until, minutes } };
}
