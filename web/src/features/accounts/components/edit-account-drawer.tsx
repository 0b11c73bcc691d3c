import { Alert, Button, Divider, Drawer, Group, Skeleton, Stack, Table, Tabs, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { AccountDetailsResponse } from '../../../../../common/schemas/accounts.js';
import { getErrorMessage, getFieldErrors } from '../../../lib/api-client';
import { useAccount, useSetAccountActive, useUpdateAccount } from '../accounts.api';
import { ContactsPanel } from './contacts-panel';
import { LicencesDetailsPanel } from './licences-details-panel';

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

interface EditAccountDrawerProps {
  accountId: string | null;
  onClose: () => void;
  onSaved: (message: string) => void;
}

/**
 * The seed's "Edit Account" plane (Custom Name, Notes, Submit, Custom Name Update History), plus
 * everything set at creation (licences, subscriptions, Prepare details), contacts and deactivation.
 */
export function EditAccountDrawer({ accountId, onClose, onSaved }: EditAccountDrawerProps) {
  const account = useAccount(accountId);
  return (
    <Drawer
      opened={accountId !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={
        <Text fw={600} size="lg">
          Edit Account
        </Text>
      }
    >
      {account.isPending && <Skeleton h={320} />}
      {account.isError && (
        <Alert color="red" variant="light" role="alert">
          {getErrorMessage(account.error)}
        </Alert>
      )}
      {account.data && (
        <Tabs defaultValue="account" keepMounted={false}>
          <Tabs.List mb="md">
            <Tabs.Tab value="account">Account</Tabs.Tab>
            <Tabs.Tab value="licences">Licences &amp; details</Tabs.Tab>
            <Tabs.Tab value="contacts">Contacts ({account.data.contacts.length})</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="account">
            <EditAccountForm key={account.data.id} account={account.data} onSaved={onSaved} />
          </Tabs.Panel>
          <Tabs.Panel value="licences">
            <LicencesDetailsPanel key={account.data.id} account={account.data} onSaved={onSaved} />
          </Tabs.Panel>
          <Tabs.Panel value="contacts">
            <ContactsPanel account={account.data} onSaved={onSaved} />
          </Tabs.Panel>
        </Tabs>
      )}
    </Drawer>
  );
}

function EditAccountForm({ account, onSaved }: { account: AccountDetailsResponse; onSaved: (message: string) => void }) {
  const [customName, setCustomName] = useState(account.customName ?? '');
  const [notes, setNotes] = useState(account.notes);
  const updateAccount = useUpdateAccount();
  const setActive = useSetAccountActive();
  const fieldErrors = getFieldErrors(updateAccount.error);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    updateAccount.mutate(
      { id: account.id, body: { customName: customName.trim(), notes } },
      { onSuccess: () => onSaved('Account changes saved successfully') },
    );
  };

  return (
    <Stack gap="lg">
      <form onSubmit={handleSubmit} noValidate>
        <Stack gap="md">
          <TextInput
            label="Customer Name"
            description="Change it on the Licences & details tab."
            value={account.name}
            readOnly
            variant="filled"
          />
          <TextInput
            label="Custom Name"
            description="A descriptive name shown instead of the customer name. Every change is recorded below."
            value={customName}
            maxLength={200}
            onChange={(event) => setCustomName(event.currentTarget.value)}
            error={fieldErrors.customName}
          />
          <Textarea
            label="Notes"
            value={notes}
            autosize
            minRows={3}
            maxRows={10}
            maxLength={10_000}
            onChange={(event) => setNotes(event.currentTarget.value)}
            error={fieldErrors.notes}
          />
          {updateAccount.isError && !fieldErrors.customName && !fieldErrors.notes && (
            <Alert color="red" variant="light" role="alert">
              {getErrorMessage(updateAccount.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            {updateAccount.isSuccess && (
              <Text size="sm" c="teal" role="status">
                Account changes saved successfully
              </Text>
            )}
            <Button type="submit" loading={updateAccount.isPending}>
              Submit
            </Button>
          </Group>
        </Stack>
      </form>

      <Divider />
      <Stack gap="xs">
        <Title order={3} size="h5">
          Account status
        </Title>
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" c="dimmed">
            {account.isActive
              ? "Deactivating keeps the account's data and stops its contacts from signing in."
              : 'This account is deactivated: its contacts cannot sign in. Its data is kept.'}
          </Text>
          <Button
            style={{ flexShrink: 0 }}
            variant={account.isActive ? 'outline' : 'filled'}
            color={account.isActive ? 'red' : undefined}
            loading={setActive.isPending}
            onClick={() =>
              setActive.mutate(
                { id: account.id, isActive: !account.isActive },
                { onSuccess: () => onSaved(account.isActive ? 'Account deactivated' : 'Account reactivated') },
              )
            }
          >
            {account.isActive ? 'Deactivate' : 'Reactivate'}
          </Button>
        </Group>
        {setActive.isError && (
          <Alert color="red" variant="light" role="alert">
            {getErrorMessage(setActive.error)}
          </Alert>
        )}
      </Stack>

      <Divider />
      <Stack gap="xs">
        <Title order={3} size="h5">
          Custom Name Update History
        </Title>
        {account.customNameHistory.length === 0 ? (
          <Text size="sm" c="dimmed">
            The custom name has not been changed.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={480} type="native">
            <Table withTableBorder striped>
              <caption className="bulwark-visually-hidden">Custom Name Update History</caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Who</Table.Th>
                  <Table.Th>Old Name</Table.Th>
                  <Table.Th>New Name</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {account.customNameHistory.map((entry) => (
                  <Table.Tr key={entry.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{dateTimeFormat.format(new Date(entry.changedAt))}</Table.Td>
                    <Table.Td>{entry.changedByUsername ?? '—'}</Table.Td>
                    <Table.Td>{entry.oldValue ?? '—'}</Table.Td>
                    <Table.Td>{entry.newValue ?? '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Stack>
  );
}
