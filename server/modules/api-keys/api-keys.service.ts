import crypto from 'node:crypto';
import type { Actor } from '../../../common/permissions.js';
import type { ApiKeysStatusResponse, GeneratedApiKeysResponse } from '../../../common/schemas/api-keys.js';
import type { UserRow } from '../../db/schema.js';
import { AppError, notFound } from '../../lib/app-error.js';
import { assertNotAssisting } from '../../lib/assist-guard.js';
import type { ServiceContext } from '../../lib/context.js';
import { hashToken, isEqualInConstantTime } from '../../lib/crypto.js';
import { findAccountById } from '../accounts/accounts.repository.js';
import { accountScopeOf } from '../accounts/accounts.service.js';
import { recordAudit } from '../audit/audit.service.js';
import { findAssignedAccountIds, findStaffById, findUserById } from '../users/users.repository.js';
import { buildActor } from '../users/users.service.js';
import {
  findApiKeysOfUser,
  findApiKeysWithUser,
  findChildApiKeysWithUser,
  insertChildApiKeys,
  touchApiKeys,
  touchChildApiKeys,
  upsertApiKeys,
} from './api-keys.repository.js';

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

/** Temporary keys of a staff user for one customer instance (POST /mssp/accounts/mssp-child-keys). */
export interface ChildApiKeys {
  accountId: string;
  siteId: string | null;
  userId: string;
  accessKey: string;
  secretKey: string;
  expiresAt: Date;
  validitySeconds: number;
}

/**
 * Generates temporary keys that reach one account's instance with the staff user's own role, for
 * validitySeconds (1 to 3600). Only accounts the staff user may see: any other, or a missing one,
 * is not found. The keys also stop working as soon as the user may no longer see the account (the
 * instance gate asks the policy table on every request). The secret is returned here only.
 */
export async function generateChildApiKeys(
  ctx: ServiceContext,
  input: { accountId: string; validitySeconds: number },
): Promise<ChildApiKeys> {
  const actor = signedInActor(ctx);
  if (!Number.isInteger(input.validitySeconds) || input.validitySeconds < 1 || input.validitySeconds > 3600) {
    throw new AppError('validation_failed', 'keys_validity_duration_seconds must be a whole number of seconds from 1 to 3600.');
  }
  // accountScopeOf refuses non-staff: child keys belong to the portal's users only.
  const account = await findAccountById(ctx.db, accountScopeOf(ctx), input.accountId);
  if (!account) throw notFound('Account');
  const accessKey = createKey();
  const secretKey = createKey();
  const createdAt = new Date();
  const expiresAt = new Date(createdAt.getTime() + input.validitySeconds * 1000);
  await ctx.db.transaction().execute(async (trx) => {
    await insertChildApiKeys(trx, {
      userId: actor.userId,
      accountId: account.id,
      accessKey,
      secretHash: hashToken(ctx.config.secrets.sessionSecret, secretKey),
      expiresAt,
      createdAt,
    });
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'api_keys.child_keys_generated',
        targetType: 'account',
        targetId: account.id,
        accountId: account.id,
        details: { validitySeconds: input.validitySeconds, expiresAt: expiresAt.toISOString() },
      },
    );
  });
  return {
    accountId: account.id,
    siteId: account.site_id,
    userId: actor.userId,
    accessKey,
    secretKey,
    expiresAt,
    validitySeconds: input.validitySeconds,
  };
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

/** Who an X-ApiKeys header authenticates, and the one customer instance the keys reach, if any. */
export interface ApiKeyCaller {
  actor: Actor;
  /**
   * Contacts' keys: their own account. Staff's temporary child keys: the account they were made
   * for. Staff's own (portal) keys: null, since portal keys never reach a customer instance.
   */
  instanceAccountId: string | null;
  /** True for the temporary keys of POST /mssp/accounts/mssp-child-keys. */
  isChildKey: boolean;
}

interface KeyUse {
  ctx: Pick<ServiceContext, 'db' | 'config'>;
  origin: ServiceContext['origin'];
  actor: Actor;
  lastUsedAt: Date | null;
  touch: (at: Date) => Promise<void>;
  accountId: string | null;
}

/**
 * Records the key's last use, at most once a minute, and audits its first use of each (UTC) day,
 * so the audit log says which keys are in use without a row per request.
 */
async function recordKeyUse(use: KeyUse): Promise<void> {
  const now = new Date();
  const { lastUsedAt } = use;
  if (lastUsedAt && now.getTime() - lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  await use.touch(now);
  if (lastUsedAt && lastUsedAt.toISOString().slice(0, 10) === now.toISOString().slice(0, 10)) return;
  await recordAudit(
    { db: use.ctx.db, actor: use.actor, origin: use.origin },
    { action: 'api_keys.used', targetType: 'user', targetId: use.actor.userId, accountId: use.accountId, details: {} },
  );
}

const NO_ORIGIN: ServiceContext['origin'] = { ip: null, userAgent: null };

/**
 * Authenticates an X-ApiKeys header: a user's own pair, else a staff user's temporary child pair
 * that has not expired. A malformed header, an unknown access key, a wrong secret key and a
 * disabled user all answer null alike. The secret's keyed hash is compared in constant time.
 */
export async function authenticateApiKeyHeader(
  ctx: Pick<ServiceContext, 'db' | 'config'>,
  headerValue: string | undefined | null,
  origin: ServiceContext['origin'] = NO_ORIGIN,
): Promise<ApiKeyCaller | null> {
  const credentials = parseApiKeysHeader(headerValue);
  if (!credentials) return null;
  // Hash even when the access key is unknown, so timing does not tell the two apart.
  const secretHash = hashToken(ctx.config.secrets.sessionSecret, credentials.secretKey);
  const found = await findApiKeysWithUser(ctx.db, credentials.accessKey);
  if (found) {
    if (!isEqualInConstantTime(secretHash, found.secret_hash)) return null;
    const { api_key_id: apiKeyId, secret_hash: _secretHash, api_key_last_used_at: lastUsedAt, ...user } = found;
    if (user.is_disabled) return null;
    const actor = buildActor(user, await findAssignedAccountIds(ctx.db, user.id));
    const instanceAccountId = user.kind === 'contact' ? user.account_id : null;
    await recordKeyUse({ ctx, origin, actor, lastUsedAt, accountId: instanceAccountId, touch: (at) => touchApiKeys(ctx.db, apiKeyId, at) });
    return { actor, instanceAccountId, isChildKey: false };
  }
  const child = await findChildApiKeysWithUser(ctx.db, credentials.accessKey, new Date());
  if (!child || !isEqualInConstantTime(secretHash, child.secret_hash)) return null;
  const {
    child_key_id: childKeyId,
    secret_hash: _secretHash,
    child_key_last_used_at: lastUsedAt,
    child_account_id: accountId,
    ...user
  } = child;
  if (user.is_disabled || user.kind !== 'staff') return null;
  const actor = buildActor(user, await findAssignedAccountIds(ctx.db, user.id));
  await recordKeyUse({ ctx, origin, actor, lastUsedAt, accountId, touch: (at) => touchChildApiKeys(ctx.db, childKeyId, at) });
  return { actor, instanceAccountId: accountId, isChildKey: true };
}

/** The actor of an X-ApiKeys header, or null (see authenticateApiKeyHeader). */
export async function authenticateApiKeys(
  ctx: Pick<ServiceContext, 'db' | 'config'>,
  headerValue: string | undefined | null,
): Promise<Actor | null> {
  return (await authenticateApiKeyHeader(ctx, headerValue))?.actor ?? null;
}
