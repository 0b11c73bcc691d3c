import { ROLES } from '../../../common/permissions.js';
import type {
  AccountContactResponse,
  AccountDetailsResponse,
  AccountListResponse,
  AccountSummaryResponse,
  CreateAccountInput,
  ListAccountsQuery,
  UpdateAccountInput,
} from '../../../common/schemas/accounts.js';
import type { UserRow } from '../../db/schema.js';
import { AppError, notFound } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { recordAudit } from '../audit/audit.service.js';
import { accountDirectoryOf } from './account-directory.js';
import {
  deleteSessionsOfAccountContacts,
  findAccountById,
  findAccounts,
  findContactsOfAccount,
  findCustomNameHistory,
  findLicensesOfAccounts,
  findSubscriptionsOfAccount,
  insertAccount,
  insertCustomNameChange,
  replaceLicenses,
  replaceSubscriptions,
  setAccountActive,
  updateAccount as updateAccountRow,
  type AccountScope,
} from './accounts.repository.js';

export function accountScopeOf(ctx: Pick<ServiceContext, 'actor'>): AccountScope {
  const actor = ctx.actor;
  if (!actor || actor.kind !== 'staff') throw new AppError('forbidden', 'You do not have permission to do that.');
  return actor.role === ROLES.administrator
    ? { kind: 'all' }
    : { kind: 'only', accountIds: actor.assignedAccountIds, userId: actor.userId };
}

/** The CLI has no actor: it acts with the whole deployment in view. */
function scopeOrAll(ctx: ServiceContext): AccountScope {
  return ctx.actor ? accountScopeOf(ctx) : { kind: 'all' };
}

type LicenseRow = Awaited<ReturnType<typeof findLicensesOfAccounts>>[number];

function presentLicense(license: LicenseRow) {
  return {
    app: license.app,
    licensedAssets: license.licensed_assets,
    assetLimit: license.asset_limit,
    expiresOn: license.expires_on,
  };
}

type AccountListRow = Awaited<ReturnType<typeof findAccounts>>['rows'][number];

/** One account of the unpaged list, as the API shows it. */
function presentAccountSummary(row: AccountListRow, licenses: ReturnType<typeof presentLicense>[]): AccountSummaryResponse {
  return {
    id: row.id,
    name: row.name,
    customName: row.custom_name,
    siteId: row.site_id,
    region: row.region,
    notes: row.notes,
    isActive: row.is_active,
    logoId: row.logo_id,
    logoVersion: row.logo_updated_at ? String(row.logo_updated_at.getTime()) : null,
    licenses,
  };
}

/** One page of the Accounts list, from the in-memory directory (see account-directory.ts). */
export async function listAccounts(
  ctx: ServiceContext,
  query: ListAccountsQuery,
  knownVersion: string | null = null,
): Promise<AccountListResponse> {
  const { items, total } = await accountDirectoryOf(ctx.db).page(accountScopeOf(ctx), query, knownVersion);
  return { items, total, page: query.page, pageSize: query.pageSize };
}

export function presentContact(user: UserRow): AccountContactResponse {
  return {
    id: user.id,
    name: user.name,
    username: user.username,
    email: user.email,
    role: user.role,
    canManageCases: user.can_manage_cases,
    isPrimaryContact: user.is_primary_contact,
    supportPin: user.support_pin,
    isDisabled: user.is_disabled,
    hasPassword: user.password_hash !== null,
    lastLoginAt: user.last_login_at?.toISOString() ?? null,
  };
}

/** One account the caller may see, with everything the details and edit planes show; 404 otherwise. */
export async function getAccount(ctx: ServiceContext, id: string): Promise<AccountDetailsResponse> {
  const row = await findAccountById(ctx.db, scopeOrAll(ctx), id);
  if (!row) throw notFound('Account');
  const [licenses, subscriptions, contacts, history] = await Promise.all([
    findLicensesOfAccounts(ctx.db, [id]),
    findSubscriptionsOfAccount(ctx.db, id),
    findContactsOfAccount(ctx.db, id),
    findCustomNameHistory(ctx.db, id),
  ]);
  return {
    id: row.id,
    containerUuid: row.id,
    name: row.name,
    customName: row.custom_name,
    siteId: row.site_id,
    region: row.region,
    notes: row.notes,
    isActive: row.is_active,
    isFedramp: row.is_fedramp,
    companyName: row.company_name,
    postalAddress: row.postal_address,
    contactEmail: row.contact_email,
    logoId: row.logo_id,
    logoName: row.logo_name,
    logoVersion: row.logo_updated_at ? String(row.logo_updated_at.getTime()) : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    licenses: licenses.map(presentLicense),
    subscriptions: subscriptions.map((subscription) => ({
      id: subscription.id,
      product: subscription.product,
      serviceLevel: subscription.service_level,
      startsOn: subscription.starts_on,
      endsOn: subscription.ends_on,
    })),
    contacts: contacts.map(presentContact),
    customNameHistory: history.map((entry) => ({
      id: entry.id,
      changedAt: entry.changed_at.toISOString(),
      changedByUserId: entry.changed_by_user_id,
      changedByUsername: entry.changed_by_username,
      oldValue: entry.old_value,
      newValue: entry.new_value,
    })),
  };
}

/**
 * Creates a customer account and its instance: the account id is the instance's container UUID
 * (the instance holds nothing yet). Licences and subscriptions are written in the same transaction.
 */
export async function createAccount(ctx: ServiceContext, input: CreateAccountInput): Promise<AccountDetailsResponse> {
  const account = await ctx.db.transaction().execute(async (trx) => {
    const row = await insertAccount(trx, input);
    await replaceLicenses(trx, row.id, input.licenses);
    await replaceSubscriptions(trx, row.id, input.subscriptions);
    if (input.customName) {
      await insertCustomNameChange(trx, {
        accountId: row.id,
        userId: ctx.actor?.userId ?? null,
        username: ctx.actor?.username ?? 'cli',
        oldValue: null,
        newValue: input.customName,
      });
    }
    return row;
  });
  await recordAudit(ctx, {
    action: 'account.created',
    actor: ctx.actor ? undefined : { userId: null, username: 'cli' },
    targetType: 'account',
    targetId: account.id,
    accountId: account.id,
    details: { name: account.name, apps: input.licenses.map((license) => license.app) },
  });
  return getAccount(ctx, account.id);
}

/** The editable columns besides the custom name (which has its own history), by API field. */
const AUDITED_COLUMNS = {
  name: 'name',
  siteId: 'site_id',
  region: 'region',
  notes: 'notes',
  isFedramp: 'is_fedramp',
  companyName: 'company_name',
  postalAddress: 'postal_address',
  contactEmail: 'contact_email',
} as const;

/** The same licences or subscriptions in any order. */
function isSameList(existing: object[], next: object[]): boolean {
  const canonical = (list: object[]) => JSON.stringify(list.map((entry) => JSON.stringify(entry)).sort());
  return canonical(existing) === canonical(next);
}

/**
 * Saves the fields sent; a changed custom name is recorded in the Custom Name Update History.
 * Licences and subscriptions, when sent and different, are replaced in the same transaction as
 * the other fields; 'account.edited' names only the fields whose values changed.
 */
export async function updateAccount(ctx: ServiceContext, id: string, input: UpdateAccountInput): Promise<AccountDetailsResponse> {
  const existing = await findAccountById(ctx.db, accountScopeOf(ctx), id);
  if (!existing) throw notFound('Account');
  const isCustomNameChanged = input.customName !== undefined && input.customName !== existing.custom_name;
  const changedFields: string[] = Object.entries(AUDITED_COLUMNS)
    .filter(([field, column]) => {
      const value = input[field as keyof typeof AUDITED_COLUMNS];
      return value !== undefined && value !== existing[column];
    })
    .map(([field]) => field);
  const [existingLicenses, existingSubscriptions] = await Promise.all([
    input.licenses ? findLicensesOfAccounts(ctx.db, [id]) : [],
    input.subscriptions ? findSubscriptionsOfAccount(ctx.db, id) : [],
  ]);
  const isLicensesChanged =
    input.licenses !== undefined &&
    !isSameList(
      existingLicenses.map((license) => [license.app, license.asset_limit, license.expires_on]),
      input.licenses.map((license) => [license.app, license.assetLimit, license.expiresOn]),
    );
  const isSubscriptionsChanged =
    input.subscriptions !== undefined &&
    !isSameList(
      existingSubscriptions.map((subscription) => [
        subscription.product,
        subscription.service_level,
        subscription.starts_on,
        subscription.ends_on,
      ]),
      input.subscriptions.map((subscription) => [
        subscription.product,
        subscription.serviceLevel,
        subscription.startsOn,
        subscription.endsOn,
      ]),
    );
  await ctx.db.transaction().execute(async (trx) => {
    await updateAccountRow(trx, id, input);
    if (input.licenses && isLicensesChanged) await replaceLicenses(trx, id, input.licenses);
    if (input.subscriptions && isSubscriptionsChanged) await replaceSubscriptions(trx, id, input.subscriptions);
    if (isCustomNameChanged) {
      await insertCustomNameChange(trx, {
        accountId: id,
        userId: ctx.actor?.userId ?? null,
        username: ctx.actor?.username ?? null,
        oldValue: existing.custom_name,
        newValue: input.customName ?? null,
      });
    }
  });
  if (isCustomNameChanged) {
    await recordAudit(ctx, {
      action: 'account.custom_name_changed',
      targetType: 'account',
      targetId: id,
      accountId: id,
      details: { oldValue: existing.custom_name, newValue: input.customName ?? null },
    });
  }
  const otherChanges = [...changedFields, ...(isLicensesChanged ? ['licenses'] : []), ...(isSubscriptionsChanged ? ['subscriptions'] : [])];
  if (otherChanges.length > 0) {
    await recordAudit(ctx, {
      action: 'account.edited',
      targetType: 'account',
      targetId: id,
      accountId: id,
      details: { fields: otherChanges },
    });
  }
  return getAccount(ctx, id);
}

/**
 * Deactivates or reactivates an account; its data stays. While inactive its contacts cannot sign
 * in and their sessions end (auth.service checks the account on every request).
 */
export async function setAccountActivation(ctx: ServiceContext, id: string, isActive: boolean): Promise<AccountDetailsResponse> {
  const existing = await findAccountById(ctx.db, accountScopeOf(ctx), id);
  if (!existing) throw notFound('Account');
  if (existing.is_active !== isActive) {
    await ctx.db.transaction().execute(async (trx) => {
      await setAccountActive(trx, id, isActive);
      if (!isActive) await deleteSessionsOfAccountContacts(trx, id);
    });
    await recordAudit(ctx, {
      action: isActive ? 'account.reactivated' : 'account.deactivated',
      targetType: 'account',
      targetId: id,
      accountId: id,
    });
  }
  return getAccount(ctx, id);
}

/** An account as the unpaged list gives it: the summary plus when it was created and last changed. */
export type AccountWithDates = AccountSummaryResponse & { createdAt: string; updatedAt: string };

/**
 * Every account the caller may see, unpaged, in name order: the Tenable MSSP API's
 * GET /mssp/accounts has no paging. The scope is the same as the Accounts page's.
 */
export async function listAllAccounts(ctx: ServiceContext): Promise<AccountWithDates[]> {
  const { rows } = await findAccounts(ctx.db, accountScopeOf(ctx), { sort: 'name', order: 'asc', page: 1, pageSize: 1_000_000_000 });
  const licensesByAccount = new Map<string, ReturnType<typeof presentLicense>[]>();
  for (const license of await findLicensesOfAccounts(
    ctx.db,
    rows.map((row) => row.id),
  )) {
    const list = licensesByAccount.get(license.account_id) ?? [];
    list.push(presentLicense(license));
    licensesByAccount.set(license.account_id, list);
  }
  return rows.map((row) => ({
    ...presentAccountSummary(row, licensesByAccount.get(row.id) ?? []),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }));
}
