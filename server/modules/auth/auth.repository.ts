import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, SessionRow, UserRow } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface NewSession {
  tokenHash: string;
  userId: string;
  isPersistent: boolean;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export function insertSession(db: Executor, session: NewSession): Promise<SessionRow> {
  return db
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      is_persistent: session.isPersistent,
      expires_at: session.expiresAt,
      ip: session.ip,
      user_agent: session.userAgent,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface SessionLookup {
  session: SessionRow;
  user: UserRow;
  /** Contacts: whether their customer account is active. Staff: null. */
  accountIsActive: boolean | null;
  /**
   * The version of the accounts data (account_directory_version), bumped by every change of
   * accounts, licences, logos and staff assignments: it keys the caches of assignment-cache.ts and
   * the Accounts directory for this request.
   */
  directoryVersion: string;
}

/** The session, its user, the contact's account state and the accounts data version, in one round trip. */
export async function findSessionWithUser(db: Executor, tokenHash: string): Promise<SessionLookup | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('u')
    .select([
      sql<Record<keyof SessionRow, string | boolean | null>>`to_jsonb(s)`.as('session_json'),
      sql<boolean | null>`(select c.is_active from customer_accounts c where c.id = u.account_id)`.as('account_is_active'),
      sql<string>`(select v.version::text from account_directory_version v where v.id = 1)`.as('directory_version'),
    ])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const { session_json: json, account_is_active: accountIsActive, directory_version: directoryVersion, ...user } = row;
  const session: SessionRow = {
    id: String(json.id),
    token_hash: String(json.token_hash),
    user_id: String(json.user_id),
    is_persistent: json.is_persistent === true,
    created_at: new Date(String(json.created_at)),
    last_seen_at: new Date(String(json.last_seen_at)),
    expires_at: new Date(String(json.expires_at)),
    ip: json.ip === null ? null : String(json.ip),
    user_agent: json.user_agent === null ? null : String(json.user_agent),
  };
  return { session, user, accountIsActive: user.kind === 'contact' ? accountIsActive === true : null, directoryVersion };
}

export async function touchSession(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function insertOneTimeToken(
  db: Executor,
  token: { purpose: 'setup' | 'password_reset'; tokenHash: string; userId: string | null; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('one_time_tokens')
    .values({ purpose: token.purpose, token_hash: token.tokenHash, user_id: token.userId, expires_at: token.expiresAt })
    .execute();
}

/** An unused, unexpired token of that purpose, or undefined. */
export function findUsableToken(db: Executor, purpose: 'setup' | 'password_reset', tokenHash: string) {
  return db
    .selectFrom('one_time_tokens')
    .selectAll()
    .where('purpose', '=', purpose)
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
}

/** Marks the token used; false if another request used it first. */
export async function consumeToken(db: Executor, id: string): Promise<boolean> {
  const result = await db
    .updateTable('one_time_tokens')
    .set({ used_at: new Date() })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function invalidateTokens(db: Executor, purpose: 'setup' | 'password_reset', userId: string | null): Promise<void> {
  let query = db.updateTable('one_time_tokens').set({ used_at: new Date() }).where('purpose', '=', purpose).where('used_at', 'is', null);
  query = userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', userId);
  await query.execute();
}

export interface RateLimitState {
  count: number;
  windowEndsAt: Date;
}

/** The current count in a fixed window, without counting this call. */
export async function peekRateLimit(db: Executor, key: string): Promise<RateLimitState | null> {
  const row = await db
    .selectFrom('rate_limits')
    .selectAll()
    .where('key', '=', key)
    .where('window_ends_at', '>', new Date())
    .executeTakeFirst();
  return row ? { count: row.count, windowEndsAt: row.window_ends_at } : null;
}

/** Counts one hit in a fixed window shared by every node (one atomic upsert). */
export async function hitRateLimit(db: Executor, key: string, windowSeconds: number): Promise<RateLimitState> {
  const result = await sql<{ count: number; window_ends_at: Date }>`
    insert into rate_limits (key, count, window_ends_at)
    values (${key}, 1, now() + make_interval(secs => ${windowSeconds}))
    on conflict (key) do update set
      count = case when rate_limits.window_ends_at <= now() then 1 else rate_limits.count + 1 end,
      window_ends_at = case when rate_limits.window_ends_at <= now() then excluded.window_ends_at else rate_limits.window_ends_at end
    returning count, window_ends_at`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('rate limit upsert returned no row');
  return { count: row.count, windowEndsAt: row.window_ends_at };
}

export async function clearRateLimit(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}

/** Sign-in lockout state of a normalised username (known or not); see sign-in-lockout.ts. */
export interface LockoutRow {
  failedAttempts: number;
  lockCount: number;
  lockedUntil: Date | null;
  lastFailedAt: Date | null;
}

export async function findLockout(db: Executor, usernameKey: string): Promise<LockoutRow | null> {
  const row = await db.selectFrom('sign_in_lockouts').selectAll().where('username_key', '=', usernameKey).executeTakeFirst();
  return row
    ? { failedAttempts: row.failed_attempts, lockCount: row.lock_count, lockedUntil: row.locked_until, lastFailedAt: row.last_failed_at }
    : null;
}

/** Inside a transaction: the username's lockout row, created if missing and held until commit. */
export async function findLockoutForUpdate(trx: Transaction<Database>, usernameKey: string): Promise<LockoutRow> {
  await trx
    .insertInto('sign_in_lockouts')
    .values({ username_key: usernameKey })
    .onConflict((oc) => oc.column('username_key').doNothing())
    .execute();
  const row = await trx
    .selectFrom('sign_in_lockouts')
    .selectAll()
    .where('username_key', '=', usernameKey)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return {
    failedAttempts: row.failed_attempts,
    lockCount: row.lock_count,
    lockedUntil: row.locked_until,
    lastFailedAt: row.last_failed_at,
  };
}

export async function saveLockout(db: Executor, usernameKey: string, state: LockoutRow): Promise<void> {
  await db
    .updateTable('sign_in_lockouts')
    .set({
      failed_attempts: state.failedAttempts,
      lock_count: state.lockCount,
      locked_until: state.lockedUntil,
      last_failed_at: state.lastFailedAt,
    })
    .where('username_key', '=', usernameKey)
    .execute();
}

export async function deleteLockout(db: Executor, usernameKey: string): Promise<void> {
  await db.deleteFrom('sign_in_lockouts').where('username_key', '=', usernameKey).execute();
}

/**
 * Counts a failed sign-in on the user of that username: one and the same statement whether or not
 * the user exists (it then changes no row), so the two cases cannot be told apart by their work.
 */
export async function recordFailedSignInByUsername(db: Executor, usernameKey: string, at: Date): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ failed_login_count: eb('failed_login_count', '+', 1), last_failed_login_at: at }))
    .where(sql<boolean>`lower(username) = ${usernameKey}`)
    .execute();
}
