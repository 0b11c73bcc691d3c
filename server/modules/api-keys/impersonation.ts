import { ROLES, type Actor } from '../../../common/permissions.js';
import type { ServiceContext } from '../../lib/context.js';
import { findAssignedAccountIds, findUserByUsername } from '../users/users.repository.js';
import { buildActor } from '../users/users.service.js';

/** Why an X-Impersonate header was refused; the caller maps it to Tenable's status and body. */
export type ImpersonationRefusal = 'malformed' | 'forbidden' | 'not_found';

export type ImpersonationResult = { ok: true; actor: Actor } | { ok: false; refusal: ImpersonationRefusal; message: string };

/**
 * The username of `X-Impersonate: username=<username>` (tenable-api.md 1.2, set by pyTenable's
 * tio.users.impersonate()), read as leniently as X-ApiKeys: `;`-separated pairs, spaces trimmed,
 * empty parts ignored. Null when the header says anything else.
 */
export function parseImpersonateHeader(headerValue: string): string | null {
  let username: string | null = null;
  for (const rawPart of headerValue.split(';')) {
    const part = rawPart.trim();
    if (!part) continue;
    const equals = part.indexOf('=');
    if (equals <= 0 || part.slice(0, equals).trim().toLowerCase() !== 'username' || username !== null) return null;
    username = part.slice(equals + 1).trim();
  }
  return username ? username : null;
}

/**
 * The actor an Administrator's API keys act as when the request names another portal user in
 * X-Impersonate: that user's role and accounts, with `assistedBy` naming the Administrator, so
 * writes are audited with both identities and the user's own security settings stay out of reach
 * (assert-not-assisting), as in a user assist. Only Administrators may impersonate; the named user
 * must be an enabled portal (staff) user other than an Administrator.
 */
export async function impersonate(ctx: Pick<ServiceContext, 'db'>, caller: Actor, headerValue: string): Promise<ImpersonationResult> {
  const username = parseImpersonateHeader(headerValue);
  if (!username) return { ok: false, refusal: 'malformed', message: 'X-Impersonate must be "username=<username>".' };
  if (caller.kind !== 'staff' || caller.role !== ROLES.administrator || caller.assistedBy) {
    return { ok: false, refusal: 'forbidden', message: 'Only Administrators may impersonate.' };
  }
  const user = await findUserByUsername(ctx.db, username);
  if (!user || user.kind !== 'staff') return { ok: false, refusal: 'not_found', message: 'User not found.' };
  if (user.id === caller.userId) return { ok: true, actor: caller };
  if (user.is_disabled || user.role === ROLES.administrator) {
    return { ok: false, refusal: 'forbidden', message: 'This user cannot be impersonated.' };
  }
  const actor = buildActor(user, await findAssignedAccountIds(ctx.db, user.id));
  return {
    ok: true,
    actor: {
      ...actor,
      assistedBy: { userId: caller.userId, username: caller.username, reason: 'X-Impersonate', endsAt: new Date().toISOString() },
    },
  };
}
