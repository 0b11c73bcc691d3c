import { Box, Button, Divider, Group, Paper, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { CaseKind, CaseStatus, type CaseListQuery } from '../../../../../common/schemas/support-cases.js';
import { Link } from 'react-router';
import { PageHeader } from '../../../components/page-header';
import { QueryErrorAlert } from '../../../components/query-error-alert';
import { TablePagination } from '../../../components/table-pagination';
import { useCases, useSupportCatalog } from '../support-cases.api';
import { CaseSearch, CasesTable, FilterSelect, KIND_FILTER_DATA, STATUS_FILTER_DATA } from './cases-table';

export const MY_CASES_PAGE_SIZE = 25;

/** The URL holds the filters (status, kind, product, q, page), so a view can be bookmarked. */
export function readMyCasesQuery(searchParams: URLSearchParams): CaseListQuery {
  const status = CaseStatus.safeParse(searchParams.get('status'));
  const kind = CaseKind.safeParse(searchParams.get('kind'));
  const page = Number(searchParams.get('page') ?? '1');
  return {
    status: status.success ? status.data : undefined,
    kind: kind.success ? kind.data : undefined,
    product: searchParams.get('product') || undefined,
    q: searchParams.get('q') || undefined,
    page: Number.isInteger(page) && page > 1 ? page : 1,
    pageSize: MY_CASES_PAGE_SIZE,
  };
}

/** My Cases: the contact's cases (every case of the account with Manage Cases; the server decides). */
export function MyCasesView({ canManageCases }: { canManageCases: boolean }) {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = readMyCasesQuery(searchParams);
  const cases = useCases(query);
  const catalog = useSupportCatalog();

  const update = (changes: Partial<Record<'status' | 'kind' | 'product' | 'q' | 'page', string>>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    // Any filter change starts again on the first page.
    if (!('page' in changes)) next.delete('page');
    setSearchParams(next);
  };

  const products = catalog.data?.products.map((product) => product.name) ?? [];
  if (query.product && !products.includes(query.product)) products.push(query.product);

  const renderBody = () => {
    if (cases.isPending) {
      return (
        <Stack p="md" gap="xs">
          {[0, 1, 2].map((row) => (
            <Skeleton key={row} height={28} />
          ))}
        </Stack>
      );
    }
    if (cases.isError) {
      return (
        <Box p="md">
          <QueryErrorAlert error={cases.error} onRetry={() => void cases.refetch()} title="Could not load your cases" />
        </Box>
      );
    }
    const { items, total, page, pageSize } = cases.data;
    const isFiltered = Boolean(query.status || query.kind || query.product || query.q);
    return (
      <>
        {items.length === 0 ? (
          <Text p="lg" c="dimmed" ta="center">
            {isFiltered ? 'No cases match these filters.' : 'No cases yet. Open one from the Support page.'}
          </Text>
        ) : (
          <CasesTable cases={items} linkBase="/support/cases" showOpenedBy={canManageCases} />
        )}
        <Box px="md" pb="md">
          <TablePagination
            page={page}
            pageSize={pageSize}
            total={total}
            noun="cases"
            onPageChange={(next) => update({ page: next > 1 ? String(next) : '' })}
          />
        </Box>
      </>
    );
  };

  return (
    <>
      <PageHeader
        title="My Cases"
        description={canManageCases ? 'Every case of your account.' : 'The cases you opened.'}
        aside={
          <Group gap="sm">
            <Button component={Link} to="/support" variant="default" leftSection={<IconPlus size={16} aria-hidden />}>
              New case
            </Button>
          </Group>
        }
      />
      <Paper withBorder shadow="xs">
        <Box p="md">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
            <FilterSelect
              label="Status"
              data={STATUS_FILTER_DATA}
              value={query.status ?? ''}
              onChange={(value) => update({ status: value })}
            />
            <FilterSelect label="Type" data={KIND_FILTER_DATA} value={query.kind ?? ''} onChange={(value) => update({ kind: value })} />
            <FilterSelect
              label="Product"
              data={[{ value: '', label: 'Any product' }, ...products.map((name) => ({ value: name, label: name }))]}
              value={query.product ?? ''}
              onChange={(value) => update({ product: value })}
            />
            <CaseSearch key={query.q ?? ''} initialValue={query.q ?? ''} onSearch={(value) => update({ q: value })} />
          </SimpleGrid>
        </Box>
        <Divider />
        {renderBody()}
      </Paper>
    </>
  );
}
