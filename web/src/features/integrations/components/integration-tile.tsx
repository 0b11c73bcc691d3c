import { Alert, Anchor, Badge, Code, Group, List, Loader, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import {
  NO_DATA_CHECKS,
  RUN_ERROR_ADVICE,
  type IntegrationResponse,
  type RunErrorKind,
  type StreamStatusResponse,
} from '../../../../../common/schemas/integrations.js';
import { formatDateTime } from '../../vulnerability-management';
import { formatCount, formatInterval, formatRelative } from '../format';
import { HealthIndicator } from './health-indicator';

interface IntegrationTileProps {
  integration: IntegrationResponse;
  /** Links the name to the integration's page (on the list; not on the page itself). */
  isLinked?: boolean;
  /** The clock the relative times are read against (tests fix it). */
  now?: number;
}

const CLOCK_TICK_MS = 15_000;

/** The time now, moving every few seconds, so "in 3 minutes" stays true while the page is open. */
function useClock(isTicking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!isTicking) return undefined;
    const timer = setInterval(() => setNow(Date.now()), CLOCK_TICK_MS);
    return () => clearInterval(timer);
  }, [isTicking]);
  return now;
}

/** `isPast`: a time that has happened (a last run); the clock ticks every few seconds, so it may be behind it. */
function RelativeTime({ iso, now, empty, isPast = false }: { iso: string | null; now: number; empty: string; isPast?: boolean }) {
  if (!iso) return <Text size="sm">{empty}</Text>;
  const isJustNow = isPast && new Date(iso).getTime() >= now - 5_000;
  return (
    <Text size="sm" title={formatDateTime(iso)}>
      {isJustNow ? 'just now' : formatRelative(iso, now)}
    </Text>
  );
}

function StreamState({ stream, now }: { stream: StreamStatusResponse; now: number }) {
  if (stream.running) {
    return (
      <Group gap={6} wrap="nowrap">
        <Loader size={12} color="blue" aria-hidden />
        <Text size="sm" fw={600} c="blue.8">
          Running
        </Text>
      </Group>
    );
  }
  if (stream.backingOffUntil && new Date(stream.backingOffUntil).getTime() > now) {
    return (
      <Text size="sm" fw={600} c="yellow.9" title={formatDateTime(stream.backingOffUntil)}>
        Backing off until {new Date(stream.backingOffUntil).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}
      </Text>
    );
  }
  return <HealthIndicator health={stream.health} size="sm" />;
}

/** The failures to explain: one per kind, from the streams that are failing or degraded. */
function listProblems(integration: IntegrationResponse): { kind: RunErrorKind; streams: string[]; message: string }[] {
  const problems = new Map<RunErrorKind, { kind: RunErrorKind; streams: string[]; message: string }>();
  for (const stream of integration.streams) {
    if (!stream.lastError || (stream.health !== 'failing' && stream.health !== 'degraded')) continue;
    const known = problems.get(stream.lastError.kind);
    if (known) known.streams.push(stream.label);
    else problems.set(stream.lastError.kind, { kind: stream.lastError.kind, streams: [stream.label], message: stream.lastError.message });
  }
  return [...problems.values()];
}

/**
 * One integration: its status indicator (grey until the first poll, green, amber, red), each
 * stream's last and next run and records fetched, the seed's troubleshooting advice when a run
 * failed, and the seed's "No Data Appearing" checks while nothing has been fetched.
 */
export function IntegrationTile({ integration, isLinked = false, now: fixedNow }: IntegrationTileProps) {
  const clock = useClock(fixedNow === undefined);
  const now = fixedNow ?? clock;
  const problems = integration.enabled ? listProblems(integration) : [];
  const isRunning = integration.streams.some((stream) => stream.running);
  const totalFetched = integration.streams.reduce((sum, stream) => sum + stream.totalFetched, 0);
  const isFailing = integration.health === 'failing';

  return (
    <Paper withBorder shadow="xs" p="md" component="article" aria-label={`Integration ${integration.name}`}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Title order={3} size="h4">
              {isLinked ? (
                <Anchor component={Link} to={`/settings/integrations/${integration.id}`} inherit>
                  {integration.name}
                </Anchor>
              ) : (
                integration.name
              )}
            </Title>
            <Group gap={6} wrap="wrap">
              <Text size="sm" c="dimmed">
                {integration.connectorLabel}
              </Text>
              <Code>{integration.connector}</Code>
            </Group>
            <Text size="sm" c="dimmed">
              Target account: {integration.targetAccount ? integration.targetAccount.name : 'none (Signals only)'}
            </Text>
          </Stack>
          <Group gap="xs">
            {isRunning && (
              <Badge variant="light" color="blue">
                Polling now
              </Badge>
            )}
            <HealthIndicator health={integration.health} />
          </Group>
        </Group>

        <Table.ScrollContainer minWidth={440}>
          <Table verticalSpacing={6} fz="sm" aria-label={`Streams of ${integration.name}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Stream</Table.Th>
                <Table.Th>Last run</Table.Th>
                <Table.Th>Next run</Table.Th>
                <Table.Th>Fetched</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {integration.streams.map((stream) => (
                <Table.Tr key={stream.name}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {stream.label}{' '}
                      <Text span size="xs" c="dimmed" fw={400}>
                        every {formatInterval(stream.intervalMinutes)}
                      </Text>
                    </Text>
                    <StreamState stream={stream} now={now} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <RelativeTime iso={stream.lastRunAt} now={now} empty="Not yet" isPast />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <RelativeTime iso={integration.enabled ? stream.nextRunAt : null} now={now} empty="—" />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }} data-testid={`fetched-${stream.name}`}>
                    <Text size="sm" fw={500}>
                      {formatCount(stream.lastFetched)}
                      <VisuallyHidden> fetched by the last run,</VisuallyHidden>
                    </Text>
                    <Text size="xs" c="dimmed">
                      {formatCount(stream.totalFetched)} in total
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>

        {problems.map((problem) => {
          const advice = RUN_ERROR_ADVICE[problem.kind];
          return (
            <Alert
              key={problem.kind}
              color={isFailing ? 'red' : 'yellow'}
              variant="light"
              title={advice.title}
              icon={<IconAlertTriangle aria-hidden />}
            >
              <Stack gap={6}>
                <Text size="sm">
                  {problem.streams.join(', ')}: {problem.message}
                </Text>
                <List size="sm" spacing={2}>
                  {advice.advice.map((line) => (
                    <List.Item key={line}>{line}</List.Item>
                  ))}
                </List>
              </Stack>
            </Alert>
          );
        })}

        {totalFetched === 0 && !isRunning && (
          <Alert color="gray" variant="light" title="No data appearing?" icon={<IconInfoCircle aria-hidden />}>
            <Stack gap={6}>
              <Text size="sm">The first data arrives within one polling interval after saving (or use Poll Now). If nothing arrives:</Text>
              <List size="sm" spacing={2}>
                {NO_DATA_CHECKS.map((line) => (
                  <List.Item key={line}>{line}</List.Item>
                ))}
              </List>
            </Stack>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
