import { ActionIcon, Menu, Tooltip } from '@mantine/core';
import { IconApi, IconBook, IconExternalLink, IconHelpCircle, IconNews, IconSitemap } from '@tabler/icons-react';
import { Link } from 'react-router';

/** The seed's Resource Center: Bulwark's own documentation and its API reference. */
export function ResourceCenterMenu() {
  return (
    <Menu position="bottom-end" width={232} shadow="md" withinPortal>
      <Menu.Target>
        <Tooltip label="Resource Center">
          <ActionIcon variant="subtle" color="gray" size="lg" aria-label="Resource Center">
            <IconHelpCircle size={20} stroke={1.7} aria-hidden />
          </ActionIcon>
        </Tooltip>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Resource Center</Menu.Label>
        <Menu.Item component={Link} to="/help/readme" leftSection={<IconBook size={16} aria-hidden />}>
          README
        </Menu.Item>
        <Menu.Item component={Link} to="/help/architecture" leftSection={<IconSitemap size={16} aria-hidden />}>
          Architecture
        </Menu.Item>
        <Menu.Item
          component="a"
          href="/api/docs"
          leftSection={<IconApi size={16} aria-hidden />}
          rightSection={<IconExternalLink size={14} aria-hidden />}
        >
          API reference
        </Menu.Item>
        <Menu.Item component={Link} to="/help/release-notes" leftSection={<IconNews size={16} aria-hidden />}>
          Release notes
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
