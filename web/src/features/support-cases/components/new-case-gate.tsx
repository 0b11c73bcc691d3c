import { Alert, Anchor, Skeleton, Stack, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { SupportCatalogResponse, SupportOverviewResponse } from '../../../../../common/schemas/support-cases.js';
import { QueryErrorAlert } from '../../../components/query-error-alert';
import { useSupportCatalog, useSupportOverview } from '../support-cases.api';

interface NewCaseGateProps {
  kind: 'customerCare' | 'technicalSupport';
  children: (context: { overview: SupportOverviewResponse; catalog: SupportCatalogResponse }) => ReactNode;
}

/**
 * A new-case form, or the seed's message instead of it when the caller may not open this kind of
 * case (a contact opening the URL directly meets the same words as on the Support page).
 */
export function NewCaseGate({ kind, children }: NewCaseGateProps) {
  const overview = useSupportOverview();
  const eligibility = overview.data?.[kind];
  const catalog = useSupportCatalog(eligibility?.allowed === true);

  if (overview.isPending) return <Skeleton height={240} />;
  if (overview.isError) return <QueryErrorAlert error={overview.error} onRetry={() => void overview.refetch()} />;
  if (!eligibility?.allowed) {
    return (
      <Alert color="orange" variant="light" icon={<IconInfoCircle aria-hidden />} role="alert">
        <Stack gap={6}>
          <Text size="sm" data-testid="eligibility-message">
            {eligibility?.message ?? 'Cases are opened by customer contacts.'}
          </Text>
          <Anchor component={Link} to="/support" size="sm">
            Back to Support
          </Anchor>
        </Stack>
      </Alert>
    );
  }
  if (catalog.isPending) return <Skeleton height={240} />;
  if (catalog.isError) return <QueryErrorAlert error={catalog.error} onRetry={() => void catalog.refetch()} />;
  return children({ overview: overview.data, catalog: catalog.data });
}
