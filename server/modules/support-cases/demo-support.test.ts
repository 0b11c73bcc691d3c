import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_STATUSES, FEDRAMP_QUEUE } from '../../../common/schemas/support-cases.js';
import { seedDemo } from '../../../scripts/demo.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../db/database.js';

// The demo's Support cases (scripts/demo-support.ts), seeded into an in-memory database.
describe('npm run demo: support cases', () => {
  let database: DatabaseHandle;

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', directory: 'memory://' });
    await migrateToLatest(database.db);
    await seedDemo(database.db, { today: new Date('2026-11-22T12:00:00Z') });
  }, 120_000);

  afterAll(async () => {
    await database?.close();
  });

  it('has cases in every status, of both kinds, one FedRAMP and one sent despite the secret warning', async () => {
    const cases = await database.db.selectFrom('support_cases').selectAll().execute();
    expect(new Set(cases.map((row) => row.status))).toEqual(new Set(CASE_STATUSES));
    expect(new Set(cases.map((row) => row.kind))).toEqual(new Set(['customer_care', 'technical']));
    const fedramp = cases.filter((row) => row.is_fedramp);
    expect(fedramp.length).toBeGreaterThan(0);
    expect(fedramp.every((row) => row.queue === FEDRAMP_QUEUE)).toBe(true);
    const overridden = cases.filter((row) => row.secret_override !== null);
    expect(overridden.length).toBeGreaterThan(0);
    expect(overridden[0]?.secret_override?.findings[0]?.kind).toBe('password= pair');
    expect(cases.filter((row) => row.kind === 'technical').every((row) => row.service_level && row.first_response_due_at)).toBe(true);
  });

  it('assigns some cases to Jordan Ellis, on accounts Jordan may see, with messages both ways and an internal note', async () => {
    const jordan = await database.db.selectFrom('users').select('id').where('username', 'like', 'jordan.ellis@%').executeTakeFirstOrThrow();
    const assigned = await database.db
      .selectFrom('support_cases')
      .select(['id', 'account_id'])
      .where('assigned_to_user_id', '=', jordan.id)
      .execute();
    expect(assigned.length).toBeGreaterThan(0);
    const accounts = await database.db
      .selectFrom('staff_account_assignments')
      .select('account_id')
      .where('user_id', '=', jordan.id)
      .execute();
    expect(assigned.every((row) => accounts.some((account) => account.account_id === row.account_id))).toBe(true);
    const messages = await database.db.selectFrom('support_case_messages').select(['author_kind', 'visibility']).execute();
    expect(new Set(messages.map((row) => row.author_kind))).toEqual(new Set(['agent', 'contact']));
    expect(messages.some((row) => row.visibility === 'internal')).toBe(true);
  });

  it('records suggestion visits with each outcome', async () => {
    const visits = await database.db.selectFrom('support_suggestion_visits').select(['outcome', 'case_id']).execute();
    expect(new Set(visits.map((row) => row.outcome))).toEqual(new Set(['shown', 'left', 'continued', 'submitted']));
    expect(visits.filter((row) => row.outcome === 'submitted').every((row) => row.case_id !== null)).toBe(true);
  });
});
