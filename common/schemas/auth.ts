import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../password-policy.js';
import { ROLE_VALUES } from '../permissions.js';
import { AssistingResponse } from './assist.js';

export const Username = z
  .string()
  .trim()
  .min(3)
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Must be in the format name@domain.');

/** A submitted password: length-bounded here, policy-checked by the service (policy is configurable). */
export const Password = z.string().min(1).max(MAX_PASSWORD_LENGTH);

export const SignInBody = z.object({
  username: z.string().trim().min(1).max(254),
  password: Password,
  rememberMe: z.boolean().default(false),
});
export type SignInBody = z.infer<typeof SignInBody>;

export const ForgotPasswordBody = z.object({ username: z.string().trim().min(1).max(254) });
export type ForgotPasswordBody = z.infer<typeof ForgotPasswordBody>;

export const TokenBody = z.object({ token: z.string().min(16).max(200) });
export type TokenBody = z.infer<typeof TokenBody>;

export const ResetPasswordBody = z.object({ token: z.string().min(16).max(200), password: Password });
export type ResetPasswordBody = z.infer<typeof ResetPasswordBody>;

export const TokenInfoResponse = z.object({ username: z.string() });
export type TokenInfoResponse = z.infer<typeof TokenInfoResponse>;

export const AcceptedResponse = z.object({ message: z.string() });
export type AcceptedResponse = z.infer<typeof AcceptedResponse>;

export const MeResponse = z.object({
  id: z.uuid(),
  kind: z.enum(['staff', 'contact']),
  username: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  role: z.union(ROLE_VALUES.map((value) => z.literal(value))),
  isSupportAgent: z.boolean(),
  accountId: z.uuid().nullable(),
  canManageCases: z.boolean(),
  isPrimaryContact: z.boolean(),
  assignedAccountIds: z.array(z.uuid()),
  lastLoginAt: z.iso.datetime({ offset: true }).nullable(),
});
export type MeResponse = z.infer<typeof MeResponse>;

export const SessionResponse = z.object({
  user: MeResponse,
  /** Send back as the X-CSRF-Token header on every write made with the session cookie. */
  csrfToken: z.string(),
  /** Minutes of inactivity after which the session ends; null with Remember Me. */
  idleTimeoutMinutes: z.number().positive().nullable(),
  /** Set while an Administrator assists `user` (who is then the assisted user); absent otherwise. */
  assisting: AssistingResponse.nullable().optional(),
  /** REQUIRE_STAFF_TWO_FACTOR: this staff user must set up a second factor before anything else. */
  twoFactorSetupRequired: z.boolean().optional(),
});
export type SessionResponse = z.infer<typeof SessionResponse>;

export const PasswordPolicyResponse = z.object({
  minLength: z.number().int(),
  minClasses: z.number().int(),
  description: z.string(),
});
export type PasswordPolicyResponse = z.infer<typeof PasswordPolicyResponse>;
