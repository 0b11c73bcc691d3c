import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCliHarness, type CliHarness } from '../test/cli-harness.js';

const FIXTURES = path.resolve('../shared/fixtures/real/nessus');
const GOOD = path.join(FIXTURES, 'mitre__heimdall2__sample.nessus');
const BAD = path.join(FIXTURES, 'djcas9__ruby-nessus__example_v_wrong.nessus');

describe('npm run cli -- import', { timeout: 120_000 }, () => {
  let harness: CliHarness;
  beforeAll(async () => {
    harness = await startCliHarness();
  });
  afterAll(() => harness.close());

  it('imports files with a summary, refuses a bad one with its reason and a non-zero exit, and leaves a repeated file unchanged', async () => {
    const accountId = (await harness.run(['create-account', '--name', 'CLI Import Customer', '--apps', 'vm'])).stdout.trim();
    const first = await harness.run(['import', '--account', accountId, GOOD]);
    expect(first.stdout).toContain('✓ mitre__heimdall2__sample.nessus: imported: 3 hosts, 147 findings, 0 compliance results');
    expect(first.stdout).toContain('1 of 1 file(s) imported or already present; 0 refused.');

    const second = await harness.run(['import', '--account', 'cli import customer', GOOD, BAD]).then(
      () => {
        throw new Error('expected a non-zero exit');
      },
      (error: { stdout: string; stderr: string; code: number }) => error,
    );
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(/✓ mitre__heimdall2__sample\.nessus: unchanged: the same scan was already imported/);
    expect(second.stdout).toMatch(
      /✗ djcas9__ruby-nessus__example_v_wrong\.nessus: refused: .*root element is <NessusClientData_vwrong>.*line 2/,
    );
    expect(second.stderr).toContain('1 file(s) refused.');
  });

  it('refuses an unknown account and a missing file list', async () => {
    await expect(harness.run(['import', '--account', 'Nobody At All', GOOD])).rejects.toMatchObject({
      stderr: expect.stringContaining('No customer account Nobody At All'),
    });
    await expect(harness.run(['import', '--account', 'x'])).rejects.toMatchObject({
      stderr: expect.stringContaining('Name at least one .nessus file'),
    });
  });
});
