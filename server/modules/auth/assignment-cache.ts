import type { Kysely } from 'kysely';
import { ROLES } from '../../../common/permissions.js';
import type { Database, UserRow } from '../../db/schema.js';
import { findAssignedAccountIds } from '../users/users.repository.js';

/**
 * The accounts assigned to each staff user, kept per accounts data version: a trigger bumps that
 * version on every change of staff_account_assignments (migration 20261122T0500), so a cached
 * list is used only while nothing about assignments changed, on any node. Saves reading (and
 * parsing) hundreds of ids on every request of a staff user with many accounts.
 */
const MAX_USERS = 5000;
const caches = new WeakMap<Kysely<Database>, Map<string, { version: string; ids: string[] }>>();

export async function assignedAccountIdsOf(
  db: Kysely<Database>,
  user: Pick<UserRow, 'id' | 'kind' | 'role'>,
  version: string,
): Promise<string[]> {
  // Administrators see every account and cannot be assigned; contacts belong to their own account.
  if (user.kind !== 'staff' || user.role === ROLES.administrator) return [];
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const cached = cache.get(user.id);
  if (cached && cached.version === version) return cached.ids;
  const ids = await findAssignedAccountIds(db, user.id);
  cache.delete(user.id);
  if (cache.size >= MAX_USERS) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(user.id, { version, ids });
  return ids;
}
