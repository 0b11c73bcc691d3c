import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCliHarness, type CliHarness } from '../test/cli-harness.js';

// Each test starts several CLI processes (tsx, the database, migrations): slow on a busy machine.
describe('command line', { timeout: 120_000 }, () => {
  let harness: CliHarness;
  beforeAll(async () => {
    harness = await startCliHarness();
  });
  afterAll(() => harness.close());

  const cli = (...args: string[]) => harness.run(args);

  it('prints help', async () => {
    const { stdout } = await cli('--help');
    expect(stdout).toMatch(/create-admin/);
    expect(stdout).toMatch(/reset-password/);
    expect(stdout).toMatch(/migrate/);
  });

  it('migrates, creates an administrator, refuses a duplicate, and prints a reset link', async () => {
    expect((await cli('migrate')).stdout).toMatch(/applied: 20261122T0300_foundation|up to date/);
    const created = await cli(
      'create-admin',
      '--username',
      'ops@northwind-mssp.example',
      '--password',
      'Correct-Horse-42!',
      '--name',
      'Ops Lead',
    );
    expect(created.stdout).toMatch(/Created Administrator ops@northwind-mssp.example/);
    await expect(cli('create-admin', '--username', 'ops@northwind-mssp.example', '--password', 'Correct-Horse-42!')).rejects.toMatchObject({
      stderr: expect.stringMatching(/already exists/),
    });
    await expect(cli('create-admin', '--username', 'weak@northwind-mssp.example', '--password', 'weak')).rejects.toMatchObject({
      stderr: expect.stringMatching(/password policy/),
    });
    const reset = await cli('reset-password', '--username', 'ops@northwind-mssp.example');
    expect(reset.stdout).toMatch(/http:\/\/bulwark\.test\/reset-password\?token=[\w-]{40,}/);
  });

  it('fails clearly without a terminal when a value is missing, and on unknown flags', async () => {
    await expect(cli('create-admin', '--username', 'x@y.example')).rejects.toMatchObject({
      stderr: expect.stringMatching(/Password is required/),
    });
    await expect(cli('create-admin', '--bogus')).rejects.toMatchObject({ stderr: expect.stringMatching(/Unknown option/) });
  });

  it('lists every bad environment variable and exits non-zero', async () => {
    await expect(harness.run(['migrate'], { PORT: 'x', LOG_LEVEL: 'chatty' })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/PORT[\s\S]*LOG_LEVEL|LOG_LEVEL[\s\S]*PORT/),
    });
  });
});
