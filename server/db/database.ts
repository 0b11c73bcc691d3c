import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, Migrator, PostgresDialect, type MigrationResult } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { MIGRATIONS } from './migrations/index.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

const DATE_OID = 1082;

// Read SQL dates as 'YYYY-MM-DD' on both drivers; pg would otherwise make local-midnight Dates.
pg.types.setTypeParser(DATE_OID, (value: string) => value);

/** PGlite under config.database.directory (or in memory for 'memory://'), else a pg pool. */
export async function openDatabase(database: Config['database']): Promise<DatabaseHandle> {
  if (database.kind === 'postgres') {
    // JIT compilation costs more than it saves on Bulwark's short OLTP queries (tens of ms on a count).
    const pool = new pg.Pool({ connectionString: database.url, max: 10, options: '-c jit=off' });
    // An idle connection that PostgreSQL ends (a restart, a failover, a dropped database) must not
    // crash the process: the pool drops it and opens another when needed.
    pool.on('error', (error) => process.emitWarning(`PostgreSQL ended an idle connection: ${error.message}`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const isMemory = database.directory.startsWith('memory://');
  if (!isMemory) fs.mkdirSync(database.directory, { recursive: true });
  const client = await PGlite.create(isMemory ? undefined : database.directory, {
    parsers: { [DATE_OID]: (value: string) => value },
    extensions: { pg_trgm },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}

export class MigrationError extends Error {}

/** Runs every pending migration; throws MigrationError naming the one that failed. */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(MIGRATIONS) },
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((result) => result.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`, { cause: error });
  }
  return results;
}
