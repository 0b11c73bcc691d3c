import crypto from 'node:crypto';
import { can } from '../../../common/permissions.js';
import { UPLOAD_BATCH_MAX, UPLOAD_BATCH_MESSAGE } from '../../../common/schemas/support-cases.js';
import { AppError } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { recordAudit } from '../audit/audit.service.js';
import {
  attachUpload,
  deleteUnattachedUpload,
  deleteUploadRow,
  findCaseForUpload,
  findOwnUpload,
  findUploadByTusId,
  insertUploadInBatch,
  markComplete,
  updateReceived,
} from './support-uploads.repository.js';
import { hashStoredFile, removeUploadBytes, storageKeyOf, takeRunningDigest } from './support-uploads.store.js';

/** The ids this endpoint issues (common/schemas/support-cases.ts UploadId accepts them). */
export const UPLOAD_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{7,99}$/;
/** One selection of files in the browser; part of its uploads' ids, so the 5-file rule needs no extra column. */
const BATCH_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{7,63}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MIME_TYPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
const FILE_NAME_MAX_BYTES = 255;

export const UPLOAD_NOT_FOUND_MESSAGE = 'Upload not found.';
export const CASE_NOT_FOUND_MESSAGE = 'Case not found.';
export const ATTACHED_UPLOAD_MESSAGE = 'This file is attached to a case and cannot be removed here.';

/** The tus headers a creation request sends. */
export interface CreationHeaders {
  uploadLength: string | undefined;
  uploadDeferLength: string | undefined;
  uploadConcat: string | undefined;
  uploadMetadata: string | undefined;
}

export interface CreatedUpload {
  uploadId: string;
  storageKey: string;
}

function refuse(message: string): never {
  throw new AppError('validation_failed', message);
}

/** Contacts upload for their account; support agents only onto a case of an account they may see. */
export function assertMayUpload(ctx: Pick<ServiceContext, 'actor'>): void {
  if (!can(ctx.actor, 'support:use') && !can(ctx.actor, 'support:work')) {
    throw new AppError('forbidden', 'You do not have permission to do that.');
  }
}

/** tus's Upload-Metadata: comma-separated "key base64value" pairs (the value may be left out). */
export function parseUploadMetadata(header: string | undefined): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  if (!header || header.trim() === '') return entries;
  for (const pair of header.split(',')) {
    const [key, value = '', ...rest] = pair.trim().split(' ');
    if (!key || rest.length > 0 || entries.has(key) || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
      refuse('The upload metadata is malformed.');
    }
    entries.set(key, Buffer.from(value, 'base64'));
  }
  return entries;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A file name as it will be shown and downloaded: refused (400) when empty, longer than 255 bytes,
 * not UTF-8, or holding a path separator or a control character.
 */
export function checkFileName(raw: Buffer | undefined): string {
  if (raw === undefined) refuse('Give the file name (filename in Upload-Metadata).');
  let name: string;
  try {
    name = decoder.decode(raw);
  } catch {
    refuse('The file name is not valid UTF-8 text.');
  }
  if (name.trim() === '') refuse('The file name is empty.');
  if (raw.length > FILE_NAME_MAX_BYTES) refuse(`The file name is too long: at most ${FILE_NAME_MAX_BYTES} bytes.`);
  if (/[/\\]/.test(name)) refuse('The file name cannot contain a path separator (/ or \\).');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) refuse('The file name cannot contain control characters.');
  if (name === '.' || name === '..') refuse('The file name cannot be "." or "..".');
  return name;
}

function checkLength(headers: CreationHeaders): number {
  if (headers.uploadDeferLength !== undefined || headers.uploadLength === undefined) {
    refuse("Send the file's size (Upload-Length); uploads of unknown length are not accepted.");
  }
  if (headers.uploadConcat !== undefined) refuse('Concatenated uploads are not supported.');
  if (!/^\d{1,16}$/.test(headers.uploadLength) || Number(headers.uploadLength) > Number.MAX_SAFE_INTEGER) {
    refuse('Upload-Length must be a whole number of bytes.');
  }
  return Number(headers.uploadLength);
}

/**
 * Checks a creation request (name, size, batch, case) and records the upload (status uploading)
 * under a new id; the tus server then creates the file under that id. Refuses a sixth upload of
 * one batch (UPLOAD_BATCH_MESSAGE), a case the caller may not see (404), and agents without a case.
 */
export async function createUpload(ctx: ServiceContext, headers: CreationHeaders): Promise<CreatedUpload> {
  assertMayUpload(ctx);
  const actor = ctx.actor;
  if (!actor) throw new AppError('unauthenticated', 'Sign in to continue.');
  const size = checkLength(headers);
  const metadata = parseUploadMetadata(headers.uploadMetadata);
  const fileName = checkFileName(metadata.get('filename'));
  const fileType = metadata.get('filetype')?.toString('utf8') ?? '';
  const contentType = MIME_TYPE_PATTERN.test(fileType) ? fileType.toLowerCase() : 'application/octet-stream';
  const batchId = metadata.get('batchId')?.toString('utf8') ?? '';
  if (!BATCH_ID_PATTERN.test(batchId)) refuse('Give the batch id of this selection of files (batchId in Upload-Metadata).');

  const caseId = metadata.get('caseId')?.toString('utf8') ?? null;
  let accountId = actor.accountId ?? null;
  if (caseId !== null && caseId !== '') {
    const found = UUID_PATTERN.test(caseId) ? await findCaseForUpload(ctx.db, actor, caseId) : undefined;
    if (!found) throw new AppError('not_found', CASE_NOT_FOUND_MESSAGE);
    accountId = found.account_id;
  } else if (actor.kind !== 'contact') {
    refuse('Support agents add files to an existing case: give its caseId.');
  }
  if (!accountId) throw new AppError('forbidden', 'You do not have permission to do that.');

  const uploadId = `${batchId}_${crypto.randomBytes(16).toString('hex')}`;
  const storageKey = storageKeyOf(uploadId);
  const inserted = await insertUploadInBatch(
    ctx.db,
    { tusId: uploadId, batchId, accountId, userId: actor.userId, caseId: null, fileName, contentType, size, storageKey },
    UPLOAD_BATCH_MAX,
  );
  if (!inserted) refuse(UPLOAD_BATCH_MESSAGE);
  return { uploadId, storageKey };
}

/** The caller's own upload, or 404 (a forged id and someone else's upload look the same). */
export async function findOwnUploadOrThrow(ctx: ServiceContext, uploadId: string) {
  assertMayUpload(ctx);
  const row = ctx.actor && UPLOAD_ID_PATTERN.test(uploadId) ? await findOwnUpload(ctx.db, ctx.actor.userId, uploadId) : undefined;
  if (!row) throw new AppError('not_found', UPLOAD_NOT_FOUND_MESSAGE);
  return row;
}

/** A creation the tus server then failed: its row and whatever it stored go, so it counts for nothing. */
export async function forgetFailedCreation(ctx: ServiceContext, uploadId: string): Promise<void> {
  const row = await findUploadByTusId(ctx.db, uploadId);
  if (!row || row.status !== 'uploading' || Number(row.received) !== 0) return;
  await deleteUploadRow(ctx.db, row.id);
  await removeUploadBytes(ctx.config.storage, ctx.storage, row.storage_key);
}

export async function recordReceived(ctx: Pick<ServiceContext, 'db'>, uploadId: string, received: number): Promise<void> {
  await updateReceived(ctx.db, uploadId, received);
}

/**
 * Called once every byte is stored: records the sha256 (from the running hash, else by reading
 * the stored file), marks the upload complete, and when it was started for a case the caller may
 * still see, attaches it and audits support.file_uploaded, all in one transaction. Idempotent.
 */
export async function finishUpload(ctx: ServiceContext, uploadId: string, requestedCaseId: string | null): Promise<void> {
  const row = await findUploadByTusId(ctx.db, uploadId);
  if (!row || row.status === 'complete') return;
  const sha256 = takeRunningDigest(row.storage_key, Number(row.size)) ?? (await hashStoredFile(ctx.storage, row.storage_key));
  const now = new Date();
  await ctx.db.transaction().execute(async (trx) => {
    const completed = await markComplete(trx, uploadId, sha256, now);
    if (!completed || !requestedCaseId || !ctx.actor || !UUID_PATTERN.test(requestedCaseId)) return;
    const found = await findCaseForUpload(trx, ctx.actor, requestedCaseId);
    if (!found || found.account_id !== completed.account_id) return;
    const attached = await attachUpload(trx, completed.id, found.id, now);
    if (!attached) return;
    await trx.updateTable('support_cases').set({ updated_at: now }).where('id', '=', found.id).execute();
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'support.file_uploaded',
        targetType: 'support_case',
        targetId: found.id,
        accountId: found.account_id,
        details: {
          uploadId: completed.id,
          caseNumber: found.number,
          fileName: completed.file_name,
          size: Number(completed.size),
          sha256,
        },
      },
    );
  });
}

/**
 * Termination by the uploader: an upload not attached to a case loses its row, then its bytes
 * (audited when it was complete); an attached one is refused with 409.
 */
export async function removeUpload(ctx: ServiceContext, uploadId: string): Promise<void> {
  const row = await findOwnUploadOrThrow(ctx, uploadId);
  if (row.case_id !== null) throw new AppError('conflict', ATTACHED_UPLOAD_MESSAGE);
  const deleted = await deleteUnattachedUpload(ctx.db, row.id);
  if (!deleted) throw new AppError('conflict', ATTACHED_UPLOAD_MESSAGE);
  await removeUploadBytes(ctx.config.storage, ctx.storage, deleted.storage_key);
  if (deleted.status === 'complete') {
    await recordAudit(ctx, {
      action: 'support.file_removed',
      targetType: 'support_upload',
      targetId: deleted.id,
      accountId: deleted.account_id,
      details: { fileName: deleted.file_name, size: Number(deleted.size), sha256: deleted.sha256 },
    });
  }
}
