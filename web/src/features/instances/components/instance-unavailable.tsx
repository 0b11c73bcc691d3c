import { Button, Center, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconLock, IconSearch } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { BrandMark } from '../../../components/brand-mark';
import { QueryErrorAlert } from '../../../components/query-error-alert';
import { getErrorMessage, isApiError } from '../../../lib/api-client';

interface InstanceUnavailableProps {
  error: unknown;
  onRetry: () => void;
  /** Where the person can go instead (the Accounts page for staff, their own start for contacts). */
  homePath: string;
  homeLabel: string;
}

function Frame({ children }: { children: ReactNode }) {
  return (
    <Center mih="100dvh" p="md" component="main">
      <Stack align="center" gap="md" maw={520} ta="center">
        <BrandMark />
        {children}
      </Stack>
    </Center>
  );
}

/**
 * An instance that cannot be opened: not found or not assigned (the server's 404, which does not
 * say which), a deactivated account (403, the server's message), or a failed load (retry).
 */
export function InstanceUnavailable({ error, onRetry, homePath, homeLabel }: InstanceUnavailableProps) {
  const back = (
    <Button component={Link} to={homePath} variant="light">
      {homeLabel}
    </Button>
  );
  if (isApiError(error) && error.status === 404) {
    return (
      <Frame>
        <ThemeIcon size={56} radius="xl" variant="light" color="gray" aria-hidden>
          <IconSearch size={28} />
        </ThemeIcon>
        <Title order={1}>Instance not found</Title>
        <Text c="dimmed">
          This customer instance does not exist, or you do not have access to it. Staff can open only the instances of accounts assigned to
          them.
        </Text>
        {back}
      </Frame>
    );
  }
  if (isApiError(error) && error.status === 403) {
    return (
      <Frame>
        <ThemeIcon size={56} radius="xl" variant="light" color="orange" aria-hidden>
          <IconLock size={28} />
        </ThemeIcon>
        <Title order={1}>Instance closed</Title>
        <Text c="dimmed">{getErrorMessage(error)}</Text>
        {back}
      </Frame>
    );
  }
  return (
    <Frame>
      <QueryErrorAlert error={error} onRetry={onRetry} title="Could not open this instance" />
      {back}
    </Frame>
  );
}
