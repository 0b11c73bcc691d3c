import { Skeleton } from '@mantine/core';
import { useNavigate, useParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { BackToIntegrations, IntegrationForm, useConnectors } from '../../features/integrations';
import { PermissionGate } from '../permission-gate';
import { NotFoundPage } from './not-found-page';

/** Settings → Integrations → Add Integration → a connector: its settings form. */
export function IntegrationNewPage() {
  return (
    <PermissionGate action="integrations:manage">
      <NewIntegration />
    </PermissionGate>
  );
}

function NewIntegration() {
  const { connector: connectorId = '' } = useParams();
  const navigate = useNavigate();
  const connectors = useConnectors();

  if (connectors.isPending) return <Skeleton height={480} />;
  if (connectors.isError) {
    return <QueryErrorAlert error={connectors.error} onRetry={() => void connectors.refetch()} title="Could not load the connectors" />;
  }
  const connector = connectors.data.connectors.find((candidate) => candidate.id === connectorId);
  if (!connector) return <NotFoundPage />;

  return (
    <>
      <BackToIntegrations />
      <PageHeader
        order={2}
        title={`Add ${connector.label} integration`}
        description={`${connector.category} · ${connector.authMethod}. Secrets are encrypted at rest and never shown again.`}
      />
      <IntegrationForm
        connector={connector}
        onSaved={(created) =>
          void navigate(`/settings/integrations/${created.id}`, {
            state: { notice: `${created.name} is saved. The first data arrives within one polling interval, or now with Poll Now.` },
          })
        }
        onCancel={() => void navigate('/settings/integrations')}
      />
    </>
  );
}
