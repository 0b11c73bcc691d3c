import { Alert, EmptyState, SimpleGrid, Skeleton, Stack, Title } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import { useState } from 'react';
import { useLocation } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { AddIntegrationMenu, ConnectorCard, IntegrationTile, useConnectors, useIntegrations } from '../../features/integrations';
import { PermissionGate } from '../permission-gate';

function readNotice(state: unknown): string | null {
  if (typeof state === 'object' && state !== null && 'notice' in state && typeof state.notice === 'string') return state.notice;
  return null;
}

/** Settings → Integrations: the connector catalogue, Add Integration, and a tile per integration. */
export function IntegrationsPage() {
  return (
    <PermissionGate action="integrations:manage">
      <Integrations />
    </PermissionGate>
  );
}

function Integrations() {
  const location = useLocation();
  const [notice, setNotice] = useState(() => readNotice(location.state));
  const connectors = useConnectors();
  const integrations = useIntegrations();

  return (
    <>
      <PageHeader
        order={2}
        title="Integrations"
        description="Connectors poll a source (Tenable.io or any Tenable-compatible API) every polling interval; what they fetch lands in Signals and, with a target account, in its instance."
        aside={connectors.data && <AddIntegrationMenu connectors={connectors.data.connectors} />}
      />
      {notice && (
        <Alert color="green" variant="light" mb="md" withCloseButton closeButtonLabel="Dismiss" onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      <Stack gap="xl">
        <Stack gap="sm" component="section" aria-labelledby="catalogue-heading">
          <Title order={3} id="catalogue-heading">
            Connector catalogue
          </Title>
          {connectors.isPending && <Skeleton height={240} />}
          {connectors.isError && (
            <QueryErrorAlert error={connectors.error} onRetry={() => void connectors.refetch()} title="Could not load the connectors" />
          )}
          {connectors.data && (
            <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
              {connectors.data.connectors.map((connector) => (
                <ConnectorCard key={connector.id} connector={connector} />
              ))}
            </SimpleGrid>
          )}
        </Stack>
        <Stack gap="sm" component="section" aria-labelledby="integrations-heading">
          <Title order={3} id="integrations-heading">
            Your integrations
          </Title>
          {integrations.isPending && <Skeleton height={200} />}
          {integrations.isError && (
            <QueryErrorAlert
              error={integrations.error}
              onRetry={() => void integrations.refetch()}
              title="Could not load the integrations"
            />
          )}
          {integrations.data && integrations.data.integrations.length === 0 && (
            <EmptyState py="xl" withIndicatorBackground>
              <EmptyState.Indicator>
                <IconPlugConnected size={28} stroke={1.6} aria-hidden />
              </EmptyState.Indicator>
              <EmptyState.Title order={4}>No integrations yet</EmptyState.Title>
              <EmptyState.Description maw={440}>
                Choose a connector from Add Integration, enter its keys and save: the first data arrives within one polling interval.
              </EmptyState.Description>
            </EmptyState>
          )}
          {integrations.data && integrations.data.integrations.length > 0 && (
            <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="md">
              {integrations.data.integrations.map((integration) => (
                <IntegrationTile key={integration.id} integration={integration} isLinked />
              ))}
            </SimpleGrid>
          )}
        </Stack>
      </Stack>
    </>
  );
}
