import { ActionIcon, Affix, Button, Group, Paper, Text, Tooltip } from '@mantine/core';
import { IconStar } from '@tabler/icons-react';

interface SelectedBarProps {
  count: number;
  onAssignLogo: () => void;
  onClear: () => void;
}

/** The seed's Selected bar at the bottom of the Accounts page, with the ☆ button for logos. */
export function SelectedBar({ count, onAssignLogo, onClear }: SelectedBarProps) {
  if (count === 0) return null;
  return (
    <Affix position={{ bottom: 20, left: '50%' }} style={{ transform: 'translateX(-50%)' }} zIndex={150}>
      <Paper shadow="lg" radius="md" withBorder px="md" py="xs" role="region" aria-label="Selected accounts">
        <Group gap="md" wrap="nowrap">
          <Text size="sm" fw={600}>
            {count} selected
          </Text>
          <Button variant="subtle" size="compact-sm" onClick={onClear}>
            Clear selection
          </Button>
          <Tooltip label="Assign Logo to Accounts">
            <ActionIcon size="lg" variant="filled" aria-label="Assign logo to selected accounts" onClick={onAssignLogo}>
              <IconStar size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Paper>
    </Affix>
  );
}
