import type { FastifyRequest } from 'fastify';
import { contextOf } from '../../http/authenticate.js';
import { AppError } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { recordAudit } from '../audit/audit.service.js';
import { countApiRequest, deleteApiRequestCountsBefore, findAccountApiLimit, updateAccountApiLimit } from './rate-limit.repository.js';

const WINDOW_MS = 60_000;

export type RateLimitDecision = { isAllowed: true } | { isAllowed: false; retryAfterSeconds: number };

/**
 * Counts one instance API request of the actor and decides whether it may go on: at most the
 * account's limit (customer_accounts.api_requests_per_minute, else API_REQUESTS_PER_MINUTE) per
 * API user in each fixed UTC minute, counted in the database so every node shares the counter.
 * A refusal says how many whole seconds remain in the window (at least 1). The first refusal of a
 * window is audited; the ones after it would only repeat it.
 */
export async function consumeApiRequest(
  ctx: Pick<ServiceContext, 'db' | 'config' | 'actor' | 'origin'>,
  input: { userId: string; accountId: string; now?: Date },
): Promise<RateLimitDecision> {
  const now = input.now ?? new Date();
  const windowStart = new Date(Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS);
  const count = await countApiRequest(ctx.db, input.userId, windowStart);
  // The first request of a user's window clears that user's finished windows: one row per user stays.
  if (count === 1) await deleteApiRequestCountsBefore(ctx.db, input.userId, windowStart);
  const limit = (await findAccountApiLimit(ctx.db, input.accountId)) ?? ctx.config.apiRateLimit.requestsPerMinute;
  if (count <= limit) return { isAllowed: true };
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + WINDOW_MS - now.getTime()) / 1000));
  if (count === limit + 1) {
    await recordAudit(ctx, {
      action: 'api.rate_limited',
      outcome: 'failure',
      targetType: 'user',
      targetId: input.userId,
      accountId: input.accountId,
      details: { limitPerMinute: limit, windowStart: windowStart.toISOString(), retryAfterSeconds },
    });
  }
  return { isAllowed: false, retryAfterSeconds };
}

/**
 * The instance gate's rate limit: 429 with an integer Retry-After (pyTenable sleeps that long and
 * retries) and Tenable's gateway body in JSON rather than its nginx HTML page.
 */
export async function enforceApiRateLimit(request: FastifyRequest, accountId: string): Promise<void> {
  const ctx = contextOf(request);
  if (!ctx.actor) return;
  const decision = await consumeApiRequest(ctx, { userId: ctx.actor.userId, accountId });
  if (!decision.isAllowed) {
    throw new AppError('rate_limited', 'You have exceeded the API rate limit. Please wait and try your request again.', {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }
}

/**
 * Sets an account's own limit (null: back to the configured default), for subscription tiers that
 * allow more or fewer requests. Used by `npm run cli -- api-limit`; audited as an account edit.
 */
export async function setAccountApiLimit(ctx: ServiceContext, accountId: string, perMinute: number | null): Promise<void> {
  if (perMinute !== null && (!Number.isInteger(perMinute) || perMinute < 1 || perMinute > 1_000_000)) {
    throw new AppError('validation_failed', 'The limit must be a whole number of requests per minute from 1 to 1000000, or "default".');
  }
  const previous = await findAccountApiLimit(ctx.db, accountId);
  await ctx.db.transaction().execute(async (trx) => {
    await updateAccountApiLimit(trx, accountId, perMinute);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'account.edited',
        actor: ctx.actor ? undefined : { userId: null, username: 'cli' },
        targetType: 'account',
        targetId: accountId,
        accountId,
        details: { fields: ['apiRequestsPerMinute'], from: previous, to: perMinute },
      },
    );
  });
}
