import { Box, Card, Divider, EmptyState, Stack, Title } from '@mantine/core';
import { IconFileImport } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { TablePagination } from '../../components/table-pagination';
import { ScansTable, ScansTableSkeleton, ScanUpload, useInstance, useInstanceParams, useScans } from '../../features/instances';

const PAGE_SIZE = 25;

/** Scans: the instance's imports, newest first, and (for VM Scan Operators and up) the upload. */
export function InstanceScansPage() {
  const { accountId } = useInstanceParams();
  const instance = useInstance(accountId);
  const [searchParams, setSearchParams] = useSearchParams();
  const page = Math.max(1, Number.parseInt(searchParams.get('page') ?? '1', 10) || 1);
  const scans = useScans(accountId, page, PAGE_SIZE);
  const canImport = instance.data?.canImport ?? false;

  const setPage = (next: number) => setSearchParams(next > 1 ? { page: String(next) } : {});

  const renderScans = () => {
    if (scans.isPending) return <ScansTableSkeleton />;
    if (scans.isError) {
      return (
        <Box p="md">
          <QueryErrorAlert error={scans.error} onRetry={() => void scans.refetch()} title="Could not load the scans" />
        </Box>
      );
    }
    const { items, total } = scans.data;
    if (total === 0) {
      return (
        <EmptyState py={48} px="md" size="sm" withIndicatorBackground>
          <EmptyState.Indicator>
            <IconFileImport size={24} stroke={1.6} aria-hidden />
          </EmptyState.Indicator>
          <EmptyState.Title>No scans yet</EmptyState.Title>
          <EmptyState.Description>
            {canImport
              ? 'Upload a .nessus file above: its hosts and findings appear here and on the dashboard.'
              : 'No scan has been imported into this instance yet.'}
          </EmptyState.Description>
        </EmptyState>
      );
    }
    return (
      <>
        <ScansTable scans={items} isRefreshing={scans.isPlaceholderData} />
        <Divider />
        <Box px="md" pb="md">
          <TablePagination page={page} pageSize={PAGE_SIZE} total={total} noun="scans" onPageChange={setPage} />
        </Box>
      </>
    );
  };

  return (
    <Stack gap="lg">
      <PageHeader
        title="Scans"
        description={
          canImport
            ? 'Import Nessus scan results (.nessus) into this instance and follow each import.'
            : 'Nessus scan results imported into this instance.'
        }
      />
      {canImport && (
        <Card withBorder padding="md" component="section" aria-labelledby="scan-upload-heading">
          <Title order={2} size="h4" id="scan-upload-heading" mb="sm">
            Import scans
          </Title>
          <ScanUpload accountId={accountId} />
        </Card>
      )}
      <Card withBorder padding={0} component="section" aria-labelledby="scan-list-heading">
        <Title order={2} size="h4" id="scan-list-heading" p="md">
          Imported scans
        </Title>
        {renderScans()}
      </Card>
    </Stack>
  );
}
