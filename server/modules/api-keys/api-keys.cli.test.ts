import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/database.js';
import { startCliHarness, type CliHarness } from '../../test/cli-harness.js';
import { authenticateApiKeys } from './api-keys.service.js';

describe('npm run cli -- api-keys', { timeout: 120_000 }, () => {
  let harness: CliHarness;
  beforeAll(async () => {
    harness = await startCliHarness();
  });
  afterAll(() => harness.close());

  const cli = (...args: string[]) => harness.run(args);

  it('prints a new pair that authenticates, replaces the previous one, and refuses an unknown user', async () => {
    await cli('create-admin', '--username', 'keys@northwind-mssp.example', '--password', 'Correct-Horse-42!');
    const first = (await cli('api-keys', '--username', 'keys@northwind-mssp.example')).stdout;
    const second = (await cli('api-keys', '--username', 'keys@northwind-mssp.example')).stdout;
    const header = (output: string) => /X-ApiKeys: (accessKey=[0-9a-f]{64}; secretKey=[0-9a-f]{64})/.exec(output)?.[1];
    expect(header(first)).toBeDefined();
    await expect(cli('api-keys', '--username', 'nobody@northwind-mssp.example')).rejects.toMatchObject({
      stderr: expect.stringMatching(/No user named/),
    });

    const config = loadConfig({}, { ...harness.env, LOG_LEVEL: 'silent' } as Record<string, string>);
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
