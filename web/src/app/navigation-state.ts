import type { MeResponse } from '../../../common/schemas/auth.js';
import { toActor } from '../features/auth';
import { isPathUsable } from './layout/navigation-items';

/** What /login may be handed through history state. */
export interface LoginState {
  /** Where the person was, to return there after signing in. */
  from?: string;
  notice?: { tone: 'info' | 'success' | 'warning'; message: string };
}

export const SESSION_ENDED_MESSAGE = 'Your session has ended. Sign in again.';

export function readLoginState(state: unknown): LoginState {
  if (typeof state !== 'object' || state === null) return {};
  const candidate = state as Record<string, unknown>;
  const result: LoginState = {};
  if (typeof candidate.from === 'string') result.from = candidate.from;
  const notice = candidate.notice as Record<string, unknown> | undefined;
  if (notice && typeof notice.message === 'string' && (notice.tone === 'info' || notice.tone === 'success' || notice.tone === 'warning')) {
    result.notice = { tone: notice.tone, message: notice.message };
  }
  return result;
}

/** Where a person starts: staff on Accounts; contacts in their own account's instance. */
export function getLandingPath(user: MeResponse): string {
  if (user.kind === 'staff') return '/accounts';
  return user.accountId ? `/instances/${encodeURIComponent(user.accountId)}` : '/my-account';
}

const PUBLIC_PATHS = ['/login', '/forgot-password', '/reset-password', '/setup'];

/**
 * Where to go after signing in: back where the person was, when that is a page of this app they
 * may use; else their landing page. Only same-app paths are followed (never `//host` or a URL).
 */
export function resolveReturnPath(user: MeResponse, from: string | undefined): string {
  if (!from || !from.startsWith('/') || from.startsWith('//') || from.startsWith('/\\') || from.startsWith('/api'))
    return getLandingPath(user);
  const pathname = from.split(/[?#]/)[0] ?? '';
  if (pathname === '/' || PUBLIC_PATHS.includes(pathname)) return getLandingPath(user);
  return isPathUsable(toActor(user), pathname) ? from : getLandingPath(user);
}
