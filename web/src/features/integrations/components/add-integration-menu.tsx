import { Button, Menu, Text } from '@mantine/core';
import { IconChevronDown, IconPlugConnected } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { ConnectorResponse } from '../../../../../common/schemas/integrations.js';

/** The seed's "Add Integration" drop-down: one item per connector of the catalogue. */
export function AddIntegrationMenu({ connectors }: { connectors: ConnectorResponse[] }) {
  return (
    <Menu position="bottom-end" width={280} shadow="md" withinPortal>
      <Menu.Target>
        <Button leftSection={<IconPlugConnected size={18} aria-hidden />} rightSection={<IconChevronDown size={16} aria-hidden />}>
          Add Integration
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Connectors</Menu.Label>
        {connectors.map((connector) => (
          <Menu.Item key={connector.id} component={Link} to={`/settings/integrations/new/${encodeURIComponent(connector.id)}`}>
            <Text size="sm" fw={500}>
              {connector.label}
            </Text>
            <Text size="xs" c="dimmed">
              {connector.category}
            </Text>
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
