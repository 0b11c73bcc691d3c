import { Center } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { FullPageLoader } from '../components/full-page-loader';
import { QueryErrorAlert } from '../components/query-error-alert';
import { readSessionMarker, useSession } from '../features/auth';
import { AppLayout } from './layout/app-layout';
import { PublicLayout } from './layout/public-layout';
import { getLandingPath, readLoginState, resolveReturnPath, SESSION_ENDED_MESSAGE, type LoginState } from './navigation-state';
import { SessionContext } from './session-context';

export function SessionLoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <Center h="100dvh" p="md">
      <QueryErrorAlert error={error} onRetry={onRetry} title="Could not reach Bulwark" />
    </Center>
  );
}

/** Where a person without a session is sent, and what the sign-in page should tell them. */
export function buildLoginState(from: string): LoginState {
  const marker = readSessionMarker();
  if (marker === 'signed-out') return {};
  if (marker === 'active' || marker === 'ended') return { from, notice: { tone: 'warning', message: SESSION_ENDED_MESSAGE } };
  return { from };
}

/** Pages behind sign-in: loads the session once, then renders the app shell around the page. */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();

  if (session.isPending) return <FullPageLoader label="Checking your session" />;
  if (session.isError) return <SessionLoadError error={session.error} onRetry={() => void session.refetch()} />;
  if (!session.data) {
    const from = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to="/login" replace state={buildLoginState(from)} />;
  }
  return (
    <SessionContext value={session.data}>
      <AppLayout />
    </SessionContext>
  );
}

/**
 * The sign-in page: someone signed in (already, or just now) goes back where they were before
 * being sent to sign in, else where they start.
 */
export function RequireGuest() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <FullPageLoader label="Checking your session" />;
  if (session.data) return <Navigate to={resolveReturnPath(session.data.user, readLoginState(location.state).from)} replace />;
  // A failed session check should not lock anyone out of the sign-in form.
  return <Outlet />;
}

/** `/`: staff to Accounts, contacts to My Account, everyone else to sign in. */
export function HomeRedirect() {
  const session = useSession();
  if (session.isPending) return <FullPageLoader />;
  if (session.isError) return <SessionLoadError error={session.error} onRetry={() => void session.refetch()} />;
  return <Navigate to={session.data ? getLandingPath(session.data.user) : '/login'} replace />;
}

/** Pages anyone may see (not found): inside the app shell when signed in, on their own otherwise. */
export function OptionalSession() {
  const session = useSession();
  if (session.isPending) return <FullPageLoader />;
  if (session.data) {
    return (
      <SessionContext value={session.data}>
        <AppLayout />
      </SessionContext>
    );
  }
  return <PublicLayout />;
}
