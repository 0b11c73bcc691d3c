import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconPencil, IconTrash, IconUserPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { ROLE_LABELS, ROLE_VALUES, type RoleValue } from '../../../../../common/permissions.js';
import type { AccountContactResponse, AccountDetailsResponse } from '../../../../../common/schemas/accounts.js';
import { getErrorMessage, getFieldErrors } from '../../../lib/api-client';
import { useCreateContact, useRemoveContact, useUpdateContact } from '../accounts.api';

const ROLE_OPTIONS = ROLE_VALUES.map((value) => ({ value: String(value), label: `${ROLE_LABELS[value]} (${value})` }));

interface ContactsPanelProps {
  account: AccountDetailsResponse;
  onSaved: (message: string) => void;
}

/** Contacts of one account: add (an invitation is mailed), edit, remove. */
export function ContactsPanel({ account, onSaved }: ContactsPanelProps) {
  const [editing, setEditing] = useState<AccountContactResponse | 'new' | null>(null);
  const [removing, setRemoving] = useState<AccountContactResponse | null>(null);
  const removeContact = useRemoveContact();
  return (
    <Stack gap="md">
      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title="Remove Contact" centered>
        {removing && (
          <Stack gap="md">
            <Text size="sm">
              Remove the contact <strong>{removing.name}</strong> ({removing.username})? They can no longer sign in.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRemoving(null)}>
                Cancel
              </Button>
              <Button
                color="red"
                loading={removeContact.isPending}
                onClick={() =>
                  removeContact.mutate(
                    { accountId: account.id, contactId: removing.id },
                    {
                      onSuccess: () => onSaved(`Contact ${removing.name} removed`),
                      onSettled: () => setRemoving(null),
                    },
                  )
                }
              >
                Remove
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
      {editing ? (
        <ContactForm
          key={editing === 'new' ? 'new' : editing.id}
          accountId={account.id}
          contact={editing === 'new' ? null : editing}
          onDone={(message) => {
            setEditing(null);
            if (message) onSaved(message);
          }}
        />
      ) : (
        <Group justify="flex-end">
          <Button leftSection={<IconUserPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
            Add Contact
          </Button>
        </Group>
      )}
      {removeContact.isError && (
        <Alert color="red" variant="light" role="alert">
          {getErrorMessage(removeContact.error)}
        </Alert>
      )}
      {account.contacts.length === 0 ? (
        <Text size="sm" c="dimmed">
          This account has no contacts yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560} type="native">
          <Table withTableBorder>
            <caption className="bulwark-visually-hidden">Contacts</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Support PIN</Table.Th>
                <Table.Th>
                  <span className="bulwark-visually-hidden">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {account.contacts.map((contact) => (
                <Table.Tr key={contact.id}>
                  <Table.Td>
                    <Group gap={6}>
                      <Text size="sm" fw={600}>
                        {contact.name}
                      </Text>
                      {contact.isPrimaryContact && (
                        <Badge size="xs" variant="light">
                          Primary
                        </Badge>
                      )}
                      {contact.canManageCases && (
                        <Badge size="xs" variant="light" color="grape">
                          Manage Cases
                        </Badge>
                      )}
                      {!contact.hasPassword && (
                        <Badge size="xs" variant="outline" color="gray">
                          Invited
                        </Badge>
                      )}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {contact.username}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{ROLE_LABELS[contact.role as RoleValue] ?? contact.role}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {contact.supportPin ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={2} justify="flex-end" wrap="nowrap">
                      <Tooltip label="Edit">
                        <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${contact.name}`} onClick={() => setEditing(contact)}>
                          <IconPencil size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Remove">
                        <ActionIcon variant="subtle" color="red" aria-label={`Remove ${contact.name}`} onClick={() => setRemoving(contact)}>
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function ContactForm({
  accountId,
  contact,
  onDone,
}: {
  accountId: string;
  contact: AccountContactResponse | null;
  onDone: (message?: string) => void;
}) {
  const [name, setName] = useState(contact?.name ?? '');
  const [username, setUsername] = useState(contact?.username ?? '');
  const [role, setRole] = useState(String(contact?.role ?? 32));
  const [canManageCases, setCanManageCases] = useState(contact?.canManageCases ?? false);
  const [isPrimaryContact, setIsPrimaryContact] = useState(contact?.isPrimaryContact ?? false);
  const createContact = useCreateContact();
  const updateContact = useUpdateContact();
  const mutation = contact ? updateContact : createContact;
  const fieldErrors = getFieldErrors(mutation.error);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const fields = { name: name.trim(), role: Number(role) as RoleValue, canManageCases, isPrimaryContact };
    if (contact) {
      updateContact.mutate(
        { accountId, contactId: contact.id, body: fields },
        { onSuccess: () => onDone('Contact changes saved successfully') },
      );
    } else {
      createContact.mutate(
        { accountId, body: { ...fields, username: username.trim() } },
        { onSuccess: (created) => onDone(`Contact ${created.name} added; an invitation was sent to ${created.username}`) },
      );
    }
  };

  return (
    <Paper withBorder p="md">
      <form onSubmit={handleSubmit} noValidate aria-label={contact ? 'Edit contact' : 'Add contact'}>
        <Stack gap="sm">
          <Text fw={600}>{contact ? `Edit ${contact.name}` : 'Add Contact'}</Text>
          <TextInput
            label="Name"
            required
            value={name}
            maxLength={200}
            onChange={(event) => setName(event.currentTarget.value)}
            error={fieldErrors.name}
          />
          <TextInput
            label="Email (username)"
            required
            type="email"
            value={username}
            disabled={contact !== null}
            description={contact ? undefined : 'An invitation to choose a password is mailed to this address.'}
            onChange={(event) => setUsername(event.currentTarget.value)}
            error={fieldErrors.username}
          />
          <Select label="Role" data={ROLE_OPTIONS} value={role} onChange={(value) => setRole(value ?? '32')} allowDeselect={false} />
          <Checkbox label="Manage Cases" checked={canManageCases} onChange={(event) => setCanManageCases(event.currentTarget.checked)} />
          <Checkbox
            label="Primary Contact"
            description="An account has at most one Primary Contact; this replaces the current one."
            checked={isPrimaryContact}
            onChange={(event) => setIsPrimaryContact(event.currentTarget.checked)}
          />
          {mutation.isError && !fieldErrors.name && !fieldErrors.username && (
            <Alert color="red" variant="light" role="alert">
              {getErrorMessage(mutation.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onDone()}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {contact ? 'Save' : 'Add Contact'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
