import { AppShell, Burger, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import type { MeResponse } from '../../../../common/schemas/auth.js';
import type { InstanceResponse } from '../../../../common/schemas/instances.js';
import { FullPageLoader } from '../../components/full-page-loader';
import { useSession } from '../../features/auth';
import {
  APP_NAVIGATION,
  AppSwitcher,
  appOfSubpath,
  InstanceLogo,
  InstanceUnavailable,
  InstanceUserMenu,
  instanceSubpath,
  isNavigationItemActive,
  LICENSED_APP_LABELS,
  LicenceBanner,
  MSSP_BAR_HEIGHT,
  MsspOverlayBar,
  MsspOverlayFrame,
  readSsoState,
  useEnterInstance,
  useInstance,
  useInstanceParams,
  useLeaveInstance,
} from '../../features/instances';
import { isApiError } from '../../lib/api-client';
import { TwoFactorSetupGate } from '../../features/two-factor';
import { ColorSchemeToggle } from '../layout/color-scheme-toggle';
import { getLandingPath } from '../navigation-state';
import { SessionContext } from '../session-context';
import { buildLoginState, SessionLoadError } from '../session-guards';
import classes from '../layout/app-layout.module.css';

const MAIN_ID = 'main-content';
const NAVIGATION_ID = 'instance-navigation';
const HEADER_HEIGHT = 60;
const APP_HOME_PAGES = ['vm', 'vm/vulnerabilities', 'vm/assets', 'was', 'cs'];

function skipToContent(event: MouseEvent<HTMLAnchorElement>): void {
  const main = document.getElementById(MAIN_ID);
  if (!main) return;
  event.preventDefault();
  main.focus();
  main.scrollIntoView();
}

/**
 * A customer instance (`/instances/:accountId/...`): its own session guard and its own frame
 * (the account's logo and name, the app switcher, the app's navigation), not the portal's.
 */
export function InstanceLayout() {
  const session = useSession();
  const location = useLocation();

  if (session.isPending) return <FullPageLoader label="Checking your session" />;
  if (session.isError) return <SessionLoadError error={session.error} onRetry={() => void session.refetch()} />;
  if (!session.data) {
    const from = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to="/login" replace state={buildLoginState(from)} />;
  }
  return (
    <TwoFactorSetupGate>
      <SessionContext value={session.data}>
        <InstanceFrame user={session.data.user} />
      </SessionContext>
    </TwoFactorSetupGate>
  );
}

function InstanceFrame({ user }: { user: MeResponse }) {
  const { accountId } = useInstanceParams();
  const instance = useInstance(accountId);
  const location = useLocation();
  const enter = useEnterInstance();
  const enteredFor = useRef<string | null>(null);

  // Staff who arrive by URL (a bookmark) rather than the Accounts page's button are recorded as
  // entering too; the button records it itself and says so in the history state.
  const isEnteredByButton = readSsoState(location.state).isEntered;
  const { mutate: recordEntering } = enter;
  useEffect(() => {
    if (user.kind !== 'staff' || isEnteredByButton || enteredFor.current === accountId) return;
    enteredFor.current = accountId;
    recordEntering(accountId);
  }, [user.kind, isEnteredByButton, accountId, recordEntering]);

  if (instance.isPending) return <FullPageLoader label="Opening the instance" />;
  if (instance.isError) {
    return (
      <InstanceUnavailable
        error={instance.error}
        onRetry={() => void instance.refetch()}
        homePath={getLandingPath(user).startsWith('/instances/') ? '/my-account' : getLandingPath(user)}
        homeLabel={user.kind === 'staff' ? 'Back to Accounts' : 'Go to My Account'}
      />
    );
  }
  return <InstanceShell user={user} instance={instance.data} />;
}

function InstanceShell({ user, instance }: { user: MeResponse; instance: InstanceResponse }) {
  const { basePath } = useInstanceParams();
  const location = useLocation();
  const navigate = useNavigate();
  const leave = useLeaveInstance();
  const isMobile = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
  const [mobileOpenedAt, setMobileOpenedAt] = useState<string | null>(null);
  const isMobileOpen = mobileOpenedAt === location.pathname;
  const [isDesktopOpen, desktopNavigation] = useDisclosure(true);
  const isNavigationOpen = isMobile ? isMobileOpen : isDesktopOpen;

  const subpath = instanceSubpath(location.pathname, basePath);
  const pathApp = appOfSubpath(subpath);
  const isPathAppLicensed = pathApp !== null && instance.apps.includes(pathApp);
  // Scans belongs to the app the person came from; the last app seen is remembered for it.
  const [lastApp, setLastApp] = useState(isPathAppLicensed ? pathApp : instance.defaultApp);
  if (isPathAppLicensed && pathApp !== lastApp) setLastApp(pathApp);
  const currentApp = isPathAppLicensed ? pathApp : lastApp && instance.apps.includes(lastApp) ? lastApp : instance.defaultApp;
  const items = currentApp ? APP_NAVIGATION[currentApp] : [];
  // An unlicensed app's own pages are not offered; detail pages (a finding, a plugin) that other
  // apps link to stay reachable.
  const isUnlicensedApp = pathApp !== null && !isPathAppLicensed && APP_HOME_PAGES.includes(subpath);

  const isPortalSignIn = instance.isPortalSignIn;
  const returnToPortal = () =>
    leave.mutate(instance.accountId, {
      onSuccess: () => void navigate('/accounts'),
      onError: (error) => {
        // An instance that is gone or closed cannot record the leaving: go back all the same.
        if (isApiError(error) && (error.status === 404 || error.status === 403)) void navigate('/accounts');
      },
    });

  return (
    <AppShell
      header={{ height: isPortalSignIn ? HEADER_HEIGHT + MSSP_BAR_HEIGHT : HEADER_HEIGHT }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !isMobileOpen, desktop: !isDesktopOpen } }}
      padding={0}
      className={classes.shell}
    >
      <a className="bulwark-skip-link" href={`#${MAIN_ID}`} onClick={skipToContent}>
        Skip to content
      </a>
      {isPortalSignIn && <MsspOverlayFrame />}
      <AppShell.Header className={classes.header}>
        {isPortalSignIn && (
          <MsspOverlayBar
            accountName={instance.displayName}
            user={user}
            onReturn={returnToPortal}
            isReturning={leave.isPending}
            returnError={leave.error}
          />
        )}
        <Group h={HEADER_HEIGHT} px={{ base: 'sm', sm: 'md' }} justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger
              opened={isMobile && isMobileOpen}
              onClick={isMobile ? () => setMobileOpenedAt(isMobileOpen ? null : location.pathname) : desktopNavigation.toggle}
              size="sm"
              aria-label="Toggle navigation"
              aria-expanded={isNavigationOpen}
              aria-controls={NAVIGATION_ID}
            />
            <InstanceLogo accountName={instance.displayName} logoId={instance.logoId} logoVersion={instance.logoVersion} />
            <Text fw={700} size="md" truncate="end" visibleFrom="sm" style={{ minWidth: 0 }}>
              {instance.displayName}
            </Text>
            {currentApp && <AppSwitcher apps={instance.apps} current={currentApp} basePath={basePath} />}
          </Group>
          <Group gap={4} wrap="nowrap">
            <ColorSchemeToggle />
            <InstanceUserMenu user={user} onLeave={isPortalSignIn ? returnToPortal : undefined} isLeaving={leave.isPending} />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar id={NAVIGATION_ID} aria-label={`${instance.displayName} navigation`} p="sm" className={classes.navbar}>
        <AppShell.Section grow component={ScrollArea}>
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" lts={0.6} px="sm" pt={4} pb={2} hiddenFrom="sm" truncate="end">
            {instance.displayName}
          </Text>
          {currentApp && (
            <Text size="xs" fw={600} c="dimmed" tt="uppercase" lts={0.6} px="sm" pt={4} pb={8}>
              {LICENSED_APP_LABELS[currentApp]}
            </Text>
          )}
          {items.map((item) => {
            const isActive = isNavigationItemActive(item, subpath);
            return (
              <NavLink
                key={item.path}
                component={Link}
                to={`${basePath}/${item.path}`}
                onClick={() => setMobileOpenedAt(null)}
                label={item.label}
                leftSection={<item.icon size={18} stroke={1.7} aria-hidden />}
                active={isActive}
                aria-current={isActive ? 'page' : undefined}
                variant="light"
                className={classes.navLink}
              />
            );
          })}
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main id={MAIN_ID} tabIndex={-1} className={classes.main}>
        <div className={classes.content}>
          <LicenceBanner licenses={instance.licenses} />
          {isUnlicensedApp && pathApp ? (
            <Text role="status">
              This account is not licensed for {LICENSED_APP_LABELS[pathApp]}. Choose one of its apps in the header.
            </Text>
          ) : (
            <Outlet />
          )}
        </div>
      </AppShell.Main>
    </AppShell>
  );
}
