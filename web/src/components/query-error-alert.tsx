import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { getErrorMessage } from '../lib/api-client';

interface QueryErrorAlertProps {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}

/** A failed load: the server's message, and a way to try again. */
export function QueryErrorAlert({ error, onRetry, title = 'Could not load this page' }: QueryErrorAlertProps) {
  return (
    <Alert color="red" variant="light" title={title} icon={<IconAlertCircle aria-hidden />}>
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Text size="sm">{getErrorMessage(error)}</Text>
        {onRetry && (
          <Button size="xs" variant="default" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Group>
    </Alert>
  );
}
