import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Actor } from '../../common/permissions.js';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Mailer } from '../mail/mailer.js';
import type { FileStorage } from '../storage/storage.js';

/** Where a request came from, for the audit log and session records. */
export interface Origin {
  ip: string | null;
  userAgent: string | null;
}

/** What every service function receives: the same from HTTP routes, the CLI and background work. */
export interface ServiceContext {
  db: Kysely<Database>;
  config: Config;
  /** pino; typed by Fastify's narrower interface so request loggers fit too. */
  log: FastifyBaseLogger;
  mailer: Mailer;
  storage: FileStorage;
  /** Background jobs (pg-boss), started on first use. */
  jobs: JobQueue;
  actor: Actor | null;
  origin: Origin;
}

/** The shared, long-lived part of a ServiceContext, built once per process. */
export type AppServices = Omit<ServiceContext, 'actor' | 'origin'>;
