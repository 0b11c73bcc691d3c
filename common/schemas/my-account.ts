import { z } from 'zod';
import { Password } from './auth.js';

/** An email address, or '' / null to have none (mail then goes to the username). */
export const EmailAddress = z.string().trim().max(254).pipe(z.email('Enter a valid email address, for example name@example.com.'));

export const UpdateProfileBody = z.object({
  name: z.string().trim().min(1, 'Enter your name.').max(200).optional(),
  /** A new address is confirmed by a link mailed to it; null or '' removes the address. */
  email: z.union([EmailAddress, z.literal(''), z.null()]).optional(),
  /** Required when the email changes. */
  currentPassword: Password.optional(),
});
export type UpdateProfileBody = z.infer<typeof UpdateProfileBody>;

export const PendingEmailChange = z.object({
  email: z.string(),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type PendingEmailChange = z.infer<typeof PendingEmailChange>;

export const ProfileResponse = z.object({
  username: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  /** An email change waiting for the link mailed to the new address. */
  pendingEmailChange: PendingEmailChange.nullable(),
});
export type ProfileResponse = z.infer<typeof ProfileResponse>;

export const UpdateProfileResponse = z.object({
  profile: ProfileResponse,
  message: z.string(),
});
export type UpdateProfileResponse = z.infer<typeof UpdateProfileResponse>;

export const ChangePasswordBody = z.object({
  currentPassword: Password,
  newPassword: Password,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

export const ChangePasswordResponse = z.object({
  message: z.string(),
  /** How many other sessions of yours were signed out. */
  signedOutSessions: z.number().int(),
});
export type ChangePasswordResponse = z.infer<typeof ChangePasswordResponse>;

export const ConfirmEmailBody = z.object({ token: z.string().min(16).max(200) });
export type ConfirmEmailBody = z.infer<typeof ConfirmEmailBody>;

export const ConfirmEmailResponse = z.object({ email: z.string(), message: z.string() });
export type ConfirmEmailResponse = z.infer<typeof ConfirmEmailResponse>;

export const SessionSummaryResponse = z.object({
  id: z.uuid(),
  /** "Chrome 131", parsed from the user agent; null when it cannot be told. */
  browser: z.string().nullable(),
  /** "Windows 10", "macOS", ... */
  os: z.string().nullable(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  startedAt: z.iso.datetime({ offset: true }),
  lastSeenAt: z.iso.datetime({ offset: true }),
  isCurrent: z.boolean(),
  /** Remember Me: no inactivity timeout. */
  isPersistent: z.boolean(),
});
export type SessionSummaryResponse = z.infer<typeof SessionSummaryResponse>;

export const SessionListResponse = z.object({ items: z.array(SessionSummaryResponse) });
export type SessionListResponse = z.infer<typeof SessionListResponse>;

export const SessionIdParams = z.object({ id: z.uuid('Not a session id.') });
export type SessionIdParams = z.infer<typeof SessionIdParams>;

export const RevokedSessionsResponse = z.object({ signedOutSessions: z.number().int(), message: z.string() });
export type RevokedSessionsResponse = z.infer<typeof RevokedSessionsResponse>;
