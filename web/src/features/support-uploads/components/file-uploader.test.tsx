// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FEDRAMP_UPLOAD_CAUTION, UPLOAD_BATCH_MESSAGE } from '../../../../../common/schemas/support-cases.js';
import { createTestQueryClient, installBrowserStubs, jsonResponse, render } from '../../../test-utils/render';

/**
 * tus-js-client stands in for the network here (the server side is tested against the real
 * endpoint in server/modules/support-uploads): each Upload is recorded and the test decides how it ends.
 */
const tusFake = vi.hoisted(() => {
  interface FakeOptions {
    endpoint: string;
    metadata: Record<string, string>;
    headers: Record<string, string>;
    onProgress?: (sent: number, total: number) => void;
    onSuccess?: () => void;
    onError?: (error: Error) => void;
  }
  class DetailedError extends Error {
    originalResponse: { getStatus(): number; getBody(): string } | null = null;
  }
  class Upload {
    static created: Upload[] = [];
    url: string | null = null;
    starts = 0;
    aborted: boolean[] = [];
    constructor(
      readonly file: File,
      readonly options: FakeOptions,
    ) {
      Upload.created.push(this);
    }
    start() {
      this.starts += 1;
    }
    abort(shouldTerminate?: boolean) {
      this.aborted.push(shouldTerminate === true);
      return Promise.resolve();
    }
    succeed(id: string) {
      this.url = `${this.options.endpoint}/${id}`;
      this.options.onProgress?.(this.file.size, this.file.size);
      this.options.onSuccess?.();
    }
    fail(status: number, body: string) {
      const error = new DetailedError('tus: unexpected response');
      error.originalResponse = { getStatus: () => status, getBody: () => body };
      this.options.onError?.(error);
    }
  }
  return { Upload, DetailedError };
});

vi.mock('tus-js-client', () => ({ Upload: tusFake.Upload, DetailedError: tusFake.DetailedError }));

const { FileUploader } = await import('./file-uploader');

const files = (count: number) => Array.from({ length: count }, (_, index) => new File([`content ${index}`], `file-${index}.log`));

function renderUploader(props: Partial<Parameters<typeof FileUploader>[0]> = {}) {
  const queryClient = createTestQueryClient();
  queryClient.setQueryData(['auth', 'session'], { csrfToken: 'csrf-1' });
  return render(<FileUploader showFedrampCaution={false} {...props} />, { queryClient });
}

function choose(selection: File[]) {
  fireEvent.change(screen.getByLabelText('Choose files to upload'), { target: { files: selection } });
}

describe('FileUploader', () => {
  beforeAll(installBrowserStubs);
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    tusFake.Upload.created = [];
  });

  it('refuses a selection of more than 5 files whole (nothing starts); a next batch of up to 5 uploads', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse(401, { error: { code: 'unauthenticated', message: 'Sign in.' } })),
    );
    const onChange = vi.fn();
    renderUploader({ onChange });
    expect(screen.getByText('Drag and drop files here')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Browse' })).toBeTruthy();

    choose(files(6));
    expect((await screen.findByRole('alert')).textContent).toContain(UPLOAD_BATCH_MESSAGE);
    expect(tusFake.Upload.created).toHaveLength(0);
    expect(screen.queryByRole('table', { name: 'Upload progress' })).toBeNull();

    choose(files(5));
    const table = await screen.findByRole('table', { name: 'Upload progress' });
    await waitFor(() => expect(tusFake.Upload.created).toHaveLength(5));
    expect(screen.queryByText(UPLOAD_BATCH_MESSAGE)).toBeNull();
    const batchIds = new Set(tusFake.Upload.created.map((upload) => upload.options.metadata.batchId));
    expect(batchIds.size).toBe(1);
    const [first] = tusFake.Upload.created;
    expect(first?.options.endpoint).toBe('/api/support/uploads');
    expect(first?.options.metadata).toMatchObject({ filename: 'file-0.log', filetype: 'text/plain' });
    expect(first?.options.headers).toEqual({ 'X-CSRF-Token': 'csrf-1' });
    expect(tusFake.Upload.created.every((upload) => upload.starts === 1)).toBe(true);
    expect(within(table).getAllByText('Uploading')).toHaveLength(5);

    first?.succeed('batch_0001');
    expect(await within(screen.getByRole('row', { name: 'file-0.log' })).findByText('Done')).toBeTruthy();
    expect(within(screen.getByRole('row', { name: 'file-0.log' })).getByText('100%')).toBeTruthy();
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith([{ uploadId: 'batch_0001', fileName: 'file-0.log', size: 9 }]));

    // Another batch gets its own batch id.
    choose(files(2));
    await waitFor(() => expect(tusFake.Upload.created).toHaveLength(7));
    expect(tusFake.Upload.created[6]?.options.metadata.batchId).not.toBe(first?.options.metadata.batchId);
  });

  it('shows a failed file without stopping the others; its row opens File Upload Error Details with the reason and Retry', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse(401, { error: { code: 'unauthenticated', message: 'Sign in.' } })),
    );
    const onAttached = vi.fn();
    renderUploader({ caseId: '0b9c1e2d-3c4b-4a69-8d7a-5f0b7c1e9a57', onAttached });
    choose(files(3));
    await waitFor(() => expect(tusFake.Upload.created).toHaveLength(3));
    const [good, bad, network] = tusFake.Upload.created;
    expect(good?.options.metadata.caseId).toBe('0b9c1e2d-3c4b-4a69-8d7a-5f0b7c1e9a57');

    bad?.fail(400, JSON.stringify({ error: { code: 'validation_failed', message: 'The file name cannot contain control characters.' } }));
    network?.fail(0, '');
    good?.succeed('batch_0002');

    const goodRow = screen.getByRole('row', { name: 'file-0.log' });
    expect(await within(goodRow).findByText('Done')).toBeTruthy();
    expect(onAttached).toHaveBeenCalledTimes(1);
    // Attached to the case already: no Remove.
    expect(within(goodRow).queryByRole('button', { name: 'Remove file-0.log' })).toBeNull();

    const badRow = screen.getByRole('row', { name: 'file-1.log' });
    expect(within(badRow).getByRole('button', { name: 'Failed: show why file-1.log failed' })).toBeTruthy();
    fireEvent.click(within(badRow).getAllByRole('cell')[0] as HTMLElement);
    const dialog = await screen.findByRole('dialog', { name: 'File Upload Error Details' });
    expect(within(dialog).getByText('file-1.log')).toBeTruthy();
    expect(within(dialog).getByText('The file name cannot contain control characters.')).toBeTruthy();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'File Upload Error Details' })).toBeNull());
    expect(bad?.starts).toBe(2);
    expect(within(screen.getByRole('row', { name: 'file-1.log' })).getByText('Uploading')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Failed: show why file-2.log failed' }));
    const networkDialog = await screen.findByRole('dialog', { name: 'File Upload Error Details' });
    expect(within(networkDialog).getByText('Could not reach Bulwark. Check your connection and try again.')).toBeTruthy();
  });

  it('shows the FedRAMP caution above the drop zone, removes an unattached upload, and aborts uploads in flight on unmount', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse(401, { error: { code: 'unauthenticated', message: 'Sign in.' } })),
    );
    const onChange = vi.fn();
    const { unmount } = renderUploader({ showFedrampCaution: true, onChange });
    expect(screen.getByText(FEDRAMP_UPLOAD_CAUTION)).toBeTruthy();
    choose(files(2));
    await waitFor(() => expect(tusFake.Upload.created).toHaveLength(2));
    const [done, running] = tusFake.Upload.created;
    done?.succeed('batch_0003');
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith([{ uploadId: 'batch_0003', fileName: 'file-0.log', size: 9 }]));
    fireEvent.click(screen.getByRole('button', { name: 'Remove file-0.log' }));
    await waitFor(() => expect(screen.queryByRole('row', { name: 'file-0.log' })).toBeNull());
    expect(done?.aborted).toEqual([true]);
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith([]));
    unmount();
    expect(running?.aborted).toEqual([false]);
  });
});
