import { Alert, Badge, Box, Group, Paper, Skeleton, Switch, Table, Text } from '@mantine/core';
import { PageHeader } from '../../../components/page-header';
import { QueryErrorAlert } from '../../../components/query-error-alert';
import { getErrorMessage } from '../../../lib/api-client';
import { useAccountContacts, useSetManageCases } from '../support-cases.api';

/**
 * The Primary Contact's page: the account's contacts, each with a Manage Cases switch (the seed's
 * "contact the Primary Contact on your account to adjust your permissions" leads here).
 */
export function AccountContactsView({ currentUserId }: { currentUserId: string }) {
  const contacts = useAccountContacts();
  const setManageCases = useSetManageCases();

  return (
    <>
      <PageHeader
        title="Contacts"
        description="Contacts with Manage Cases can open Technical Support cases and see every case of the account."
      />
      {setManageCases.isError && (
        <Alert color="red" variant="light" mb="md" role="alert">
          {getErrorMessage(setManageCases.error)}
        </Alert>
      )}
      <Paper withBorder shadow="xs">
        {contacts.isPending && <Skeleton height={160} m="md" />}
        {contacts.isError && (
          <Box p="md">
            <QueryErrorAlert error={contacts.error} onRetry={() => void contacts.refetch()} title="Could not load the contacts" />
          </Box>
        )}
        {contacts.data && (
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="sm" aria-label="Contacts">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Username</Table.Th>
                  <Table.Th>Manage Cases</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {contacts.data.items.map((contact) => {
                  const isSelf = contact.id === currentUserId;
                  const isSaving = setManageCases.isPending && setManageCases.variables.userId === contact.id;
                  return (
                    <Table.Tr key={contact.id}>
                      <Table.Td>
                        <Group gap="xs">
                          <Text size="sm" fw={500}>
                            {contact.name}
                          </Text>
                          {contact.isPrimaryContact && (
                            <Badge size="xs" variant="light">
                              Primary Contact
                            </Badge>
                          )}
                          {contact.isDisabled && (
                            <Badge size="xs" color="gray" variant="outline">
                              Disabled
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{contact.email ?? contact.username}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Switch
                          checked={isSaving ? setManageCases.variables.canManageCases : contact.canManageCases}
                          onChange={(event) => setManageCases.mutate({ userId: contact.id, canManageCases: event.currentTarget.checked })}
                          disabled={isSelf || isSaving}
                          aria-label={`Manage Cases for ${contact.name}`}
                          description={isSelf ? 'Your own (ask Customer Care to change it)' : undefined}
                        />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
    </>
  );
}
