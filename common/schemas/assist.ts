import { z } from 'zod';
import { ROLE_VALUES } from '../permissions.js';

export const ASSIST_REASON_MIN_LENGTH = 3;
export const ASSIST_REASON_MAX_LENGTH = 500;

/** Start assisting a user: who, and why (recorded in the audit log with both identities). */
export const StartAssistBody = z.object({
  userId: z.uuid(),
  reason: z
    .string()
    .trim()
    .min(ASSIST_REASON_MIN_LENGTH, `Give a reason of at least ${ASSIST_REASON_MIN_LENGTH} characters.`)
    .max(ASSIST_REASON_MAX_LENGTH, `Keep the reason under ${ASSIST_REASON_MAX_LENGTH + 1} characters.`),
});
export type StartAssistBody = z.infer<typeof StartAssistBody>;

export const AssistStartedResponse = z.object({
  assistedUser: z.object({
    id: z.uuid(),
    username: z.string(),
    name: z.string(),
    role: z.union(ROLE_VALUES.map((value) => z.literal(value))),
  }),
  startedAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
});
export type AssistStartedResponse = z.infer<typeof AssistStartedResponse>;

/**
 * Part of the session while an Administrator assists a user: the session's `user` is then the
 * assisted user (what the app shows and allows), and `by` is the Administrator really acting.
 */
export const AssistingResponse = z.object({
  by: z.object({ id: z.uuid(), username: z.string() }),
  reason: z.string(),
  endsAt: z.iso.datetime({ offset: true }),
});
export type AssistingResponse = z.infer<typeof AssistingResponse>;
