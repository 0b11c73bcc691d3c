import { Avatar, Menu, UnstyledButton, useComputedColorScheme } from '@mantine/core';
import { IconLogout, IconUserCircle } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import type { MeResponse } from '../../../../common/schemas/auth.js';
import { UserIdentity } from '../../components/user-identity';
import { useSignOut } from '../../features/auth';
import { getInitials } from '../../lib/format';
import classes from './app-layout.module.css';

/**
 * The initials as a picture: text inside the button would have to be part of its accessible name
 * (WCAG 2.5.3), which is, and must stay exactly, "User account menu".
 */
function drawInitials(initials: string, isDark: boolean): string {
  const background = isDark ? '#476bd6' : '#2448a9';
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">` +
    `<rect width="64" height="64" fill="${background}"/>` +
    `<text x="32" y="33" fill="#ffffff" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif" ` +
    `font-size="24" font-weight="700" text-anchor="middle" dominant-baseline="central">${initials.replace(/[^A-Z0-9?]/gi, '')}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** The seed's user account menu: My Account and Sign Out. Signing out leads to the sign-in page. */
export function UserMenu({ user }: { user: MeResponse }) {
  const signOut = useSignOut();
  const navigate = useNavigate();
  const isDark = useComputedColorScheme('light', { getInitialValueInEffect: false }) === 'dark';
  // Pages anyone may see (not found) stay put without a session, so go to sign-in explicitly.
  const handleSignOut = () => signOut.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) });

  return (
    <Menu position="bottom-end" width={260} shadow="md" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label="User account menu" className={classes.userButton}>
          <Avatar src={drawInitials(getInitials(user.name), isDark)} alt="" size={34} radius="xl" />
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <UserIdentity user={user} />
        <Menu.Divider />
        <Menu.Item component={Link} to="/my-account" leftSection={<IconUserCircle size={16} aria-hidden />}>
          My Account
        </Menu.Item>
        <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={handleSignOut} disabled={signOut.isPending}>
          Sign Out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
