import { Box, Card, Divider } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { ASSET_SORTS } from '../../../../common/schemas/instances.js';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { useInstanceParams } from '../../features/instances';
import {
  AssetsTable,
  nextSort,
  NoMatches,
  NoScanData,
  PagedTable,
  readAssetFilters,
  SearchBox,
  TableSkeleton,
  toAssetsQuery,
  useAssets,
  writeAssetFilters,
  type AssetFilters,
} from '../../features/vulnerability-management';

/** /instances/:accountId/vm/assets: the instance's assets, searched and sorted from the URL. */
export function AssetsPage() {
  const { accountId } = useInstanceParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = readAssetFilters(searchParams);
  const assets = useAssets(accountId, toAssetsQuery(filters));

  const changeFilters = (patch: Partial<Omit<AssetFilters, 'page'>>, options?: { replace?: boolean }) =>
    setSearchParams((current) => writeAssetFilters({ ...readAssetFilters(current), ...patch, page: 1 }), options);
  const changePage = (page: number) => setSearchParams((current) => writeAssetFilters({ ...readAssetFilters(current), page }));

  const renderBody = () => {
    if (assets.isPending) return <TableSkeleton label="Loading assets" />;
    if (assets.isError) {
      return (
        <Box p="md">
          <QueryErrorAlert error={assets.error} onRetry={() => void assets.refetch()} title="Could not load the assets" />
        </Box>
      );
    }
    const { items, total, page, pageSize } = assets.data;
    if (total === 0 && !filters.search) return <NoScanData accountId={accountId} />;
    if (total === 0) {
      return (
        <NoMatches
          title={`No assets match “${filters.search}”`}
          description="Search by part of a name, an IP address, a NetBIOS name or an operating system."
          action={{ label: 'Clear search', onClick: () => changeFilters({ search: '' }) }}
        />
      );
    }
    return (
      <PagedTable page={page} pageSize={pageSize} total={total} noun="assets" onPageChange={changePage}>
        <AssetsTable
          accountId={accountId}
          assets={items}
          sort={filters.sort}
          order={filters.order}
          onSort={(field) => changeFilters(nextSort(filters, field, ASSET_SORTS))}
          isRefreshing={assets.isPlaceholderData}
        />
      </PagedTable>
    );
  };

  return (
    <>
      <PageHeader title="Assets" description="Hosts found by imported scans, with their open findings by severity." />
      <Card withBorder padding={0}>
        <Box p="md">
          <SearchBox
            value={filters.search}
            onSearch={(search) => changeFilters({ search }, { replace: true })}
            label="Search"
            placeholder="Name, IP address, NetBIOS name or operating system"
            formLabel="Assets"
          />
        </Box>
        <Divider />
        {renderBody()}
      </Card>
    </>
  );
}
