import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../../common/permissions.js';
import { ELIGIBILITY_MESSAGES, type EligibilityResponse, type IneligibleReason } from '../../../common/schemas/support-cases.js';
import { AppError } from '../../lib/app-error.js';
import type { Database } from '../../db/schema.js';

function refused(reason: IneligibleReason): EligibilityResponse {
  return { allowed: false, reason, message: ELIGIBILITY_MESSAGES[reason] };
}

const ALLOWED: EligibilityResponse = { allowed: true, reason: null, message: null };

/** Whether the account has a subscription in force today (UTC) with a service level. */
export async function hasActiveSubscription(db: Kysely<Database>, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('account_subscriptions')
    .select('id')
    .where('account_id', '=', accountId)
    .where('service_level', '<>', '')
    .where(sql<boolean>`starts_on <= (now() at time zone 'utc')::date and ends_on >= (now() at time zone 'utc')::date`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Technical Support's three prerequisites, in the seed's order: signed in, then an active
 * subscription with a service level, then the Manage Cases permission. The first that fails decides
 * the message. Staff are not customers: they meet the permission message (they answer cases in the
 * console instead).
 */
export async function technicalSupportEligibility(db: Kysely<Database>, actor: Actor | null): Promise<EligibilityResponse> {
  if (!actor) return refused('signed_out');
  if (actor.kind !== 'contact' || !actor.accountId) return refused('no_permission');
  if (!(await hasActiveSubscription(db, actor.accountId))) return refused('no_subscription');
  if (!actor.canManageCases) return refused('no_permission');
  return ALLOWED;
}

/** Customer Care is open to any contact who can sign in. */
export function customerCareEligibility(actor: Actor | null): EligibilityResponse {
  if (!actor) return { allowed: false, reason: 'signed_out', message: 'Sign in to open a Customer Care case.' };
  if (actor.kind !== 'contact')
    return { allowed: false, reason: 'no_permission', message: 'Customer Care cases are opened by customer contacts.' };
  return ALLOWED;
}

/** Throws the seed's refusal (401 when signed out, else 403 ineligible; both with the reason) unless the caller may use Technical Support. */
export async function requireTechnicalSupport(db: Kysely<Database>, actor: Actor | null): Promise<Actor & { accountId: string }> {
  const eligibility = await technicalSupportEligibility(db, actor);
  if (!eligibility.allowed || !actor?.accountId) {
    const code = eligibility.reason === 'signed_out' ? 'unauthenticated' : 'ineligible';
    throw new AppError(code, eligibility.message ?? ELIGIBILITY_MESSAGES.no_permission, {
      reason: eligibility.reason ?? 'no_permission',
    });
  }
  return actor as Actor & { accountId: string };
}
