import { Box, Button, EmptyState, Paper, Skeleton, Stack } from '@mantine/core';
import { IconCirclePlus, IconPhoto } from '@tabler/icons-react';
import { useState } from 'react';
import type { LogoResponse } from '../../../../common/schemas/logos.js';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { DeleteLogoModal, LogoFormDrawer, LogosTable, StatusMessage, useLogos, useStatusMessage } from '../../features/logos';

/** The seed's Logos page: every logo, with Add, Edit and Delete. */
export function LogosPage() {
  const logos = useLogos();
  const status = useStatusMessage();
  const [editing, setEditing] = useState<{ logo: LogoResponse | null } | null>(null);
  const [deleting, setDeleting] = useState<LogoResponse | null>(null);

  const renderBody = () => {
    if (logos.isPending) {
      return (
        <Stack p="md" gap="sm">
          {[0, 1, 2].map((index) => (
            <Skeleton key={index} h={40} />
          ))}
        </Stack>
      );
    }
    if (logos.isError) {
      return (
        <Box p="md">
          <QueryErrorAlert error={logos.error} onRetry={() => void logos.refetch()} title="Could not load logos" />
        </Box>
      );
    }
    if (logos.data.items.length === 0) {
      return (
        <EmptyState py={64} px="md" variant="light" size="lg">
          <EmptyState.Indicator>
            <IconPhoto size={30} stroke={1.6} aria-hidden />
          </EmptyState.Indicator>
          <EmptyState.Title>No logos yet</EmptyState.Title>
          <EmptyState.Description maw={480}>
            Add a customer&apos;s logo (a PNG of at most 246 x 52 pixels), then assign it to accounts from the Accounts page. Accounts
            without a logo show Bulwark&apos;s own.
          </EmptyState.Description>
        </EmptyState>
      );
    }
    return <LogosTable logos={logos.data.items} onEdit={(logo) => setEditing({ logo })} onDelete={setDeleting} />;
  };

  return (
    <>
      <PageHeader
        title="Logos"
        description="Logos you can assign to customer accounts. Previews sit on a checkered background so light logos stay visible."
        aside={
          <Button leftSection={<IconCirclePlus size={18} aria-hidden />} onClick={() => setEditing({ logo: null })}>
            Add Logo
          </Button>
        }
      />
      <StatusMessage message={status.message} onClose={status.clear} />
      <Paper withBorder shadow="xs">
        {renderBody()}
      </Paper>
      <LogoFormDrawer opened={editing !== null} logo={editing?.logo} onClose={() => setEditing(null)} onSaved={status.show} />
      <DeleteLogoModal logo={deleting} onClose={() => setDeleting(null)} onDeleted={status.show} />
    </>
  );
}
