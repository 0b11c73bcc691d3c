import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely, type Transaction } from 'kysely';
import { checkPassword, DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../common/password-policy.js';
import { ROLE_LABELS, ROLES, type RoleValue } from '../common/permissions.js';
import { loadConfigOrReport, type Config } from '../server/config.js';
import { migrateToLatest, openDatabase } from '../server/db/database.js';
import type { Database, NewUser } from '../server/db/schema.js';
import { hashPassword } from '../server/lib/crypto.js';
import { insertAuditEvent } from '../server/modules/audit/audit.repository.js';
import { insertApprovedDomain } from '../server/modules/users/users.repository.js';
import { domainOf } from '../server/modules/users/users.service.js';
import {
  DEMO_ACCOUNTS,
  DEMO_DOMAIN,
  DEMO_PASSWORD,
  DEMO_SEED,
  DEMO_STAFF,
  NAME_POOLS,
  PRODUCT_OF_APP,
  SECONDARY_CONTACT_PROFILES,
  SECONDARY_CONTACT_ROLES,
  type DemoAccount,
} from './demo-data.js';

/**
 * `npm run demo`: fills an empty Bulwark database with a believable MSSP (staff of every role,
 * 30 customer accounts with licenses, subscriptions and contacts). Deterministic: the same seed
 * gives the same people, accounts and ids on every run. All or nothing: one transaction.
 */

type Executor = Kysely<Database> | Transaction<Database>;

/** Thrown, before anything is written, when the database is not empty or the password would be refused. */
export class DemoRefusedError extends Error {
  constructor(
    readonly reason: 'not_empty' | 'password_policy',
    message: string,
  ) {
    super(message);
  }
}

export interface SeedDemoOptions {
  /** The day dates are counted from; defaults to today (UTC). */
  today?: Date;
  /** The deployment's policy; the demo password must meet it or the demo users could not sign in. */
  passwordPolicy?: PasswordPolicy;
  seed?: number;
}

export interface DemoStaffSummary {
  username: string;
  name: string;
  role: RoleValue;
  isSupportAgent: boolean;
  assignedAccountCount: number;
}

export interface DemoContactSummary {
  username: string;
  name: string;
  accountName: string;
  role: RoleValue;
  isPrimaryContact: boolean;
  canManageCases: boolean;
  supportPin: string;
  hasPassword: boolean;
}

export interface DemoSummary {
  domain: string;
  isExistingDomain: boolean;
  password: string;
  staff: DemoStaffSummary[];
  contacts: DemoContactSummary[];
  accountCount: number;
}

/** mulberry32: small, fast and good enough for demo data; never Math.random, so runs repeat. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const integer = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    integer,
    pick<T>(items: readonly T[]): T {
      const item = items[integer(0, items.length - 1)];
      if (item === undefined) throw new Error('pick() from an empty list');
      return item;
    },
    shuffle<T>(items: readonly T[]): T[] {
      const copy = [...items];
      for (let index = copy.length - 1; index > 0; index--) {
        const other = integer(0, index);
        [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
      }
      return copy;
    },
    /** A version 4 UUID drawn from this generator, so ids (and links to them) repeat too. */
    uuid(): string {
      const bytes = Array.from({ length: 16 }, () => integer(0, 255));
      bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
      bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
      const hex = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
}

type Random = ReturnType<typeof createRandom>;

const ASCII_FOLDS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', ø: 'o', æ: 'ae' };

/** 'Jürgen' -> 'juergen', 'Wei Ling' -> 'weiling', 'Côté' -> 'cote': the local part of a username. */
export function toUsernamePart(name: string): string {
  return name
    .toLowerCase()
    .replace(/[äöüßøæ]/g, (letter) => ASCII_FOLDS[letter] ?? letter)
    .normalize('NFD')
    .replace(/[^a-z-]/g, '');
}

function addDays(today: Date, days: number): string {
  const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + days));
  return date.toISOString().slice(0, 10);
}

function daysAgo(today: Date, days: number): Date {
  return new Date(today.getTime() - days * 86_400_000);
}

/** The domain staff usernames use: the first Administrator's when staff exist, else the demo one. */
async function chooseStaffDomain(db: Executor): Promise<{ domain: string; isExisting: boolean }> {
  const existing = await db
    .selectFrom('users')
    .select('username')
    .where('kind', '=', 'staff')
    .orderBy(sql`role = ${ROLES.administrator}`, 'desc')
    .orderBy('created_at')
    .executeTakeFirst();
  if (existing) return { domain: domainOf(existing.username), isExisting: true };
  return { domain: DEMO_DOMAIN, isExisting: false };
}

async function countAccounts(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('customer_accounts')
    .select(sql<number>`count(*)::int`.as('count'))
    .executeTakeFirstOrThrow();
  return row.count;
}

async function assertNoAccounts(db: Executor): Promise<void> {
  const count = await countAccounts(db);
  if (count > 0) {
    throw new DemoRefusedError(
      'not_empty',
      `The database already has ${count} customer account${count === 1 ? '' : 's'}; the demo only fills an empty one. Nothing was changed.`,
    );
  }
}

interface PlannedUser {
  row: NewUser & { id: string; username: string; name: string; role: RoleValue };
  hasPassword: boolean;
}

interface DemoPlan {
  accounts: { id: string; source: DemoAccount }[];
  staff: { user: PlannedUser; assignedAccountIds: string[] }[];
  contacts: { user: PlannedUser; accountName: string }[];
}

/** Every row the demo writes, decided up front from the seed alone (no database reads but the usernames taken). */
function planDemo(random: Random, domain: string, takenUsernames: ReadonlySet<string>): DemoPlan {
  const accounts = DEMO_ACCOUNTS.map((source) => ({ id: random.uuid(), source }));
  const activeAccountIds = accounts.filter((account) => account.source.isActive).map((account) => account.id);
  const usernames = new Set(takenUsernames);

  const claimUsername = (localPart: string, userDomain: string): string => {
    // A staff user of that name may already exist (the administrator created at setup).
    for (let attempt = 1; ; attempt++) {
      const username = `${localPart}${attempt === 1 ? '' : attempt}@${userDomain}`;
      if (!usernames.has(username)) {
        usernames.add(username);
        return username;
      }
    }
  };

  const staff = DEMO_STAFF.map((member) => {
    const username = claimUsername(`${toUsernamePart(member.firstName)}.${toUsernamePart(member.lastName)}`, domain);
    const assignedAccountIds =
      member.role === ROLES.administrator ? [] : random.shuffle(activeAccountIds).slice(0, member.assignedAccountCount);
    return {
      user: {
        row: {
          id: random.uuid(),
          kind: 'staff' as const,
          username,
          name: `${member.firstName} ${member.lastName}`,
          email: username,
          role: member.role,
          is_support_agent: member.isSupportAgent,
        },
        hasPassword: true,
      },
      assignedAccountIds,
    };
  });

  const pins = new Set<string>();
  const contacts: DemoPlan['contacts'] = [];
  for (const account of accounts) {
    const pool = NAME_POOLS[account.source.namePool];
    const names = new Set<string>();
    for (let index = 0; index < account.source.contactCount; index++) {
      const isPrimary = index === 0;
      let firstName: string;
      let lastName: string;
      do {
        firstName = random.pick(pool.firstNames);
        lastName = random.pick(pool.lastNames);
      } while (names.has(firstName) || names.has(lastName));
      names.add(firstName).add(lastName);
      const username = claimUsername(`${toUsernamePart(firstName)}.${toUsernamePart(lastName)}`, account.source.emailDomain);
      let supportPin: string;
      do supportPin = String(random.integer(100_000, 999_999));
      while (pins.has(supportPin));
      pins.add(supportPin);
      // Primary contacts have Manage Cases and have mostly signed in already; see the profiles for the others.
      const profile = isPrimary ? { canManageCases: true, hasPassword: random.next() < 0.85 } : random.pick(SECONDARY_CONTACT_PROFILES);
      contacts.push({
        accountName: account.source.customName ?? account.source.name,
        user: {
          row: {
            id: random.uuid(),
            kind: 'contact',
            username,
            name: `${firstName} ${lastName}`,
            email: username,
            role: isPrimary ? ROLES.administrator : random.pick(SECONDARY_CONTACT_ROLES),
            account_id: account.id,
            is_primary_contact: isPrimary,
            can_manage_cases: profile.canManageCases,
            support_pin: supportPin,
          },
          hasPassword: profile.hasPassword,
        },
      });
    }
  }
  return { accounts, staff, contacts };
}

/**
 * Writes the demo MSSP into a migrated database. Refuses with DemoRefusedError, changing nothing,
 * when any customer account exists; existing staff are kept and their approved domain reused.
 */
export async function seedDemo(db: Kysely<Database>, options: SeedDemoOptions = {}): Promise<DemoSummary> {
  const today = options.today ?? new Date();
  const policy = options.passwordPolicy ?? DEFAULT_PASSWORD_POLICY;
  const passwordCheck = checkPassword(DEMO_PASSWORD, policy);
  if (!passwordCheck.isValid) {
    throw new DemoRefusedError(
      'password_policy',
      `The demo password ${DEMO_PASSWORD} does not meet this deployment's password policy: ${passwordCheck.problems.join(' ')}`,
    );
  }
  await assertNoAccounts(db);

  const { domain, isExisting } = await chooseStaffDomain(db);
  const taken = await db
    .selectFrom('users')
    .select(sql<string>`lower(username)`.as('username'))
    .execute();
  const plan = planDemo(createRandom(options.seed ?? DEMO_SEED), domain, new Set(taken.map((row) => row.username)));

  // argon2id is the slow part; hash before the transaction so it stays short.
  const users = [...plan.staff.map((entry) => entry.user), ...plan.contacts.map((entry) => entry.user)];
  const hashes = await Promise.all(users.map((user) => (user.hasPassword ? hashPassword(DEMO_PASSWORD) : null)));
  const now = new Date();
  const userRows = users.map((user, index): NewUser => {
    const hash = hashes[index] ?? null;
    return { ...user.row, password_hash: hash, password_changed_at: hash ? now : null };
  });

  await db.transaction().execute(async (trx) => {
    // Checked again inside the transaction, in case another run got there first.
    await assertNoAccounts(trx);
    await insertApprovedDomain(trx, domain);
    await insertAuditEvent(trx, {
      actorUserId: null,
      actorUsername: 'npm run demo',
      action: 'demo.seeded',
      outcome: 'success',
      ip: null,
      userAgent: 'bulwark-demo',
      details: { accounts: plan.accounts.length, staff: plan.staff.length, contacts: plan.contacts.length, domain },
    });
    await trx
      .insertInto('customer_accounts')
      .values(
        plan.accounts.map(({ id, source }) => ({
          id,
          name: source.name,
          custom_name: source.customName,
          site_id: source.siteId,
          region: source.region,
          notes: source.notes.join('\n'),
          is_fedramp: source.isFedramp,
          is_active: source.isActive,
          company_name: source.companyName,
          postal_address: source.postalAddress,
          contact_email: `${source.contactMailbox}@${source.emailDomain}`,
          created_at: daysAgo(today, source.customerForDays),
        })),
      )
      .execute();
    await trx
      .insertInto('account_licenses')
      .values(
        plan.accounts.flatMap(({ id, source }) =>
          source.licenses.map((license) => ({
            account_id: id,
            app: license.app,
            licensed_assets: license.licensedAssets,
            asset_limit: license.assetLimit,
            expires_on: addDays(today, license.expiresInDays),
          })),
        ),
      )
      .execute();
    const subscriptions = plan.accounts.flatMap(({ id, source }) => {
      const level = source.serviceLevel;
      const perLicense =
        level === null
          ? []
          : source.licenses.map((license) => ({
              product: PRODUCT_OF_APP[license.app],
              serviceLevel: level,
              startsInDays: license.expiresInDays - source.termDays,
              endsInDays: license.expiresInDays,
            }));
      return [...perLicense, ...(source.extraSubscriptions ?? [])].map((subscription) => ({
        account_id: id,
        product: subscription.product,
        service_level: subscription.serviceLevel,
        starts_on: addDays(today, subscription.startsInDays),
        ends_on: addDays(today, subscription.endsInDays),
      }));
    });
    await trx.insertInto('account_subscriptions').values(subscriptions).execute();
    await trx.insertInto('users').values(userRows).execute();
    const assignments = plan.staff.flatMap((entry) =>
      entry.assignedAccountIds.map((accountId) => ({ user_id: entry.user.row.id, account_id: accountId })),
    );
    if (assignments.length > 0) await trx.insertInto('staff_account_assignments').values(assignments).execute();
  });

  return {
    domain,
    isExistingDomain: isExisting,
    password: DEMO_PASSWORD,
    accountCount: plan.accounts.length,
    staff: plan.staff.map(({ user, assignedAccountIds }) => ({
      username: user.row.username,
      name: user.row.name,
      role: user.row.role,
      isSupportAgent: user.row.is_support_agent === true,
      assignedAccountCount: assignedAccountIds.length,
    })),
    contacts: plan.contacts.map(({ user, accountName }) => ({
      username: user.row.username,
      name: user.row.name,
      accountName,
      role: user.row.role,
      isPrimaryContact: user.row.is_primary_contact === true,
      canManageCases: user.row.can_manage_cases === true,
      supportPin: user.row.support_pin ?? '',
      hasPassword: user.hasPassword,
    })),
  };
}

function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function describeDatabase(config: Config): string {
  if (config.database.kind === 'pglite') return `the embedded database in ${config.database.directory}`;
  const url = new URL(config.database.url);
  url.password = '';
  return `the PostgreSQL database ${url.toString()}`;
}

function printSummary(summary: DemoSummary, config: Config): void {
  const contactCount = summary.contacts.length;
  const invitedCount = summary.contacts.filter((contact) => !contact.hasPassword).length;
  console.log(`\nDemo data written to ${describeDatabase(config)}:`);
  console.log(
    `  ${summary.accountCount} customer accounts, ${summary.staff.length} staff, ${contactCount} contacts (${invitedCount} invited, no password yet).`,
  );
  console.log(
    `  Staff domain: ${summary.domain}${summary.isExistingDomain ? ' (the existing approved domain; existing staff are unchanged)' : ''}\n`,
  );
  console.log('Staff');
  console.log(
    formatTable(
      ['Username', 'Name', 'Role', 'Support agent', 'Accounts', 'Password'],
      summary.staff.map((member) => [
        member.username,
        member.name,
        ROLE_LABELS[member.role],
        member.isSupportAgent ? 'yes' : '',
        member.role === ROLES.administrator ? 'all' : String(member.assignedAccountCount),
        summary.password,
      ]),
    ),
  );
  // A few contacts who can sign in, from different accounts, including one without Manage Cases.
  const seenAccounts = new Set<string>();
  const samples = summary.contacts.filter((contact) => {
    if (!contact.hasPassword || seenAccounts.has(contact.accountName)) return false;
    seenAccounts.add(contact.accountName);
    return true;
  });
  const withoutManageCases = summary.contacts.find((contact) => contact.hasPassword && !contact.canManageCases);
  const shown = [...samples.slice(0, 4), ...(withoutManageCases ? [withoutManageCases] : [])];
  console.log('\nSome customer contacts (all contacts with a password use the same one)');
  console.log(
    formatTable(
      ['Username', 'Account', 'Role', 'Primary', 'Manage Cases', 'Support PIN', 'Password'],
      shown.map((contact) => [
        contact.username,
        contact.accountName,
        ROLE_LABELS[contact.role],
        contact.isPrimaryContact ? 'yes' : '',
        contact.canManageCases ? 'yes' : 'no',
        contact.supportPin,
        summary.password,
      ]),
    ),
  );
  console.log(`\nStart Bulwark with npm start and sign in at ${config.publicUrl}/login`);
}

async function main(): Promise<number> {
  const config = loadConfigOrReport();
  if (!config) return 1;
  const database = await openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    const summary = await seedDemo(database.db, { passwordPolicy: config.passwordPolicy });
    printSummary(summary, config);
    return 0;
  } catch (error) {
    if (error instanceof DemoRefusedError) {
      console.error(`npm run demo: ${error.message}`);
      if (error.reason === 'not_empty') {
        console.error(`Database: ${describeDatabase(config)}. To see the demo, point DATA_DIR (or DATABASE_URL) at an empty database.`);
      } else {
        console.error('Run the demo with the default password policy (unset PASSWORD_MIN_LENGTH and PASSWORD_MIN_CLASSES).');
      }
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

// Run only as a script (npm run demo), not when a test imports seedDemo.
const isEntryPoint = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntryPoint) {
  process.exitCode = await main();
}
