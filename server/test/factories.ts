import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { RoleValue } from '../../common/permissions.js';
import type { SessionResponse } from '../../common/schemas/auth.js';
import type { UserRow } from '../db/schema.js';
import type { ServiceContext } from '../lib/context.js';
import { hashPassword } from '../lib/crypto.js';
import { encodePng } from '../modules/logos/png-encode.js';
import { insertApprovedDomain, insertUser } from '../modules/users/users.repository.js';

export const TEST_PASSWORD = 'Correct-Horse-42!';

const unique = () => crypto.randomBytes(4).toString('hex');

export async function createStaff(
  ctx: Pick<ServiceContext, 'db'>,
  options: {
    role?: RoleValue;
    username?: string;
    password?: string | null;
    email?: string | null;
    isDisabled?: boolean;
    isSupportAgent?: boolean;
  } = {},
): Promise<UserRow> {
  const username = options.username ?? `staff-${unique()}@mssp.example`;
  await insertApprovedDomain(ctx.db, username.split('@')[1] ?? 'mssp.example');
  const password = options.password === undefined ? TEST_PASSWORD : options.password;
  return insertUser(ctx.db, {
    kind: 'staff',
    username,
    name: `Staff ${username.split('@')[0]}`,
    email: options.email ?? null,
    password_hash: password === null ? null : await hashPassword(password),
    role: options.role ?? 64,
    is_disabled: options.isDisabled ?? false,
    is_support_agent: options.isSupportAgent ?? false,
  });
}

export async function createAccount(
  ctx: Pick<ServiceContext, 'db'>,
  options: {
    name?: string;
    siteId?: string;
    notes?: string;
    apps?: ('vm' | 'was' | 'cs')[];
    isFedramp?: boolean;
    /** Support (issue 7): subscriptions in force today unless dates are given. */
    subscriptions?: { product: string; serviceLevel: string; startsOn?: string; endsOn?: string }[];
  } = {},
) {
  const account = await ctx.db
    .insertInto('customer_accounts')
    .values({
      name: options.name ?? `Customer ${unique()}`,
      site_id: options.siteId ?? null,
      region: 'US',
      notes: options.notes ?? '',
      custom_name: null,
      company_name: null,
      postal_address: null,
      contact_email: null,
      is_fedramp: options.isFedramp ?? false,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const subscription of options.subscriptions ?? []) {
    await ctx.db
      .insertInto('account_subscriptions')
      .values({
        account_id: account.id,
        product: subscription.product,
        service_level: subscription.serviceLevel,
        starts_on: subscription.startsOn ?? '2020-01-01',
        ends_on: subscription.endsOn ?? '2099-12-31',
      })
      .execute();
  }
  for (const app of options.apps ?? ['vm']) {
    await ctx.db
      .insertInto('account_licenses')
      .values({ account_id: account.id, app, asset_limit: 100, expires_on: '2027-12-31' })
      .execute();
  }
  return account;
}

export async function createContact(
  ctx: Pick<ServiceContext, 'db'>,
  accountId: string,
  options: { role?: RoleValue; username?: string; email?: string; canManageCases?: boolean; isPrimaryContact?: boolean } = {},
) {
  return insertUser(ctx.db, {
    kind: 'contact',
    username: options.username ?? `contact-${unique()}@customer.example`,
    name: 'Customer Contact',
    email: options.email ?? null,
    can_manage_cases: options.canManageCases ?? false,
    is_primary_contact: options.isPrimaryContact ?? false,
    password_hash: await hashPassword(TEST_PASSWORD),
    role: options.role ?? 32,
    account_id: accountId,
  });
}

export async function assignAccount(ctx: Pick<ServiceContext, 'db'>, userId: string, accountId: string): Promise<void> {
  await ctx.db.insertInto('staff_account_assignments').values({ user_id: userId, account_id: accountId }).execute();
}

export interface SignedIn {
  cookie: string;
  csrfToken: string;
  session: SessionResponse;
  /** Headers for a cookie-authenticated write. */
  writeHeaders: Record<string, string>;
}

export function cookieFrom(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  const first = (Array.isArray(header) ? header : [header ?? '']).find((value) => value.startsWith('bulwark_session='));
  if (!first) throw new Error(`no session cookie in response ${response.statusCode}: ${response.body}`);
  return first.split(';')[0] ?? '';
}

export async function signIn(app: FastifyInstance, username: string, password = TEST_PASSWORD, rememberMe = false): Promise<SignedIn> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password, rememberMe } });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const session = response.json<SessionResponse>();
  const cookie = cookieFrom(response);
  return { cookie, csrfToken: session.csrfToken, session, writeHeaders: { cookie, 'x-csrf-token': session.csrfToken } };
}

/** A real, minimal RGBA PNG of the given size (every pixel the same colour). */
export function makePng(width: number, height: number): Buffer {
  return encodePng(width, height, Buffer.alloc(width * height * 4, 0x80));
}

/** Assets in an instance, for licence counts (hosts count toward vm, web applications toward was). */
export async function createAssets(
  ctx: Pick<ServiceContext, 'db'>,
  accountId: string,
  kind: 'host' | 'webapp',
  count: number,
): Promise<void> {
  if (count === 0) return;
  const now = new Date();
  await ctx.db
    .insertInto('assets')
    .values(
      Array.from({ length: count }, (_, index) => {
        const value =
          kind === 'webapp' ? `https://app${index}.${accountId.slice(0, 8)}.example/` : `10.${Math.floor(index / 250)}.${index % 250}.1`;
        return {
          account_id: accountId,
          identity_kind: kind === 'webapp' ? ('url' as const) : ('ip' as const),
          identity_value: value,
          kind,
          ipv4: kind === 'host' ? value : null,
          properties: '{}',
          first_seen: now,
          last_seen: now,
        };
      }),
    )
    .execute();
  // As an import does: the Accounts directory shows asset counts.
  await sql`update account_directory_version set version = version + 1 where id = 1`.execute(ctx.db);
}
