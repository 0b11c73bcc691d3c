import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import {
  LOGO_MAX_HEIGHT,
  LOGO_MAX_WIDTH,
  LOGO_MESSAGES,
  LogoName,
  type AssignLogoBody,
  type LogoListResponse,
  type LogoResponse,
} from '../../../common/schemas/logos.js';
import { AppError, notFound } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import type { AccountScope } from '../accounts/accounts.repository.js';
import { accountScopeOf } from '../accounts/accounts.service.js';
import { recordAudit } from '../audit/audit.service.js';
import {
  countExistingAccounts,
  deleteLogo as deleteLogoRow,
  findLogoById,
  findLogos,
  findVisibleLogo,
  insertLogo,
  setLogoOfAccounts,
  updateLogo as updateLogoRow,
  type LogoFile,
} from './logos.repository.js';
import { PngError, readPngDimensions } from './png.js';

type LogoRow = NonNullable<Awaited<ReturnType<typeof findLogoById>>>;

export function presentLogo(row: LogoRow): LogoResponse {
  return {
    id: row.id,
    name: row.name,
    fileName: row.file_name,
    width: row.width,
    height: row.height,
    sizeBytes: row.size_bytes,
    accountCount: row.account_count ?? 0,
    createdByUserId: row.created_by_user_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** An uploaded file as the route read it; `isTooLarge` when it went past LOGO_MAX_BYTES. */
export interface UploadedFile {
  fileName: string;
  bytes: Buffer;
  isTooLarge: boolean;
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', message, { issues: [{ path, message }] });
}

/** Checks the seed's rules: a whole PNG of at most 246 x 52 pixels (and at most 1 MiB). */
export function checkLogoFile(file: UploadedFile): { width: number; height: number } {
  if (file.isTooLarge) throw invalid('file', `The file is larger than 1 MiB; logos can be at most 1 MiB.`);
  if (file.bytes.length === 0) throw invalid('file', 'The file is empty. Choose a PNG image.');
  let dimensions: { width: number; height: number };
  try {
    dimensions = readPngDimensions(file.bytes);
  } catch (error) {
    if (error instanceof PngError) throw invalid('file', `${error.message} Choose a PNG image of at most 246 x 52 pixels.`);
    throw error;
  }
  if (dimensions.width > LOGO_MAX_WIDTH || dimensions.height > LOGO_MAX_HEIGHT) {
    throw invalid(
      'file',
      `The logo is ${dimensions.width} x ${dimensions.height} pixels; logos can be at most ${LOGO_MAX_WIDTH} x ${LOGO_MAX_HEIGHT} pixels.`,
    );
  }
  return dimensions;
}

function parseName(name: string | undefined): string {
  const parsed = LogoName.safeParse(name ?? '');
  if (!parsed.success) throw invalid('name', parsed.error.issues[0]?.message ?? 'Enter a name for the logo.');
  return parsed.data;
}

/** The file name as shown in the table: no path, at most 200 characters. */
function cleanFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop()?.trim() || 'logo.png';
  return base.slice(0, 200);
}

async function storeFile(ctx: ServiceContext, file: UploadedFile): Promise<LogoFile> {
  const { width, height } = checkLogoFile(file);
  const storageKey = `logos/${crypto.randomUUID()}.png`;
  await ctx.storage.put(storageKey, Readable.from([file.bytes]));
  return { fileName: cleanFileName(file.fileName), storageKey, width, height, sizeBytes: file.bytes.length };
}

async function deleteStoredFile(ctx: ServiceContext, key: string): Promise<void> {
  try {
    await ctx.storage.delete(key);
  } catch (error) {
    ctx.log.warn({ err: error, key }, 'could not delete a replaced logo file');
  }
}

export async function listLogos(ctx: ServiceContext): Promise<LogoListResponse> {
  return { items: (await findLogos(ctx.db)).map(presentLogo) };
}

export async function getLogo(ctx: ServiceContext, id: string): Promise<LogoResponse> {
  const row = await findLogoById(ctx.db, id);
  if (!row) throw notFound('Logo');
  return presentLogo(row);
}

export async function createLogo(ctx: ServiceContext, input: { name?: string; file?: UploadedFile }): Promise<LogoResponse> {
  const name = parseName(input.name);
  if (!input.file) throw invalid('file', 'Add a PNG file of at most 246 x 52 pixels.');
  const file = await storeFile(ctx, input.file);
  let id: string;
  try {
    ({ id } = await insertLogo(ctx.db, { name, createdByUserId: ctx.actor?.userId ?? null, ...file }));
  } catch (error) {
    await deleteStoredFile(ctx, file.storageKey);
    throw error;
  }
  await recordAudit(ctx, {
    action: 'logo.created',
    targetType: 'logo',
    targetId: id,
    details: { name, fileName: file.fileName, width: file.width, height: file.height },
  });
  return getLogo(ctx, id);
}

/** Renames the logo and/or replaces its file; the old file is deleted once the new one is in place. */
export async function updateLogo(ctx: ServiceContext, id: string, input: { name?: string; file?: UploadedFile }): Promise<LogoResponse> {
  const existing = await findLogoById(ctx.db, id);
  if (!existing) throw notFound('Logo');
  const name = input.name === undefined ? undefined : parseName(input.name);
  const file = input.file ? await storeFile(ctx, input.file) : undefined;
  await updateLogoRow(ctx.db, id, { name, file });
  if (file) await deleteStoredFile(ctx, existing.storage_key);
  await recordAudit(ctx, {
    action: 'logo.edited',
    targetType: 'logo',
    targetId: id,
    details: { name: name ?? existing.name, ...(name && name !== existing.name ? { oldName: existing.name } : {}), fileReplaced: !!file },
  });
  return getLogo(ctx, id);
}

/** Deletes the logo and removes it from every account that used it. */
export async function deleteLogo(ctx: ServiceContext, id: string): Promise<void> {
  const existing = await findLogoById(ctx.db, id);
  if (!existing) throw notFound('Logo');
  await ctx.db.transaction().execute((trx) => deleteLogoRow(trx, id));
  await deleteStoredFile(ctx, existing.storage_key);
  await recordAudit(ctx, {
    action: 'logo.deleted',
    targetType: 'logo',
    targetId: id,
    details: { name: existing.name, removedFromAccounts: existing.account_count ?? 0 },
  });
}

/** Assigns a logo to accounts, or with logoId null removes theirs ("(No Logo)"). All or nothing. */
export async function assignLogo(ctx: ServiceContext, input: AssignLogoBody): Promise<{ message: string; updatedCount: number }> {
  const accountIds = [...new Set(input.accountIds)];
  const scope = accountScopeOf(ctx);
  if (scope.kind === 'only' && accountIds.some((accountId) => !scope.accountIds.includes(accountId))) throw notFound('Account');
  const logo = input.logoId ? await findLogoById(ctx.db, input.logoId) : null;
  if (input.logoId && !logo) throw notFound('Logo');
  const updatedCount = await ctx.db.transaction().execute(async (trx) => {
    if ((await countExistingAccounts(trx, accountIds)) !== accountIds.length) throw notFound('Account');
    return setLogoOfAccounts(trx, input.logoId, accountIds);
  });
  await recordAudit(ctx, {
    action: input.logoId ? 'logo.assigned' : 'logo.unassigned',
    targetType: 'logo',
    targetId: input.logoId ?? undefined,
    details: { logoName: logo?.name ?? null, accountIds },
  });
  return { message: LOGO_MESSAGES.assigned, updatedCount };
}

/** The stored PNG of a logo the caller may see (see findVisibleLogo); 404 otherwise. */
/**
 * A logo's image: staff see the logos of the accounts they may see; a contact sees their own
 * account's logo, which their instance shows in its header. Any other logo is 404.
 */
export async function openLogoImage(ctx: ServiceContext, id: string) {
  const actor = ctx.actor;
  const scope: AccountScope =
    actor?.kind === 'contact'
      ? { kind: 'only', accountIds: actor.accountId ? [actor.accountId] : [], userId: actor.userId }
      : accountScopeOf(ctx);
  const logo = await findVisibleLogo(ctx.db, scope, id);
  if (!logo) throw notFound('Logo');
  return { stream: await ctx.storage.get(logo.storage_key), updatedAt: logo.updated_at };
}
