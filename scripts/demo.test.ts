import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_VALUES } from '../common/permissions.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../server/db/database.js';
import { verifyPassword } from '../server/lib/crypto.js';
import { DEMO_PASSWORD } from './demo-data.js';
import { DemoRefusedError, seedDemo, toUsernamePart, type DemoSummary } from './demo.js';

// Always the in-memory embedded database: the demo must not touch a shared PostgreSQL.
describe('npm run demo', () => {
  let database: DatabaseHandle;
  let summary: DemoSummary;
  const today = new Date('2026-11-22T12:00:00Z');

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', directory: 'memory://' });
    await migrateToLatest(database.db);
    summary = await seedDemo(database.db, { today });
  });

  afterAll(async () => {
    await database?.close();
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

  it('refuses a second run and changes nothing', async () => {
    const before = await database.db
      .selectFrom('users')
      .select(sql<number>`count(*)::int`.as('count'))
      .executeTakeFirstOrThrow();
    await expect(seedDemo(database.db, { today })).rejects.toBeInstanceOf(DemoRefusedError);
    const after = await database.db
      .selectFrom('users')
      .select(sql<number>`count(*)::int`.as('count'))
      .executeTakeFirstOrThrow();
    expect(after.count).toBe(before.count);
  });

  it('turns names into username parts', () => {
    expect(toUsernamePart('Jürgen')).toBe('juergen');
    expect(toUsernamePart('Søren')).toBe('soren');
    expect(toUsernamePart('Wei Ling')).toBe('weiling');
    expect(toUsernamePart('Côté')).toBe('cote');
    expect(toUsernamePart('Jean-Philippe')).toBe('jean-philippe');
  });
});

describe('npm run demo after first-run setup', () => {
  it('reuses the approved domain of the existing administrator and keeps the same data each run', async () => {
    const runs: DemoSummary[] = [];
    for (let run = 0; run < 2; run++) {
      const database = await openDatabase({ kind: 'pglite', directory: 'memory://' });
      try {
        await migrateToLatest(database.db);
        await database.db.insertInto('approved_domains').values({ domain: 'acme-mssp.example' }).execute();
        await database.db
          .insertInto('users')
          .values({ kind: 'staff', username: 'alex.morgan@acme-mssp.example', name: 'Alex Morgan', role: 64 })
          .execute();
        runs.push(await seedDemo(database.db, { today: new Date('2026-11-22T00:00:00Z') }));
      } finally {
        await database.close();
      }
    }
    const [first, second] = runs;
    expect(first?.domain).toBe('acme-mssp.example');
    expect(first?.isExistingDomain).toBe(true);
    // The existing administrator keeps their username; the demo one gets the next free one.
    expect(first?.staff.map((member) => member.username)).toContain('alex.morgan2@acme-mssp.example');
    expect(second).toEqual(first);
  });
});
