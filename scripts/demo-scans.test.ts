import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../server/db/database.js';
import { createAccount } from '../server/test/factories.js';
import { seedDemoScans } from './demo-scans.js';

// The demo's scan history goes through the real importer; always the in-memory embedded database.
describe('demo scan history', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', directory: 'memory://' });
    await migrateToLatest(database.db);
  });
  afterAll(() => database.close());

  it('imports a series of scans per account with fixed and reopened findings, and a web application for WAS', async () => {
    const account = await createAccount({ db: database.db }, { name: 'Demo Scans Inc', apps: ['vm', 'was'] });
    const summary = await seedDemoScans(database.db, [{ id: account.id, apps: ['vm', 'was'] }], {
      today: new Date('2026-11-22T12:00:00Z'),
    });
    expect(summary).toMatchObject({ accountCount: 1, scanCount: 7 });
    const scans = await database.db
      .selectFrom('scans')
      .select(['status', 'scan_ended_at'])
      .where('account_id', '=', account.id)
      .orderBy('scan_ended_at')
      .execute();
    expect(scans.every((scan) => scan.status === 'completed')).toBe(true);
    expect(scans[0]?.scan_ended_at?.toISOString().slice(0, 10)).toBe('2026-08-09');
    const states = await database.db
      .selectFrom('finding_events')
      .select('to_state')
      .distinct()
      .where('account_id', '=', account.id)
      .execute();
    expect(states.map((row) => row.to_state).sort()).toEqual(['FIXED', 'OPEN', 'REOPENED']);
    const webApps = await database.db
      .selectFrom('assets')
      .select('id')
      .where('account_id', '=', account.id)
      .where('kind', '=', 'webapp')
      .execute();
    expect(webApps).toHaveLength(1);
  });
});
