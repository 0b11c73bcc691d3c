import { Button, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useState } from 'react';
import { QueryErrorAlert } from '../../../components/query-error-alert';
import { useGenerateOwnApiKeys, useOwnApiKeysStatus } from '../api-keys.api';
import { GenerateApiKeysModal } from './generate-api-keys-modal';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * My Account → API Keys: the state of your pair and the Generate button. A contact's keys reach
 * their instance's API; a staff user's the MSSP portal's.
 */
export function OwnApiKeysPanel({ userKind }: { userKind: 'staff' | 'contact' }) {
  const status = useOwnApiKeysStatus();
  const generate = useGenerateOwnApiKeys();
  const [isOpen, setIsOpen] = useState(false);

  const renderStatus = () => {
    if (status.isPending) return <Skeleton height={20} width={280} />;
    if (status.isError)
      return <QueryErrorAlert error={status.error} onRetry={() => void status.refetch()} title="Could not load your API keys" />;
    if (!status.data.hasKeys || !status.data.createdAt) {
      return (
        <Text size="sm" c="dimmed">
          You have no API keys yet.
        </Text>
      );
    }
    return (
      <Text size="sm">
        Your API keys were generated on {timeFormat.format(new Date(status.data.createdAt))}
        {status.data.lastUsedAt
          ? ` and last used on ${timeFormat.format(new Date(status.data.lastUsedAt))}.`
          : ' and have not been used yet.'}
      </Text>
    );
  };

  return (
    <Paper withBorder shadow="xs" p={{ base: 'md', sm: 'xl' }} maw={720}>
      <Stack gap="md">
        <Group gap="xs">
          <IconKey size={20} stroke={1.7} aria-hidden />
          <Title order={2} size="h4">
            API Keys
          </Title>
        </Group>
        <Text size="sm" c="dimmed">
          {userKind === 'contact'
            ? 'API keys let scripts and tools (pyTenable, your SIEM) use your instance through its Tenable-compatible API (the X-ApiKeys header), with your role. They reach your instance only.'
            : 'API keys authenticate scripts and tools with the MSSP portal API (the X-ApiKeys header). They reach the portal only, never a customer’s instance: for an instance, ask the API for temporary child keys.'}
        </Text>
        {renderStatus()}
        <Group>
          <Button
            leftSection={<IconKey size={16} aria-hidden />}
            onClick={() => {
              generate.reset();
              setIsOpen(true);
            }}
          >
            Generate
          </Button>
        </Group>
      </Stack>
      <GenerateApiKeysModal opened={isOpen} onClose={() => setIsOpen(false)} confirmLabel="Generate" generate={generate} />
    </Paper>
  );
}
