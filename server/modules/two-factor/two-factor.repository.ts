import { sql, type Insertable, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { Database, PasskeysTable, TwoFactorAttemptsTable, TwoFactorSettingsTable } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

export type TwoFactorSettingsRow = Selectable<TwoFactorSettingsTable>;
export type AttemptRow = Selectable<TwoFactorAttemptsTable>;
export type PasskeyRow = Selectable<PasskeysTable>;

export function findSettings(db: Executor, userId: string): Promise<TwoFactorSettingsRow | undefined> {
  return db.selectFrom('two_factor_settings').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function upsertSettings(
  db: Executor,
  userId: string,
  patch: Omit<Updateable<TwoFactorSettingsTable>, 'user_id' | 'created_at'>,
): Promise<void> {
  await db
    .insertInto('two_factor_settings')
    .values({ user_id: userId, ...patch } as Insertable<TwoFactorSettingsTable>)
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...patch, updated_at: new Date() }))
    .execute();
}

/** Deletes every factor of the user: phone and settings, authenticator app, recovery codes, passkeys, pending attempts. */
export async function deleteAllFactors(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('two_factor_settings').where('user_id', '=', userId).execute();
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db.deleteFrom('passkeys').where('user_id', '=', userId).execute();
  await db.deleteFrom('two_factor_attempts').where('user_id', '=', userId).where('purpose', '<>', 'sign_in').execute();
}

/** Which factors a user has, in one round trip. */
export async function findFactorSummary(
  db: Executor,
  userId: string,
): Promise<{ hasSms: boolean; hasTotp: boolean; passkeyCount: number; recoveryCodesLeft: number }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('two_factor_settings')
        .select(sql<boolean>`phone_verified_at is not null`.as('v'))
        .where('user_id', '=', userId)
        .as('has_sms'),
      eb
        .selectFrom('two_factor_settings')
        .select(sql<boolean>`totp_enabled_at is not null`.as('v'))
        .where('user_id', '=', userId)
        .as('has_totp'),
      eb
        .selectFrom('passkeys')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('user_id', '=', userId)
        .as('passkey_count'),
      eb
        .selectFrom('recovery_codes')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .as('recovery_codes_left'),
    ])
    .executeTakeFirstOrThrow();
  return {
    hasSms: row.has_sms === true,
    hasTotp: row.has_totp === true,
    passkeyCount: Number(row.passkey_count ?? 0),
    recoveryCodesLeft: Number(row.recovery_codes_left ?? 0),
  };
}

export function insertAttempt(db: Executor, attempt: Insertable<TwoFactorAttemptsTable>): Promise<AttemptRow> {
  return db.insertInto('two_factor_attempts').values(attempt).returningAll().executeTakeFirstOrThrow();
}

export function findAttemptByTokenHash(db: Executor, tokenHash: string): Promise<AttemptRow | undefined> {
  return db
    .selectFrom('two_factor_attempts')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', 'sign_in')
    .executeTakeFirst();
}

/** An attempt of this user only: another user's attempt is not found. */
export function findOwnAttempt(
  db: Executor,
  userId: string,
  attemptId: string,
  purpose: AttemptRow['purpose'],
): Promise<AttemptRow | undefined> {
  return db
    .selectFrom('two_factor_attempts')
    .selectAll()
    .where('id', '=', attemptId)
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .executeTakeFirst();
}

/** Adds one wrong try atomically; the attempt fails for good at `maxTries`. Answers the new count. */
export async function recordWrongTry(db: Executor, attemptId: string, maxTries: number): Promise<number> {
  const row = await db
    .updateTable('two_factor_attempts')
    .set((eb) => ({
      wrong_tries: eb('wrong_tries', '+', 1),
      state: sql<'pending' | 'failed'>`case when wrong_tries + 1 >= ${maxTries} then 'failed' else state end`,
    }))
    .where('id', '=', attemptId)
    .returning('wrong_tries')
    .executeTakeFirstOrThrow();
  return row.wrong_tries;
}

/** Pending -> passed, once: false when another request finished (or killed) it first. */
export async function markAttemptPassed(db: Executor, attemptId: string): Promise<boolean> {
  const row = await db
    .updateTable('two_factor_attempts')
    .set({ state: 'passed' })
    .where('id', '=', attemptId)
    .where('state', '=', 'pending')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function setAttemptChallenge(db: Executor, attemptId: string, challenge: string | null): Promise<void> {
  await db.updateTable('two_factor_attempts').set({ webauthn_challenge: challenge }).where('id', '=', attemptId).execute();
}

/** Clears the WebAuthn challenge if it is still this one, so it answers one response only. */
export async function consumeAttemptChallenge(db: Executor, attemptId: string, challenge: string): Promise<boolean> {
  const row = await db
    .updateTable('two_factor_attempts')
    .set({ webauthn_challenge: null })
    .where('id', '=', attemptId)
    .where('webauthn_challenge', '=', challenge)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteExpiredAttempts(db: Executor, now: Date): Promise<void> {
  await db
    .deleteFrom('two_factor_attempts')
    .where('expires_at', '<', new Date(now.getTime() - 86_400_000))
    .execute();
}

export async function insertCode(
  db: Executor,
  code: { attemptId: string; userId: string; codeHash: string; isResend: boolean; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('two_factor_codes')
    .values({
      attempt_id: code.attemptId,
      user_id: code.userId,
      code_hash: code.codeHash,
      is_resend: code.isResend,
      created_at: code.createdAt,
      expires_at: code.expiresAt,
    })
    .execute();
  if (code.isResend) {
    await db
      .updateTable('two_factor_attempts')
      .set((eb) => ({ resends: eb('resends', '+', 1) }))
      .where('id', '=', code.attemptId)
      .execute();
  }
}

export function findCodesOfAttempt(db: Executor, attemptId: string) {
  return db
    .selectFrom('two_factor_codes')
    .select(['id', 'attempt_id', 'code_hash', 'expires_at', 'used_at', 'created_at'])
    .where('attempt_id', '=', attemptId)
    .orderBy('created_at', 'desc')
    .execute();
}

export function findSendsToUser(db: Executor, userId: string, since: Date) {
  return db
    .selectFrom('two_factor_codes')
    .select(['created_at as at', 'is_resend as isResend'])
    .where('user_id', '=', userId)
    .where('created_at', '>', since)
    .execute();
}

/** Marks a code used, once: false when it was already used (a replay racing this one). */
export async function markCodeUsed(db: Executor, codeId: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('two_factor_codes')
    .set({ used_at: now })
    .where('id', '=', codeId)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Accepts a TOTP step only when it is later than the last one used (atomic, so two requests cannot both win). */
export async function advanceTotpStep(db: Executor, userId: string, step: number): Promise<boolean> {
  const row = await db
    .updateTable('two_factor_settings')
    .set({ totp_last_step: step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function replaceRecoveryCodes(db: Executor, userId: string, codeHashes: string[]): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('recovery_codes')
    .values(codeHashes.map((codeHash) => ({ user_id: userId, code_hash: codeHash })))
    .execute();
}

/** Uses up one recovery code of the user, once. Answers how many are left, or null if none matched. */
export async function useRecoveryCode(db: Executor, userId: string, codeHash: string, now: Date): Promise<number | null> {
  const used = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!used) return null;
  const left = await db
    .selectFrom('recovery_codes')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return left.n;
}

export function findPasskeysOfUser(db: Executor, userId: string): Promise<PasskeyRow[]> {
  return db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}

export function findPasskeyByCredentialId(db: Executor, userId: string, credentialId: string): Promise<PasskeyRow | undefined> {
  return db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).where('credential_id', '=', credentialId).executeTakeFirst();
}

export function insertPasskey(db: Executor, passkey: Insertable<PasskeysTable>): Promise<PasskeyRow> {
  return db.insertInto('passkeys').values(passkey).returningAll().executeTakeFirstOrThrow();
}

export async function updatePasskeyUse(db: Executor, passkeyId: string, counter: number, now: Date): Promise<void> {
  await db.updateTable('passkeys').set({ counter, last_used_at: now }).where('id', '=', passkeyId).execute();
}

/** Deletes one passkey of this user; another user's passkey is not found. */
export async function deleteOwnPasskey(db: Executor, userId: string, passkeyId: string): Promise<PasskeyRow | undefined> {
  return db.deleteFrom('passkeys').where('id', '=', passkeyId).where('user_id', '=', userId).returningAll().executeTakeFirst();
}

/** The user's sign-in attempts since `since`, with their wrong tries. */
export function findRecentSignInAttempts(db: Executor, userId: string, since: Date) {
  return db
    .selectFrom('two_factor_attempts')
    .select(['created_at', 'wrong_tries'])
    .where('user_id', '=', userId)
    .where('purpose', '=', 'sign_in')
    .where('created_at', '>', since)
    .execute();
}
