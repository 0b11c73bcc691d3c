import { Skeleton, Stack, Text } from '@mantine/core';
import { useParams } from 'react-router';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { useInstanceParams } from '../../features/instances';
import {
  FindingStateBadge,
  FindingView,
  formatPort,
  DetailHeader,
  PageBreadcrumbs,
  SeverityBadge,
  useFinding,
} from '../../features/vulnerability-management';

/** /instances/:accountId/vm/findings/:findingId: one finding in full. */
export function FindingPage() {
  const { accountId, basePath } = useInstanceParams();
  const { findingId = '' } = useParams();
  const finding = useFinding(accountId, findingId);

  if (finding.isPending) {
    return (
      <Stack gap="md" aria-busy="true" aria-label="Loading the finding" role="status">
        <Skeleton height={36} width="60%" />
        <Skeleton height={300} />
      </Stack>
    );
  }
  if (finding.isError) {
    return (
      <>
        <PageBreadcrumbs trail={[{ label: 'Vulnerabilities', to: `${basePath}/vm/vulnerabilities` }]} current="Finding" />
        <QueryErrorAlert error={finding.error} onRetry={() => void finding.refetch()} title="Could not load this finding" />
      </>
    );
  }
  const data = finding.data;
  return (
    <>
      <PageBreadcrumbs
        trail={[
          { label: 'Vulnerabilities', to: `${basePath}/vm/vulnerabilities` },
          { label: data.pluginName, to: `${basePath}/vm/vulnerabilities/${data.pluginId}` },
        ]}
        current={`${data.assetName} ${formatPort(data)}`}
      />
      <DetailHeader title={data.pluginName}>
        <SeverityBadge severity={data.severity} />
        <FindingStateBadge state={data.state} />
        <Text span size="sm" c="dimmed">
          on {data.assetName}, {formatPort(data)}
        </Text>
      </DetailHeader>
      <FindingView accountId={accountId} finding={data} />
    </>
  );
}
