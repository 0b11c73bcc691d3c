import type { DomainListResponse, DomainResponse } from '../../../common/schemas/domains.js';
import { AppError, notFound } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { recordAudit } from '../audit/audit.service.js';
import { countUsersInDomain, deleteDomain, findDomain, findDomainsWithUserCounts, insertDomain } from './domains.repository.js';

export async function listDomains(ctx: ServiceContext): Promise<DomainListResponse> {
  const rows = await findDomainsWithUserCounts(ctx.db);
  return { items: rows.map((row) => ({ domain: row.domain, createdAt: row.created_at.toISOString(), userCount: row.user_count })) };
}

/** Approves a domain (already lowercased by the schema). A domain approved twice is a conflict. */
export async function addDomain(ctx: ServiceContext, domain: string): Promise<DomainResponse> {
  const row = await ctx.db.transaction().execute(async (trx) => {
    if (!(await insertDomain(trx, domain))) throw new AppError('conflict', `${domain} is already an approved domain.`);
    await recordAudit({ ...ctx, db: trx }, { action: 'domain.added', targetType: 'domain', targetId: domain, details: { domain } });
    return findDomain(trx, domain);
  });
  if (!row) throw notFound('Domain');
  return { domain: row.domain, createdAt: row.created_at.toISOString(), userCount: await countUsersInDomain(ctx.db, domain) };
}

/** Removes a domain no user's username is in; a domain in use answers 409 with how many use it. */
export async function removeDomain(ctx: ServiceContext, domain: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await findDomain(trx, domain))) throw notFound('Domain');
    const userCount = await countUsersInDomain(trx, domain);
    if (userCount > 0) {
      throw new AppError(
        'conflict',
        `${domain} cannot be removed: ${userCount} ${userCount === 1 ? 'user has a username' : 'users have usernames'} in it.`,
      );
    }
    await deleteDomain(trx, domain);
    await recordAudit({ ...ctx, db: trx }, { action: 'domain.removed', targetType: 'domain', targetId: domain, details: { domain } });
  });
}
