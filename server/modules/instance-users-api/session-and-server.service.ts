import type { z } from 'zod';
import { VERSION } from '../../version.js';
import { notFound } from '../../lib/app-error.js';
import { findAccountById, findLicensesOfAccounts } from '../accounts/accounts.repository.js';
import { portalContainerUuid } from '../mssp-api/mssp-api.presenters.js';
import { integerIdOf, presentInstanceUser } from './instance-users.presenters.js';
import type { ServerProperties, SessionResponse } from './instance-users.schemas.js';
import { getSessionUser, type InstanceContext } from './instance-users.service.js';

async function instanceAccountOf(ctx: InstanceContext) {
  // The gate has already checked that the keys reach this account.
  const account = await findAccountById(ctx.db, { kind: 'all' }, ctx.accountId);
  if (!account) throw notFound('Account');
  const licenses = await findLicensesOfAccounts(ctx.db, [account.id]);
  return { account, licenses };
}

function epochSecondsOf(date: string | null): number | null {
  return date === null ? null : Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000);
}

/**
 * GET /session: the caller (a contact of the instance, or the staff user holding child keys, with
 * that user's role) and the instance's container: its id (integer and UUID, the account's), name
 * and licensed apps. Bulwark has no groups or feature flags.
 */
export async function describeSession(ctx: InstanceContext): Promise<z.infer<typeof SessionResponse>> {
  const [user, { account, licenses }] = await Promise.all([getSessionUser(ctx), instanceAccountOf(ctx)]);
  return {
    ...presentInstanceUser(user, account.id),
    container_id: integerIdOf(account.id),
    container_uuid: account.id,
    container_name: account.custom_name ?? account.name,
    features: {},
    apps: Object.fromEntries(licenses.map((license) => [license.app, 'standard'])),
    groups: [],
    group_uuids: [],
  };
}

/**
 * GET /server/properties, with honest values: Bulwark's version, this deployment's id (the portal
 * container UUID), the instance's licences and region. There is no plugin feed (plugins arrive
 * with imported scans), so the plugin sets are null; `msp` is false because an instance is a child
 * container, not the portal.
 */
export async function describeServer(ctx: InstanceContext): Promise<z.infer<typeof ServerProperties>> {
  const { account, licenses } = await instanceAccountOf(ctx);
  const expiries = licenses.map((license) => epochSecondsOf(license.expires_on)).filter((value): value is number => value !== null);
  const expiration = expiries.length === 0 ? null : Math.min(...expiries);
  return {
    server_version: VERSION,
    server_build: VERSION,
    nessus_type: 'Nessus Cloud',
    nessus_ui_version: VERSION,
    server_uuid: portalContainerUuid(ctx.config),
    loaded_plugin_set: null,
    plugin_set: null,
    expiration,
    expiration_time: expiration,
    idle_timeout: ctx.config.session.idleMinutes * 60,
    license: {
      apps: Object.fromEntries(
        licenses.map((license) => [license.app, { type: 'standard', expiration_date: epochSecondsOf(license.expires_on) }]),
      ),
    },
    capabilities: {},
    enterprise: true,
    msp: false,
    limitEnabled: true,
    region: account.region,
    update: { href: null, new_version: 0, restart: 0 },
    notifications: [],
  };
}
