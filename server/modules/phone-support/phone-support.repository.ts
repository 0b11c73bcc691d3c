import { sql, type Kysely, type Transaction } from 'kysely';
import type { PhoneSupportRegion } from '../../../common/schemas/phone-support.js';
import type { Database } from '../../db/schema.js';
import type { AccountScope } from '../accounts/accounts.repository.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Every number, by region and then the order Administrators gave them. */
export function findPhoneNumbers(db: Executor) {
  return db.selectFrom('support_phone_numbers').selectAll().orderBy('region').orderBy('sort_order').execute();
}

export interface NewPhoneNumber {
  region: PhoneSupportRegion;
  country: string;
  number: string;
  note: string;
  sortOrder: number;
}

/** Replaces the whole list; call inside a transaction so readers never see it half-written. */
export async function replacePhoneNumbers(trx: Transaction<Database>, rows: NewPhoneNumber[], userId: string): Promise<void> {
  await trx.deleteFrom('support_phone_numbers').execute();
  if (rows.length === 0) return;
  await trx
    .insertInto('support_phone_numbers')
    .values(
      rows.map((row) => ({
        region: row.region,
        country: row.country,
        number: row.number,
        note: row.note,
        sort_order: row.sortOrder,
        updated_by_user_id: userId,
        updated_at: new Date(),
      })),
    )
    .execute();
}

export async function findSupportPin(db: Executor, contactId: string): Promise<string | null> {
  const row = await db
    .selectFrom('users')
    .select('support_pin')
    .where('id', '=', contactId)
    .where('kind', '=', 'contact')
    .executeTakeFirst();
  return row?.support_pin ?? null;
}

/**
 * Gives the contact this PIN unless another user holds it; false when taken. The unique index
 * (migration 20261123T1110) still guards two contacts taking the same PIN at the same instant.
 */
export async function setSupportPin(db: Executor, contactId: string, pin: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ support_pin: pin, updated_at: new Date() })
    .where('id', '=', contactId)
    .where('kind', '=', 'contact')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('users as holder').select('holder.id').where('holder.support_pin', '=', pin))),
    )
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The contact holding this PIN, in an account the scope includes. */
export async function findContactByPin(db: Executor, scope: AccountScope, pin: string) {
  if (scope.kind === 'only' && scope.accountIds.length === 0) return undefined;
  let query = db
    .selectFrom('users as u')
    .innerJoin('customer_accounts as a', 'a.id', 'u.account_id')
    .select([
      'u.id',
      'u.name',
      'u.username',
      'u.role',
      'u.is_primary_contact',
      'u.can_manage_cases',
      'u.is_disabled',
      'a.id as account_id',
      sql<string>`coalesce(a.custom_name, a.name)`.as('account_name'),
    ])
    .where('u.kind', '=', 'contact')
    .where('u.support_pin', '=', pin);
  if (scope.kind === 'only') query = query.where('a.id', 'in', scope.accountIds);
  return query.executeTakeFirst();
}
