import { Alert, Box, DataList, Drawer, ScrollArea, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { getErrorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../vulnerability-management';
import { useSignal } from '../signals.api';
import { SignalSeverityBadge, SignalStateBadge } from './signal-badges';

function Item({ label, value }: { label: string; value: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue style={{ overflowWrap: 'anywhere' }}>{value ?? '—'}</DataList.ItemValue>
    </DataList.Item>
  );
}

/** One signal: its normalised fields and the raw record as the source sent it. */
export function SignalDrawer({ signalId, onClose }: { signalId: string | null; onClose: () => void }) {
  const signal = useSignal(signalId);
  const data = signal.data;
  return (
    <Drawer
      opened={signalId !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title="Signal details"
      closeButtonProps={{ 'aria-label': 'Close signal details' }}
    >
      {signal.isPending && <Skeleton height={320} />}
      {signal.isError && (
        <Alert color="red" variant="light" title="Could not load the signal">
          {getErrorMessage(signal.error)}
        </Alert>
      )}
      {data && (
        <Stack gap="md">
          <DataList size="sm" labelWidth={130}>
            <Item label="Observed" value={formatDateTime(data.observedAt)} />
            <Item label="Severity" value={<SignalSeverityBadge severity={data.severity} />} />
            <Item label="State" value={<SignalStateBadge state={data.state} />} />
            <Item label="Host" value={data.hostName} />
            <Item label="IP" value={data.ip} />
            <Item label="Plugin" value={data.pluginId === null ? data.pluginName : `${data.pluginName ?? ''} (${data.pluginId})`} />
            <Item label="CVE" value={data.cve.length > 0 ? data.cve.join(', ') : null} />
            <Item label="Integration" value={data.integration.name} />
            <Item label="Stream" value={data.stream} />
            <Item label="Account" value={data.account?.name} />
            <Item
              label="Fingerprint"
              value={
                <Text size="xs" ff="monospace">
                  {data.fingerprint}
                </Text>
              }
            />
          </DataList>
          <Stack gap={6}>
            <Title order={3} size="h5">
              Raw record
            </Title>
            <ScrollArea.Autosize mah="50vh" type="auto">
              <Box
                component="pre"
                aria-label="Raw record (JSON)"
                m={0}
                p="sm"
                style={{
                  fontFamily: 'var(--mantine-font-family-monospace)',
                  fontSize: 12,
                  lineHeight: 1.5,
                  background: 'var(--mantine-color-default-hover)',
                  borderRadius: 'var(--mantine-radius-sm)',
                }}
              >
                {JSON.stringify(data.raw, null, 2)}
              </Box>
            </ScrollArea.Autosize>
          </Stack>
        </Stack>
      )}
    </Drawer>
  );
}
