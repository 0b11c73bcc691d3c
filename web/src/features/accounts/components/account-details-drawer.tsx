import { ActionIcon, Alert, Drawer, Group, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { LICENSED_APP_LABELS, type AccountDetailsResponse } from '../../../../../common/schemas/accounts.js';
import { getErrorMessage } from '../../../lib/api-client';
import { useAccount } from '../accounts.api';

/** The text a support ticket needs, one "Label: value" line each; what the copy button copies. */
export function formatSupportTicketDetails(account: AccountDetailsResponse): string[][] {
  const primary = account.contacts.find((contact) => contact.isPrimaryContact);
  const expiries = account.licenses
    .filter((license) => license.expiresOn)
    .map((license) => `${license.app.toUpperCase()} ${license.expiresOn ?? ''}`)
    .join(', ');
  return [
    ['Customer Name', account.name],
    ['Custom Name', account.customName ?? '—'],
    ['Container UUID', account.containerUuid],
    ['Site Identifier', account.siteId ?? '—'],
    ['Region', account.region ?? '—'],
    [
      'Licensed Apps',
      account.licenses.map((license) => `${license.app.toUpperCase()} (${LICENSED_APP_LABELS[license.app]})`).join(', ') || '—',
    ],
    ['Licence Expiry', expiries || '—'],
    ['Primary Contact', primary ? `${primary.name} <${primary.username}>` : '—'],
  ];
}

function CopyDetailsButton({ text }: { text: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return undefined;
    const timer = window.setTimeout(() => setState('idle'), 2500);
    return () => window.clearTimeout(timer);
  }, [state]);
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="xs" c={state === 'failed' ? 'red' : 'teal'} role="status" aria-live="polite">
        {state === 'copied' ? 'Copied to clipboard' : state === 'failed' ? 'Could not copy' : ''}
      </Text>
      <Tooltip label="Copy details">
        <ActionIcon variant="light" aria-label="Copy account details" onClick={copy}>
          {state === 'copied' ? <IconCheck size={18} aria-hidden /> : <IconCopy size={18} aria-hidden />}
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}

/** The seed's "Account Details for Support Ticket" plane, with the copy button in its upper right. */
export function AccountDetailsDrawer({ accountId, onClose }: { accountId: string | null; onClose: () => void }) {
  const account = useAccount(accountId);
  const rows = account.data ? formatSupportTicketDetails(account.data) : null;
  const text = rows ? rows.map(([label, value]) => `${label}: ${value}`).join('\n') : '';
  return (
    <Drawer
      opened={accountId !== null}
      onClose={onClose}
      position="right"
      size="md"
      title={
        <Text fw={600} size="lg">
          Account Details for Support Ticket
        </Text>
      }
    >
      {account.isPending && <Skeleton h={240} />}
      {account.isError && (
        <Alert color="red" variant="light" role="alert">
          {getErrorMessage(account.error)}
        </Alert>
      )}
      {rows && (
        <Stack gap="sm">
          <Group justify="flex-end">
            <CopyDetailsButton text={text} />
          </Group>
          <Table variant="vertical" withTableBorder layout="fixed">
            <Table.Tbody>
              {rows.map(([label, value]) => (
                <Table.Tr key={label}>
                  <Table.Th w={150}>{label}</Table.Th>
                  <Table.Td style={{ wordBreak: 'break-word' }}>{value}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Drawer>
  );
}
