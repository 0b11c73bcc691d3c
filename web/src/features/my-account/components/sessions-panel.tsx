import { Alert, Badge, Button, Group, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertCircle, IconCheck, IconDevices, IconLogout } from '@tabler/icons-react';
import { useState } from 'react';
import type { SessionSummaryResponse } from '../../../../../common/schemas/my-account.js';
import { QueryErrorAlert } from '../../../components/query-error-alert';
import { getErrorMessage } from '../../../lib/api-client';
import { useOwnSessions, useSignOutOtherSessions, useSignOutSession } from '../my-account.api';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function describeDevice(session: SessionSummaryResponse): string {
  if (session.browser && session.os) return `${session.browser} on ${session.os}`;
  return session.browser ?? session.os ?? 'Unknown browser';
}

function Time({ value }: { value: string }) {
  return <time dateTime={value}>{timeFormat.format(new Date(value))}</time>;
}

/** My Account → Sessions: where you are signed in, with Sign out per session and for all the others. */
export function SessionsPanel() {
  const sessions = useOwnSessions();
  const signOutOne = useSignOutSession();
  const signOutOthers = useSignOutOtherSessions();
  const [message, setMessage] = useState<string | null>(null);
  const error = signOutOne.error ?? signOutOthers.error;
  const others = sessions.data?.items.filter((session) => !session.isCurrent) ?? [];

  const renderTable = (items: SessionSummaryResponse[]) => (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="sm" highlightOnHover aria-label="Your sessions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Browser</Table.Th>
            <Table.Th>IP address</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Last seen</Table.Th>
            <Table.Th w={120}>
              <span className="bulwark-visually-hidden">Actions</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((session) => (
            <Table.Tr key={session.id}>
              <Table.Td>
                <Group gap={8} wrap="nowrap">
                  <Text size="sm" fw={500} title={session.userAgent ?? undefined}>
                    {describeDevice(session)}
                  </Text>
                  {session.isCurrent && (
                    <Badge size="sm" variant="light" color="teal">
                      This device
                    </Badge>
                  )}
                </Group>
                {session.isPersistent && (
                  <Text size="xs" c="dimmed">
                    Remember Me
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {session.ip ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  <Time value={session.startedAt} />
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  <Time value={session.lastSeenAt} />
                </Text>
              </Table.Td>
              <Table.Td>
                {!session.isCurrent && (
                  <Button
                    size="xs"
                    variant="default"
                    aria-label={`Sign out ${describeDevice(session)} from ${session.ip ?? 'an unknown address'}`}
                    loading={signOutOne.isPending && signOutOne.variables === session.id}
                    onClick={() => {
                      setMessage(null);
                      signOutOne.mutate(session.id, { onSuccess: (response) => setMessage(response.message) });
                    }}
                  >
                    Sign out
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );

  return (
    <Paper withBorder shadow="xs" p={{ base: 'md', sm: 'xl' }}>
      <Stack gap="md">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Group gap="xs">
            <IconDevices size={20} stroke={1.7} aria-hidden />
            <Title order={2} size="h4">
              Sessions
            </Title>
          </Group>
          <Button
            variant="light"
            color="red"
            leftSection={<IconLogout size={16} aria-hidden />}
            disabled={others.length === 0}
            loading={signOutOthers.isPending}
            onClick={() => {
              setMessage(null);
              signOutOthers.mutate(undefined, { onSuccess: (response) => setMessage(response.message) });
            }}
          >
            Sign out other sessions
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          The browsers where you are signed in to Bulwark. If you do not recognise one, sign it out and change your password.
        </Text>
        {message && (
          <Alert color="teal" variant="light" icon={<IconCheck aria-hidden />} withCloseButton onClose={() => setMessage(null)}>
            {message}
          </Alert>
        )}
        {error && (
          <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />}>
            {getErrorMessage(error)}
          </Alert>
        )}
        {sessions.isPending && <Skeleton height={120} />}
        {sessions.isError && (
          <QueryErrorAlert error={sessions.error} onRetry={() => void sessions.refetch()} title="Could not load your sessions" />
        )}
        {sessions.data && renderTable(sessions.data.items)}
      </Stack>
    </Paper>
  );
}
