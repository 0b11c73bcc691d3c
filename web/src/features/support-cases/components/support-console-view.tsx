import { Anchor, Badge, Box, Button, Card, Divider, Group, Paper, SimpleGrid, Skeleton, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconBook, IconMessages, IconSearch } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import { CaseStatus, type CaseListQuery } from '../../../../../common/schemas/support-cases.js';
import { PageHeader } from '../../../components/page-header';
import { QueryErrorAlert } from '../../../components/query-error-alert';
import { TablePagination } from '../../../components/table-pagination';
import { useCases, useQueues, useSuggestionStats } from '../support-cases.api';
import { formatDateTime, formatDuration, useNow } from './case-badges';
import { CaseSearch, CasesTable, FilterSelect, STATUS_FILTER_DATA } from './cases-table';

export const CONSOLE_PAGE_SIZE = 25;
const ASSIGNED_VALUES = ['me', 'unassigned', 'any'] as const;
type Assigned = (typeof ASSIGNED_VALUES)[number];

/** The console's filters live in the URL: queue, status (or open), assigned, q, page. */
export function readConsoleQuery(searchParams: URLSearchParams): CaseListQuery {
  const status = CaseStatus.safeParse(searchParams.get('status'));
  const assignedParam = searchParams.get('assigned');
  const assigned: Assigned = ASSIGNED_VALUES.find((value) => value === assignedParam) ?? 'any';
  const page = Number(searchParams.get('page') ?? '1');
  return {
    queue: searchParams.get('queue') || undefined,
    status: status.success ? status.data : undefined,
    // Without a status, the console shows the work still to do.
    state: status.success ? 'all' : searchParams.get('state') === 'all' ? 'all' : 'open',
    assigned,
    q: searchParams.get('q') || undefined,
    page: Number.isInteger(page) && page > 1 ? page : 1,
    pageSize: CONSOLE_PAGE_SIZE,
  };
}

function NextDue({ nextDueAt, now }: { nextDueAt: string | null; now: number }) {
  if (!nextDueAt)
    return (
      <Text size="xs" c="dimmed">
        No SLA running
      </Text>
    );
  const minutes = (Date.parse(nextDueAt) - now) / 60_000;
  return (
    <Text size="xs" c={minutes < 60 ? 'orange' : 'dimmed'} title={formatDateTime(nextDueAt)}>
      Next due in {formatDuration(minutes)}
    </Text>
  );
}

/** The agents' console: queues with counts, the case list they filter, suggestion stats and links. */
export function SupportConsoleView() {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = readConsoleQuery(searchParams);
  const cases = useCases(query);
  const queues = useQueues();
  const stats = useSuggestionStats();
  const now = useNow();

  const update = (changes: Partial<Record<'queue' | 'status' | 'state' | 'assigned' | 'q' | 'page', string>>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setSearchParams(next);
  };

  const queueNames = queues.data?.items.map((item) => item.queue) ?? [];
  if (query.queue && !queueNames.includes(query.queue)) queueNames.push(query.queue);
  const statusValue = query.status ?? (query.state === 'all' ? 'all' : '');

  return (
    <>
      <PageHeader
        title="Support console"
        description="Queues, cases and SLA clocks of the accounts you support."
        aside={
          <Group gap="sm">
            <Button component={Link} to="/support-console/chats" variant="default" leftSection={<IconMessages size={16} aria-hidden />}>
              Chats
            </Button>
            <Button component={Link} to="/support/kb" variant="default" leftSection={<IconBook size={16} aria-hidden />}>
              Knowledge base
            </Button>
            <Button component={Link} to="/support/pin-lookup" variant="default" leftSection={<IconSearch size={16} aria-hidden />}>
              PIN lookup
            </Button>
          </Group>
        }
      />
      <Stack gap="lg">
        {queues.isError && <QueryErrorAlert error={queues.error} onRetry={() => void queues.refetch()} title="Could not load the queues" />}
        {queues.isPending && <Skeleton height={96} />}
        {queues.data && (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md" aria-label="Queues">
            {queues.data.items.map((item) => {
              const isActive = query.queue === item.queue;
              return (
                <UnstyledButton
                  key={item.queue}
                  onClick={() => update({ queue: isActive ? '' : item.queue })}
                  aria-pressed={isActive}
                  aria-label={`Queue ${item.queue}: ${item.open} open`}
                >
                  <Card
                    withBorder
                    padding="md"
                    shadow={isActive ? 'md' : 'xs'}
                    style={isActive ? { borderColor: 'var(--mantine-primary-color-filled)' } : undefined}
                  >
                    <Text fw={600}>{item.queue}</Text>
                    <Group gap="xs" mt={6} wrap="wrap">
                      <Badge variant="light">{item.open} open</Badge>
                      <Badge variant="light" color="gray">
                        {item.unassigned} unassigned
                      </Badge>
                      {item.breached > 0 && (
                        <Badge variant="filled" color="red">
                          {item.breached} breached
                        </Badge>
                      )}
                    </Group>
                    <Box mt={6}>
                      <NextDue nextDueAt={item.nextDueAt} now={now} />
                    </Box>
                  </Card>
                </UnstyledButton>
              );
            })}
            {queues.data.items.length === 0 && <Text c="dimmed">No queues have cases yet.</Text>}
          </SimpleGrid>
        )}
        {stats.data && (
          <Text size="sm" c="dimmed" data-testid="suggestion-stats">
            Suggestions resolved {Math.round(stats.data.resolvedRate * 100)}% of visits ({stats.data.left} of{' '}
            {stats.data.left + stats.data.continued + stats.data.submitted}).
          </Text>
        )}
        <Paper withBorder shadow="xs">
          <Box p="md">
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
              <FilterSelect
                label="Queue"
                data={[{ value: '', label: 'All queues' }, ...queueNames.map((name) => ({ value: name, label: name }))]}
                value={query.queue ?? ''}
                onChange={(value) => update({ queue: value })}
              />
              <FilterSelect
                label="Status"
                data={[
                  { value: '', label: 'Open (not solved or closed)' },
                  { value: 'all', label: 'Any status' },
                  ...STATUS_FILTER_DATA.slice(1),
                ]}
                value={statusValue}
                onChange={(value) => (value === 'all' ? update({ status: '', state: 'all' }) : update({ status: value, state: '' }))}
              />
              <FilterSelect
                label="Assigned"
                data={[
                  { value: 'any', label: 'Anyone' },
                  { value: 'me', label: 'Assigned to me' },
                  { value: 'unassigned', label: 'Unassigned' },
                ]}
                value={query.assigned ?? 'any'}
                onChange={(value) => update({ assigned: value === 'any' ? '' : value })}
              />
              <CaseSearch key={query.q ?? ''} initialValue={query.q ?? ''} onSearch={(value) => update({ q: value })} />
            </SimpleGrid>
          </Box>
          <Divider />
          {cases.isPending && <Skeleton height={160} m="md" />}
          {cases.isError && (
            <Box p="md">
              <QueryErrorAlert error={cases.error} onRetry={() => void cases.refetch()} title="Could not load the cases" />
            </Box>
          )}
          {cases.data && (
            <>
              {cases.data.items.length === 0 ? (
                <Text p="lg" c="dimmed" ta="center">
                  No cases match these filters.
                </Text>
              ) : (
                <CasesTable cases={cases.data.items} linkBase="/support-console/cases" isAgentView showOpenedBy now={now} />
              )}
              <Box px="md" pb="md">
                <TablePagination
                  page={cases.data.page}
                  pageSize={cases.data.pageSize}
                  total={cases.data.total}
                  noun="cases"
                  onPageChange={(page) => update({ page: page > 1 ? String(page) : '' })}
                />
              </Box>
            </>
          )}
        </Paper>
        <Anchor component={Link} to="/support" size="sm">
          Support page
        </Anchor>
      </Stack>
    </>
  );
}
