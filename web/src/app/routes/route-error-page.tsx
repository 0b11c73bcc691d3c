import { Button, Center, EmptyState } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';

/** The last resort when a page fails to render: say so plainly and offer a reload. */
export function RouteErrorPage() {
  return (
    <Center mih="100dvh" p="md">
      <EmptyState size="lg" withIndicatorBackground>
        <EmptyState.Indicator>
          <IconAlertTriangle size={30} stroke={1.6} aria-hidden />
        </EmptyState.Indicator>
        <EmptyState.Title order={1}>Something went wrong</EmptyState.Title>
        <EmptyState.Description maw={440}>This page stopped working. Reloading usually fixes it.</EmptyState.Description>
        <EmptyState.Actions>
          <Button onClick={() => window.location.reload()}>Reload the page</Button>
        </EmptyState.Actions>
      </EmptyState>
    </Center>
  );
}
