import { Box, Button, Card, Divider, EmptyState } from '@mantine/core';
import { IconListSearch } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { TablePagination } from '../../components/table-pagination';
import { useInstanceParams } from '../../features/instances';
import {
  hasActiveVulnerabilityFilters,
  NoScanData,
  readVulnerabilityFilters,
  TableSkeleton,
  toVulnerabilitiesQuery,
  useVulnerabilities,
  VulnerabilitiesTable,
  VulnerabilityFiltersBar,
  writeVulnerabilityFilters,
  type VulnerabilityFilters,
} from '../../features/vulnerability-management';

/** /instances/:accountId/vm/vulnerabilities: findings grouped by plugin, filtered from the URL. */
export function VulnerabilitiesPage() {
  const { accountId } = useInstanceParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = readVulnerabilityFilters(searchParams);
  const vulnerabilities = useVulnerabilities(accountId, toVulnerabilitiesQuery(filters));
  const isFiltered = hasActiveVulnerabilityFilters(filters);

  // Read the URL at the moment of the change: a debounced search may land after another filter changed.
  const changeFilters = (patch: Partial<Omit<VulnerabilityFilters, 'page'>>, options?: { replace?: boolean }) =>
    setSearchParams((current) => writeVulnerabilityFilters({ ...readVulnerabilityFilters(current), ...patch, page: 1 }), options);
  const changePage = (page: number) =>
    setSearchParams((current) => writeVulnerabilityFilters({ ...readVulnerabilityFilters(current), page }));
  const clearFilters = () =>
    setSearchParams((current) =>
      writeVulnerabilityFilters({ ...readVulnerabilityFilters(new URLSearchParams()), sort: readVulnerabilityFilters(current).sort }),
    );

  const renderBody = () => {
    if (vulnerabilities.isPending) return <TableSkeleton label="Loading vulnerabilities" />;
    if (vulnerabilities.isError) {
      return (
        <Box p="md">
          <QueryErrorAlert
            error={vulnerabilities.error}
            onRetry={() => void vulnerabilities.refetch()}
            title="Could not load the vulnerabilities"
          />
        </Box>
      );
    }
    const { items, total, page, pageSize, families } = vulnerabilities.data;
    if (total === 0 && !isFiltered && families.length === 0) return <NoScanData accountId={accountId} />;
    if (total === 0) {
      return (
        <EmptyState py={56} px="md" size="md" withIndicatorBackground>
          <EmptyState.Indicator>
            <IconListSearch size={26} stroke={1.6} aria-hidden />
          </EmptyState.Indicator>
          <EmptyState.Title>{isFiltered ? 'No vulnerabilities match these filters' : 'No open vulnerabilities'}</EmptyState.Title>
          <EmptyState.Description>
            {isFiltered
              ? 'Widen the severity or state, or change the search.'
              : 'Every finding imported so far is fixed. Tick Fixed to see them.'}
          </EmptyState.Description>
          {isFiltered && (
            <EmptyState.Actions>
              <Button variant="default" onClick={clearFilters}>
                Clear filters
              </Button>
            </EmptyState.Actions>
          )}
        </EmptyState>
      );
    }
    return (
      <>
        <VulnerabilitiesTable
          accountId={accountId}
          items={items}
          sort={filters.sort}
          onSort={(sort) => changeFilters({ sort })}
          isRefreshing={vulnerabilities.isPlaceholderData}
        />
        <Divider />
        <Box px="md" pb="md">
          <TablePagination page={page} pageSize={pageSize} total={total} noun="vulnerabilities" onPageChange={changePage} />
        </Box>
      </>
    );
  };

  return (
    <>
      <PageHeader title="Vulnerabilities" description="Findings grouped by plugin, with the number of assets each one affects." />
      <Card withBorder padding={0}>
        <Box p="md">
          <VulnerabilityFiltersBar
            filters={filters}
            families={vulnerabilities.data?.families ?? []}
            onChange={(patch) => changeFilters(patch, { replace: patch.search !== undefined })}
            onClear={clearFilters}
          />
        </Box>
        <Divider />
        {renderBody()}
      </Card>
    </>
  );
}
