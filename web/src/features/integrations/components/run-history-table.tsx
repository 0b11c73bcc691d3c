import { Badge, Table, Text, Tooltip } from '@mantine/core';
import { RUN_ERROR_ADVICE, type RunResponse, type RunStatus } from '../../../../../common/schemas/integrations.js';
import { formatDateTime } from '../../vulnerability-management';
import { formatCount, formatDuration } from '../format';

const STATUS_COLORS: Record<RunStatus, string> = { running: 'blue', succeeded: 'green', partial: 'yellow', failed: 'red' };
const STATUS_LABELS: Record<RunStatus, string> = { running: 'Running', succeeded: 'Succeeded', partial: 'Partial', failed: 'Failed' };
const TRIGGER_LABELS: Record<RunResponse['trigger'], string> = { schedule: 'Schedule', poll_now: 'Poll Now' };

/** The ledger of runs, newest first: one row per run of a stream. */
export function RunHistoryTable({ runs, streamLabels }: { runs: RunResponse[]; streamLabels: Record<string, string> }) {
  if (runs.length === 0) {
    return (
      <Text size="sm" c="dimmed" p="md">
        No runs yet. The first run starts within one polling interval after saving, or at once with Poll Now.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover verticalSpacing="xs" fz="sm" aria-label="Run history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Stream</Table.Th>
            <Table.Th>Trigger</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Duration</Table.Th>
            <Table.Th ta="right">Fetched</Table.Th>
            <Table.Th ta="right">Stored</Table.Th>
            <Table.Th ta="right">Duplicates</Table.Th>
            <Table.Th ta="right">Chunks</Table.Th>
            <Table.Th>Error</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((run) => (
            <Table.Tr key={run.id}>
              <Table.Td>{streamLabels[run.stream] ?? run.stream}</Table.Td>
              <Table.Td>{TRIGGER_LABELS[run.trigger]}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={STATUS_COLORS[run.status]} style={{ flexShrink: 0, minWidth: 'max-content' }}>
                  {STATUS_LABELS[run.status]}
                </Badge>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(run.startedAt)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDuration(run.startedAt, run.finishedAt)}</Table.Td>
              <Table.Td ta="right">{formatCount(run.fetched)}</Table.Td>
              <Table.Td ta="right">{formatCount(run.stored)}</Table.Td>
              <Table.Td ta="right">{formatCount(run.duplicates)}</Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                {run.chunksTotal === null ? formatCount(run.chunksDone) : `${run.chunksDone} / ${run.chunksTotal}`}
              </Table.Td>
              <Table.Td>
                {run.error ? (
                  <Tooltip label={run.error.message} multiline w={320} withArrow>
                    <Text size="sm" c="red.8" tabIndex={0}>
                      {RUN_ERROR_ADVICE[run.error.kind].title}
                    </Text>
                  </Tooltip>
                ) : (
                  '—'
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
