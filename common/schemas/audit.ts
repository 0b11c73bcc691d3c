import { z } from 'zod';

/** Every audit action Bulwark writes. Later modules add theirs here. */
export const AUDIT_ACTIONS = [
  'setup.completed',
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sign_in_throttled',
  'auth.sign_out',
  'auth.session_expired',
  'auth.password_reset_requested',
  'auth.password_reset_completed',
  // Sign-in hardening (issue 4)
  'auth.sign_in_locked',
  // Two-factor authentication (issue 4)
  'auth.second_factor_passed',
  'auth.second_factor_failed',
  'two_factor.enabled',
  'two_factor.changed',
  'two_factor.disabled',
  'two_factor.code_sent',
  'two_factor.recovery_codes_generated',
  'two_factor.recovery_code_used',
  'passkey.added',
  'passkey.removed',
  // My Account (issue 4)
  'user.profile_updated',
  'user.password_changed',
  'user.email_change_requested',
  'user.email_changed',
  'sessions.revoked',
  // User assist (issue 4)
  'assist.started',
  'assist.stopped',
  'assist.expired',
  'cli.admin_created',
  'cli.password_reset_link_issued',
  'demo.seeded',
  'account.created',
  'account.edited',
  'account.custom_name_changed',
  'account.deactivated',
  'account.reactivated',
  'contact.created',
  'contact.edited',
  'contact.removed',
  'logo.created',
  'logo.edited',
  'logo.deleted',
  'logo.assigned',
  'logo.unassigned',
  'user.created',
  'user.edited',
  'user.role_changed',
  'user.accounts_assigned',
  'user.accounts_removed',
  'user.disabled',
  'user.enabled',
  'user.deleted',
  'api_keys.generated',
  'api_keys.impersonation_refused',
  // The Tenable-compatible instance API (issue 6)
  'api_keys.used',
  'api_keys.child_keys_generated',
  'api.rate_limited',
  'exports.created',
  'exports.cancelled',
  'instance_user.created',
  'instance_user.edited',
  'instance_user.deleted',
  // Instances (issue 5)
  'scan.import_started',
  'scan.import_finished',
  'scan.import_refused',
  'instance.sso_entered',
  'instance.sso_left',
  'domain.added',
  'domain.removed',
  // Phone Support (issue 7)
  'support.phone_numbers_updated',
  'support.pin_regenerated',
  'support.pin_lookup',
  // Knowledge base (issue 7)
  'kb.article_created',
  'kb.article_updated',
  'kb.article_deleted',
  // Support cases, uploads and chat (issue 7)
  'support.case_created',
  'support.case_status_changed',
  'support.case_assigned',
  'support.case_replied',
  'support.secret_override',
  'support.file_uploaded',
  'support.file_downloaded',
  'support.file_removed',
  'support.chat_started',
  'support.chat_accepted',
  'support.chat_ended',
  'support.manage_cases_changed',
  'support.configuration_updated',
  'support.cases_transferred',
] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEventResponse = z.object({
  id: z.uuid(),
  at: z.iso.datetime({ offset: true }),
  actorUserId: z.uuid().nullable(),
  actorUsername: z.string().nullable(),
  onBehalfOfUserId: z.uuid().nullable(),
  action: z.string(),
  outcome: z.enum(['success', 'failure']),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  accountId: z.uuid().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEventResponse = z.infer<typeof AuditEventResponse>;

export const ListAuditEventsQuery = z.object({
  /** Part of the username of who acted (case-insensitive). */
  user: z.string().trim().max(254).optional(),
  action: AuditAction.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListAuditEventsQuery = z.infer<typeof ListAuditEventsQuery>;

export const AuditEventListResponse = z.object({
  items: z.array(AuditEventResponse),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type AuditEventListResponse = z.infer<typeof AuditEventListResponse>;
