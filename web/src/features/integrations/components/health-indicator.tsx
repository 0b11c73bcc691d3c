import { Box, Group, Text } from '@mantine/core';
import {
  INTEGRATION_HEALTH_COLORS,
  INTEGRATION_HEALTH_LABELS,
  type IntegrationHealth,
} from '../../../../../common/schemas/integrations.js';

/** Mantine shades for the dot: grey, green, amber, red (the contract's colour names). */
const DOT_SHADES: Record<(typeof INTEGRATION_HEALTH_COLORS)[IntegrationHealth], string> = {
  gray: 'var(--mantine-color-gray-5)',
  green: 'var(--mantine-color-green-6)',
  yellow: 'var(--mantine-color-yellow-6)',
  red: 'var(--mantine-color-red-7)',
};

interface HealthIndicatorProps {
  health: IntegrationHealth;
  size?: 'sm' | 'md';
}

/** The status indicator: a coloured dot and its word, so the colour is never the only signal. */
export function HealthIndicator({ health, size = 'md' }: HealthIndicatorProps) {
  const color = INTEGRATION_HEALTH_COLORS[health];
  const diameter = size === 'sm' ? 10 : 12;
  return (
    <Group gap={8} wrap="nowrap" data-testid="health-indicator" data-health={health} data-color={color}>
      <Box
        aria-hidden
        w={diameter}
        h={diameter}
        style={{
          borderRadius: '50%',
          flexShrink: 0,
          background: DOT_SHADES[color],
          boxShadow: `0 0 0 3px color-mix(in srgb, ${DOT_SHADES[color]} 25%, transparent)`,
        }}
      />
      <Text size={size} fw={600}>
        {INTEGRATION_HEALTH_LABELS[health]}
      </Text>
    </Group>
  );
}
