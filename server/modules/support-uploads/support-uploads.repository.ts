import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../../../common/permissions.js';
import { ROLES } from '../../../common/permissions.js';
import type { Database } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * The case a caller may add files to, or undefined. Contacts: a case of their account that they
 * opened, or any of their account's cases with Manage Cases (what My Cases shows them). Support
 * agents: a case of an account they may see (Administrators see every account).
 */
export async function findCaseForUpload(db: Executor, actor: Actor, caseId: string) {
  let query = db.selectFrom('support_cases as c').select(['c.id', 'c.account_id', 'c.number']).where('c.id', '=', caseId);
  if (actor.kind === 'contact') {
    if (!actor.accountId) return undefined;
    query = query.where('c.account_id', '=', actor.accountId);
    if (!actor.canManageCases) query = query.where('c.opened_by_user_id', '=', actor.userId);
  } else {
    if (!actor.isSupportAgent) return undefined;
    if (actor.role !== ROLES.administrator) {
      if (actor.assignedAccountIds.length === 0) return undefined;
      query = query.where('c.account_id', 'in', actor.assignedAccountIds);
    }
  }
  return query.executeTakeFirst();
}

export interface NewUploadRow {
  tusId: string;
  batchId: string;
  accountId: string;
  userId: string;
  caseId: string | null;
  fileName: string;
  contentType: string;
  size: number;
  storageKey: string;
}

/**
 * Inserts the upload's row unless its batch (one selection of files: this user's uploads whose
 * tus id starts with `${batchId}_`) already holds `batchMax` uploads; returns false then. The
 * advisory lock serialises the creations of one batch, so five parallel requests cannot let a
 * sixth through.
 */
export async function insertUploadInBatch(db: Kysely<Database>, row: NewUploadRow, batchMax: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`support-upload-batch:${row.userId}:${row.batchId}`}, 0))`.execute(trx);
    const prefix = `${row.batchId}_`;
    const { count } = await trx
      .selectFrom('support_uploads')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('uploaded_by_user_id', '=', row.userId)
      .where(sql<boolean>`left(tus_id, ${prefix.length}) = ${prefix}`)
      .executeTakeFirstOrThrow();
    if (Number(count) >= batchMax) return false;
    await trx
      .insertInto('support_uploads')
      .values({
        tus_id: row.tusId,
        account_id: row.accountId,
        uploaded_by_user_id: row.userId,
        case_id: null,
        file_name: row.fileName,
        content_type: row.contentType,
        size: row.size,
        received: 0,
        storage_key: row.storageKey,
      })
      .execute();
    return true;
  });
}

/** The caller's own upload by its tus id (a forged or someone else's id finds nothing). */
export function findOwnUpload(db: Executor, userId: string, tusId: string) {
  return db
    .selectFrom('support_uploads')
    .selectAll()
    .where('tus_id', '=', tusId)
    .where('uploaded_by_user_id', '=', userId)
    .executeTakeFirst();
}

export function findUploadByTusId(db: Executor, tusId: string) {
  return db.selectFrom('support_uploads').selectAll().where('tus_id', '=', tusId).executeTakeFirst();
}

export async function updateReceived(db: Executor, tusId: string, received: number): Promise<void> {
  await db.updateTable('support_uploads').set({ received }).where('tus_id', '=', tusId).where('status', '=', 'uploading').execute();
}

/** Marks the upload complete (once: a second call finds it complete and returns undefined). */
export function markComplete(db: Executor, tusId: string, sha256: string, now: Date) {
  return db
    .updateTable('support_uploads')
    .set((eb) => ({ status: 'complete', sha256, received: eb.ref('size'), completed_at: now }))
    .where('tus_id', '=', tusId)
    .where('status', '=', 'uploading')
    .returningAll()
    .executeTakeFirst();
}

/** Attaches a complete upload to a case, unless it is attached already. */
export function attachUpload(db: Executor, uploadId: string, caseId: string, now: Date) {
  return db
    .updateTable('support_uploads')
    .set({ case_id: caseId, attached_at: now })
    .where('id', '=', uploadId)
    .where('case_id', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes an unattached upload's row; undefined when it was attached (or gone) meanwhile. */
export function deleteUnattachedUpload(db: Executor, uploadId: string) {
  return db.deleteFrom('support_uploads').where('id', '=', uploadId).where('case_id', 'is', null).returningAll().executeTakeFirst();
}

export function deleteUploadRow(db: Executor, uploadId: string) {
  return db.deleteFrom('support_uploads').where('id', '=', uploadId).execute();
}

/** Deletes the rows of uploads never attached and created before `before`; returns their storage keys. */
export async function deleteStaleUnattachedUploads(db: Executor, before: Date): Promise<{ tusId: string; storageKey: string }[]> {
  const rows = await db
    .deleteFrom('support_uploads')
    .where('case_id', 'is', null)
    .where('created_at', '<', before)
    .returning(['tus_id', 'storage_key'])
    .execute();
  return rows.map((row) => ({ tusId: row.tus_id, storageKey: row.storage_key }));
}
