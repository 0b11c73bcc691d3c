import { Box, Button, Card, Divider, EmptyState, Group, Select } from '@mantine/core';
import { IconListSearch } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { TablePagination } from '../../components/table-pagination';
import { useInstanceParams } from '../../features/instances';
import {
  AssetsTable,
  NoScanData,
  readAssetFilters,
  SearchBox,
  TableSkeleton,
  toAssetsQuery,
  useAssets,
  writeAssetFilters,
  type AssetFilters,
  type AssetSort,
} from '../../features/vulnerability-management';

const SORT_OPTIONS: { value: AssetSort; label: string }[] = [
  { value: 'severity', label: 'Open findings (worst first)' },
  { value: 'name', label: 'Name (A–Z)' },
  { value: 'lastSeen', label: 'Last seen (newest first)' },
];

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
        <EmptyState py={56} px="md" size="md" withIndicatorBackground>
          <EmptyState.Indicator>
            <IconListSearch size={26} stroke={1.6} aria-hidden />
          </EmptyState.Indicator>
          <EmptyState.Title>No assets match “{filters.search}”</EmptyState.Title>
          <EmptyState.Description>Search by part of a name, an IP address, a NetBIOS name or an operating system.</EmptyState.Description>
          <EmptyState.Actions>
            <Button variant="default" onClick={() => changeFilters({ search: '' })}>
              Clear search
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      );
    }
    return (
      <>
        <AssetsTable
          accountId={accountId}
          assets={items}
          sort={filters.sort}
          onSort={(sort) => changeFilters({ sort })}
          isRefreshing={assets.isPlaceholderData}
        />
        <Divider />
        <Box px="md" pb="md">
          <TablePagination page={page} pageSize={pageSize} total={total} noun="assets" onPageChange={changePage} />
        </Box>
      </>
    );
  };

  return (
    <>
      <PageHeader title="Assets" description="Hosts found by imported scans, with their open findings by severity." />
      <Card withBorder padding={0}>
        <Group p="md" gap="sm" align="flex-end" wrap="wrap">
          <SearchBox
            value={filters.search}
            onSearch={(search) => changeFilters({ search }, { replace: true })}
            label="Search"
            placeholder="Name, IP address, NetBIOS name or operating system"
            formLabel="Assets"
          />
          <Select
            label="Sort by"
            data={SORT_OPTIONS}
            value={filters.sort}
            onChange={(sort) => changeFilters({ sort: (sort as AssetSort | null) ?? 'severity' })}
            allowDeselect={false}
            w={{ base: '100%', xs: 240 }}
          />
        </Group>
        <Divider />
        {renderBody()}
      </Card>
    </>
  );
}
