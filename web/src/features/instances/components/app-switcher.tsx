import { Button, Menu, Text } from '@mantine/core';
import { IconCheck, IconChevronDown } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { LicensedApp } from '../../../../../common/schemas/accounts.js';
import { LICENSED_APP_LABELS } from './instance-apps';

interface AppSwitcherProps {
  apps: LicensedApp[];
  current: LicensedApp;
  basePath: string;
}

/** The header's app switcher: the account's licensed apps only, in the order the instance gives. */
export function AppSwitcher({ apps, current, basePath }: AppSwitcherProps) {
  if (apps.length <= 1) {
    return (
      <Text size="sm" fw={600} c="dimmed" truncate="end" visibleFrom="xs">
        {LICENSED_APP_LABELS[current]}
      </Text>
    );
  }
  return (
    <Menu position="bottom-start" width={260} shadow="md" withinPortal>
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          size="sm"
          px={8}
          rightSection={<IconChevronDown size={14} aria-hidden />}
          aria-label={`Switch app (current: ${LICENSED_APP_LABELS[current]})`}
          styles={{ label: { overflow: 'hidden', textOverflow: 'ellipsis' } }}
          maw="100%"
        >
          <span>{LICENSED_APP_LABELS[current]}</span>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Apps</Menu.Label>
        {apps.map((app) => (
          <Menu.Item
            key={app}
            component={Link}
            to={`${basePath}/${app}`}
            aria-current={app === current ? 'page' : undefined}
            rightSection={app === current ? <IconCheck size={14} aria-hidden /> : undefined}
          >
            {LICENSED_APP_LABELS[app]}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
