import { Anchor, Table, Text } from '@mantine/core';
import type { SignalSummaryResponse } from '../../../../../common/schemas/signals.js';
import { formatDateTime } from '../../vulnerability-management';
import { SignalSeverityBadge, SignalStateBadge } from './signal-badges';

interface SignalsTableProps {
  signals: SignalSummaryResponse[];
  onOpen: (id: string) => void;
  isRefreshing?: boolean;
}

function describePlugin(signal: SignalSummaryResponse): string {
  if (signal.pluginName && signal.pluginId !== null) return `${signal.pluginName} (${signal.pluginId})`;
  if (signal.pluginName) return signal.pluginName;
  if (signal.pluginId !== null) return String(signal.pluginId);
  return signal.stream === 'assets' ? 'Asset record' : 'Signal';
}

/** The host name over its IP (either alone when the other is missing). */
function AssetCell({ signal }: { signal: SignalSummaryResponse }) {
  if (!signal.hostName && !signal.ip) return <>—</>;
  return (
    <>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {signal.hostName ?? signal.ip}
      </Text>
      {signal.hostName && signal.ip && (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {signal.ip}
        </Text>
      )}
    </>
  );
}

/**
 * One page of signals; the plugin (or record) name opens the detail drawer. What identifies a
 * signal comes first (when, severity, state, plugin, asset), so on a laptop screen the link that
 * opens it is visible without scrolling sideways; the rest follows.
 */
export function SignalsTable({ signals, onOpen, isRefreshing = false }: SignalsTableProps) {
  return (
    <Table.ScrollContainer minWidth={1100}>
      <Table
        striped
        highlightOnHover
        verticalSpacing="xs"
        fz="sm"
        aria-label="Signals"
        aria-busy={isRefreshing}
        style={{ opacity: isRefreshing ? 0.6 : 1, transition: 'opacity 120ms' }}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Observed</Table.Th>
            <Table.Th>Severity</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Plugin</Table.Th>
            <Table.Th>Host / IP</Table.Th>
            <Table.Th>CVE</Table.Th>
            <Table.Th>Integration</Table.Th>
            <Table.Th>Account</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {signals.map((signal) => (
            <Table.Tr key={signal.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(signal.observedAt)}</Table.Td>
              <Table.Td>
                <SignalSeverityBadge severity={signal.severity} />
              </Table.Td>
              <Table.Td>
                <SignalStateBadge state={signal.state} />
              </Table.Td>
              <Table.Td miw={240} maw={360}>
                <Anchor
                  component="button"
                  type="button"
                  size="sm"
                  ta="left"
                  lineClamp={2}
                  title={describePlugin(signal)}
                  onClick={() => onOpen(signal.id)}
                >
                  {describePlugin(signal)}
                </Anchor>
              </Table.Td>
              <Table.Td miw={150} maw={240}>
                <AssetCell signal={signal} />
              </Table.Td>
              <Table.Td>
                {signal.cve.length === 0 ? (
                  '—'
                ) : (
                  <Text size="sm" title={signal.cve.join(', ')} style={{ whiteSpace: 'nowrap' }}>
                    {signal.cve.slice(0, 2).join(', ')}
                    {signal.cve.length > 2 ? ` +${signal.cve.length - 2}` : ''}
                  </Text>
                )}
              </Table.Td>
              <Table.Td miw={120}>{signal.integration.name}</Table.Td>
              <Table.Td miw={120}>{signal.account?.name ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
