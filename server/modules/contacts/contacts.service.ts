import crypto from 'node:crypto';
import type { RoleValue } from '../../../common/permissions.js';
import type { AccountContactResponse } from '../../../common/schemas/accounts.js';
import type { CreateContactInput, UpdateContactBody } from '../../../common/schemas/contacts.js';
import type { UserRow } from '../../db/schema.js';
import { AppError, notFound } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { hashPassword } from '../../lib/crypto.js';
import { findAccountById } from '../accounts/accounts.repository.js';
import { accountScopeOf, presentContact } from '../accounts/accounts.service.js';
import { recordAudit } from '../audit/audit.service.js';
import { issuePasswordResetLink } from '../auth/auth.service.js';
import { findUserByUsername, insertUser } from '../users/users.repository.js';
import { assertPasswordMeetsPolicy } from '../users/users.service.js';
import { clearPrimaryContact, deleteContact, findContactOfAccount, updateContact as updateContactRow } from './contacts.repository.js';

/** A random 6-digit Support PIN (000000-999999), which a contact quotes to the support desk. */
export function generateSupportPin(): string {
  return String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * A PIN no user holds yet, for a new contact: PINs are unique (a caller is found by theirs), and
 * the database refuses a duplicate, so a rare collision is retried here rather than failing.
 */
export async function freeSupportPin(db: Pick<ServiceContext, 'db'>['db']): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const pin = generateSupportPin();
    const taken = await db.selectFrom('users').select('id').where('support_pin', '=', pin).executeTakeFirst();
    if (!taken) return pin;
  }
  throw new AppError('conflict', 'Could not find a free Support PIN. Try again.');
}

async function requireAccount(ctx: ServiceContext, accountId: string) {
  const account = await findAccountById(ctx.db, ctx.actor ? accountScopeOf(ctx) : { kind: 'all' }, accountId);
  if (!account) throw notFound('Account');
  return account;
}

export interface NewContact extends CreateContactInput {
  /** The CLI may set a password; otherwise an invitation mail lets the contact choose one. */
  password?: string;
}

async function sendInvitation(ctx: ServiceContext, user: UserRow, accountName: string): Promise<void> {
  const { link } = await issuePasswordResetLink(ctx, user);
  await ctx.mailer.send({
    to: user.email ?? user.username,
    subject: `You are invited to Bulwark for ${accountName}`,
    text: [
      `Hello ${user.name || user.username},`,
      '',
      `You have been added as a contact of ${accountName} in Bulwark, with the username ${user.username}.`,
      'Open this link within one hour to choose your password. It works once; afterwards, use Forgot Password on the sign-in page for a new link.',
      '',
      link,
    ].join('\n'),
    link,
  });
}

/** Adds a contact to an account, with a Support PIN; without a password, an invitation is mailed. */
export async function createContact(ctx: ServiceContext, accountId: string, input: NewContact): Promise<AccountContactResponse> {
  const account = await requireAccount(ctx, accountId);
  if (input.password !== undefined) assertPasswordMeetsPolicy(ctx, input.password, input.username);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const user = await ctx.db.transaction().execute(async (trx) => {
    if (await findUserByUsername(trx, input.username)) {
      throw new AppError('conflict', `A user named ${input.username} already exists.`);
    }
    if (input.isPrimaryContact) await clearPrimaryContact(trx, accountId);
    return insertUser(trx, {
      kind: 'contact',
      username: input.username,
      name: input.name,
      email: null,
      password_hash: passwordHash,
      role: input.role,
      account_id: accountId,
      can_manage_cases: input.canManageCases,
      is_primary_contact: input.isPrimaryContact,
      support_pin: await freeSupportPin(trx),
    });
  });
  if (passwordHash === null) await sendInvitation(ctx, user, account.custom_name ?? account.name);
  await recordAudit(ctx, {
    action: 'contact.created',
    actor: ctx.actor ? undefined : { userId: null, username: 'cli' },
    targetType: 'user',
    targetId: user.id,
    accountId,
    details: {
      username: user.username,
      role: user.role,
      canManageCases: user.can_manage_cases,
      isPrimaryContact: user.is_primary_contact,
      isInvited: passwordHash === null,
    },
  });
  return presentContact(user);
}

export async function updateContact(
  ctx: ServiceContext,
  accountId: string,
  contactId: string,
  input: UpdateContactBody,
): Promise<AccountContactResponse> {
  await requireAccount(ctx, accountId);
  const existing = await findContactOfAccount(ctx.db, accountId, contactId);
  if (!existing) throw notFound('Contact');
  const updated = await ctx.db.transaction().execute(async (trx) => {
    if (input.isPrimaryContact) await clearPrimaryContact(trx, accountId, contactId);
    return updateContactRow(trx, contactId, {
      name: input.name,
      role: input.role as RoleValue | undefined,
      can_manage_cases: input.canManageCases,
      is_primary_contact: input.isPrimaryContact,
    });
  });
  await recordAudit(ctx, {
    action: 'contact.edited',
    targetType: 'user',
    targetId: contactId,
    accountId,
    details: {
      username: existing.username,
      fields: Object.keys(input).filter((key) => input[key as keyof UpdateContactBody] !== undefined),
    },
  });
  return presentContact(updated);
}

/** Removes a contact and, with the user row, its sessions and links. */
export async function removeContact(ctx: ServiceContext, accountId: string, contactId: string): Promise<void> {
  await requireAccount(ctx, accountId);
  const existing = await findContactOfAccount(ctx.db, accountId, contactId);
  if (!existing) throw notFound('Contact');
  await deleteContact(ctx.db, contactId);
  await recordAudit(ctx, {
    action: 'contact.removed',
    targetType: 'user',
    targetId: contactId,
    accountId,
    details: { username: existing.username },
  });
}
