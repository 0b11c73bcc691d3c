import crypto from 'node:crypto';
import path from 'node:path';
import pg from 'pg';

/**
 * PostgreSQL for the journeys. When DATABASE_URL is set (CI's PostgreSQL run), every server a
 * journey starts gets a database of its own, created here and dropped afterwards, so journeys
 * never see each other's users or sessions.
 */

export interface FreshDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** The PostgreSQL server to create journey databases on, or null for PGlite. */
export function findPostgresBaseUrl(): string | null {
  const url = process.env.DATABASE_URL;
  return url && url.length > 0 ? url : null;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createFreshDatabase(baseUrl: string): Promise<FreshDatabase> {
  // Random hex only, so the name needs no quoting.
  const name = `bulwark_e2e_${crypto.randomBytes(6).toString('hex')}`;
  await withClient(baseUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  let isDropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (isDropped) return;
      isDropped = true;
      await withClient(baseUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

export interface UserSignInCounters {
  failedLoginCount: number;
  lastFailedLoginAt: Date | null;
}

const SELECT_COUNTERS = 'select failed_login_count, last_failed_login_at from users where lower(username) = lower($1)';

interface CountersRow {
  failed_login_count: number;
  last_failed_login_at: Date | string | null;
}

function toCounters(row: CountersRow | undefined, username: string): UserSignInCounters {
  if (!row) throw new Error(`No user ${username} in the database`);
  return {
    failedLoginCount: Number(row.failed_login_count),
    lastFailedLoginAt: row.last_failed_login_at === null ? null : new Date(row.last_failed_login_at),
  };
}

/**
 * Reads a user's failed sign-in counters straight from the server's database. PostgreSQL is read
 * while the server runs; PGlite allows one process at a time, so its server must be stopped first.
 */
export async function readSignInCounters(
  database: { databaseUrl: string | null; dataDir: string; isRunning: boolean },
  username: string,
): Promise<UserSignInCounters> {
  if (database.databaseUrl) {
    const result = await withClient(database.databaseUrl, (client) => client.query<CountersRow>(SELECT_COUNTERS, [username]));
    return toCounters(result.rows[0], username);
  }
  if (database.isRunning) throw new Error('Stop the server before reading its PGlite database: PGlite allows one process at a time.');
  const { PGlite } = await import('@electric-sql/pglite');
  const client = await PGlite.create(path.join(database.dataDir, 'pglite'));
  try {
    const result = await client.query<CountersRow>(SELECT_COUNTERS, [username]);
    return toCounters(result.rows[0], username);
  } finally {
    await client.close();
  }
}
