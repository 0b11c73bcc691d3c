import { Box, Divider, EmptyState, Paper } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { ListAuditEventsQuery } from '../../../../common/schemas/audit.js';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { TablePagination } from '../../components/table-pagination';
import { AuditLogFilters, AuditLogTable, AuditLogTableSkeleton, useAuditEvents, type AuditLogFilterValues } from '../../features/audit';

const PAGE_SIZE = 50;
/** datetime-local has minute precision: "To 10:15" includes everything up to 10:15:59.999. */
const TO_MINUTE_END_MS = 59_999;

/** A datetime-local value ("2026-11-22T10:15", the reader's clock) as an ISO instant, or undefined. */
function toInstant(local: string, offsetMs = 0): string | undefined {
  if (!local) return undefined;
  const time = new Date(local).getTime();
  return Number.isNaN(time) ? undefined : new Date(time + offsetMs).toISOString();
}

function readFilters(searchParams: URLSearchParams): AuditLogFilterValues {
  return {
    user: searchParams.get('user') ?? '',
    action: searchParams.get('action') ?? '',
    from: searchParams.get('from') ?? '',
    to: searchParams.get('to') ?? '',
  };
}

function buildQuery(filters: AuditLogFilterValues, page: number): ListAuditEventsQuery {
  const parsed = ListAuditEventsQuery.safeParse({
    user: filters.user || undefined,
    action: filters.action || undefined,
    from: toInstant(filters.from),
    to: toInstant(filters.to, TO_MINUTE_END_MS),
    page,
    pageSize: PAGE_SIZE,
  });
  // A hand-edited URL with a filter the server would refuse shows the unfiltered log instead.
  return parsed.success ? parsed.data : ListAuditEventsQuery.parse({ page: 1, pageSize: PAGE_SIZE });
}

export function AuditLogPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = readFilters(searchParams);
  const page = Math.max(1, Number.parseInt(searchParams.get('page') ?? '1', 10) || 1);
  const query = buildQuery(filters, page);
  const events = useAuditEvents(query);
  const hasFilters = Object.values(filters).some(Boolean);

  const applyFilters = (values: AuditLogFilterValues) => {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(values)) if (value) next.set(key, value);
    setSearchParams(next);
  };

  const changePage = (nextPage: number) => {
    const next = new URLSearchParams(searchParams);
    if (nextPage > 1) next.set('page', String(nextPage));
    else next.delete('page');
    setSearchParams(next);
  };

  const renderBody = () => {
    if (events.isPending) return <AuditLogTableSkeleton />;
    if (events.isError) {
      return (
        <Box p="md">
          <QueryErrorAlert error={events.error} onRetry={() => void events.refetch()} title="Could not load the audit log" />
        </Box>
      );
    }
    const { items, total, pageSize } = events.data;
    if (total === 0) {
      return (
        <EmptyState py={56} px="md" size="md" withIndicatorBackground>
          <EmptyState.Indicator>
            <IconHistory size={26} stroke={1.6} aria-hidden />
          </EmptyState.Indicator>
          <EmptyState.Title>{hasFilters ? 'No events match these filters' : 'No audit events yet'}</EmptyState.Title>
          <EmptyState.Description>
            {hasFilters ? 'Widen the date range or clear a filter.' : 'Security-relevant actions are recorded here as they happen.'}
          </EmptyState.Description>
        </EmptyState>
      );
    }
    return (
      <>
        <AuditLogTable events={items} isRefreshing={events.isPlaceholderData} />
        <Divider />
        <Box px="md" pb="md">
          <TablePagination page={events.data.page} pageSize={pageSize} total={total} noun="events" onPageChange={changePage} />
        </Box>
      </>
    );
  };

  return (
    <>
      <PageHeader order={2} title="Audit log" description="Who did what, from where and when. Times are shown in your time zone." />
      <Paper withBorder shadow="xs">
        <Box p="md">
          <AuditLogFilters key={searchParams.toString()} initialValues={filters} onApply={applyFilters} />
        </Box>
        <Divider />
        {renderBody()}
      </Paper>
    </>
  );
}
