import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * Example numbers only, so a fresh install shows a complete Phone Support tile until Administrators
 * enter their own (docs/support-phone.md). Where a country reserves numbers for fiction they come
 * from that range (NANP 555-01xx, Ofcom's drama numbers, ACMA's 02 5550, ARCEP's 01 99 00); the
 * others are libphonenumber's own example numbers.
 */
const EXAMPLE_NUMBERS = [
  ['americas', 'United States', '+12025550142'],
  ['americas', 'Canada', '+16135550117'],
  ['europe', 'France', '+33199001234'],
  ['europe', 'Germany', '+4930123456'],
  ['europe', 'United Kingdom', '+442079460958'],
  ['asia_australia', 'Australia', '+61255501234'],
  ['asia_australia', 'Japan', '+81312345678'],
  ['asia_australia', 'Singapore', '+6561234567'],
] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table support_phone_numbers (
    id uuid primary key default gen_random_uuid(),
    region text not null check (region in ('americas', 'europe', 'asia_australia')),
    country text not null,
    number text not null,
    note text not null default '',
    sort_order integer not null,
    updated_by_user_id uuid references users (id) on delete set null,
    updated_at timestamptz not null default now()
  )`.execute(db);
  await db
    .insertInto('support_phone_numbers')
    .values(
      EXAMPLE_NUMBERS.map(([region, country, number], index) => ({
        region,
        country,
        number,
        note: 'Example number: an Administrator replaces it',
        sort_order: index,
      })),
    )
    .execute();

  // A Support PIN names one contact. PINs were random without a uniqueness check until now, so a
  // PIN two contacts share is cleared for all but the first; the others get a new PIN when they
  // next open Phone Support.
  await sql`update users set support_pin = null
    where support_pin is not null
      and id <> (select min(other.id::text)::uuid from users other where other.support_pin = users.support_pin)`.execute(db);
  await sql`create unique index users_support_pin_unique on users (support_pin) where support_pin is not null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index users_support_pin_unique`.execute(db);
  await sql`drop table support_phone_numbers`.execute(db);
}
