import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../db/database.js';

/** Every background queue, by name. */
export const QUEUES = {
  nessusImport: 'nessus-import',
  export: 'export',
  /** Integrations (issue 8): one run of one stream of one integration. */
  integrationRun: 'integration-run',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * Background jobs on Bulwark's own database (pg-boss): a job sent by any node runs once, on one
 * node. Started on first use, so processes that never queue anything (most tests, the CLI) pay
 * nothing. With PGlite, pg-boss runs its SQL through the same serialised connection as everything
 * else; with PostgreSQL it has its own small pool.
 */
export interface JobQueue {
  send(queue: QueueName, data: object): Promise<string | null>;
  /** Runs `handler` for each job of the queue on this node, one at a time. */
  work(queue: QueueName, handler: (data: unknown) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export function createJobQueue(database: DatabaseHandle, log: Logger, connectionString: string | null): JobQueue {
  let starting: Promise<PgBoss> | null = null;
  let stopped = false;

  const boss = () => {
    starting ??= (async () => {
      const instance =
        database.kind === 'postgres' && connectionString
          ? new PgBoss({ connectionString, schema: 'pgboss', max: 3, application_name: 'bulwark-jobs' })
          : new PgBoss({
              schema: 'pgboss',
              db: {
                executeSql: async (text: string, values?: unknown[]) => {
                  const result = await database.db.executeQuery(CompiledQuery.raw(text, values ?? []));
                  return { rows: result.rows };
                },
              },
            });
      instance.on('error', (error: Error) => log.error({ err: error }, 'background job queue error'));
      await instance.start();
      for (const queue of Object.values(QUEUES)) {
        // No automatic retry: an import that died is marked failed and imported again by a person.
        await instance.createQueue(queue, { name: queue, retryLimit: 0, expireInSeconds: 6 * 60 * 60 });
      }
      return instance;
    })();
    return starting;
  };

  return {
    async send(queue, data) {
      return (await boss()).send(queue, data);
    },
    async work(queue, handler) {
      await (
        await boss()
      ).work(queue, { batchSize: 1, pollingIntervalSeconds: 1 }, async (jobs) => {
        for (const job of jobs) await handler(job.data);
      });
    },
    async stop() {
      if (stopped || !starting) return;
      stopped = true;
      const instance = await starting;
      await instance.stop({ graceful: true, wait: true, timeout: 10_000, close: true });
    },
  };
}
