import { Title } from '@mantine/core';
import { IconHistory, IconPhone, IconPlugConnected, IconWorldWww } from '@tabler/icons-react';
import { NavLink as RouterNavLink, Outlet } from 'react-router';
import classes from './settings-layout.module.css';

/** The pages of the Settings section. More arrive with later issues. */
const SETTINGS_PAGES = [
  { label: 'Audit log', path: '/settings/audit-log', icon: IconHistory },
  { label: 'Domains', path: '/settings/domains', icon: IconWorldWww },
  { label: 'Phone Support', path: '/settings/phone-support', icon: IconPhone },
  { label: 'Integrations', path: '/settings/integrations', icon: IconPlugConnected },
] as const;

/** Settings: its title, a row of section links (tab-like, but links: each is its own page), then the page. */
export function SettingsLayout() {
  return (
    <>
      <Title order={1} mb="sm">
        Settings
      </Title>
      <nav aria-label="Settings" className={classes.subnav}>
        {SETTINGS_PAGES.map((page) => (
          <RouterNavLink key={page.path} to={page.path} className={classes.subnavLink}>
            <page.icon size={16} stroke={1.7} aria-hidden />
            {page.label}
          </RouterNavLink>
        ))}
      </nav>
      <Outlet />
    </>
  );
}
