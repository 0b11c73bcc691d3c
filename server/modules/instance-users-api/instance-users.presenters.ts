import type { UserRow } from '../../db/schema.js';
import type { InstanceUser } from './instance-users.schemas.js';

/** The integer id of a user or account, derived from its UUID (see InstanceUserRef). */
export function integerIdOf(uuid: string): number {
  return Number.parseInt(uuid.replace(/-/g, '').slice(0, 13), 16);
}

type UserWithKeyUse = UserRow & { api_key_last_used_at: Date | null };

/**
 * A user of an instance as Tenable's user object (section 5): times in epoch milliseconds,
 * `container_uuid` the account's id. Staff holding child keys are shown the same way in GET /session.
 */
export function presentInstanceUser(user: UserWithKeyUse, accountId: string): InstanceUser {
  const lastLogin = user.last_login_at?.getTime();
  const lastAttempt = Math.max(lastLogin ?? 0, user.last_failed_login_at?.getTime() ?? 0);
  const lastKeyUse = user.api_key_last_used_at?.getTime();
  return {
    id: integerIdOf(user.id),
    uuid: user.id,
    uuid_id: user.id,
    username: user.username,
    user_name: user.username,
    email: user.email,
    name: user.name,
    type: 'local',
    permissions: user.role,
    enabled: !user.is_disabled,
    login_fail_count: user.failed_login_count,
    login_fail_total: user.failed_login_count,
    container_uuid: accountId,
    aggregate: true,
    lockout: 0,
    ...(lastLogin === undefined ? {} : { lastlogin: lastLogin }),
    ...(lastAttempt > 0 ? { last_login_attempt: lastAttempt } : {}),
    ...(lastKeyUse === undefined ? {} : { last_apikey_access: lastKeyUse }),
  };
}
