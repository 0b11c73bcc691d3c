import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/build-test-app.js';

const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');

describe('command line: create-account and create-contact', () => {
  let env: NodeJS.ProcessEnv;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-cli-accounts-'));
    const testDatabase = await createTestDatabase();
    drop = testDatabase.drop;
    // PGlite on disk, so the two commands share one database.
    env = { PATH: process.env.PATH, DATA_DIR: dataDir, PUBLIC_URL: 'http://bulwark.test' };
    if (testDatabase.database.kind === 'postgres') env.DATABASE_URL = testDatabase.database.url;
  });
  afterAll(() => drop());

  const cli = (...args: string[]) => run(TSX, ['server/cli/main.ts', ...args], { env, timeout: 60_000 });

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
