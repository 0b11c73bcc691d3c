import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  /** Controls on the right of the title (badges, buttons). */
  aside?: ReactNode;
  /** 2 inside a section that has its own h1 (Settings). */
  order?: 1 | 2;
}

/** The h1 and one line of context at the top of every signed-in page. */
export function PageHeader({ title, description, aside, order = 1 }: PageHeaderProps) {
  return (
    <Group justify="space-between" align="flex-end" gap="md" mb="lg" wrap="wrap">
      <Stack gap={4} style={{ minWidth: 0 }}>
        <Title order={order}>{title}</Title>
        {description && (
          <Text c="dimmed" size="sm">
            {description}
          </Text>
        )}
      </Stack>
      {aside}
    </Group>
  );
}
