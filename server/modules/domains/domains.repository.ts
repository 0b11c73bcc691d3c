import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** Approved domains with how many users (staff or contacts) have a username in each. */
export function findDomainsWithUserCounts(db: Kysely<Database>) {
  return db
    .selectFrom('approved_domains as d')
    .select([
      'd.domain',
      'd.created_at',
      sql<number>`(select count(*)::int from users u where lower(split_part(u.username, '@', 2)) = d.domain)`.as('user_count'),
    ])
    .orderBy('d.domain')
    .execute();
}

export function findDomain(db: Kysely<Database>, domain: string) {
  return db.selectFrom('approved_domains').selectAll().where('domain', '=', domain).executeTakeFirst();
}

/** Inserts the domain; false when it was already approved. */
export async function insertDomain(db: Kysely<Database>, domain: string): Promise<boolean> {
  const rows = await db
    .insertInto('approved_domains')
    .values({ domain })
    .onConflict((oc) => oc.column('domain').doNothing())
    .returning('domain')
    .execute();
  return rows.length > 0;
}

export async function countUsersInDomain(db: Kysely<Database>, domain: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select(sql<number>`count(*)::int`.as('count'))
    .where(sql<boolean>`lower(split_part(username, '@', 2)) = ${domain}`)
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function deleteDomain(db: Kysely<Database>, domain: string): Promise<void> {
  await db.deleteFrom('approved_domains').where('domain', '=', domain).execute();
}
