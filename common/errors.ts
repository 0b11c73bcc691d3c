import { z } from 'zod';

/** Every error code Bulwark's own API answers with, and the one HTTP status each maps to. */
export const ERROR_STATUS = {
  validation_failed: 400,
  malformed_json: 400,
  invalid_token: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  /** Support (issue 7): the caller may not use Technical Support; the body carries the seed's reason and message. */
  ineligible: 403,
  /** REQUIRE_STAFF_TWO_FACTOR: the signed-in staff user must set up a second factor first. */
  two_factor_required: 403,
  account_disabled: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  /** Support (issue 7): a text looks like it holds a secret; the body carries the findings (kind, masked preview). */
  secret_detected: 422,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  /** A provider Bulwark depends on (the SMS provider) refused or could not be reached. */
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ErrorIssue = z.object({ path: z.string(), message: z.string() });
export type ErrorIssue = z.infer<typeof ErrorIssue>;

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(ErrorIssue).optional(),
    /** ineligible: why (signed_out, no_subscription, no_permission). */
    reason: z.string().optional(),
    /** secret_detected: what looked like a secret, masked. */
    findings: z.array(z.object({ kind: z.string(), preview: z.string(), start: z.number(), end: z.number() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** The one message for a wrong username or a wrong password, so neither can be told apart. */
export const INVALID_CREDENTIALS_MESSAGE = 'Invalid username or password.';
