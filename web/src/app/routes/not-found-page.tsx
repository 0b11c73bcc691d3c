import { Button, EmptyState } from '@mantine/core';
import { IconMapPinQuestion } from '@tabler/icons-react';
import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <EmptyState py={72} px="md" size="lg" withIndicatorBackground>
      <EmptyState.Indicator>
        <IconMapPinQuestion size={30} stroke={1.6} aria-hidden />
      </EmptyState.Indicator>
      <EmptyState.Title order={1}>Page not found</EmptyState.Title>
      <EmptyState.Description maw={440}>
        There is no page at this address. It may have moved, or the link may be mistyped.
      </EmptyState.Description>
      <EmptyState.Actions>
        <Button component={Link} to="/">
          Back to start
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}
