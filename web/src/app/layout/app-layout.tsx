import { AppShell, Burger, Group, NavLink, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useState, type MouseEvent } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { BrandMark } from '../../components/brand-mark';
import { ASSIST_BAR_HEIGHT, AssistBar } from '../../features/assist';
import { toActor } from '../../features/auth';
import { getLandingPath } from '../navigation-state';
import { useSignedInSession } from '../session-context';
import classes from './app-layout.module.css';
import { ColorSchemeToggle } from './color-scheme-toggle';
import { isItemActive, listNavigationItems } from './navigation-items';
import { ResourceCenterMenu } from './resource-center-menu';
import { UserMenu } from './user-menu';

const MAIN_ID = 'main-content';
const NAVIGATION_ID = 'app-navigation';

/** Moves focus to the page content (the skip link), without changing the URL. */
function skipToContent(event: MouseEvent<HTMLAnchorElement>): void {
  const main = document.getElementById(MAIN_ID);
  if (!main) return;
  event.preventDefault();
  main.focus();
  main.scrollIntoView();
}

/** The signed-in frame: header, left navigation (open on desktop, collapsed on phones) and the page. */
export function AppLayout() {
  const { user, assisting } = useSignedInSession();
  const location = useLocation();
  const isMobile = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
  // On phones the navigation covers the page, so it is open only on the page where it was opened:
  // choosing any destination (navigation, menus, links) closes it.
  const [mobileOpenedAt, setMobileOpenedAt] = useState<string | null>(null);
  const isMobileOpen = mobileOpenedAt === location.pathname;
  const toggleMobileNavigation = () => setMobileOpenedAt(isMobileOpen ? null : location.pathname);
  const [isDesktopOpen, desktopNavigation] = useDisclosure(true);
  const isNavigationOpen = isMobile ? isMobileOpen : isDesktopOpen;
  const items = listNavigationItems(toActor(user));

  return (
    <AppShell
      header={{ height: assisting ? 60 + ASSIST_BAR_HEIGHT : 60 }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !isMobileOpen, desktop: !isDesktopOpen } }}
      padding={0}
      className={classes.shell}
    >
      <a className="bulwark-skip-link" href={`#${MAIN_ID}`} onClick={skipToContent}>
        Skip to content
      </a>
      <AppShell.Header className={classes.header}>
        {/* User assist: the seed's blue overlay at the top of every page, with the assisted user's role. */}
        {assisting && <AssistBar user={user} assisting={assisting} />}
        <Group h={60} px={{ base: 'sm', sm: 'md' }} justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              // The seed's ☰ button: a cross only where the open navigation covers the page (phones).
              opened={isMobile && isMobileOpen}
              onClick={isMobile ? toggleMobileNavigation : desktopNavigation.toggle}
              size="sm"
              aria-label="Toggle navigation"
              aria-expanded={isNavigationOpen}
              aria-controls={NAVIGATION_ID}
            />
            <UnstyledButton component={Link} to={getLandingPath(user)} aria-label="Bulwark home" className={classes.brandLink}>
              <BrandMark size={26} />
            </UnstyledButton>
          </Group>
          <Group gap={4} wrap="nowrap">
            <ResourceCenterMenu />
            <ColorSchemeToggle />
            <UserMenu user={user} />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar id={NAVIGATION_ID} aria-label="Main navigation" p="sm" className={classes.navbar}>
        <AppShell.Section grow component={ScrollArea}>
          {items.length > 0 && (
            <Text size="xs" fw={600} c="dimmed" tt="uppercase" lts={0.6} px="sm" pt={4} pb={8}>
              Portal
            </Text>
          )}
          {items.map((item) => {
            const isActive = isItemActive(item, location.pathname);
            return (
              <NavLink
                key={item.path}
                component={Link}
                to={item.path}
                label={item.label}
                leftSection={<item.icon size={18} stroke={1.7} aria-hidden />}
                active={isActive}
                aria-current={isActive ? 'page' : undefined}
                variant="light"
                className={classes.navLink}
                onClick={() => setMobileOpenedAt(null)}
              />
            );
          })}
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main id={MAIN_ID} tabIndex={-1} className={classes.main}>
        <div className={classes.content}>
          <Outlet />
        </div>
      </AppShell.Main>
    </AppShell>
  );
}
