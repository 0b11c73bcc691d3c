import type { FastifyRequest } from 'fastify';
import { can, type Action } from '../../../common/permissions.js';
import { AppError, notFound } from '../../lib/app-error.js';

export const DEACTIVATED_INSTANCE_MESSAGE =
  'This customer account is deactivated: its instance is closed until an Administrator reactivates it.';

/**
 * The pre-handler of every route of one instance (`:accountId`): an instance the caller may not
 * see answers 404, exactly like one that does not exist (cross-tenant); a deactivated account's
 * instance answers 403 to everyone (its data is kept); an action the caller's role does not allow
 * there answers 403.
 */
export function authorizeInInstance(action: Action) {
  return async (request: FastifyRequest) => {
    const { accountId } = request.params as { accountId: string };
    if (!can(request.actor, 'instance:read', { accountId })) throw notFound('Instance');
    const account = await request.server.services.db
      .selectFrom('customer_accounts')
      .select('is_active')
      .where('id', '=', accountId)
      .executeTakeFirst();
    if (!account) throw notFound('Instance');
    if (!account.is_active) throw new AppError('forbidden', DEACTIVATED_INSTANCE_MESSAGE);
    if (!can(request.actor, action, { accountId })) throw new AppError('forbidden', 'You do not have permission to do that.');
  };
}
