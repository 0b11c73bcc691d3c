import { Alert, Box, Button, Divider, Group, Modal, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useState } from 'react';
import type { DomainResponse } from '../../../../common/schemas/domains.js';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { AddDomainForm, DomainsTable, useApprovedDomains, useRemoveDomain } from '../../features/domains';
import { getErrorMessage } from '../../lib/api-client';
import { PermissionGate } from '../permission-gate';

/** Settings → Domains: the domains staff usernames (name@domain) may be in. */
export function DomainsPage() {
  return (
    <PermissionGate action="settings:manage">
      <DomainsSettings />
    </PermissionGate>
  );
}

function DomainsSettings() {
  const domains = useApprovedDomains();
  const removeDomain = useRemoveDomain();
  const [message, setMessage] = useState<string | null>(null);
  const [toRemove, setToRemove] = useState<DomainResponse | null>(null);

  const confirmRemove = () => {
    if (!toRemove) return;
    removeDomain.mutate(toRemove.domain, {
      onSuccess: () => {
        setMessage(`${toRemove.domain} is no longer an approved domain.`);
        setToRemove(null);
      },
    });
  };

  const renderBody = () => {
    if (domains.isPending) return <Skeleton height={120} m="md" />;
    if (domains.isError) {
      return (
        <Box p="md">
          <QueryErrorAlert error={domains.error} onRetry={() => void domains.refetch()} title="Could not load the approved domains" />
        </Box>
      );
    }
    if (domains.data.items.length === 0) {
      return (
        <Text p="md" c="dimmed" size="sm">
          No domain is approved yet: add one before creating users.
        </Text>
      );
    }
    return (
      <DomainsTable
        domains={domains.data.items}
        onRemove={(domain) => {
          removeDomain.reset();
          setToRemove(domain);
        }}
      />
    );
  };

  return (
    <>
      <PageHeader
        order={2}
        title="Domains"
        description="Staff usernames must be name@domain with one of these domains. A domain still used by a user cannot be removed."
      />
      <Stack gap="md">
        {message && (
          <Alert color="teal" variant="light" icon={<IconCheck aria-hidden />} withCloseButton onClose={() => setMessage(null)}>
            {message}
          </Alert>
        )}
        <Paper withBorder shadow="xs">
          <Box p="md">
            <AddDomainForm onAdded={(domain) => setMessage(`${domain} is now an approved domain.`)} />
          </Box>
          <Divider />
          {renderBody()}
        </Paper>
      </Stack>
      <Modal opened={toRemove !== null} onClose={() => setToRemove(null)} title="Remove Domain" centered>
        <Stack gap="md">
          <Text size="sm">
            Remove <strong>{toRemove?.domain}</strong> from the approved domains? New users can no longer be created in it.
          </Text>
          {removeDomain.isError && (
            <Alert color="red" variant="light">
              {getErrorMessage(removeDomain.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setToRemove(null)}>
              Cancel
            </Button>
            <Button color="red" onClick={confirmRemove} loading={removeDomain.isPending}>
              Remove
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
