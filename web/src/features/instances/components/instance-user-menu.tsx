import { Avatar, Menu, UnstyledButton } from '@mantine/core';
import { IconDoorExit, IconLifebuoy, IconLogout, IconUserCircle } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import type { MeResponse } from '../../../../../common/schemas/auth.js';
import { UserIdentity } from '../../../components/user-identity';
import { getInitials } from '../../../lib/format';
import { useSignOut } from '../../auth';

interface InstanceUserMenuProps {
  user: MeResponse;
  /** Set for staff signed in from the portal: the menu then offers Leave User (the seed's classic interface). */
  onLeave?: () => void;
  isLeaving?: boolean;
}

/** The instance's user menu: My Account, Support and Sign Out for contacts; Leave User and Sign Out for staff. */
export function InstanceUserMenu({ user, onLeave, isLeaving = false }: InstanceUserMenuProps) {
  const signOut = useSignOut();
  const navigate = useNavigate();
  const handleSignOut = () => signOut.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) });

  return (
    <Menu position="bottom-end" width={260} shadow="md" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label="User account menu" style={{ borderRadius: '50%', display: 'inline-flex' }}>
          <Avatar size={34} radius="xl" color="bulwark" variant="filled" aria-hidden>
            {getInitials(user.name || user.username)}
          </Avatar>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <UserIdentity user={user} />
        <Menu.Divider />
        {onLeave ? (
          <Menu.Item leftSection={<IconDoorExit size={16} aria-hidden />} onClick={onLeave} disabled={isLeaving}>
            Leave User
          </Menu.Item>
        ) : (
          <Menu.Item component={Link} to="/my-account" leftSection={<IconUserCircle size={16} aria-hidden />}>
            My Account
          </Menu.Item>
        )}
        {!onLeave && (
          <Menu.Item component={Link} to="/support" leftSection={<IconLifebuoy size={16} aria-hidden />}>
            Support
          </Menu.Item>
        )}
        <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={handleSignOut} disabled={signOut.isPending}>
          Sign Out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
