import { Badge, Skeleton, Stack, Text } from '@mantine/core';
import { useParams } from 'react-router';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { useInstanceParams } from '../../features/instances';
import {
  AssetFacts,
  FindingsPanel,
  formatAddresses,
  HostProperties,
  DetailHeader,
  PageBreadcrumbs,
  useAsset,
} from '../../features/vulnerability-management';

/** /instances/:accountId/vm/assets/:assetId: one asset, its properties and its findings. */
export function AssetPage() {
  const { accountId, basePath } = useInstanceParams();
  const { assetId = '' } = useParams();
  const asset = useAsset(accountId, assetId);
  const trail = [{ label: 'Assets', to: `${basePath}/vm/assets` }];

  if (asset.isPending) {
    return (
      <Stack gap="md" aria-busy="true" aria-label="Loading the asset" role="status">
        <Skeleton height={36} width="50%" />
        <Skeleton height={260} />
      </Stack>
    );
  }
  if (asset.isError) {
    return (
      <>
        <PageBreadcrumbs trail={trail} current="Asset" />
        <QueryErrorAlert error={asset.error} onRetry={() => void asset.refetch()} title="Could not load this asset" />
      </>
    );
  }
  const data = asset.data;
  return (
    <>
      <PageBreadcrumbs trail={trail} current={data.name} />
      <DetailHeader title={data.name}>
        <Badge variant="default">{data.kind === 'webapp' ? 'Web application' : 'Host'}</Badge>
        <Text span size="sm" c="dimmed">
          {[formatAddresses(data), data.operatingSystem].filter((part) => part && part !== '—').join(' · ')}
        </Text>
      </DetailHeader>
      <Stack gap="md">
        <AssetFacts asset={data} />
        <HostProperties properties={data.properties} />
        <FindingsPanel accountId={accountId} assetId={data.id} title="Findings" />
      </Stack>
    </>
  );
}
