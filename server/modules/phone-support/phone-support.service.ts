import {
  PHONE_SUPPORT_REGION_LABELS,
  PHONE_SUPPORT_REGIONS,
  type PhoneNumbersResponse,
  type PinLookupResponse,
  type ReplacePhoneNumbersBody,
  type SupportPinResponse,
} from '../../../common/schemas/phone-support.js';
import type { ErrorIssue } from '../../../common/errors.js';
import type { SupportPhoneNumbersTable } from '../../db/schema-support.js';
import type { Selectable } from 'kysely';
import { AppError, validationFailed } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { accountScopeOf } from '../accounts/accounts.service.js';
import { recordAudit } from '../audit/audit.service.js';
import { hitRateLimit } from '../auth/auth.repository.js';
import { generateSupportPin } from '../contacts/contacts.service.js';
import { checkSupportPhone, formatSupportPhone } from './phone-number.js';
import {
  findContactByPin,
  findPhoneNumbers,
  findSupportPin,
  replacePhoneNumbers as replaceStoredPhoneNumbers,
  setSupportPin,
  type NewPhoneNumber,
} from './phone-support.repository.js';

/**
 * Lookups per agent per window. A caller reads one PIN per call, so an agent rarely needs more
 * than a few a minute; the limit stops a script from trying PINs until one matches.
 */
export const PIN_LOOKUP_LIMIT = 30;
export const PIN_LOOKUP_WINDOW_SECONDS = 600;

/** A taken PIN is rare (six digits); a few tries make a failure practically impossible. */
const PIN_ATTEMPTS = 10;

type PhoneNumberRow = Selectable<SupportPhoneNumbersTable>;

function presentPhoneNumbers(rows: PhoneNumberRow[]): PhoneNumbersResponse {
  const updatedAt = rows.reduce<Date | null>((latest, row) => (latest && latest > row.updated_at ? latest : row.updated_at), null);
  return {
    regions: PHONE_SUPPORT_REGIONS.map((region) => ({
      region,
      label: PHONE_SUPPORT_REGION_LABELS[region],
      numbers: rows
        .filter((row) => row.region === region)
        .map((row) => ({ country: row.country, number: row.number, display: formatSupportPhone(row.number), note: row.note })),
    })),
    updatedAt: updatedAt?.toISOString() ?? null,
  };
}

/** Public: the Support page shows the numbers to anonymous visitors too. */
export async function listPhoneNumbers(ctx: Pick<ServiceContext, 'db'>): Promise<PhoneNumbersResponse> {
  return presentPhoneNumbers(await findPhoneNumbers(ctx.db));
}

/** Checks every number, naming each bad one by its row, so a list with one mistake changes nothing. */
function checkNumbers(body: ReplacePhoneNumbersBody): NewPhoneNumber[] {
  const issues: ErrorIssue[] = [];
  const positions = new Map<string, number>();
  const rows = body.numbers.map((input, index) => {
    const check = checkSupportPhone(input.number);
    if (!check.ok) issues.push({ path: `body.numbers.${index}.number`, message: check.message });
    const sortOrder = positions.get(input.region) ?? 0;
    positions.set(input.region, sortOrder + 1);
    return { region: input.region, country: input.country, number: check.ok ? check.e164 : '', note: input.note ?? '', sortOrder };
  });
  if (issues.length > 0) throw validationFailed(issues);
  return rows;
}

/** Administrators replace the whole list at once, as the settings page edits it. */
export async function replacePhoneNumbers(ctx: ServiceContext, body: ReplacePhoneNumbersBody): Promise<PhoneNumbersResponse> {
  const actor = ctx.actor;
  if (!actor) throw new AppError('unauthenticated', 'Sign in first.');
  const rows = checkNumbers(body);
  const stored = await ctx.db.transaction().execute(async (trx) => {
    await replaceStoredPhoneNumbers(trx, rows, actor.userId);
    const counts = Object.fromEntries(PHONE_SUPPORT_REGIONS.map((region) => [region, rows.filter((row) => row.region === region).length]));
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'support.phone_numbers_updated', targetType: 'support_phone_numbers', details: counts },
    );
    return findPhoneNumbers(trx);
  });
  return presentPhoneNumbers(stored);
}

function requireContact(ctx: ServiceContext): string {
  if (ctx.actor?.kind !== 'contact') throw new AppError('forbidden', 'You do not have permission to do that.');
  return ctx.actor.userId;
}

/** A fresh PIN no other user holds, given to the contact; the database refuses a PIN already taken. */
async function assignNewPin(db: ServiceContext['db'], contactId: string): Promise<string> {
  for (let attempt = 0; attempt < PIN_ATTEMPTS; attempt++) {
    const pin = generateSupportPin();
    if (await setSupportPin(db, contactId, pin)) return pin;
  }
  throw new AppError('conflict', 'Could not find a free Support PIN. Try again.');
}

/** The signed-in contact's PIN; contacts created before PINs existed get one on first view. */
export async function getOwnSupportPin(ctx: ServiceContext): Promise<SupportPinResponse> {
  const contactId = requireContact(ctx);
  const pin = await findSupportPin(ctx.db, contactId);
  return { pin: pin ?? (await assignNewPin(ctx.db, contactId)) };
}

/** A new PIN, for a contact who thinks theirs became known. The old one stops matching at once. */
export async function regenerateSupportPin(ctx: ServiceContext): Promise<SupportPinResponse> {
  const contactId = requireContact(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const pin = await assignNewPin(trx, contactId);
    // The PIN itself stays out of the audit log: it is how a caller proves who they are.
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'support.pin_regenerated', targetType: 'user', targetId: contactId, accountId: ctx.actor?.accountId ?? null },
    );
    return { pin };
  });
}

async function throttleLookups(ctx: ServiceContext, agentId: string): Promise<void> {
  const window = await hitRateLimit(ctx.db, `support-pin-lookup:${agentId}`, PIN_LOOKUP_WINDOW_SECONDS);
  if (window.count <= PIN_LOOKUP_LIMIT) return;
  await recordAudit(ctx, { action: 'support.pin_lookup', outcome: 'failure', details: { reason: 'throttled' } });
  const retryAfterSeconds = Math.max(1, Math.ceil((window.windowEndsAt.getTime() - Date.now()) / 1000));
  throw new AppError('rate_limited', 'Too many Support PIN lookups. Wait a few minutes and try again.', { retryAfterSeconds });
}

/**
 * The contact a caller's PIN names, for an agent verifying them. Only contacts of accounts the
 * agent may see: a PIN of any other account answers the same 404 as an unknown one.
 */
export async function lookUpContactByPin(ctx: ServiceContext, pin: string): Promise<PinLookupResponse> {
  const actor = ctx.actor;
  if (!actor) throw new AppError('unauthenticated', 'Sign in first.');
  const scope = accountScopeOf(ctx);
  await throttleLookups(ctx, actor.userId);
  const row = await findContactByPin(ctx.db, scope, pin);
  if (!row) {
    await recordAudit(ctx, { action: 'support.pin_lookup', outcome: 'failure', details: { reason: 'not_found' } });
    throw new AppError('not_found', 'No contact with this PIN in your accounts.');
  }
  await recordAudit(ctx, { action: 'support.pin_lookup', targetType: 'user', targetId: row.id, accountId: row.account_id });
  return {
    contactId: row.id,
    name: row.name,
    username: row.username,
    accountId: row.account_id,
    accountName: row.account_name,
    role: row.role,
    isPrimaryContact: row.is_primary_contact,
    canManageCases: row.can_manage_cases,
    isDisabled: row.is_disabled,
  };
}
