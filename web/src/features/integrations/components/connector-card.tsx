import { Anchor, Badge, Code, DataList, Group, List, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconExternalLink, IconSquareCheck } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { ConnectorResponse } from '../../../../../common/schemas/integrations.js';
import { formatInterval } from '../format';

function Item({ label, value }: { label: string; value: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{value}</DataList.ItemValue>
    </DataList.Item>
  );
}

/** A catalogue entry: what the connector collects, how it signs in, how often it polls, what it needs first. */
export function ConnectorCard({ connector }: { connector: ConnectorResponse }) {
  const polling = connector.streams
    .map((stream) => `${formatInterval(stream.defaultIntervalMinutes)} (${stream.label.toLowerCase()})`)
    .join(', ');
  return (
    <Paper withBorder shadow="xs" p="md" component="section" aria-label={`${connector.label} connector`}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={3} size="h4">
            {connector.label}
          </Title>
          <Badge variant="light">{connector.category}</Badge>
        </Group>
        <Text size="sm">{connector.description}</Text>
        <DataList size="sm" labelWidth={140}>
          <Item label="Category" value={connector.category} />
          <Item label="Connector Name" value={<Code>{connector.id}</Code>} />
          <Item label="Auth Method" value={connector.authMethod} />
          <Item label="Polling Interval" value={polling} />
          <Item label="Multi-Instance" value={connector.multiInstance ? 'Yes' : 'No'} />
          <Item
            label="Vendor Docs"
            value={
              <Anchor href={connector.vendorDocs.url} target="_blank" rel="noreferrer" size="sm">
                <Group gap={4} component="span" wrap="nowrap">
                  {connector.vendorDocs.label}
                  <IconExternalLink size={14} aria-label="(opens in a new tab)" />
                </Group>
              </Anchor>
            }
          />
        </DataList>
        {connector.prerequisites.length > 0 && (
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              Prerequisites
            </Text>
            <List
              size="sm"
              spacing={4}
              aria-label={`Prerequisites of ${connector.label}`}
              icon={
                <ThemeIcon size={18} variant="light" color="gray" radius="sm">
                  <IconSquareCheck size={14} aria-hidden />
                </ThemeIcon>
              }
            >
              {connector.prerequisites.map((item) => (
                <List.Item key={item}>{item}</List.Item>
              ))}
            </List>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
