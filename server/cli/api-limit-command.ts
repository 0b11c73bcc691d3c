import { AppError } from '../lib/app-error.js';
import type { ServiceContext } from '../lib/context.js';
import { findAccountByIdOrName } from '../modules/accounts/accounts.repository.js';
import { setAccountApiLimit } from '../modules/instance-api/rate-limit.js';

/**
 * `npm run cli -- api-limit --account <uuid or name> --per-minute N|default`: an account's own limit
 * of instance API requests per API user per minute (subscription tiers differ); `default` goes back
 * to API_REQUESTS_PER_MINUTE. Audited as an account edit by the CLI.
 */
export const API_LIMIT_COMMAND = {
  summary: "Set an account's instance API rate limit (requests per API user per minute)",
  usage: 'api-limit --account UUID-or-NAME --per-minute N|default',
  options: {
    account: { type: 'string' as const, description: "the account's UUID or its exact customer name" },
    'per-minute': { type: 'string' as const, description: 'requests per API user per minute (1 to 1000000), or default' },
  },
  async run(ctx: ServiceContext, values: Record<string, string | boolean | undefined>) {
    const accountRef = typeof values.account === 'string' ? values.account.trim() : '';
    const perMinuteText = typeof values['per-minute'] === 'string' ? values['per-minute'].trim() : '';
    if (!accountRef || !perMinuteText) throw new AppError('validation_failed', 'Give --account UUID-or-NAME and --per-minute N|default.');
    const accounts = await findAccountByIdOrName(ctx.db, accountRef);
    if (accounts.length === 0) throw new AppError('not_found', `No customer account ${accountRef}.`);
    if (accounts.length > 1) throw new AppError('conflict', `Several accounts are named ${accountRef}; use the account's UUID.`);
    const account = accounts[0] as (typeof accounts)[number];
    const isDefault = perMinuteText.toLowerCase() === 'default';
    if (!isDefault && !/^\d+$/.test(perMinuteText))
      throw new AppError('validation_failed', '--per-minute must be a whole number or default.');
    await setAccountApiLimit(ctx, account.id, isDefault ? null : Number(perMinuteText));
    const effective = isDefault ? `the default, ${ctx.config.apiRateLimit.requestsPerMinute}` : perMinuteText;
    console.log(`${account.name}: ${effective} requests per API user per minute.`);
  },
};
