import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_VALUES } from '../common/permissions.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../server/db/database.js';
import { verifyPassword } from '../server/lib/crypto.js';
import { readPngDimensions } from '../server/modules/logos/png.js';
import { createLocalStorage } from '../server/storage/local-storage.js';
import { createAccount } from '../server/test/factories.js';
import type { FileStorage } from '../server/storage/storage.js';
import { DEMO_ACCOUNTS, DEMO_LOGOS, DEMO_PASSWORD } from './demo-data.js';
import { DemoRefusedError, seedDemo, toUsernamePart, type DemoSummary } from './demo.js';

// Always the in-memory embedded database: the demo must not touch a shared PostgreSQL.
// Logo files go to a real local storage in a temporary directory.
async function createTemporaryStorage(): Promise<{ storage: FileStorage; directory: string }> {
  const directory = await fsp.mkdtemp(path.join(os.tmpdir(), 'bulwark-demo-'));
  return { storage: createLocalStorage(directory), directory };
}

async function listFiles(directory: string): Promise<string[]> {
  return (await fsp.readdir(directory, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)));
}

describe('npm run demo', () => {
  let database: DatabaseHandle;
  let summary: DemoSummary;
  let storage: FileStorage;
  let storageDirectory: string;
  const today = new Date('2026-11-22T12:00:00Z');

  beforeAll(async () => {
    ({ storage, directory: storageDirectory } = await createTemporaryStorage());
    database = await openDatabase({ kind: 'pglite', directory: 'memory://' });
    await migrateToLatest(database.db);
    summary = await seedDemo(database.db, { today, storage });
  });

  afterAll(async () => {
    await database?.close();
    if (storageDirectory) await fsp.rm(storageDirectory, { recursive: true, force: true });
  });

  it('writes at least 25 customer accounts, with licenses and subscriptions', async () => {
    const accounts = await database.db.selectFrom('customer_accounts').selectAll().execute();
    expect(accounts.length).toBeGreaterThanOrEqual(25);
    expect(summary.accountCount).toBe(accounts.length);
    expect(accounts.some((account) => account.is_fedramp)).toBe(true);
    expect(accounts.some((account) => !account.is_active)).toBe(true);

    const licenses = await database.db.selectFrom('account_licenses').selectAll().execute();
    expect(new Set(licenses.map((license) => license.app))).toEqual(new Set(['vm', 'was', 'cs']));
    expect(licenses.some((license) => license.licensed_assets > license.asset_limit)).toBe(true);
    expect(licenses.some((license) => license.expires_on !== null && license.expires_on < '2026-11-22')).toBe(true);
    const subscriptions = await database.db.selectFrom('account_subscriptions').selectAll().execute();
    expect(subscriptions.length).toBeGreaterThanOrEqual(accounts.length);
  });

  it('creates staff of every role, a support agent, and assigns only non-administrators', async () => {
    const staff = await database.db.selectFrom('users').selectAll().where('kind', '=', 'staff').execute();
    expect(new Set(staff.map((user) => user.role))).toEqual(new Set(ROLE_VALUES));
    expect(staff.some((user) => user.is_support_agent)).toBe(true);
    expect(staff.every((user) => user.username.endsWith('@northwind-mssp.example'))).toBe(true);
    const domains = await database.db.selectFrom('approved_domains').select('domain').execute();
    expect(domains.map((row) => row.domain)).toContain('northwind-mssp.example');

    const assignments = await database.db
      .selectFrom('staff_account_assignments as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['u.role', 'u.username'])
      .execute();
    expect(assignments.length).toBeGreaterThan(0);
    expect(assignments.every((row) => row.role !== 64)).toBe(true);

    const administrator = staff.find((user) => user.role === 64);
    expect(administrator?.password_hash).toBeTruthy();
    expect(await verifyPassword(administrator?.password_hash ?? '', DEMO_PASSWORD)).toBe(true);
  });

  it('gives every account 1-3 contacts, an Administrator and a primary contact who manages cases', async () => {
    const rows = await database.db
      .selectFrom('customer_accounts as a')
      .leftJoin('users as u', 'u.account_id', 'a.id')
      .select([
        'a.id',
        sql<number>`count(u.id)::int`.as('contacts'),
        sql<number>`count(*) filter (where u.role = 64)::int`.as('administrators'),
        sql<number>`count(*) filter (where u.is_primary_contact and u.can_manage_cases)::int`.as('primaries'),
      ])
      .groupBy('a.id')
      .execute();
    for (const row of rows) {
      expect(row.contacts).toBeGreaterThanOrEqual(1);
      expect(row.contacts).toBeLessThanOrEqual(3);
      expect(row.administrators).toBeGreaterThanOrEqual(1);
      expect(row.primaries).toBe(1);
    }
    const contacts = await database.db.selectFrom('users').selectAll().where('kind', '=', 'contact').execute();
    expect(contacts.every((contact) => /^\d{6}$/.test(contact.support_pin ?? ''))).toBe(true);
    expect(contacts.some((contact) => contact.password_hash === null)).toBe(true);
    expect(contacts.some((contact) => contact.password_hash !== null)).toBe(true);
    // Someone who can sign in but not open Technical Support cases, to show that refusal.
    expect(contacts.some((contact) => contact.password_hash !== null && !contact.can_manage_cases)).toBe(true);
  });

  it('stores 4 to 6 logos as valid PNGs within 246 x 52, made by the administrator, used by about a third of the accounts', async () => {
    const logos = await database.db.selectFrom('logos').selectAll().orderBy('name').execute();
    expect(logos.length).toBeGreaterThanOrEqual(4);
    expect(logos.length).toBeLessThanOrEqual(6);
    expect(summary.logos).toHaveLength(logos.length);
    const administrator = await database.db
      .selectFrom('users')
      .select('id')
      .where('kind', '=', 'staff')
      .where('role', '=', 64)
      .executeTakeFirstOrThrow();
    for (const logo of logos) {
      expect(logo.storage_key).toMatch(/^logos\/[0-9a-f-]{36}\.png$/);
      expect(logo.created_by_user_id).toBe(administrator.id);
      // Read back through the storage, as the Logos page and logo.png do.
      const bytes = await buffer(await storage.get(logo.storage_key));
      expect(bytes.length).toBe(logo.size_bytes);
      const dimensions = readPngDimensions(bytes);
      expect(dimensions).toEqual({ width: logo.width, height: logo.height });
      expect(dimensions.width).toBeLessThanOrEqual(246);
      expect(dimensions.height).toBeLessThanOrEqual(52);
    }
    expect(logos.some((logo) => logo.width === 246 && logo.height === 52)).toBe(true);
    expect(await listFiles(storageDirectory)).toHaveLength(logos.length);

    const accounts = await database.db.selectFrom('customer_accounts').select('logo_id').execute();
    const withLogo = accounts.filter((account) => account.logo_id !== null);
    expect(withLogo.length).toBeGreaterThanOrEqual(Math.floor(accounts.length / 4));
    expect(withLogo.length).toBeLessThanOrEqual(Math.ceil(accounts.length / 2));
    expect(new Set(withLogo.map((account) => account.logo_id)).size).toBeGreaterThan(1);
  });

  it('gives some accounts custom names with a believable Custom Name Update History', async () => {
    const history = await database.db
      .selectFrom('custom_name_history as h')
      .innerJoin('customer_accounts as a', 'a.id', 'h.account_id')
      .innerJoin('users as u', 'u.id', 'h.changed_by_user_id')
      .select([
        'a.id as accountId',
        'a.custom_name',
        'a.created_at',
        'h.old_value',
        'h.new_value',
        'h.changed_at',
        'h.changed_by_username',
        'u.username',
        'u.role',
      ])
      .orderBy('a.id')
      .orderBy('h.changed_at')
      .execute();
    const byAccount = new Map<string, typeof history>();
    for (const entry of history) byAccount.set(entry.accountId, [...(byAccount.get(entry.accountId) ?? []), entry]);
    expect(byAccount.size).toBeGreaterThanOrEqual(5);
    expect(byAccount.size).toBeLessThanOrEqual(8);
    expect(summary.customNameHistory).toEqual({ accountCount: byAccount.size, entryCount: history.length });
    for (const entries of byAccount.values()) {
      expect(entries.length).toBeGreaterThanOrEqual(1);
      expect(entries.length).toBeLessThanOrEqual(3);
      // A chain: each change starts from the previous one's name and the last is the name shown now.
      expect(entries[0]?.old_value).toBeNull();
      entries.slice(1).forEach((entry, index) => expect(entry.old_value).toBe(entries[index]?.new_value));
      expect(entries.at(-1)?.new_value).toBe(entries[0]?.custom_name);
      for (const entry of entries) {
        expect(entry.old_value).not.toBe(entry.new_value);
        expect(entry.changed_at.getTime()).toBeLessThan(today.getTime());
        expect(entry.changed_at.getTime()).toBeGreaterThan(entry.created_at.getTime());
        // Only Administrators edit accounts.
        expect(entry.role).toBe(64);
        expect(entry.changed_by_username).toBe(entry.username);
      }
    }
    const withCustomName = await database.db.selectFrom('customer_accounts').select('id').where('custom_name', 'is not', null).execute();
    expect(withCustomName.length).toBeGreaterThanOrEqual(5);
    expect(withCustomName.length).toBeLessThanOrEqual(8);
  });

  it('refuses a second run and changes nothing, neither rows nor files', async () => {
    const before = await database.db
      .selectFrom('users')
      .select(sql<number>`count(*)::int`.as('count'))
      .executeTakeFirstOrThrow();
    const filesBefore = await listFiles(storageDirectory);
    await expect(seedDemo(database.db, { today, storage })).rejects.toBeInstanceOf(DemoRefusedError);
    const after = await database.db
      .selectFrom('users')
      .select(sql<number>`count(*)::int`.as('count'))
      .executeTakeFirstOrThrow();
    expect(after.count).toBe(before.count);
    expect(await listFiles(storageDirectory)).toEqual(filesBefore);
  });

  it('turns names into username parts', () => {
    expect(toUsernamePart('Jürgen')).toBe('juergen');
    expect(toUsernamePart('Søren')).toBe('soren');
    expect(toUsernamePart('Wei Ling')).toBe('weiling');
    expect(toUsernamePart('Côté')).toBe('cote');
    expect(toUsernamePart('Jean-Philippe')).toBe('jean-philippe');
  });
});

describe('demo data', () => {
  it('names a real account for every logo and keeps each custom-name history consistent', () => {
    const siteIds = new Set(DEMO_ACCOUNTS.map((account) => account.siteId));
    for (const logo of DEMO_LOGOS) for (const siteId of logo.siteIds) expect(siteIds).toContain(siteId);
    for (const account of DEMO_ACCOUNTS) {
      const changes = account.customNameChanges ?? [];
      if (changes.length === 0) continue;
      expect(changes.at(-1)?.to).toBe(account.customName);
      changes.forEach((change, index) => {
        expect(change.daysAgo).toBeLessThan(index === 0 ? account.customerForDays : (changes[index - 1]?.daysAgo ?? 0));
      });
    }
  });
});

describe('npm run demo when a write fails', () => {
  it('deletes the logo files it wrote when the transaction is refused, and writes no rows', async () => {
    const { storage, directory } = await createTemporaryStorage();
    const database = await openDatabase({ kind: 'pglite', directory: 'memory://' });
    try {
      await migrateToLatest(database.db);
      // Another run gets there first: an account appears after the first emptiness check passed.
      const failingStorage: FileStorage = {
        ...storage,
        async put(key, body) {
          const stored = await storage.put(key, body);
          if ((await listFiles(directory)).length === DEMO_LOGOS.length) {
            await createAccount({ db: database.db }, { name: 'Got there first' });
          }
          return stored;
        },
      };
      await expect(seedDemo(database.db, { today: new Date('2026-11-22T00:00:00Z'), storage: failingStorage })).rejects.toBeInstanceOf(
        DemoRefusedError,
      );
      expect(await listFiles(directory)).toEqual([]);
      const accounts = await database.db.selectFrom('customer_accounts').select('name').execute();
      expect(accounts).toEqual([{ name: 'Got there first' }]);
      expect(await database.db.selectFrom('logos').select('id').execute()).toEqual([]);
      expect(await database.db.selectFrom('users').select('id').execute()).toEqual([]);
    } finally {
      await database.close();
      await fsp.rm(directory, { recursive: true, force: true });
    }
  });

  it('deletes the files already written when a later file cannot be stored', async () => {
    const { storage, directory } = await createTemporaryStorage();
    const database = await openDatabase({ kind: 'pglite', directory: 'memory://' });
    try {
      await migrateToLatest(database.db);
      let puts = 0;
      const failingStorage: FileStorage = {
        ...storage,
        async put(key, body) {
          if (++puts === 3) throw new Error('disk full');
          return storage.put(key, body);
        },
      };
      await expect(seedDemo(database.db, { storage: failingStorage })).rejects.toThrow('disk full');
      expect(await listFiles(directory)).toEqual([]);
      expect(await database.db.selectFrom('users').select('id').execute()).toEqual([]);
    } finally {
      await database.close();
      await fsp.rm(directory, { recursive: true, force: true });
    }
  });
});

describe('npm run demo after first-run setup', () => {
  it('reuses the approved domain of the existing administrator and keeps the same data each run', async () => {
    const runs: DemoSummary[] = [];
    for (let run = 0; run < 2; run++) {
      const { storage, directory } = await createTemporaryStorage();
      const database = await openDatabase({ kind: 'pglite', directory: 'memory://' });
      try {
        await migrateToLatest(database.db);
        await database.db.insertInto('approved_domains').values({ domain: 'acme-mssp.example' }).execute();
        await database.db
          .insertInto('users')
          .values({ kind: 'staff', username: 'alex.morgan@acme-mssp.example', name: 'Alex Morgan', role: 64 })
          .execute();
        runs.push(await seedDemo(database.db, { today: new Date('2026-11-22T00:00:00Z'), storage }));
      } finally {
        await database.close();
        await fsp.rm(directory, { recursive: true, force: true });
      }
    }
    const [first, second] = runs;
    expect(first?.domain).toBe('acme-mssp.example');
    expect(first?.isExistingDomain).toBe(true);
    // The existing administrator keeps their username; the demo one gets the next free one.
    expect(first?.staff.map((member) => member.username)).toContain('alex.morgan2@acme-mssp.example');
    expect(second).toEqual(first);
    // Two whole demo runs: over 30 s on PostgreSQL when the CI machine is busy.
  }, 120_000);
});
