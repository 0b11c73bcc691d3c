import { Button, Card, Skeleton, SimpleGrid, Stack } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { useInstanceParams } from '../../features/instances';
import { DashboardView, NoScanData, useDashboard } from '../../features/vulnerability-management';

function DashboardSkeleton() {
  return (
    <Stack gap="lg" aria-busy="true" aria-label="Loading the dashboard" role="status">
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="md">
        {Array.from({ length: 5 }, (_, index) => (
          <Skeleton key={index} height={84} radius="md" />
        ))}
      </SimpleGrid>
      <Skeleton height={300} radius="md" />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Skeleton height={320} radius="md" />
        <Skeleton height={320} radius="md" />
      </SimpleGrid>
    </Stack>
  );
}

/** /instances/:accountId/vm: the Vulnerability Management dashboard. */
export function VmDashboardPage() {
  const { accountId } = useInstanceParams();
  const dashboard = useDashboard(accountId);

  const renderBody = () => {
    if (dashboard.isPending) return <DashboardSkeleton />;
    if (dashboard.isError)
      return <QueryErrorAlert error={dashboard.error} onRetry={() => void dashboard.refetch()} title="Could not load the dashboard" />;
    const data = dashboard.data;
    if (data.scanCount === 0 && data.assetCount === 0 && data.webAppCount === 0) {
      return (
        <Card withBorder padding={0}>
          <NoScanData accountId={accountId} />
        </Card>
      );
    }
    return <DashboardView accountId={accountId} dashboard={data} />;
  };

  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Open findings of this instance by severity, their trend, and where they are."
        aside={
          dashboard.data && (
            <Button
              variant="default"
              size="xs"
              leftSection={<IconRefresh size={14} aria-hidden />}
              onClick={() => void dashboard.refetch()}
              loading={dashboard.isFetching}
            >
              Refresh
            </Button>
          )
        }
      />
      {renderBody()}
    </>
  );
}
