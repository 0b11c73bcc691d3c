import '@mantine/dropzone/styles.css';
import { Alert, Badge, Button, Group, Modal, Progress, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { IconAlertTriangle, IconFileUpload, IconUpload } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import * as tus from 'tus-js-client';
import { FEDRAMP_UPLOAD_CAUTION, UPLOAD_BATCH_MAX, UPLOAD_BATCH_MESSAGE } from '../../../../../common/schemas/support-cases.js';
import { useCsrfToken } from '../../auth';

/** A file that finished uploading (tus) and can be attached to a case by its uploadId. */
export interface UploadedFile {
  uploadId: string;
  fileName: string;
  size: number;
}

export interface FileUploaderProps {
  /** An existing case: each file is attached to it as soon as it finishes. Absent: a new case's form collects the ids. */
  caseId?: string;
  /** The account is FedRAMP-authorized: the upload area shows the seed's caution (FEDRAMP_UPLOAD_CAUTION). */
  showFedrampCaution: boolean;
  /** Completed, not removed uploads, in order; a new case's form sends their ids with Submit. */
  onChange?: (files: UploadedFile[]) => void;
  /** Files were attached to the existing case (refresh it). */
  onAttached?: () => void;
  disabled?: boolean;
}

export const UPLOAD_ENDPOINT = '/api/support/uploads';
/** Automatic resumes after a dropped connection: HEAD for the offset, then the rest. */
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10_000, 20_000, 30_000];
const NETWORK_FAILURE_MESSAGE = 'Could not reach Bulwark. Check your connection and try again.';

type RowState = 'uploading' | 'done' | 'failed';

interface UploadRow {
  key: string;
  file: File;
  batchId: string;
  bytesSent: number;
  state: RowState;
  uploadId: string | null;
  reason: string | null;
  isRemoving: boolean;
}

const STATE_LABELS: Record<RowState, string> = { uploading: 'Uploading', done: 'Done', failed: 'Failed' };
const STATE_COLORS: Record<RowState, string> = { uploading: 'blue', done: 'green', failed: 'red' };

let nextKey = 0;

/** 1536 -> "1.5 KB". */
export function formatFileSize(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Why an upload failed, for a person: the server's message when it sent one. */
export function describeUploadError(error: Error): string {
  const response = error instanceof tus.DetailedError ? error.originalResponse : null;
  if (!response || response.getStatus() === 0) return NETWORK_FAILURE_MESSAGE;
  const body = response.getBody()?.trim() ?? '';
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {
    // Not Bulwark's JSON error: the tus server's plain text, below.
  }
  if (body) return body.slice(0, 500);
  return `The server answered ${response.getStatus()}.`;
}

/**
 * Resumable uploads (tus) for Support cases: drag and drop or Browse, up to 5 files per selection,
 * a progress table with one row per file, a failed file's details and Retry, Remove. Each file
 * uploads on its own, so a failure never stops the others; a dropped connection resumes by itself.
 */
export function FileUploader({ caseId, showFedrampCaution, onChange, onAttached, disabled = false }: FileUploaderProps) {
  const csrfToken = useCsrfToken();
  const csrfRef = useRef(csrfToken);
  const uploads = useRef(new Map<string, tus.Upload>());
  const openRef = useRef<() => void>(null);
  const [rows, setRows] = useState<UploadRow[]>([]);
  const [batchError, setBatchError] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [detailsKey, setDetailsKey] = useState<string | null>(null);
  // A fresh drop zone after each choice: its file input then accepts the same files again.
  const [dropzoneKey, setDropzoneKey] = useState(0);
  const callbacks = useRef({ onChange, onAttached });
  // The latest token and callbacks, for uploads that outlive the render that started them.
  useEffect(() => {
    csrfRef.current = csrfToken;
    callbacks.current = { onChange, onAttached };
  });

  const update = (key: string, change: Partial<UploadRow>) =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));

  // Unmounting stops the uploads in flight (their bytes stay on the server until swept).
  useEffect(() => {
    const inFlight = uploads.current;
    return () => {
      for (const upload of inFlight.values()) void upload.abort();
      inFlight.clear();
    };
  }, []);

  const completedIds = rows
    .filter((row) => row.state === 'done' && row.uploadId)
    .map((row) => row.uploadId)
    .join(',');
  const isFirstReport = useRef(true);
  useEffect(() => {
    if (isFirstReport.current && completedIds === '') return;
    isFirstReport.current = false;
    callbacks.current.onChange?.(
      rows
        .filter((row) => row.state === 'done' && row.uploadId)
        .map((row) => ({ uploadId: row.uploadId ?? '', fileName: row.file.name, size: row.file.size })),
    );
    // rows is read for the names and sizes of exactly these ids.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [completedIds]);

  const start = (row: UploadRow) => {
    let upload = uploads.current.get(row.key);
    if (!upload) {
      const headers: Record<string, string> = {};
      if (csrfRef.current) headers['X-CSRF-Token'] = csrfRef.current;
      const metadata: Record<string, string> = {
        filename: row.file.name,
        filetype: row.file.type || 'application/octet-stream',
        batchId: row.batchId,
      };
      if (caseId) metadata.caseId = caseId;
      const created: tus.Upload = new tus.Upload(row.file, {
        endpoint: UPLOAD_ENDPOINT,
        metadata,
        headers,
        retryDelays: RETRY_DELAYS,
        // Each selection is a new upload: a file chosen again must not resume (and reuse) an earlier one.
        storeFingerprintForResuming: false,
        onProgress: (bytesSent) => update(row.key, { bytesSent }),
        onSuccess: () => {
          update(row.key, { state: 'done', bytesSent: row.file.size, uploadId: created.url?.split('/').pop() ?? null, reason: null });
          if (caseId) callbacks.current.onAttached?.();
        },
        onError: (error) => update(row.key, { state: 'failed', reason: describeUploadError(error) }),
      });
      upload = created;
      uploads.current.set(row.key, upload);
    }
    upload.start();
  };

  const handleDrop = (files: File[]) => {
    setDropzoneKey((key) => key + 1);
    setRemoveError(null);
    if (files.length > UPLOAD_BATCH_MAX) {
      setBatchError(UPLOAD_BATCH_MESSAGE);
      return;
    }
    setBatchError(null);
    if (files.length === 0) return;
    const batchId = crypto.randomUUID();
    const added = files.map((file): UploadRow => ({
      key: `file-${(nextKey += 1)}`,
      file,
      batchId,
      bytesSent: 0,
      state: 'uploading',
      uploadId: null,
      reason: null,
      isRemoving: false,
    }));
    setRows((current) => [...current, ...added]);
    for (const row of added) start(row);
  };

  const retry = (row: UploadRow) => {
    setDetailsKey(null);
    update(row.key, { state: 'uploading', reason: null });
    start(row);
  };

  const remove = async (row: UploadRow) => {
    const upload = uploads.current.get(row.key);
    update(row.key, { isRemoving: true });
    setRemoveError(null);
    try {
      // Termination (tus DELETE) when the server has the upload; a creation that never succeeded has nothing there.
      await upload?.abort(upload.url !== null);
      uploads.current.delete(row.key);
      setRows((current) => current.filter((candidate) => candidate.key !== row.key));
    } catch (error) {
      update(row.key, { isRemoving: false });
      setRemoveError(
        `${row.file.name} could not be removed: ${error instanceof Error ? describeUploadError(error) : NETWORK_FAILURE_MESSAGE}`,
      );
    }
  };

  const details = rows.find((row) => row.key === detailsKey && row.state === 'failed') ?? null;

  return (
    <Stack gap="sm">
      {showFedrampCaution && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />} title="Caution">
          {FEDRAMP_UPLOAD_CAUTION}
        </Alert>
      )}
      <Dropzone
        key={dropzoneKey}
        openRef={openRef}
        onDrop={handleDrop}
        multiple
        activateOnClick={false}
        useFsAccessApi={false}
        disabled={disabled}
        radius="md"
        aria-label="Upload files"
        inputProps={{ 'aria-label': 'Choose files to upload' }}
      >
        <Group justify="center" gap="md" mih={100} wrap="nowrap">
          <Dropzone.Accept>
            <IconUpload size={32} aria-hidden />
          </Dropzone.Accept>
          <Dropzone.Idle>
            <IconFileUpload size={32} aria-hidden />
          </Dropzone.Idle>
          <Stack gap={4} align="flex-start">
            <Text fw={600}>Drag and drop files here</Text>
            <Text size="sm" c="dimmed">
              Up to {UPLOAD_BATCH_MAX} files at a time, of any type and size.
            </Text>
            <Button variant="default" size="xs" onClick={() => openRef.current?.()} disabled={disabled}>
              Browse
            </Button>
          </Stack>
        </Group>
      </Dropzone>
      {batchError && (
        <Alert color="red" variant="light" role="alert" title="No files were uploaded">
          {batchError}
        </Alert>
      )}
      {removeError && (
        <Alert color="red" variant="light" role="alert">
          {removeError}
        </Alert>
      )}
      {rows.length > 0 && (
        <Table aria-label="Upload progress" verticalSpacing="xs" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>File</Table.Th>
              <Table.Th>Size</Table.Th>
              <Table.Th>Progress</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => {
              const percent = row.file.size > 0 ? Math.floor((row.bytesSent / row.file.size) * 100) : row.state === 'done' ? 100 : 0;
              const isFailed = row.state === 'failed';
              const canRemove = !caseId || row.state !== 'done';
              return (
                <Table.Tr
                  key={row.key}
                  aria-label={row.file.name}
                  onClick={isFailed ? () => setDetailsKey(row.key) : undefined}
                  style={isFailed ? { cursor: 'pointer' } : undefined}
                >
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{row.file.name}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatFileSize(row.file.size)}</Table.Td>
                  <Table.Td miw={140}>
                    <Group gap="xs" wrap="nowrap">
                      <Progress
                        value={percent}
                        color={isFailed ? 'red' : undefined}
                        style={{ flex: 1 }}
                        aria-label={`Upload of ${row.file.name}`}
                      />
                      <Text size="xs" w={36} ta="right">
                        {percent}%
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {isFailed ? (
                      <Button
                        variant="subtle"
                        color="red"
                        size="compact-sm"
                        onClick={(event) => {
                          event.stopPropagation();
                          setDetailsKey(row.key);
                        }}
                        aria-label={`Failed: show why ${row.file.name} failed`}
                      >
                        Failed
                      </Button>
                    ) : (
                      <Badge variant="light" color={STATE_COLORS[row.state]}>
                        {STATE_LABELS[row.state]}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {canRemove && (
                      <Button
                        variant="subtle"
                        color="gray"
                        size="compact-sm"
                        loading={row.isRemoving}
                        onClick={(event) => {
                          event.stopPropagation();
                          void remove(row);
                        }}
                        aria-label={`Remove ${row.file.name}`}
                      >
                        Remove
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={details !== null} onClose={() => setDetailsKey(null)} title="File Upload Error Details">
        {details && (
          <Stack gap="sm">
            <div>
              <Text size="sm" c="dimmed">
                File
              </Text>
              <Text style={{ overflowWrap: 'anywhere' }}>{details.file.name}</Text>
            </div>
            <div>
              <Text size="sm" c="dimmed">
                Size
              </Text>
              <Text>{formatFileSize(details.file.size)}</Text>
            </div>
            <div>
              <Text size="sm" c="dimmed">
                Reason
              </Text>
              <Text>{details.reason ?? NETWORK_FAILURE_MESSAGE}</Text>
            </div>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDetailsKey(null)}>
                Close
              </Button>
              <Button onClick={() => retry(details)}>Retry</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
