// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ScanResponse } from '../../../../../common/schemas/scans.js';
import { installBrowserStubs, jsonResponse, render } from '../../../test-utils/render';
import { ScanUpload } from './scan-upload';

const ACCOUNT_ID = '0b9c1e2d-3c4b-4a69-8d7a-5f0b7c1e9a57';
const SCAN: ScanResponse = {
  id: '00000000-0000-4000-8000-0000000000c1',
  accountId: ACCOUNT_ID,
  name: 'Home network',
  policyName: 'Basic Network Scan',
  status: 'queued',
  fileName: 'sample.nessus',
  fileSize: 2048,
  bytesRead: 0,
  progress: 0,
  hostCount: 0,
  findingCount: 0,
  complianceCount: 0,
  bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
  warnings: [],
  error: null,
  duplicateOfScanId: null,
  scanStartedAt: null,
  scanEndedAt: null,
  createdAt: '2026-11-22T06:00:00.000Z',
  finishedAt: null,
  owner: { id: '00000000-0000-4000-8000-0000000000d1', username: 'grace@mssp.example' },
};

/** An XMLHttpRequest that reports half the upload, then answers with the queued scan. */
class FakeUpload {
  static sent: FakeUpload[] = [];
  upload: { onprogress: ((event: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = '';
  withCredentials = false;
  headers: Record<string, string> = {};
  method = '';
  url = '';
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  abort() {}
  send() {
    FakeUpload.sent.push(this);
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true });
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

describe('ScanUpload', () => {
  beforeAll(installBrowserStubs);
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    FakeUpload.sent = [];
  });

  it('shows the bytes sent, then follows the import to its counts and refreshes the instance; a refusal shows the server message', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeUpload);
    const answers: ScanResponse[] = [
      { ...SCAN, status: 'running', progress: 0.5 },
      { ...SCAN, status: 'running', progress: 0.5 },
      {
        ...SCAN,
        status: 'completed',
        progress: 1,
        hostCount: 3,
        findingCount: 147,
        bySeverity: { critical: 1, high: 1, medium: 5, low: 2, info: 138 },
        finishedAt: '2026-11-22T06:00:05.000Z',
      },
    ];
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async () => jsonResponse(200, answers.length > 1 ? answers.shift() : answers[0])),
    );
    const { queryClient } = render(<ScanUpload accountId={ACCOUNT_ID} />);
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');

    const input = screen.getByLabelText('Choose Nessus files to import');
    const file = new File(['<NessusClientData_v2/>'.padEnd(2048, ' ')], 'sample.nessus', { type: '' });
    fireEvent.change(input, { target: { files: [file] } });

    const item = await screen.findByRole('listitem', { name: 'Import of sample.nessus' });
    const request = FakeUpload.sent[0];
    expect(request?.url).toBe(`/api/instances/${ACCOUNT_ID}/scans/import`);
    request?.progress(1024, 2048);
    expect(await within(item).findByText('Uploading: 1.0 KB of 2.0 KB (50%)')).toBeTruthy();
    request?.answer(202, SCAN);
    expect(await within(item).findByText('Reading the file: 50%')).toBeTruthy();
    expect(await within(item).findByText('Imported 3 hosts and 147 findings.', {}, { timeout: 3000 })).toBeTruthy();
    expect(within(item).getByText('1 critical, 1 high, 5 medium, 2 low, 138 info')).toBeTruthy();
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['instances', ACCOUNT_ID] });

    // A refused upload (before any scan exists) shows why.
    fireEvent.change(screen.getByLabelText('Choose Nessus files to import'), { target: { files: [new File(['x'], 'other.nessus')] } });
    await screen.findByRole('listitem', { name: 'Import of other.nessus' });
    FakeUpload.sent[1]?.answer(413, { error: { code: 'payload_too_large', message: 'The file is larger than the 5 GiB import limit.' } });
    expect(await screen.findByText('The file is larger than the 5 GiB import limit.')).toBeTruthy();
  });
});
