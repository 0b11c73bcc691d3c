import crypto from 'node:crypto';
import type { Actor } from '../../../common/permissions.js';
import type { ApiKeysStatusResponse, GeneratedApiKeysResponse } from '../../../common/schemas/api-keys.js';
import type { UserRow } from '../../db/schema.js';
import { AppError, notFound } from '../../lib/app-error.js';
import { assertNotAssisting } from '../../lib/assist-guard.js';
import type { ServiceContext } from '../../lib/context.js';
import { hashToken, isEqualInConstantTime } from '../../lib/crypto.js';
import { recordAudit } from '../audit/audit.service.js';
import { findAssignedAccountIds, findStaffById, findUserById } from '../users/users.repository.js';
import { buildActor } from '../users/users.service.js';
import { findApiKeysOfUser, findApiKeysWithUser, touchApiKeys, upsertApiKeys } from './api-keys.repository.js';

/** last_used_at is written at most this often per key, to spare a write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

function createKey(): string {
  return crypto.randomBytes(32).toString('hex');
}

/**
 * Generates a new pair for the user, replacing the previous one at once. The secret key is
 * returned here only: the database keeps its keyed hash.
 */
export async function generateApiKeysFor(
  ctx: Pick<ServiceContext, 'db' | 'config' | 'actor' | 'origin'>,
  user: UserRow,
  auditActor?: { userId: string | null; username: string | null },
): Promise<GeneratedApiKeysResponse> {
  const accessKey = createKey();
  const secretKey = createKey();
  const createdAt = new Date();
  const by = auditActor ?? { userId: ctx.actor?.userId ?? null, username: ctx.actor?.username ?? null };
  await ctx.db.transaction().execute(async (trx) => {
    await upsertApiKeys(trx, {
      userId: user.id,
      accessKey,
      secretHash: hashToken(ctx.config.secrets.sessionSecret, secretKey),
      createdByUserId: by.userId,
      createdAt,
    });
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'api_keys.generated',
        actor: by,
        targetType: 'user',
        targetId: user.id,
        details: { forUserId: user.id, forUsername: user.username, byUserId: by.userId, byUsername: by.username },
      },
    );
  });
  return { accessKey, secretKey, createdAt: createdAt.toISOString() };
}

function signedInActor(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new AppError('unauthenticated', 'Sign in to continue.');
  return ctx.actor;
}

/** My Account → API Keys → Generate. */
export async function generateOwnApiKeys(ctx: ServiceContext): Promise<GeneratedApiKeysResponse> {
  // An assisting Administrator acts as this user but may not give themselves the user's keys.
  assertNotAssisting(ctx);
  const user = await findUserById(ctx.db, signedInActor(ctx).userId);
  if (!user) throw notFound('User');
  return generateApiKeysFor(ctx, user);
}

/** Edit User → Generate API Keys → Replace & Generate (Administrators; staff users only). */
export async function generateStaffApiKeys(ctx: ServiceContext, userId: string): Promise<GeneratedApiKeysResponse> {
  assertNotAssisting(ctx);
  const user = await findStaffById(ctx.db, userId);
  if (!user) throw notFound('User');
  return generateApiKeysFor(ctx, user);
}

export async function getOwnApiKeysStatus(ctx: ServiceContext): Promise<ApiKeysStatusResponse> {
  const row = await findApiKeysOfUser(ctx.db, signedInActor(ctx).userId);
  return {
    hasKeys: row !== undefined,
    createdAt: row?.created_at.toISOString() ?? null,
    lastUsedAt: row?.last_used_at?.toISOString() ?? null,
  };
}

export interface ApiKeysCredentials {
  accessKey: string;
  secretKey: string;
}

/**
 * Parses an X-ApiKeys header value leniently, as real clients send it (tenable-api.md 1.2):
 * `accessKey=AK; secretKey=SK`, without spaces, with or without a trailing semicolon. Parts are
 * split on ';' and trimmed, empty parts ignored; key names are case-sensitive. Null when either
 * key is missing or empty, or a key is given twice.
 */
export function parseApiKeysHeader(headerValue: string | undefined | null): ApiKeysCredentials | null {
  if (typeof headerValue !== 'string') return null;
  const values = new Map<string, string>();
  for (const rawPart of headerValue.split(';')) {
    const part = rawPart.trim();
    if (!part) continue;
    const equals = part.indexOf('=');
    if (equals <= 0) return null;
    const name = part.slice(0, equals).trim();
    const value = part.slice(equals + 1).trim();
    if (values.has(name)) return null;
    values.set(name, value);
  }
  const accessKey = values.get('accessKey');
  const secretKey = values.get('secretKey');
  if (!accessKey || !secretKey) return null;
  return { accessKey, secretKey };
}

/**
 * The actor an X-ApiKeys header authenticates, or null: a malformed header, an unknown access
 * key, a wrong secret key and a disabled user all answer null alike. The secret's keyed hash is
 * compared in constant time. Records the last use (at most once a minute).
 */
export async function authenticateApiKeys(
  ctx: Pick<ServiceContext, 'db' | 'config'>,
  headerValue: string | undefined | null,
): Promise<Actor | null> {
  const credentials = parseApiKeysHeader(headerValue);
  if (!credentials) return null;
  const found = await findApiKeysWithUser(ctx.db, credentials.accessKey);
  // Hash even when the access key is unknown, so timing does not tell the two apart.
  const secretHash = hashToken(ctx.config.secrets.sessionSecret, credentials.secretKey);
  if (!found || !isEqualInConstantTime(secretHash, found.secret_hash)) return null;
  const { api_key_id: apiKeyId, secret_hash: _secretHash, api_key_last_used_at: lastUsedAt, ...user } = found;
  if (user.is_disabled) return null;
  const now = Date.now();
  if (!lastUsedAt || now - lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) await touchApiKeys(ctx.db, apiKeyId, new Date(now));
  return buildActor(user, await findAssignedAccountIds(ctx.db, user.id));
}
