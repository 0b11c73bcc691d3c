import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AccountScope } from '../accounts/accounts.repository.js';

type Executor = Kysely<Database> | Transaction<Database>;

function selectLogos(db: Executor) {
  return db
    .selectFrom('logos as l')
    .selectAll('l')
    .select((eb) =>
      eb
        .selectFrom('customer_accounts as a')
        .select(sql<number>`count(*)::int`.as('count'))
        .whereRef('a.logo_id', '=', 'l.id')
        .as('account_count'),
    );
}

export function findLogos(db: Executor) {
  return selectLogos(db)
    .orderBy(sql`lower(l.name)`)
    .orderBy('l.id')
    .execute();
}

export function findLogoById(db: Executor, id: string) {
  return selectLogos(db).where('l.id', '=', id).executeTakeFirst();
}

/**
 * A logo whose image the caller may fetch: any logo for Administrators, else only a logo used by
 * an account in the caller's scope.
 */
export function findVisibleLogo(db: Executor, scope: AccountScope, id: string) {
  let query = db.selectFrom('logos as l').select(['l.id', 'l.storage_key', 'l.updated_at']).where('l.id', '=', id);
  if (scope.kind === 'only') {
    if (scope.accountIds.length === 0) return Promise.resolve(undefined);
    const ids = scope.accountIds;
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('customer_accounts as a').select('a.id').whereRef('a.logo_id', '=', 'l.id').where('a.id', 'in', ids)),
    );
  }
  return query.executeTakeFirst();
}

export interface LogoFile {
  fileName: string;
  storageKey: string;
  width: number;
  height: number;
  sizeBytes: number;
}

export function insertLogo(db: Executor, logo: { name: string; createdByUserId: string | null } & LogoFile) {
  return db
    .insertInto('logos')
    .values({
      name: logo.name,
      file_name: logo.fileName,
      storage_key: logo.storageKey,
      width: logo.width,
      height: logo.height,
      size_bytes: logo.sizeBytes,
      created_by_user_id: logo.createdByUserId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateLogo(db: Executor, id: string, changes: { name?: string; file?: LogoFile }): Promise<void> {
  await db
    .updateTable('logos')
    .set({
      name: changes.name,
      ...(changes.file
        ? {
            file_name: changes.file.fileName,
            storage_key: changes.file.storageKey,
            width: changes.file.width,
            height: changes.file.height,
            size_bytes: changes.file.sizeBytes,
          }
        : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Deletes the logo; accounts using it fall back to the default logo (logo_id is set null). */
export async function deleteLogo(db: Executor, id: string): Promise<void> {
  await db.updateTable('customer_accounts').set({ logo_id: null }).where('logo_id', '=', id).execute();
  await db.deleteFrom('logos').where('id', '=', id).execute();
}

export async function countExistingAccounts(db: Executor, accountIds: readonly string[]): Promise<number> {
  const row = await db
    .selectFrom('customer_accounts')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('id', 'in', accountIds)
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function setLogoOfAccounts(db: Executor, logoId: string | null, accountIds: readonly string[]): Promise<number> {
  const result = await db
    .updateTable('customer_accounts')
    .set({ logo_id: logoId, updated_at: new Date() })
    .where('id', 'in', accountIds)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
