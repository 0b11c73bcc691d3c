import fs from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql, type MigrationResult } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { MIGRATIONS } from './migrations/index.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** LISTEN/NOTIFY between the processes sharing the database (one PGlite process: within it). */
  notifications: DatabaseNotifications;
  close(): Promise<void>;
}

/**
 * PostgreSQL's LISTEN/NOTIFY. With pg, one dedicated connection per process listens (opened on the
 * first listen, reopened after a drop) and NOTIFY goes through the pool; with PGlite, its own
 * listen and pg_notify. Channel names are plain lower-case identifiers.
 */
export interface DatabaseNotifications {
  /** Calls onPayload for every notification on the channel until the returned function is called. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** Sends the payload (at most 8000 bytes) to every listener of the channel, in every process. */
  notify(channel: string, payload: string): Promise<void>;
  /**
   * Called after the listening connection was lost and opened again: notifications sent in
   * between were missed, so listeners catch up from the database. Returns the unsubscribe function.
   */
  onReconnect(callback: () => void): () => void;
}

const CHANNEL_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

function checkChannel(channel: string): string {
  if (!CHANNEL_PATTERN.test(channel)) throw new Error(`Not a channel name: ${channel}`);
  return channel;
}

const notificationsByDatabase = new WeakMap<Kysely<Database>, DatabaseNotifications>();

/** The notifications of the handle that opened this database, or null for a Kysely made elsewhere. */
export function notificationsOf(db: Kysely<Database>): DatabaseNotifications | null {
  return notificationsByDatabase.get(db) ?? null;
}

function notifyThrough(db: Kysely<Database>) {
  return async (channel: string, payload: string) => {
    await sql`select pg_notify(${checkChannel(channel)}, ${payload})`.execute(db);
  };
}

/** A dedicated pg.Client for LISTEN, opened on first use and reopened (with back-off) when it drops. */
function createPostgresNotifications(url: string, db: Kysely<Database>): DatabaseNotifications & { close(): Promise<void> } {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  const reconnectCallbacks = new Set<() => void>();
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let isClosed = false;
  let retryDelayMs = 250;
  let retryTimer: NodeJS.Timeout | null = null;

  const scheduleReconnect = () => {
    if (isClosed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect().then(
        () => {
          retryDelayMs = 250;
          for (const callback of reconnectCallbacks) callback();
        },
        () => {
          retryDelayMs = Math.min(retryDelayMs * 2, 5000);
          scheduleReconnect();
        },
      );
    }, retryDelayMs);
    retryTimer.unref();
  };

  const connect = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= (async () => {
      const next = new pg.Client({ connectionString: url });
      next.on('notification', (message) => {
        for (const handler of handlers.get(message.channel) ?? []) handler(message.payload ?? '');
      });
      const lost = () => {
        if (client === next) client = null;
        scheduleReconnect();
      };
      next.on('error', (error) => {
        process.emitWarning(`The PostgreSQL LISTEN connection failed: ${error.message}`);
        void next.end().catch(() => undefined);
        lost();
      });
      next.on('end', lost);
      try {
        await next.connect();
        for (const channel of handlers.keys()) await next.query(`listen ${channel}`);
      } catch (error) {
        void next.end().catch(() => undefined);
        throw error;
      }
      client = next;
      return next;
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  return {
    async listen(channel, onPayload) {
      checkChannel(channel);
      let set = handlers.get(channel);
      const isNew = !set;
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
      }
      set.add(onPayload);
      const listening = await connect();
      if (isNew) await listening.query(`listen ${channel}`);
      return async () => {
        set.delete(onPayload);
        if (set.size > 0 || handlers.get(channel) !== set) return;
        handlers.delete(channel);
        await client?.query(`unlisten ${channel}`).catch(() => undefined);
      };
    },
    notify: notifyThrough(db),
    onReconnect(callback) {
      reconnectCallbacks.add(callback);
      return () => reconnectCallbacks.delete(callback);
    },
    async close() {
      isClosed = true;
      if (retryTimer) clearTimeout(retryTimer);
      const open = client ?? (await connecting?.catch(() => null)) ?? null;
      client = null;
      await open?.end().catch(() => undefined);
    },
  };
}

function createPGliteNotifications(client: PGlite, db: Kysely<Database>): DatabaseNotifications {
  return {
    async listen(channel, onPayload) {
      // Through Kysely's connection, so LISTEN never lands inside another caller's transaction.
      const unlisten = await db.connection().execute(() => client.listen(checkChannel(channel), onPayload));
      return () => db.connection().execute(() => unlisten());
    },
    notify: notifyThrough(db),
    // One process, one connection: nothing to reconnect.
    onReconnect: () => () => undefined,
  };
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
    const notifications = createPostgresNotifications(database.url, db);
    notificationsByDatabase.set(db, notifications);
    return {
      db,
      kind: 'postgres',
      notifications,
      close: async () => {
        await notifications.close();
        await db.destroy();
      },
    };
  }
  const isMemory = database.directory.startsWith('memory://');
  if (!isMemory) fs.mkdirSync(database.directory, { recursive: true });
  // Loaded only here: a server on PostgreSQL never carries PGlite's WebAssembly (about 27 MB).
  const [{ PGlite }, { pg_trgm }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite/contrib/pg_trgm')]);
  const client = await PGlite.create(isMemory ? undefined : database.directory, {
    parsers: { [DATE_OID]: (value: string) => value },
    extensions: { pg_trgm },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  const notifications = createPGliteNotifications(client, db);
  notificationsByDatabase.set(db, notifications);
  return { db, kind: 'pglite', notifications, close: () => db.destroy() };
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
