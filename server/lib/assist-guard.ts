import { AppError } from './app-error.js';
import type { ServiceContext } from './context.js';

export const REFUSED_WHILE_ASSISTING_MESSAGE =
  'While you assist a user you cannot change their security settings (password, email, two-factor, API keys, sessions).';

/**
 * Refuses when an Administrator is assisting the signed-in user: the assisted user's security
 * settings stay theirs alone (issue 4). Call it first in every service that changes them.
 */
export function assertNotAssisting(ctx: Pick<ServiceContext, 'actor'>): void {
  if (ctx.actor?.assistedBy) throw new AppError('forbidden', REFUSED_WHILE_ASSISTING_MESSAGE);
}
