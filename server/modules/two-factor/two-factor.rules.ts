import crypto from 'node:crypto';

/**
 * The time and counting rules of one-time codes, as pure functions of their inputs and `now`, so
 * tests drive them with a controllable clock. The service reads rows, asks these, and writes.
 */

export const CODE_LENGTH = 6;
export const CODE_LIFETIME_MS = 10 * 60_000;
export const ATTEMPT_LIFETIME_MS = 10 * 60_000;
export const MAX_WRONG_TRIES = 5;
export const RESEND_INTERVAL_MS = 30_000;
export const MAX_RESENDS_PER_HOUR = 5;
/** Every text message to one user in an hour, first sends included (a cap on SMS pumping). */
export const MAX_SENDS_PER_HOUR = 15;

/** Six digits from the CSPRNG, leading zeros kept. */
export function generateCode(): string {
  return String(crypto.randomInt(0, 10 ** CODE_LENGTH)).padStart(CODE_LENGTH, '0');
}

/** Spaces and dashes people type are ignored; anything else must be six digits. */
export function normalizeCode(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export interface AttemptState {
  id: string;
  state: 'pending' | 'passed' | 'failed';
  expires_at: Date;
  wrong_tries: number;
}

export type AttemptProblem = 'expired' | 'exhausted' | 'finished';

/** Why this attempt can take no more codes, or null when it still can. */
export function checkAttempt(attempt: AttemptState, now: Date): AttemptProblem | null {
  if (attempt.state === 'passed') return 'finished';
  if (attempt.state === 'failed' || attempt.wrong_tries >= MAX_WRONG_TRIES) return 'exhausted';
  if (now.getTime() >= attempt.expires_at.getTime()) return 'expired';
  return null;
}

export interface StoredCode {
  id: string;
  attempt_id: string;
  code_hash: string;
  expires_at: Date;
  used_at: Date | null;
}

export type CodeMatch = { kind: 'accepted'; codeId: string } | { kind: 'replayed' } | { kind: 'expired' } | { kind: 'wrong' };

/**
 * Compares a submitted code (already hashed) with the codes sent for this one attempt only: a
 * code sent for another attempt never matches, a used code is a replay, an old one has expired.
 */
export function matchCode(codes: readonly StoredCode[], attemptId: string, submittedHash: string, now: Date): CodeMatch {
  const same = codes.filter((code) => code.attempt_id === attemptId && isSameHash(code.code_hash, submittedHash));
  const usable = same.find((code) => code.used_at === null && now.getTime() < code.expires_at.getTime());
  if (usable) return { kind: 'accepted', codeId: usable.id };
  if (same.some((code) => code.used_at !== null)) return { kind: 'replayed' };
  if (same.length > 0) return { kind: 'expired' };
  return { kind: 'wrong' };
}

function isSameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

export interface SendHistory {
  /** When this attempt last had a code sent, or null for its first. */
  lastSentForAttempt: Date | null;
  /** When codes went to this user, any attempt, with whether each was a resend. */
  sentToUser: ReadonlyArray<{ at: Date; isResend: boolean }>;
}

export type SendDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; reason: 'too_soon' | 'hourly_limit' };

/** At most one resend per 30 seconds per attempt, 5 resends and 15 messages per user per hour. */
export function checkSend(history: SendHistory, isResend: boolean, now: Date): SendDecision {
  const t = now.getTime();
  if (isResend && history.lastSentForAttempt && t - history.lastSentForAttempt.getTime() < RESEND_INTERVAL_MS) {
    return {
      allowed: false,
      reason: 'too_soon',
      retryAfterSeconds: Math.ceil((history.lastSentForAttempt.getTime() + RESEND_INTERVAL_MS - t) / 1000),
    };
  }
  const hourAgo = t - 3_600_000;
  const lastHour = history.sentToUser.filter((sent) => sent.at.getTime() > hourAgo);
  const limited = isResend ? lastHour.filter((sent) => sent.isResend) : lastHour;
  const limit = isResend ? MAX_RESENDS_PER_HOUR : MAX_SENDS_PER_HOUR;
  if (limited.length >= limit) {
    const oldest = Math.min(...limited.map((sent) => sent.at.getTime()));
    return { allowed: false, reason: 'hourly_limit', retryAfterSeconds: Math.max(1, Math.ceil((oldest + 3_600_000 - t) / 1000)) };
  }
  return { allowed: true };
}

export const TOTP_PERIOD_SECONDS = 30;
/** One step either side of now, for clocks a little apart. */
export const TOTP_WINDOW = 1;

/** The TOTP time step a code validated at `delta` steps from `now` belongs to. */
export function totpStepAt(now: Date, delta: number): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

/** A TOTP code is accepted once: not again for its own step, nor for an earlier one. */
export function isTotpReplay(step: number, lastUsedStep: number | null): boolean {
  return lastUsedStep !== null && step <= lastUsedStep;
}

export const RECOVERY_CODE_COUNT = 10;

/** xxxxx-xxxxx from an alphabet without look-alikes; 50 bits each. */
export function generateRecoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const pick = () => Array.from({ length: 5 }, () => alphabet[crypto.randomInt(0, alphabet.length)]).join('');
  return `${pick()}-${pick()}`;
}

export function normalizeRecoveryCode(input: string): string {
  const compact = input.trim().toLowerCase().replace(/[\s-]/g, '');
  return compact.length === 10 ? `${compact.slice(0, 5)}-${compact.slice(5)}` : compact;
}

/** Wrong second-factor codes one user may make in an hour, across sign-in attempts, before new ones are refused. */
export const MAX_WRONG_CODES_PER_HOUR = 15;

/**
 * Stops an attacker who has the password from buying 5 fresh guesses with every new sign-in:
 * seconds until a new sign-in attempt is allowed, or null when it is allowed now.
 */
export function checkWrongCodesPerUser(attempts: ReadonlyArray<{ created_at: Date; wrong_tries: number }>, now: Date): number | null {
  const hourAgo = now.getTime() - 3_600_000;
  const recent = attempts.filter((attempt) => attempt.created_at.getTime() > hourAgo && attempt.wrong_tries > 0);
  const total = recent.reduce((sum, attempt) => sum + attempt.wrong_tries, 0);
  if (total < MAX_WRONG_CODES_PER_HOUR) return null;
  const oldest = Math.min(...recent.map((attempt) => attempt.created_at.getTime()));
  return Math.max(1, Math.ceil((oldest + 3_600_000 - now.getTime()) / 1000));
}
