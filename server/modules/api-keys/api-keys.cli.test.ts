import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/database.js';
import { createTestDatabase } from '../../test/build-test-app.js';
import { authenticateApiKeys } from './api-keys.service.js';

const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');

describe('npm run cli -- api-keys', () => {
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-cli-keys-'));
    const testDatabase = await createTestDatabase();
    drop = testDatabase.drop;
    env = { PATH: process.env.PATH, DATA_DIR: dataDir, PUBLIC_URL: 'http://bulwark.test' };
    if (testDatabase.database.kind === 'postgres') env.DATABASE_URL = testDatabase.database.url;
  });
  afterAll(async () => {
    await drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => run(TSX, ['server/cli/main.ts', ...args], { env, timeout: 60_000 });

  it('prints a new pair that authenticates, replaces the previous one, and refuses an unknown user', async () => {
    await cli('create-admin', '--username', 'keys@northwind-mssp.example', '--password', 'Correct-Horse-42!');
    const first = (await cli('api-keys', '--username', 'keys@northwind-mssp.example')).stdout;
    const second = (await cli('api-keys', '--username', 'keys@northwind-mssp.example')).stdout;
    const header = (output: string) => /X-ApiKeys: (accessKey=[0-9a-f]{64}; secretKey=[0-9a-f]{64})/.exec(output)?.[1];
    expect(header(first)).toBeDefined();
    await expect(cli('api-keys', '--username', 'nobody@northwind-mssp.example')).rejects.toMatchObject({
      stderr: expect.stringMatching(/No user named/),
    });

    const config = loadConfig({}, { ...env, LOG_LEVEL: 'silent' } as Record<string, string>);
    const database = await openDatabase(config.database);
    try {
      const ctx = { db: database.db, config };
      expect(await authenticateApiKeys(ctx, header(first))).toBeNull();
      expect(await authenticateApiKeys(ctx, header(second))).toMatchObject({ username: 'keys@northwind-mssp.example', role: 64 });
      const event = await database.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'api_keys.generated')
        .executeTakeFirstOrThrow();
      expect(event.details).toMatchObject({ forUsername: 'keys@northwind-mssp.example', byUsername: 'cli' });
    } finally {
      await database.close();
    }
  });
});
