import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../../auth';

export const TWO_FACTOR_SETUP_PATH = '/two-factor-setup';

/**
 * REQUIRE_STAFF_TWO_FACTOR: while the session says a second factor must be set up first, every
 * signed-in page leads to the setup page (the server refuses everything else anyway).
 */
export function TwoFactorSetupGate({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.data?.twoFactorSetupRequired && location.pathname !== TWO_FACTOR_SETUP_PATH) {
    return <Navigate to={TWO_FACTOR_SETUP_PATH} replace />;
  }
  return children;
}
