import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RoleValue } from '../../common/permissions.js';
import type { ServiceContext } from '../lib/context.js';
import { hashToken } from '../lib/crypto.js';
import { insertChildApiKeys } from '../modules/api-keys/api-keys.repository.js';
import { generateApiKeysFor } from '../modules/api-keys/api-keys.service.js';
import { createScanRecord, runImport, type ImportOutcome } from '../modules/imports/imports.service.js';
import { nessusImportEvents } from '../modules/imports/nessus-source.js';
import type { TestApp } from './build-test-app.js';
import { createAccount, createContact, createStaff } from './factories.js';

/** ../shared/fixtures/real, beside the checkout (tests only; never written). */
export const REAL_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/real');

export interface InstanceCaller {
  accountId: string;
  userId: string;
  username: string;
  /** The X-ApiKeys value, as pyTenable sends it. */
  apiKeys: string;
  headers: { 'x-apikeys': string };
}

function callerOf(accountId: string, user: { id: string; username: string }, accessKey: string, secretKey: string): InstanceCaller {
  const apiKeys = `accessKey=${accessKey}; secretKey=${secretKey}`;
  return { accountId, userId: user.id, username: user.username, apiKeys, headers: { 'x-apikeys': apiKeys } };
}

/**
 * A contact of an instance (a new account unless accountId is given) with the given role and a
 * fresh API key pair: what a customer's script holds.
 */
export async function createInstanceCaller(
  t: Pick<TestApp, 'ctx'>,
  options: { accountId?: string; role?: RoleValue; username?: string } = {},
): Promise<InstanceCaller> {
  const accountId = options.accountId ?? (await createAccount(t.ctx)).id;
  const contact = await createContact(t.ctx, accountId, { role: options.role ?? 64, username: options.username });
  const keys = await generateApiKeysFor(t.ctx, contact, { userId: null, username: null });
  return callerOf(accountId, contact, keys.accessKey, keys.secretKey);
}

/**
 * Temporary child keys of a staff user for one account, as POST /mssp/accounts/mssp-child-keys
 * makes them (written directly here, so tests of the instance API need not go through the portal).
 */
export async function createChildKeys(
  t: Pick<TestApp, 'ctx'>,
  user: { id: string; username: string },
  accountId: string,
  validitySeconds = 3600,
): Promise<InstanceCaller> {
  const accessKey = crypto.randomBytes(32).toString('hex');
  const secretKey = crypto.randomBytes(32).toString('hex');
  const now = new Date();
  await insertChildApiKeys(t.ctx.db, {
    userId: user.id,
    accountId,
    accessKey,
    secretHash: hashToken(t.ctx.config.secrets.sessionSecret, secretKey),
    expiresAt: new Date(now.getTime() + validitySeconds * 1000),
    createdAt: now,
  });
  return callerOf(accountId, user, accessKey, secretKey);
}

/** A staff user (portal keys only): its own key pair, which must never reach an instance. */
export async function createPortalCaller(t: Pick<TestApp, 'ctx'>, role: RoleValue = 64) {
  const staff = await createStaff(t.ctx, { role });
  const keys = await generateApiKeysFor(t.ctx, staff, { userId: null, username: null });
  return { staff, headers: { 'x-apikeys': `accessKey=${keys.accessKey}; secretKey=${keys.secretKey}` } };
}

/**
 * Imports a real fixture (a path under ../shared/fixtures/real, e.g. 'nessus/tenable__pyTenable__example.nessus')
 * into an instance through the same importer as the interface, the API and the CLI.
 */
export async function importFixture(
  ctx: Pick<ServiceContext, 'db' | 'log'> & Partial<ServiceContext>,
  accountId: string,
  fixture: string,
  ownerUserId: string | null = null,
): Promise<Extract<ImportOutcome, { status: 'completed' }>> {
  const file = path.join(REAL_FIXTURES, fixture);
  const scanId = await createScanRecord(ctx, {
    accountId,
    name: path.basename(file),
    fileName: path.basename(file),
    fileSize: fs.statSync(file).size,
    storageKey: null,
    ownerUserId,
  });
  const outcome = await runImport(ctx, scanId, nessusImportEvents(fs.createReadStream(file)));
  if (outcome.status !== 'completed') throw new Error(`importing ${fixture}: ${JSON.stringify(outcome)}`);
  return outcome;
}
