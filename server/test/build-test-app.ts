import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import type { Logger } from 'pino';
import { buildApp, type AppDependencies } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../db/database.js';
import type { ServiceContext } from '../lib/context.js';
import { createLogger } from '../lib/logger.js';
import { createMailer } from '../mail/mailer.js';
import { createFileStorage } from '../storage/storage.js';

export type ConfigOverrides = Parameters<typeof loadConfig>[1];

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  database: DatabaseHandle;
  dataDir: string;
  /** A service context with no actor, for factories and direct service calls. */
  ctx: ServiceContext;
  close(): Promise<void>;
}

/**
 * A fresh database for one test file: PGlite in memory by default; with DATABASE_URL, a new
 * PostgreSQL database created for this app and dropped on close.
 */
export async function createTestDatabase(): Promise<{ database: Config['database']; drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) return { database: { kind: 'pglite', directory: 'memory://' }, drop: async () => {} };
  const name = `bulwark_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  return {
    database: { kind: 'postgres', url: testUrl.toString() },
    async drop() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** A tiny stand-in for dist/web, so routing tests do not depend on a web build. */
function writeWebRoot(dataDir: string): string {
  const root = path.join(dataDir, 'web');
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><html><body><div id="root"></div></body></html>');
  return root;
}

export interface TestAppOptions {
  database?: Config['database'];
  /** The connector list (default: Bulwark's own, CONNECTORS); integration tests add their test-only connector. */
  connectors?: AppDependencies['connectors'];
  /** A logger to read what was logged (default: silent). */
  logger?: Logger;
}

export async function buildTestApp(overrides: ConfigOverrides = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-test-'));
  const loaded = loadConfig({}, { DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...overrides });
  const testDatabase = options.database ? { database: options.database, drop: async () => {} } : await createTestDatabase();
  const config: Config = Object.freeze({ ...loaded, database: testDatabase.database });
  const database = await openDatabase(config.database);
  await migrateToLatest(database.db);
  const logger = options.logger ?? createLogger('silent', { pretty: false });
  const mailer = createMailer(config.mail, logger);
  const storage = createFileStorage(config.storage);
  const app = await buildApp(config, { database, mailer, storage, logger, webRoot: writeWebRoot(dataDir), connectors: options.connectors });
  await app.ready();
  return {
    app,
    config,
    database,
    dataDir,
    ctx: {
      db: database.db,
      config,
      log: logger,
      mailer,
      storage,
      jobs: app.services.jobs,
      actor: null,
      origin: { ip: '127.0.0.1', userAgent: 'test' },
    },
    async close() {
      await app.close();
      mailer.close();
      await database.close();
      await testDatabase.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
