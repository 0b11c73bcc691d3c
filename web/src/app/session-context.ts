import { createContext, useContext } from 'react';
import type { SessionResponse } from '../../../common/schemas/auth.js';

/** The session of the signed-in person, provided by the session guard to every page behind it. */
export const SessionContext = createContext<SessionResponse | null>(null);

/** For pages behind the session guard only: the guard renders them only with a session. */
export function useSignedInSession(): SessionResponse {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSignedInSession is used outside the session guard.');
  return session;
}
