import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCliHarness, type CliHarness } from '../../test/cli-harness.js';

describe('command line: create-account and create-contact', { timeout: 120_000 }, () => {
  let harness: CliHarness;
  beforeAll(async () => {
    harness = await startCliHarness();
  });
  afterAll(() => harness.close());

  const cli = (...args: string[]) => harness.run(args);

  it('creates an account, prints its UUID, and adds a primary contact by account name', async () => {
    const created = await cli('create-account', '--name', 'Scripted Customer', '--site-id', 'SCR-01', '--region', 'EU', '--apps', 'vm,was');
    const accountId = created.stdout.trim();
    expect(accountId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const contact = await cli(
      'create-contact',
      '--account',
      'scripted customer',
      '--username',
      'ops@scripted.example',
      '--password',
      'Correct-Horse-42!',
      '--role',
      '40',
      '--manage-cases',
      '--primary',
    );
    expect(contact.stdout).toMatch(/Created contact ops@scripted\.example \(.+\) with Support PIN \d{6}\./);
    await expect(
      cli('create-contact', '--account', accountId, '--username', 'weak@scripted.example', '--password', 'weak'),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/password policy/),
    });
    await expect(cli('create-account', '--name', 'Bad', '--apps', 'vm,xyz')).rejects.toMatchObject({
      stderr: expect.stringMatching(/Error/),
    });
    await expect(
      cli('create-contact', '--account', 'Nobody', '--username', 'a@b.example', '--password', 'Correct-Horse-42!'),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/No customer account Nobody/),
    });
  }, 120_000);
});
