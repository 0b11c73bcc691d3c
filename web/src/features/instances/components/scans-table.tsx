import { Anchor, List, Skeleton, Stack, Table, Text } from '@mantine/core';
import type { ScanResponse } from '../../../../../common/schemas/scans.js';
import { formatBytes, formatInstant } from './format';
import { ScanProgress, ScanSeverityCounts, ScanStatusBadge } from './scan-status';

function ScanNotes({ scan, onShowScan }: { scan: ScanResponse; onShowScan?: (scanId: string) => void }) {
  if (scan.status === 'failed' && scan.error) {
    return (
      <Text size="sm" c="red.8" style={{ overflowWrap: 'anywhere' }}>
        {scan.error}
      </Text>
    );
  }
  if (scan.status === 'duplicate') {
    return (
      <Text size="sm" c="dimmed">
        Already imported (no changes)
        {scan.duplicateOfScanId && onShowScan && (
          <>
            {' · '}
            <Anchor component="button" type="button" size="sm" onClick={() => onShowScan(scan.duplicateOfScanId ?? '')}>
              same as an earlier scan
            </Anchor>
          </>
        )}
      </Text>
    );
  }
  if (scan.warnings.length === 0) return null;
  return (
    <List size="sm" c="orange.9" spacing={2} aria-label="Warnings">
      {scan.warnings.map((warning) => (
        <List.Item key={warning}>{warning}</List.Item>
      ))}
    </List>
  );
}

interface ScansTableProps {
  scans: ScanResponse[];
  isRefreshing?: boolean;
  /** The scan to highlight (the one a duplicate points to). */
  highlightedScanId?: string | null;
  onShowScan?: (scanId: string) => void;
}

/** The instance's imports: what was imported, how it went, and what it brought. */
export function ScansTable({ scans, isRefreshing = false, highlightedScanId = null, onShowScan }: ScansTableProps) {
  return (
    <Table.ScrollContainer minWidth={1300} type="native">
      <Table
        highlightOnHover
        horizontalSpacing="sm"
        verticalSpacing="sm"
        aria-busy={isRefreshing}
        style={{ opacity: isRefreshing ? 0.6 : 1 }}
      >
        <caption className="bulwark-visually-hidden">Scans of this instance</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Scan</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Hosts</Table.Th>
            <Table.Th>Findings by severity</Table.Th>
            <Table.Th>Scanned</Table.Th>
            <Table.Th>Imported</Table.Th>
            <Table.Th>Owner</Table.Th>
            <Table.Th>Notes</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {scans.map((scan) => {
            const isActive = scan.status === 'queued' || scan.status === 'running';
            return (
              <Table.Tr
                key={scan.id}
                id={`scan-${scan.id}`}
                bg={highlightedScanId === scan.id ? 'var(--mantine-primary-color-light)' : undefined}
              >
                <Table.Td miw={220} maw={320}>
                  <Text size="sm" fw={600} style={{ overflowWrap: 'break-word' }}>
                    {scan.name}
                  </Text>
                  <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                    {scan.fileName ?? 'No file'}
                    {scan.fileSize !== null && ` · ${formatBytes(scan.fileSize)}`}
                    {scan.policyName && ` · ${scan.policyName}`}
                  </Text>
                </Table.Td>
                <Table.Td miw={180}>
                  <Stack gap={6}>
                    <ScanStatusBadge status={scan.status} />
                    {isActive && <ScanProgress scan={scan} label={`Import of ${scan.name}`} />}
                  </Stack>
                </Table.Td>
                <Table.Td ta="right">{scan.hostCount.toLocaleString()}</Table.Td>
                <Table.Td miw={270}>
                  <ScanSeverityCounts counts={scan.bySeverity} />
                  {scan.complianceCount > 0 && (
                    <Text size="xs" c="dimmed" mt={4}>
                      {scan.complianceCount.toLocaleString()} compliance results
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {formatInstant(scan.scanStartedAt)}
                  </Text>
                  {scan.scanEndedAt && (
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      to {formatInstant(scan.scanEndedAt)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {formatInstant(scan.finishedAt ?? scan.createdAt)}
                  </Text>
                  {!scan.finishedAt && (
                    <Text size="xs" c="dimmed">
                      uploaded
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{scan.owner?.username ?? '—'}</Text>
                </Table.Td>
                <Table.Td miw={200} maw={320}>
                  <ScanNotes scan={scan} onShowScan={onShowScan} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function ScansTableSkeleton({ rows = 5 }: { rows?: number }) {
  return (
    <Stack gap="sm" p="md" role="status" aria-label="Loading scans">
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} h={36} radius="sm" />
      ))}
    </Stack>
  );
}
