import { Badge, Group, Progress, Stack, Text } from '@mantine/core';
import type { ScanResponse } from '../../../../../common/schemas/scans.js';
import { SEVERITY_COLORS } from '../../vulnerability-management';

const STATUS: Record<ScanResponse['status'], { label: string; color: string }> = {
  queued: { label: 'Queued', color: 'gray' },
  running: { label: 'Importing', color: 'blue' },
  completed: { label: 'Completed', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
  duplicate: { label: 'Already imported', color: 'yellow' },
};

export function ScanStatusBadge({ status }: { status: ScanResponse['status'] }) {
  const { label, color } = STATUS[status];
  return (
    <Badge variant="light" color={color} style={{ flexShrink: 0, overflow: 'visible' }}>
      {label}
    </Badge>
  );
}

/** The import's progress (reading the file) as a percentage, for the bar and for screen readers. */
export function scanPercent(scan: Pick<ScanResponse, 'progress'>): number {
  return Math.round(Math.max(0, Math.min(1, scan.progress)) * 100);
}

export function ScanProgress({ scan, label }: { scan: ScanResponse; label: string }) {
  const percent = scanPercent(scan);
  return (
    <Stack gap={4}>
      <Progress value={scan.status === 'queued' ? 0 : percent} animated striped size="md" aria-label={label} />
      <Text size="xs" c="dimmed" aria-live="polite">
        {scan.status === 'queued'
          ? 'Waiting for the importer…'
          : percent >= 100
            ? 'Applying the findings…'
            : `Reading the file: ${percent}%`}
      </Text>
    </Stack>
  );
}

const SEVERITIES = [
  { key: 'critical', short: 'C', word: 'critical', index: 4 },
  { key: 'high', short: 'H', word: 'high', index: 3 },
  { key: 'medium', short: 'M', word: 'medium', index: 2 },
  { key: 'low', short: 'L', word: 'low', index: 1 },
  { key: 'info', short: 'I', word: 'info', index: 0 },
] as const;

/** "2 critical, 5 high, …" — the findings a scan reported, by severity. */
export function describeSeverities(counts: ScanResponse['bySeverity']): string {
  return SEVERITIES.map(({ key, word }) => `${counts[key].toLocaleString()} ${word}`).join(', ');
}

/** The findings a scan reported, as one small badge per severity; read out in words. */
export function ScanSeverityCounts({ counts }: { counts: ScanResponse['bySeverity'] }) {
  return (
    <Group gap={4} wrap="nowrap" role="img" aria-label={describeSeverities(counts)}>
      {SEVERITIES.map(({ key, short, word, index }) => (
        <Badge
          key={key}
          size="sm"
          radius="sm"
          variant={counts[key] > 0 ? 'light' : 'default'}
          color={SEVERITY_COLORS[index]}
          title={`${counts[key].toLocaleString()} ${word}`}
          aria-hidden
          style={{ flexShrink: 0 }}
        >
          {short} {counts[key].toLocaleString()}
        </Badge>
      ))}
    </Group>
  );
}
