import { Box, Card, Divider } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { VULNERABILITY_SORTS } from '../../../../common/schemas/instances.js';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { useInstanceParams } from '../../features/instances';
import {
  hasActiveVulnerabilityFilters,
  nextSort,
  NoMatches,
  NoScanData,
  PagedTable,
  readVulnerabilityFilters,
  TableSkeleton,
  toVulnerabilitiesQuery,
  useVulnerabilities,
  VulnerabilitiesTable,
  VulnerabilityFiltersBar,
  writeVulnerabilityFilters,
  type VulnerabilityFilters,
} from '../../features/vulnerability-management';

/** /instances/:accountId/vm/vulnerabilities: findings grouped by plugin, filtered and sorted from the URL. */
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
    setSearchParams((current) => {
      const { sort, order } = readVulnerabilityFilters(current);
      return writeVulnerabilityFilters({ ...readVulnerabilityFilters(new URLSearchParams()), sort, order });
    });

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
      return isFiltered ? (
        <NoMatches
          title="No vulnerabilities match these filters"
          description="Widen the severity or state, or change the search."
          action={{ label: 'Clear filters', onClick: clearFilters }}
        />
      ) : (
        <NoMatches title="No open vulnerabilities" description="Every finding imported so far is fixed. Tick Fixed to see them." />
      );
    }
    return (
      <PagedTable page={page} pageSize={pageSize} total={total} noun="vulnerabilities" onPageChange={changePage}>
        <VulnerabilitiesTable
          accountId={accountId}
          items={items}
          sort={filters.sort}
          order={filters.order}
          onSort={(field) => changeFilters(nextSort(filters, field, VULNERABILITY_SORTS))}
          isRefreshing={vulnerabilities.isPlaceholderData}
        />
      </PagedTable>
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
