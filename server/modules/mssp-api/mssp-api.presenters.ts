import crypto from 'node:crypto';
import type { z } from 'zod';
import type { AccountLicenseResponse } from '../../../common/schemas/accounts.js';
import type { LogoResponse } from '../../../common/schemas/logos.js';
import type { UserSummaryResponse } from '../../../common/schemas/users.js';
import type { Config } from '../../config.js';
import type { ChildApiKeys } from '../api-keys/api-keys.service.js';
import type { ChildKeysResponse, MsspAccount, MsspLogo, TenableUser } from './mssp-api.schemas.js';

type License = { app: string } & Omit<z.infer<typeof AccountLicenseResponse>, 'app'>;

/** What an account presenter needs: the list's and the details' shapes both fit. */
export interface AccountSource {
  id: string;
  name: string;
  customName: string | null;
  siteId: string | null;
  region: string | null;
  notes: string;
  logoId: string | null;
  licenses: License[];
  createdAt: string;
  updatedAt: string;
}

/** `YYYY-MM-DD` as epoch seconds at the start of that day (UTC). */
function epochSecondsOf(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000);
}

/**
 * An account as Tenable's MSSP API shows it. Bulwark licenses each app separately; here assets
 * and limits are summed over the apps, and the expiry is the earliest of them, in epoch seconds.
 */
export function presentMsspAccount(account: AccountSource): MsspAccount {
  const licensedAssets = account.licenses.reduce((sum, license) => sum + license.licensedAssets, 0);
  const limit = account.licenses.reduce((sum, license) => sum + license.assetLimit, 0);
  const expiries = account.licenses
    .map((license) => license.expiresOn)
    .filter((date): date is string => date !== null)
    .sort();
  const earliest = expiries[0];
  return {
    uuid: account.id,
    container_name: account.name,
    custom_name: account.customName,
    region: account.region,
    site_id: account.siteId,
    licensed_assets: licensedAssets,
    licensed_assets_limit: limit,
    license_utilization: limit > 0 ? Math.round((licensedAssets / limit) * 10_000) / 10_000 : 0,
    license_expiration_date: earliest === undefined ? null : epochSecondsOf(earliest),
    licensed_apps: account.licenses.map((license) => license.app),
    notes: account.notes,
    ...(account.logoId ? { logo_uuid: account.logoId } : {}),
    domains: [],
    created: account.createdAt,
    modified: account.updatedAt,
  };
}

/**
 * The portal's own container UUID (Tenable's `container_uuid` of logos and portal users). Bulwark
 * has no such row: it is derived from SESSION_SECRET with a keyed hash, so it is stable for the
 * deployment, the same on every node, and tells nothing about the secret.
 */
export function portalContainerUuid(config: Config): string {
  const hex = crypto.createHmac('sha256', config.secrets.sessionSecret).update('bulwark:portal-container-uuid').digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function presentMsspLogo(logo: LogoResponse, containerUuid: string): MsspLogo {
  return { uuid: logo.id, container_uuid: containerUuid, name: logo.name, filename: logo.fileName };
}

function millisecondsOf(iso: string | null): number | undefined {
  return iso === null ? undefined : Date.parse(iso);
}

/** A portal staff user as Tenable's user object (section 5); times in epoch milliseconds. */
export function presentTenableUser(user: UserSummaryResponse, containerUuid: string): TenableUser {
  const lastLogin = millisecondsOf(user.lastLoginAt);
  const lastFailed = millisecondsOf(user.lastFailedLoginAt);
  const lastAttempt = Math.max(lastLogin ?? 0, lastFailed ?? 0);
  const lastKeyUse = millisecondsOf(user.apiKeysLastUsedAt);
  return {
    id: user.id,
    uuid: user.id,
    uuid_id: user.id,
    username: user.username,
    user_name: user.username,
    email: user.email,
    name: user.name,
    type: 'local',
    permissions: user.role,
    enabled: !user.isDisabled,
    login_fail_count: user.failedLoginCount,
    login_fail_total: user.failedLoginCount,
    container_uuid: containerUuid,
    aggregate: true,
    lockout: 0,
    ...(lastLogin === undefined ? {} : { lastlogin: lastLogin }),
    ...(lastAttempt > 0 ? { last_login_attempt: lastAttempt } : {}),
    ...(lastKeyUse === undefined ? {} : { last_apikey_access: lastKeyUse }),
  };
}

/** Seconds as an ISO 8601 duration: 90 → PT1M30S, 3600 → PT1H. */
function isoDurationOf(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return `PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${rest ? `${rest}S` : ''}`;
}

/**
 * Child keys as Tenable answers them (6.1). `_validity_info` reads "<expiry epoch> <validity>s
 * <ISO duration> <expiry ISO>"; `remote` is false, as every instance is on this deployment.
 */
export function presentChildApiKeys(keys: ChildApiKeys, parentContainerUuid: string): ChildKeysResponse {
  const expiresEpoch = Math.floor(keys.expiresAt.getTime() / 1000);
  return {
    parent_container_uuid: parentContainerUuid,
    child_container_uuid: keys.accountId,
    child_container_site: keys.siteId ?? '',
    keys_user_uuid: keys.userId,
    access_key: keys.accessKey,
    secret_key: keys.secretKey,
    keys_expiration_epoch_seconds: expiresEpoch,
    remote: false,
    _validity_info: `${expiresEpoch} ${keys.validitySeconds}s ${isoDurationOf(keys.validitySeconds)} ${keys.expiresAt.toISOString()}`,
  };
}
