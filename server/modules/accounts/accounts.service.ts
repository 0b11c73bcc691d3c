import { ROLES } from '../../../common/permissions.js';
import type { AccountListResponse, ListAccountsQuery } from '../../../common/schemas/accounts.js';
import { AppError } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { findAccounts, findLicensesOfAccounts, type AccountScope } from './accounts.repository.js';

export function accountScopeOf(ctx: ServiceContext): AccountScope {
  const actor = ctx.actor;
  if (!actor || actor.kind !== 'staff') throw new AppError('forbidden', 'You do not have permission to do that.');
  return actor.role === ROLES.administrator ? { kind: 'all' } : { kind: 'only', accountIds: actor.assignedAccountIds };
}

export async function listAccounts(ctx: ServiceContext, query: ListAccountsQuery): Promise<AccountListResponse> {
  const { rows, total } = await findAccounts(ctx.db, accountScopeOf(ctx), query);
  const licenses = await findLicensesOfAccounts(
    ctx.db,
    rows.map((row) => row.id),
  );
  return {
    items: rows.map((row) => ({
      id: row.id,
      name: row.name,
      customName: row.custom_name,
      siteId: row.site_id,
      region: row.region,
      notes: row.notes,
      isActive: row.is_active,
      licenses: licenses
        .filter((license) => license.account_id === row.id)
        .map((license) => ({
          app: license.app,
          licensedAssets: license.licensed_assets,
          assetLimit: license.asset_limit,
          expiresOn: license.expires_on,
        })),
    })),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}
