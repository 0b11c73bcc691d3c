import '@mantine/dropzone/styles.css';
import { ActionIcon, Alert, Badge, Group, Paper, Progress, Stack, Text, ThemeIcon } from '@mantine/core';
import { Dropzone, type FileRejection } from '@mantine/dropzone';
import { IconFileUpload, IconUpload, IconX } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import type { ScanResponse } from '../../../../../common/schemas/scans.js';
import { getErrorMessage } from '../../../lib/api-client';
import { useRefreshInstance, useScan, useUploadScan } from '../instances.api';
import { formatBytes } from './format';
import { describeSeverities, ScanProgress, ScanStatusBadge } from './scan-status';

/** .nessus exports, and Nessus XML saved as .xml; browsers give .nessus files no MIME type. */
const ACCEPT = {
  'application/xml': ['.nessus', '.xml'],
  'text/xml': ['.nessus', '.xml'],
  'application/octet-stream': ['.nessus'],
};

interface UploadEntry {
  key: string;
  file: File;
  loaded: number;
  total: number;
  status: 'uploading' | 'sent' | 'failed';
  scanId: string | null;
  error: unknown;
}

let nextKey = 0;

function plural(count: number, word: string): string {
  return `${count.toLocaleString()} ${word}${count === 1 ? '' : 's'}`;
}

/** "Imported 3 hosts and 147 findings." (and compliance results when there are any). */
export function describeImport(scan: ScanResponse): string {
  const compliance = scan.complianceCount > 0 ? ` and ${plural(scan.complianceCount, 'compliance result')}` : '';
  return `Imported ${plural(scan.hostCount, 'host')} and ${plural(scan.findingCount, 'finding')}${compliance}.`;
}

/** One file: bytes sent, then the import's status and progress (polled), then its outcome. */
function UploadItem({ accountId, entry, onDismiss }: { accountId: string; entry: UploadEntry; onDismiss: () => void }) {
  const scan = useScan(accountId, entry.scanId);
  const refreshInstance = useRefreshInstance(accountId);
  const isRefreshed = useRef(false);
  const status = scan.data?.status;
  const isFinished = entry.status === 'failed' || status === 'completed' || status === 'failed' || status === 'duplicate';

  useEffect(() => {
    if (isRefreshed.current || (status !== 'completed' && status !== 'duplicate' && status !== 'failed')) return;
    isRefreshed.current = true;
    void refreshInstance();
  }, [status, refreshInstance]);

  const renderState = () => {
    if (entry.status === 'uploading') {
      const percent = entry.total > 0 ? Math.round((entry.loaded / entry.total) * 100) : 0;
      return (
        <Stack gap={4}>
          <Progress value={percent} size="md" aria-label={`Upload of ${entry.file.name}`} />
          <Text size="xs" c="dimmed">
            Uploading: {formatBytes(entry.loaded)} of {formatBytes(entry.total)} ({percent}%)
          </Text>
        </Stack>
      );
    }
    if (entry.status === 'failed') {
      return (
        <Text size="sm" c="red.8" role="alert">
          {getErrorMessage(entry.error)}
        </Text>
      );
    }
    if (scan.isError) {
      return (
        <Text size="sm" c="red.8" role="alert">
          Could not follow the import: {getErrorMessage(scan.error)}
        </Text>
      );
    }
    const data = scan.data;
    if (!data || data.status === 'queued' || data.status === 'running') {
      return data ? (
        <ScanProgress scan={data} label={`Import of ${entry.file.name}`} />
      ) : (
        <Text size="xs" c="dimmed">
          Uploaded. Waiting for the importer…
        </Text>
      );
    }
    if (data.status === 'duplicate') {
      return (
        <Text size="sm" role="status">
          Already imported (no changes)
        </Text>
      );
    }
    if (data.status === 'failed') {
      return (
        <Text size="sm" c="red.8" role="alert" style={{ overflowWrap: 'anywhere' }}>
          {data.error ?? 'The import failed.'}
        </Text>
      );
    }
    return (
      <Stack gap={2} role="status">
        <Text size="sm">{describeImport(data)}</Text>
        <Text size="xs" c="dimmed">
          {describeSeverities(data.bySeverity)}
        </Text>
        {data.warnings.map((warning) => (
          <Text key={warning} size="xs" c="orange.9">
            {warning}
          </Text>
        ))}
      </Stack>
    );
  };

  return (
    <Paper withBorder radius="md" p="sm" component="li" aria-label={`Import of ${entry.file.name}`}>
      <Group justify="space-between" wrap="nowrap" gap="sm" align="flex-start">
        <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" fw={600} truncate="end" style={{ minWidth: 0 }}>
              {entry.file.name}
            </Text>
            <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
              {formatBytes(entry.file.size)}
            </Text>
            {entry.status === 'uploading' && (
              <Badge variant="light" color="blue" style={{ flexShrink: 0 }}>
                Uploading
              </Badge>
            )}
            {entry.status === 'failed' && <ScanStatusBadge status="failed" />}
            {scan.data && <ScanStatusBadge status={scan.data.status} />}
          </Group>
          {renderState()}
        </Stack>
        {isFinished && (
          <ActionIcon variant="subtle" color="gray" onClick={onDismiss} aria-label={`Dismiss ${entry.file.name}`}>
            <IconX size={16} aria-hidden />
          </ActionIcon>
        )}
      </Group>
    </Paper>
  );
}

/**
 * Drag and drop (or choose) .nessus files: each is streamed to the server with its upload
 * progress, then followed through the background import to its outcome.
 */
export function ScanUpload({ accountId }: { accountId: string }) {
  const upload = useUploadScan(accountId);
  const [entries, setEntries] = useState<UploadEntry[]>([]);
  const [rejected, setRejected] = useState<string[]>([]);
  // A fresh drop zone after each choice: its file input then accepts the same file again.
  const [dropzoneKey, setDropzoneKey] = useState(0);

  const update = (key: string, change: Partial<UploadEntry>) =>
    setEntries((current) => current.map((entry) => (entry.key === key ? { ...entry, ...change } : entry)));

  const handleDrop = (files: File[]) => {
    setRejected([]);
    setDropzoneKey((key) => key + 1);
    const added = files.map((file) => ({
      key: `upload-${(nextKey += 1)}`,
      file,
      loaded: 0,
      total: file.size,
      status: 'uploading' as const,
      scanId: null,
      error: null,
    }));
    setEntries((current) => [...added, ...current]);
    for (const entry of added) {
      upload(entry.file, ({ loaded, total }) => update(entry.key, { loaded, total })).then(
        (scan) => update(entry.key, { status: 'sent', scanId: scan.id, loaded: entry.file.size }),
        (error: unknown) => update(entry.key, { status: 'failed', error }),
      );
    }
  };

  const handleReject = (rejections: FileRejection[]) =>
    setRejected(rejections.map(({ file }) => `${file.name} is not a .nessus or .xml file, so it was not uploaded.`));

  return (
    <Stack gap="sm">
      <Dropzone
        key={dropzoneKey}
        onDrop={handleDrop}
        onReject={handleReject}
        accept={ACCEPT}
        multiple
        useFsAccessApi={false}
        radius="md"
        aria-label="Upload Nessus files"
        inputProps={{ 'aria-label': 'Choose Nessus files to import' }}
      >
        <Group justify="center" gap="md" mih={110} style={{ pointerEvents: 'none' }} wrap="nowrap">
          <Dropzone.Accept>
            <ThemeIcon size={48} radius="xl" variant="light" aria-hidden>
              <IconUpload size={26} />
            </ThemeIcon>
          </Dropzone.Accept>
          <Dropzone.Reject>
            <ThemeIcon size={48} radius="xl" variant="light" color="red" aria-hidden>
              <IconX size={26} />
            </ThemeIcon>
          </Dropzone.Reject>
          <Dropzone.Idle>
            <ThemeIcon size={48} radius="xl" variant="light" aria-hidden>
              <IconFileUpload size={26} />
            </ThemeIcon>
          </Dropzone.Idle>
          <div>
            <Text size="md" fw={600}>
              Drop .nessus files here, or click to choose
            </Text>
            <Text size="sm" c="dimmed">
              Nessus v2 exports (.nessus or .xml), several at a time. Each file is imported in the background.
            </Text>
          </div>
        </Group>
      </Dropzone>
      {rejected.length > 0 && (
        <Alert color="red" variant="light" title="Some files were not uploaded" role="alert">
          {rejected.map((line) => (
            <Text key={line} size="sm">
              {line}
            </Text>
          ))}
        </Alert>
      )}
      {entries.length > 0 && (
        <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Uploads">
          {entries.map((entry) => (
            <UploadItem
              key={entry.key}
              accountId={accountId}
              entry={entry}
              onDismiss={() => setEntries((current) => current.filter((candidate) => candidate.key !== entry.key))}
            />
          ))}
        </Stack>
      )}
    </Stack>
  );
}
