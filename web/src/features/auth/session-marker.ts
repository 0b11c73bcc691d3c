/**
 * Remembers, for this browser tab, how the last session went, so that finding no session can be
 * told apart: after a session that ended by itself the sign-in page says "Your session has
 * ended"; after signing out, or on a first visit, it does not.
 */
const KEY = 'bulwark:session';

export type SessionMarker = 'active' | 'ended' | 'signed-out';

function writeMarker(value: SessionMarker | null): void {
  try {
    if (value === null) window.sessionStorage.removeItem(KEY);
    else window.sessionStorage.setItem(KEY, value);
  } catch {
    // Storage can be disabled; the notice is a courtesy, so losing it is acceptable.
  }
}

export function readSessionMarker(): SessionMarker | null {
  try {
    const value = window.sessionStorage.getItem(KEY);
    return value === 'active' || value === 'ended' || value === 'signed-out' ? value : null;
  } catch {
    return null;
  }
}

export function markSessionActive(): void {
  writeMarker('active');
}

export function markSessionEnded(): void {
  writeMarker('ended');
}

export function markSignedOut(): void {
  writeMarker('signed-out');
}

/** Once the sign-in page has been reached after signing out, later visits are like first ones. */
export function forgetSignOut(): void {
  if (readSessionMarker() === 'signed-out') writeMarker(null);
}
