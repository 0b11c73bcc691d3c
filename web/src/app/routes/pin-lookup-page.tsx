import { Grid } from '@mantine/core';
import { PageHeader } from '../../components/page-header';
import { PhoneSupportCard, PinLookup } from '../../features/phone-support';
import { PermissionGate } from '../permission-gate';

/** Support agents verify a caller by the Support PIN the caller reads out. */
export function PinLookupPage() {
  return (
    <PermissionGate action="support:work">
      <PageHeader
        title="Support PIN Lookup"
        description="Ask the caller for their Support PIN. Only contacts of accounts you may see are found; every lookup is in the audit log."
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <PinLookup />
        </Grid.Col>
        {/* The numbers callers dial, so an agent can point a caller to the right region. */}
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <PhoneSupportCard />
        </Grid.Col>
      </Grid>
    </PermissionGate>
  );
}
