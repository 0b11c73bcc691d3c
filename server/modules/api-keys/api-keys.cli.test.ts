import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/database.js';
import { startCliHarness, type CliHarness } from '../../test/cli-harness.js';
import { authenticateApiKeyHeader, authenticateApiKeys } from './api-keys.service.js';

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

  it("prints a contact's pair for that contact's instance, and sets an account's rate limit", async () => {
    await cli('create-account', '--name', 'Keyed Customer');
    await cli(
      'create-contact',
      '--account',
      'Keyed Customer',
      '--username',
      'ops@keyed.example',
      '--password',
      'Correct-Horse-42!',
      '--role',
      '16',
    );
    const output = (await cli('api-keys', '--username', 'ops@keyed.example')).stdout;
    const limit = (await cli('api-limit', '--account', 'Keyed Customer', '--per-minute', '120')).stdout;
    expect(limit).toMatch(/Keyed Customer: 120 requests per API user per minute/);
    await expect(cli('api-limit', '--account', 'Keyed Customer', '--per-minute', '0')).rejects.toMatchObject({
      stderr: expect.stringMatching(/from 1 to 1000000/),
    });

    const config = loadConfig({}, { ...harness.env, LOG_LEVEL: 'silent' } as Record<string, string>);
    const database = await openDatabase(config.database);
    try {
      const account = await database.db
        .selectFrom('customer_accounts')
        .select(['id', 'api_requests_per_minute'])
        .where('name', '=', 'Keyed Customer')
        .executeTakeFirstOrThrow();
      expect(account.api_requests_per_minute).toBe(120);
      expect(output).toContain(`reaching the instance of account ${account.id}`);
      const header = /X-ApiKeys: (accessKey=[0-9a-f]{64}; secretKey=[0-9a-f]{64})/.exec(output)?.[1];
      const caller = await authenticateApiKeyHeader({ db: database.db, config }, header);
      expect(caller).toMatchObject({
        instanceAccountId: account.id,
        isChildKey: false,
        actor: { username: 'ops@keyed.example', role: 16 },
      });
    } finally {
      await database.close();
    }
  });
});
