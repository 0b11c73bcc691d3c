import { seedDemoIntegration } from './demo-integration.js';
import { seedDemoScans } from './demo-scans.js';
import { seedDemoSupport } from './demo-support.js';
import crypto from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely, type Transaction } from 'kysely';
import { checkPassword, DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../common/password-policy.js';
import { ROLE_LABELS, ROLES, type RoleValue } from '../common/permissions.js';
import { LOGO_MAX_HEIGHT, LOGO_MAX_WIDTH } from '../common/schemas/logos.js';
import { loadConfigOrReport, type Config } from '../server/config.js';
import { migrateToLatest, openDatabase } from '../server/db/database.js';
import { createJobQueue } from '../server/jobs/job-queue.js';
import { createLogger } from '../server/lib/logger.js';
import { createMailer } from '../server/mail/mailer.js';
import type { Database, NewUser } from '../server/db/schema.js';
import { hashPassword } from '../server/lib/crypto.js';
import { insertAuditEvent } from '../server/modules/audit/audit.repository.js';
import { insertArticlesIfMissing } from '../server/modules/knowledge-base/knowledge-base.repository.js';
import { readPngDimensions } from '../server/modules/logos/png.js';
import { insertApprovedDomain } from '../server/modules/users/users.repository.js';
import { domainOf } from '../server/modules/users/users.service.js';
import { createFileStorage, type FileStorage } from '../server/storage/storage.js';
import {
  DEMO_ACCOUNTS,
  DEMO_DOMAIN,
  DEMO_LOGOS,
  DEMO_PASSWORD,
  DEMO_SEED,
  DEMO_STAFF,
  NAME_POOLS,
  PRODUCT_OF_APP,
  SECONDARY_CONTACT_PROFILES,
  SECONDARY_CONTACT_ROLES,
  type DemoAccount,
  type DemoLogo,
} from './demo-data.js';
import { DEMO_KB_ARTICLES } from './demo-knowledge-base.js';
import { drawDemoLogo } from './demo-logos.js';

/**
 * `npm run demo`: fills an empty Bulwark database with a believable MSSP (staff of every role,
 * 30 customer accounts with licenses, subscriptions, contacts, custom names with their history,
 * and logos it draws itself). Deterministic: the same seed gives the same people, accounts, logos
 * and ids on every run. All or nothing: the logo files are written first, then every row in one
 * transaction; if that fails, the files written are deleted again.
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
  /** Where the logo files go (createFileStorage(config.storage)); without it the demo adds no logos. */
  storage?: FileStorage;
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

export interface DemoLogoSummary {
  name: string;
  fileName: string;
  width: number;
  height: number;
  accountCount: number;
}

export interface DemoSummary {
  domain: string;
  isExistingDomain: boolean;
  password: string;
  staff: DemoStaffSummary[];
  contacts: DemoContactSummary[];
  accountCount: number;
  logos: DemoLogoSummary[];
  /** Accounts with a Custom Name Update History, and its entries in all. */
  customNameHistory: { accountCount: number; entryCount: number };
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

interface PlannedCustomNameChange {
  accountId: string;
  oldValue: string | null;
  newValue: string | null;
  changedAt: Date;
}

interface DemoPlan {
  accounts: { id: string; source: DemoAccount }[];
  staff: { user: PlannedUser; assignedAccountIds: string[] }[];
  contacts: { user: PlannedUser; accountName: string }[];
  logos: { id: string; source: DemoLogo; accountIds: string[] }[];
  customNameChanges: PlannedCustomNameChange[];
}

/** Every row the demo writes, decided up front from the seed alone (no database reads but the usernames taken). */
function planDemo(random: Random, today: Date, domain: string, takenUsernames: ReadonlySet<string>): DemoPlan {
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

  // Drawn after everything else, so the ids of accounts, staff and contacts stay as they were.
  const accountIdOfSite = new Map(accounts.map((account) => [account.source.siteId, account.id]));
  const logos = DEMO_LOGOS.map((source) => ({
    id: random.uuid(),
    source,
    accountIds: source.siteIds.map((siteId) => {
      const accountId = accountIdOfSite.get(siteId);
      if (!accountId) throw new Error(`Demo logo ${source.name}: no account with site identifier ${siteId}`);
      return accountId;
    }),
  }));
  const customNameChanges = accounts.flatMap(({ id, source }) => {
    let oldValue: string | null = null;
    return (source.customNameChanges ?? []).map((change): PlannedCustomNameChange => {
      // Office hours, not midnight: 08:00 to 17:59 UTC on that day.
      const changedAt = daysAgo(today, change.daysAgo);
      changedAt.setUTCHours(random.integer(8, 17), random.integer(0, 59), random.integer(0, 59), 0);
      const planned = { accountId: id, oldValue, newValue: change.to, changedAt };
      oldValue = change.to;
      return planned;
    });
  });
  return { accounts, staff, contacts, logos, customNameChanges };
}

/** The demo's logo files, drawn and checked as an upload would be (a whole PNG within 246 x 52). */
function drawLogoFiles(plan: DemoPlan) {
  return plan.logos.map((logo) => {
    const bytes = drawDemoLogo(logo.source);
    const { width, height } = readPngDimensions(bytes);
    if (width > LOGO_MAX_WIDTH || height > LOGO_MAX_HEIGHT) throw new Error(`Demo logo ${logo.source.name} is ${width} x ${height} pixels`);
    return { ...logo, bytes, width, height };
  });
}

/** Deletes files this run wrote; a failure here is reported but does not hide the error that caused it. */
async function deleteWrittenFiles(storage: FileStorage, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    try {
      await storage.delete(key);
    } catch (error) {
      console.error(`npm run demo: could not delete the logo file ${key}; delete it by hand.`, error);
    }
  }
}

/** Writes every file or none: on the first failure the ones already written are deleted. */
async function writeLogoFiles(storage: FileStorage, files: readonly { key: string; bytes: Buffer }[]): Promise<void> {
  const written: string[] = [];
  try {
    for (const file of files) {
      await storage.put(file.key, Readable.from([file.bytes]));
      written.push(file.key);
    }
  } catch (error) {
    await deleteWrittenFiles(storage, written);
    throw error;
  }
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
  const plan = planDemo(createRandom(options.seed ?? DEMO_SEED), today, domain, new Set(taken.map((row) => row.username)));
  const administrator = plan.staff.find((entry) => entry.user.row.role === ROLES.administrator)?.user.row;
  if (!administrator) throw new Error('The demo staff need an Administrator');
  const { storage } = options;
  // Storage keys are random, not seeded: several databases may share one storage, and a failed run
  // deletes what it wrote, so a key must never be one that another database's logo already uses.
  const logoFiles = storage ? drawLogoFiles(plan).map((logo) => ({ ...logo, key: `logos/${crypto.randomUUID()}.png` })) : [];

  // argon2id is the slow part; hash before the transaction so it stays short.
  const users = [...plan.staff.map((entry) => entry.user), ...plan.contacts.map((entry) => entry.user)];
  const hashes = await Promise.all(users.map((user) => (user.hasPassword ? hashPassword(DEMO_PASSWORD) : null)));
  const now = new Date();
  const userRows = users.map((user, index): NewUser => {
    const hash = hashes[index] ?? null;
    return { ...user.row, password_hash: hash, password_changed_at: hash ? now : null };
  });

  // Files cannot join the transaction: write them first, and delete them again if the rows fail.
  if (storage) await writeLogoFiles(storage, logoFiles);
  try {
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
        details: {
          accounts: plan.accounts.length,
          staff: plan.staff.length,
          contacts: plan.contacts.length,
          logos: logoFiles.length,
          customNameChanges: plan.customNameChanges.length,
          domain,
        },
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

      if (logoFiles.length > 0) {
        await trx
          .insertInto('logos')
          .values(
            logoFiles.map((logo) => ({
              id: logo.id,
              name: logo.source.name,
              file_name: logo.source.fileName,
              storage_key: logo.key,
              width: logo.width,
              height: logo.height,
              size_bytes: logo.bytes.length,
              created_by_user_id: administrator.id,
              created_at: daysAgo(today, logo.source.addedDaysAgo),
              updated_at: daysAgo(today, logo.source.addedDaysAgo),
            })),
          )
          .execute();
        for (const logo of logoFiles) {
          if (logo.accountIds.length > 0) {
            await trx.updateTable('customer_accounts').set({ logo_id: logo.id }).where('id', 'in', logo.accountIds).execute();
          }
        }
      }
      if (plan.customNameChanges.length > 0) {
        await trx
          .insertInto('custom_name_history')
          .values(
            plan.customNameChanges.map((change) => ({
              account_id: change.accountId,
              changed_by_user_id: administrator.id,
              changed_by_username: administrator.username,
              old_value: change.oldValue,
              new_value: change.newValue,
              changed_at: change.changedAt,
            })),
          )
          .execute();
      }
      await insertArticlesIfMissing(trx, DEMO_KB_ARTICLES);
      // Support cases in every status, messages and suggestion visits (issue 7).
      await seedDemoSupport(trx, { today });
    });
  } catch (error) {
    if (storage)
      await deleteWrittenFiles(
        storage,
        logoFiles.map((logo) => logo.key),
      );
    throw error;
  }

  return {
    domain,
    isExistingDomain: isExisting,
    password: DEMO_PASSWORD,
    accountCount: plan.accounts.length,
    logos: logoFiles.map((logo) => ({
      name: logo.source.name,
      fileName: logo.source.fileName,
      width: logo.width,
      height: logo.height,
      accountCount: logo.accountIds.length,
    })),
    customNameHistory: {
      accountCount: new Set(plan.customNameChanges.map((change) => change.accountId)).size,
      entryCount: plan.customNameChanges.length,
    },
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
  const logoAccountCount = summary.logos.reduce((total, logo) => total + logo.accountCount, 0);
  console.log(
    `  ${summary.logos.length} logos (used by ${logoAccountCount} accounts); custom names with ${summary.customNameHistory.entryCount} history entries on ${summary.customNameHistory.accountCount} accounts.`,
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

/** How many accounts get a scan history: enough for dashboards to compare, quick enough to seed. */
const DEMO_SCAN_ACCOUNTS = 6;

async function main(): Promise<number> {
  const config = loadConfigOrReport();
  if (!config) return 1;
  const database = await openDatabase(config.database);
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const mailer = createMailer(config.mail, log);
  const jobs = createJobQueue(database, log, config.database.kind === 'postgres' ? config.database.url : null);
  try {
    await migrateToLatest(database.db);
    const storage = createFileStorage(config.storage);
    const summary = await seedDemo(database.db, { passwordPolicy: config.passwordPolicy, storage });
    // Scan history (issue 5) for the first active accounts, through the real importer.
    const licensed = await database.db
      .selectFrom('customer_accounts as a')
      .innerJoin('account_licenses as l', 'l.account_id', 'a.id')
      .select(['a.id', 'a.name', sql<string[]>`array_agg(l.app::text order by l.app)`.as('apps')])
      .where('a.is_active', '=', true)
      .groupBy('a.id')
      .orderBy(sql`min(a.name)`)
      .limit(DEMO_SCAN_ACCOUNTS)
      .execute();
    console.log(`Importing demo scan history into ${licensed.length} accounts…`);
    const scans = await seedDemoScans(database.db, licensed);
    // A Tenable integration (issue 8) reading the first of them through Bulwark's own Tenable API,
    // on loopback whatever PUBLIC_URL says: the demo talks to nothing off this machine.
    const source = licensed.find((account) => account.apps.includes('vm'));
    const integration = source
      ? await seedDemoIntegration(
          { db: database.db, config, log, mailer, storage, jobs, origin: { ip: null, userAgent: 'npm run demo' } },
          { accountId: source.id, accountName: source.name, baseUrl: `http://127.0.0.1:${config.port}` },
        )
      : null;
    printSummary(summary, config);
    console.log(
      `\nScan history: ${scans.scanCount} scans with ${scans.findingCount} findings imported into ${scans.accountCount} accounts' instances.`,
    );
    if (integration) {
      console.log(
        `Integration: "${integration.name}" reads that account through Bulwark's own Tenable API at ${integration.baseUrl}` +
          ` (API keys of ${integration.keyOwner}); its first run starts when Bulwark starts there, and what it fetches` +
          ` appears under Signals. Started on another port (or HOST not on loopback), it shows "host unreachable": edit its FQDN under Settings → Integrations.`,
      );
    }
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
    mailer.close();
    await jobs.stop();
    await database.close();
  }
}

// Run only as a script (npm run demo), not when a test imports seedDemo.
const isEntryPoint = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntryPoint) {
  process.exitCode = await main();
}
