import type { CompleteSetupBody } from '../../../common/schemas/setup.js';
import type { UserRow } from '../../db/schema.js';
import { AppError } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { createRandomToken, hashToken } from '../../lib/crypto.js';
import { recordAudit } from '../audit/audit.service.js';
import { consumeToken, findUsableToken, insertOneTimeToken } from '../auth/auth.repository.js';
import { countStaff } from '../users/users.repository.js';
import { assertPasswordMeetsPolicy, createAdministrator, domainOf } from '../users/users.service.js';

export const SETUP_LINK_HOURS = 24;

export async function isSetupNeeded(ctx: Pick<ServiceContext, 'db'>): Promise<boolean> {
  return (await countStaff(ctx.db)) === 0;
}

/**
 * On an empty database, issues a one-time link (valid 24 hours) where the first Administrator is
 * created. Returns null once any staff user exists.
 */
export async function issueSetupLinkIfNeeded(
  ctx: Pick<ServiceContext, 'db' | 'config'>,
): Promise<{ link: string; expiresAt: Date } | null> {
  if (!(await isSetupNeeded(ctx))) return null;
  const token = createRandomToken();
  const expiresAt = new Date(Date.now() + SETUP_LINK_HOURS * 3_600_000);
  await insertOneTimeToken(ctx.db, {
    purpose: 'setup',
    tokenHash: hashToken(ctx.config.secrets.sessionSecret, token),
    userId: null,
    expiresAt,
  });
  return { link: `${ctx.config.publicUrl}/setup?token=${token}`, expiresAt };
}

const INVALID_SETUP_LINK =
  'This setup link is invalid, used or expired. Restart Bulwark to get a new one, or run: npm run cli -- create-admin';

export async function assertUsableSetupToken(ctx: ServiceContext, token: string) {
  if (!(await isSetupNeeded(ctx))) throw new AppError('conflict', 'Bulwark is already set up. Sign in instead.');
  const row = await findUsableToken(ctx.db, 'setup', hashToken(ctx.config.secrets.sessionSecret, token));
  if (!row) throw new AppError('invalid_token', INVALID_SETUP_LINK);
  return row;
}

/** Creates the first Administrator, approves the domain of its username and uses up the link. */
export async function completeSetup(ctx: ServiceContext, input: CompleteSetupBody): Promise<UserRow> {
  const row = await assertUsableSetupToken(ctx, input.token);
  assertPasswordMeetsPolicy(ctx, input.password, input.username);
  if (!(await consumeToken(ctx.db, row.id))) throw new AppError('invalid_token', INVALID_SETUP_LINK);
  const user = await createAdministrator(ctx, { username: input.username, password: input.password, name: input.name, email: input.email });
  await recordAudit(ctx, {
    action: 'setup.completed',
    actor: { userId: user.id, username: user.username },
    targetType: 'user',
    targetId: user.id,
    details: { approvedDomain: domainOf(user.username) },
  });
  return user;
}
