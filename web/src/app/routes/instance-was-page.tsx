import { Anchor, Box, Breadcrumbs, Card, Divider, EmptyState, Stack, Table, Text, Title } from '@mantine/core';
import { IconWorldWww } from '@tabler/icons-react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ListAssetsQuery, ListVulnerabilitiesQuery } from '../../../../common/schemas/instances.js';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { TablePagination } from '../../components/table-pagination';
import { formatInstant, ScansTableSkeleton, useInstanceParams } from '../../features/instances';
import {
  FindingsPanel,
  SeverityBadge,
  SeverityCountBadges,
  useAsset,
  useAssets,
  useVulnerabilities,
} from '../../features/vulnerability-management';

const PAGE_SIZE = 25;

function readPage(searchParams: URLSearchParams, name: string): number {
  return Math.max(1, Number.parseInt(searchParams.get(name) ?? '1', 10) || 1);
}

function NoWebApps() {
  return (
    <EmptyState py={40} px="md" size="sm" withIndicatorBackground>
      <EmptyState.Indicator>
        <IconWorldWww size={24} stroke={1.6} aria-hidden />
      </EmptyState.Indicator>
      <EmptyState.Title>No web applications yet</EmptyState.Title>
      <EmptyState.Description>
        Import a Nessus web application scan on the Scans page: its applications and findings appear here.
      </EmptyState.Description>
    </EmptyState>
  );
}

function WebAppsSection({
  accountId,
  basePath,
  page,
  onPage,
}: {
  accountId: string;
  basePath: string;
  page: number;
  onPage: (page: number) => void;
}) {
  const assets = useAssets(accountId, ListAssetsQuery.parse({ kind: 'webapp', sort: 'severity', page, pageSize: PAGE_SIZE }));
  const renderBody = () => {
    if (assets.isPending) return <ScansTableSkeleton rows={3} />;
    if (assets.isError) {
      return (
        <Box p="md">
          <QueryErrorAlert error={assets.error} onRetry={() => void assets.refetch()} title="Could not load the web applications" />
        </Box>
      );
    }
    if (assets.data.total === 0) return <NoWebApps />;
    return (
      <>
        <Table.ScrollContainer minWidth={640} type="native">
          <Table highlightOnHover horizontalSpacing="sm">
            <caption className="bulwark-visually-hidden">Web applications</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Web application</Table.Th>
                <Table.Th>Open findings</Table.Th>
                <Table.Th>First seen</Table.Th>
                <Table.Th>Last seen</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {assets.data.items.map((asset) => (
                <Table.Tr key={asset.id}>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>
                    <Anchor component={Link} to={`${basePath}/was/${asset.id}`} size="sm" fw={600}>
                      {asset.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <SeverityCountBadges counts={asset.open} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatInstant(asset.firstSeen)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatInstant(asset.lastSeen)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Divider />
        <Box px="md" pb="md">
          <TablePagination page={page} pageSize={PAGE_SIZE} total={assets.data.total} noun="web applications" onPageChange={onPage} />
        </Box>
      </>
    );
  };
  return (
    <Card withBorder padding={0} component="section" aria-labelledby="was-apps-heading">
      <Title order={2} size="h4" id="was-apps-heading" p="md">
        Web applications
      </Title>
      {renderBody()}
    </Card>
  );
}

function WebFindingsSection({
  accountId,
  basePath,
  page,
  onPage,
}: {
  accountId: string;
  basePath: string;
  page: number;
  onPage: (page: number) => void;
}) {
  const vulnerabilities = useVulnerabilities(
    accountId,
    ListVulnerabilitiesQuery.parse({ kind: 'webapp', sort: 'severity', page, pageSize: PAGE_SIZE }),
  );
  const renderBody = () => {
    if (vulnerabilities.isPending) return <ScansTableSkeleton rows={3} />;
    if (vulnerabilities.isError) {
      return (
        <Box p="md">
          <QueryErrorAlert
            error={vulnerabilities.error}
            onRetry={() => void vulnerabilities.refetch()}
            title="Could not load the findings"
          />
        </Box>
      );
    }
    if (vulnerabilities.data.total === 0) {
      return (
        <Text c="dimmed" size="sm" px="md" pb="md">
          No open web application findings.
        </Text>
      );
    }
    return (
      <>
        <Table.ScrollContainer minWidth={820} type="native">
          <Table highlightOnHover horizontalSpacing="sm">
            <caption className="bulwark-visually-hidden">Web application findings by plugin</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Severity</Table.Th>
                <Table.Th>Vulnerability</Table.Th>
                <Table.Th>Family</Table.Th>
                <Table.Th ta="right">Applications</Table.Th>
                <Table.Th ta="right">Findings</Table.Th>
                <Table.Th>Last found</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {vulnerabilities.data.items.map((item) => (
                <Table.Tr key={item.pluginId}>
                  <Table.Td>
                    <SeverityBadge severity={item.severity} />
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>
                    <Anchor component={Link} to={`${basePath}/vm/vulnerabilities/${item.pluginId}`} size="sm" fw={500}>
                      {item.name}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      Plugin {item.pluginId}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{item.family ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td ta="right">{item.assetCount.toLocaleString()}</Table.Td>
                  <Table.Td ta="right">{item.findingCount.toLocaleString()}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatInstant(item.lastFound)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Divider />
        <Box px="md" pb="md">
          <TablePagination
            page={page}
            pageSize={PAGE_SIZE}
            total={vulnerabilities.data.total}
            noun="vulnerabilities"
            onPageChange={onPage}
          />
        </Box>
      </>
    );
  };
  return (
    <Card withBorder padding={0} component="section" aria-labelledby="was-findings-heading">
      <Title order={2} size="h4" id="was-findings-heading" p="md">
        Findings
      </Title>
      {renderBody()}
    </Card>
  );
}

function WebAppPage({ accountId, basePath, assetId }: { accountId: string; basePath: string; assetId: string }) {
  const asset = useAsset(accountId, assetId);
  const name = asset.data?.name ?? 'Web application';
  return (
    <Stack gap="lg">
      <Breadcrumbs>
        <Anchor component={Link} to={`${basePath}/was`} size="sm">
          Web applications
        </Anchor>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {name}
        </Text>
      </Breadcrumbs>
      {asset.isError ? (
        <QueryErrorAlert error={asset.error} onRetry={() => void asset.refetch()} title="Could not load this web application" />
      ) : (
        <>
          <PageHeader
            title={name}
            description={
              asset.data ? `First seen ${formatInstant(asset.data.firstSeen)} · last seen ${formatInstant(asset.data.lastSeen)}` : undefined
            }
          />
          <FindingsPanel accountId={accountId} assetId={assetId} title="Findings" />
        </>
      )}
    </Stack>
  );
}

/** Web App Scanning: the web applications of the instance and their findings, or one application's findings. */
export function InstanceWasPage() {
  const { accountId, basePath } = useInstanceParams();
  const { assetId } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  if (assetId) return <WebAppPage key={assetId} accountId={accountId} basePath={basePath} assetId={assetId} />;

  const appsPage = readPage(searchParams, 'appsPage');
  const findingsPage = readPage(searchParams, 'findingsPage');
  const setPage = (name: string, value: number) =>
    setSearchParams((current) => {
      const next = new URLSearchParams(current);
      if (value > 1) next.set(name, String(value));
      else next.delete(name);
      return next;
    });
  return (
    <Stack gap="lg">
      <PageHeader title="Web App Scanning" description="Web applications found by Nessus web application scans, and their findings." />
      <WebAppsSection accountId={accountId} basePath={basePath} page={appsPage} onPage={(value) => setPage('appsPage', value)} />
      <WebFindingsSection
        accountId={accountId}
        basePath={basePath}
        page={findingsPage}
        onPage={(value) => setPage('findingsPage', value)}
      />
    </Stack>
  );
}
