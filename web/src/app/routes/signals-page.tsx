import { Badge, Box, Button, Divider, Flex, Group, Loader, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { IconDownload, IconFilterOff, IconRadar } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import classes from './signals-page.module.css';
import { can } from '../../../../common/permissions.js';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { TablePagination } from '../../components/table-pagination';
import { toActor } from '../../features/auth';
import {
  buildSignalExportPath,
  EMPTY_SIGNAL_FILTERS,
  FacetFilters,
  hasActiveSignalFilters,
  readSignalFilters,
  RetentionSetting,
  SignalDrawer,
  SIGNALS_PAGE_SIZE,
  SignalsTable,
  TimeRangeFilter,
  useSignalCounts,
  useSignalResults,
  writeSignalFilters,
  type ListFilter,
  type SignalFilters,
} from '../../features/signals';
import { SearchBox } from '../../features/vulnerability-management';
import { PermissionGate } from '../permission-gate';
import { useSignedInSession } from '../session-context';

/** Signals → Search: every record the integrations fetched, searched, filtered, faceted and exported. */
export function SignalsPage() {
  return (
    <PermissionGate action="signals:read">
      <SignalsSearch />
    </PermissionGate>
  );
}

function SignalsSearch() {
  const { user } = useSignedInSession();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = readSignalFilters(searchParams);
  const openSignalId = searchParams.get('signal');
  // The results show as soon as they arrive; the counts of a large match take longer and fill in after.
  const signals = useSignalResults(filters);
  const counts = useSignalCounts(filters);
  const isAdministrator = can(toActor(user), 'integrations:manage');

  const applyFilters = (changes: Partial<SignalFilters>) => {
    // Any change of the search goes back to its first page.
    setSearchParams(writeSignalFilters({ ...filters, page: 1, ...changes }, searchParams));
  };
  const toggle = (filter: ListFilter, value: string) => {
    const current = filters[filter];
    applyFilters({ [filter]: current.includes(value) ? current.filter((item) => item !== value) : [...current, value] });
  };
  const setOpenSignal = (id: string | null) => {
    const next = new URLSearchParams(searchParams);
    if (id) next.set('signal', id);
    else next.delete('signal');
    setSearchParams(next);
  };

  const total = counts.data?.total ?? 0;
  const isEstimated = counts.data?.estimated ?? false;
  const goToPage = (page: number) => setSearchParams(writeSignalFilters({ ...filters, page }, searchParams));
  const isFiltered = hasActiveSignalFilters(filters);

  const renderResults = () => {
    if (signals.isPending) return <Skeleton height={320} m="md" />;
    if (signals.isError) {
      return (
        <Box p="md">
          <QueryErrorAlert error={signals.error} onRetry={() => void signals.refetch()} title="Could not search the signals" />
        </Box>
      );
    }
    if (signals.data.results.length === 0) {
      return (
        <Stack align="center" gap="xs" py={56} px="md">
          <IconRadar size={32} stroke={1.5} aria-hidden color="var(--mantine-color-dimmed)" />
          <Text fw={600}>{isFiltered ? 'No signals match this search' : 'No signals yet'}</Text>
          <Text size="sm" c="dimmed" ta="center" maw={460}>
            {isFiltered
              ? 'Try other words or fewer filters.'
              : 'Signals appear here once an integration has fetched records (Settings → Integrations).'}
          </Text>
          {isFiltered && (
            <Button
              variant="default"
              size="xs"
              leftSection={<IconFilterOff size={14} aria-hidden />}
              onClick={() => applyFilters(EMPTY_SIGNAL_FILTERS)}
            >
              Clear filters
            </Button>
          )}
        </Stack>
      );
    }
    return (
      <>
        <SignalsTable signals={signals.data.results} onOpen={setOpenSignal} isRefreshing={signals.isPlaceholderData} />
        <Divider />
        <Box px="md" pb="md">
          {counts.data ? (
            <TablePagination
              page={filters.page}
              pageSize={SIGNALS_PAGE_SIZE}
              total={total}
              noun={isEstimated ? 'signals (estimated)' : 'signals'}
              onPageChange={goToPage}
            />
          ) : (
            <Group justify="space-between" gap="sm" mt="md" wrap="wrap">
              <Text size="sm" c="dimmed">
                {counts.isError ? 'Could not count the matches' : 'Counting the matches…'}
              </Text>
              <Group gap="xs">
                <Button variant="default" size="xs" disabled={filters.page <= 1} onClick={() => goToPage(filters.page - 1)}>
                  Previous page
                </Button>
                <Button variant="default" size="xs" disabled={!signals.data.hasMore} onClick={() => goToPage(filters.page + 1)}>
                  Next page
                </Button>
              </Group>
            </Group>
          )}
        </Box>
      </>
    );
  };

  return (
    <>
      <PageHeader
        title="Signals"
        description="Search every record the integrations fetched: findings and assets, with the raw record as the source sent it."
        aside={
          <Group gap="sm">
            {counts.data ? (
              <Badge variant="light" size="lg" radius="sm" aria-live="polite">
                {isEstimated ? '≈' : ''}
                {total.toLocaleString()} {total === 1 ? 'signal' : 'signals'}
              </Badge>
            ) : (
              counts.isPending && (
                <Badge variant="light" color="gray" size="lg" radius="sm" leftSection={<Loader size={12} />}>
                  Counting…
                </Badge>
              )
            )}
            {isAdministrator && <RetentionSetting />}
          </Group>
        }
      />
      <Paper withBorder shadow="xs">
        <Group p="md" gap="md" align="flex-end" wrap="wrap">
          <SearchBox
            value={filters.q}
            onSearch={(q) => applyFilters({ q })}
            label="Search"
            placeholder="Host, IP, plugin, CVE… (quotes, OR, -word)"
            formLabel="Search signals"
          />
          <TimeRangeFilter from={filters.from} to={filters.to} onChange={(range) => applyFilters(range)} />
          <Group gap="xs">
            <Button
              component="a"
              href={buildSignalExportPath(filters, 'csv')}
              download
              variant="default"
              leftSection={<IconDownload size={16} aria-hidden />}
            >
              Export CSV
            </Button>
            <Button
              component="a"
              href={buildSignalExportPath(filters, 'json')}
              download
              variant="default"
              leftSection={<IconDownload size={16} aria-hidden />}
            >
              Export JSON
            </Button>
          </Group>
        </Group>
        <Divider />
        <Flex direction={{ base: 'column', md: 'row' }}>
          <Box p="md" w={{ base: '100%', md: 260 }} style={{ flexShrink: 0 }} className={classes.facets}>
            <Group justify="space-between" mb="sm">
              <Text size="sm" fw={700}>
                Filters
              </Text>
              {isFiltered && (
                <Button variant="subtle" size="compact-xs" onClick={() => applyFilters(EMPTY_SIGNAL_FILTERS)}>
                  Clear all
                </Button>
              )}
            </Group>
            <FacetFilters
              facets={counts.data?.facets}
              isCounting={counts.isPending}
              isEstimated={counts.data?.facetsEstimated ?? false}
              filters={filters}
              onToggle={toggle}
            />
          </Box>
          <Box style={{ flex: 1, minWidth: 0 }}>{renderResults()}</Box>
        </Flex>
      </Paper>
      <SignalDrawer signalId={openSignalId} onClose={() => setOpenSignal(null)} />
    </>
  );
}
