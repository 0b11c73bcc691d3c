import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { isRoleValue, ROLE_LABELS } from '../../../../../common/permissions.js';
import type { PinLookupResponse } from '../../../../../common/schemas/phone-support.js';
import { getErrorMessage, isApiError } from '../../../lib/api-client';
import { usePinLookup } from '../phone-support.api';

function CallerDetails({ caller }: { caller: PinLookupResponse }) {
  const rows: [string, ReactNode][] = [
    ['Name', caller.name],
    ['Username', caller.username],
    ['Account', caller.accountName],
    ['Role', isRoleValue(caller.role) ? ROLE_LABELS[caller.role] : String(caller.role)],
    ['Primary Contact', caller.isPrimaryContact ? 'Yes' : 'No'],
    ['Manage Cases', caller.canManageCases ? 'Yes' : 'No'],
  ];
  return (
    <Paper withBorder shadow="xs" p="md" aria-label="Caller">
      {caller.isDisabled && (
        <Badge color="red" variant="light" mb="sm">
          Disabled: this contact cannot sign in
        </Badge>
      )}
      <Table variant="vertical" withTableBorder={false}>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={180}>{label}</Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** Verifies a caller: the agent types the PIN the caller reads out and sees whose it is. */
export function PinLookup() {
  const [pin, setPin] = useState('');
  const [formatError, setFormatError] = useState<string | null>(null);
  const lookup = usePinLookup();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const digits = pin.replace(/\s/g, '');
    if (!/^\d{6}$/.test(digits)) {
      setFormatError('A Support PIN is six digits.');
      return;
    }
    setFormatError(null);
    lookup.mutate(digits);
  };

  const isNotFound = isApiError(lookup.error) && lookup.error.status === 404;
  return (
    <Stack gap="md" maw={640}>
      <form onSubmit={submit} noValidate>
        <Group align="flex-start">
          <TextInput
            label="Support PIN"
            inputMode="numeric"
            autoComplete="off"
            value={pin}
            error={formatError}
            onChange={(event) => setPin(event.currentTarget.value)}
            w={200}
          />
          <Button type="submit" mt={25} leftSection={<IconSearch size={16} aria-hidden />} loading={lookup.isPending}>
            Look up
          </Button>
        </Group>
      </form>
      {isNotFound && <Text>No contact with this PIN in your accounts.</Text>}
      {lookup.isError && !isNotFound && (
        <Alert color="red" variant="light">
          {getErrorMessage(lookup.error)}
        </Alert>
      )}
      {lookup.data && <CallerDetails caller={lookup.data} />}
    </Stack>
  );
}
