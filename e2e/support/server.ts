import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { APP_ROOT_VARIABLE, buildServer, REPO_ROOT, startNodeArgs } from './app-snapshot.js';
import { createFreshDatabase, findPostgresBaseUrl, type FreshDatabase } from './database.js';
import { findFreePort } from './ports.js';

/** One line Bulwark logged (pino JSON); a line that was not JSON is kept as { msg }. */
export interface LogRecord {
  level?: number;
  msg?: string;
  [key: string]: unknown;
}

export interface StartServerOptions {
  /** Extra environment for the server (SESSION_IDLE_MINUTES, SMTP_URL, SESSION_SECRET, ...). */
  env?: Record<string, string>;
  /**
   * The PostgreSQL database to use. Left out: a fresh database of its own when DATABASE_URL is
   * set (dropped by dispose), PGlite under the data directory otherwise.
   */
  databaseUrl?: string;
  /** Wait for the logged setup link (true unless an administrator already exists in the database). */
  expectSetupLink?: boolean;
  /** The application folder to run; default: the journeys' snapshot when there is one, else the repository. */
  appRoot?: string;
}

export interface BulwarkServer {
  /** http://127.0.0.1:PORT, also PUBLIC_URL, so links the server makes point here. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** The PostgreSQL database this server uses, or null for PGlite. */
  readonly databaseUrl: string | null;
  /** The one-time link to create the first Administrator, as logged. */
  readonly setupLink: string;
  readonly logs: LogRecord[];
  readonly isRunning: boolean;
  /** Stops the process (SIGTERM, then SIGKILL after 15 s); the data stays. */
  stop(): Promise<void>;
  /** Stops the process and deletes its data directory and the database it created. */
  dispose(): Promise<void>;
  /** The last lines it logged, plus every warning and error, for failure messages. */
  describeLogs(): string;
}

const STARTUP_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

// The only variables passed on from the shell: Bulwark's own settings (DATABASE_URL, SMTP_URL, ...)
// never leak into a journey server by accident.
const PASSED_THROUGH = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ'];

/** Process group id -> data directory of every server still running. */
const liveServers = new Map<number, string>();

function killLiveServers(): void {
  for (const [pid, dataDir] of liveServers) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  liveServers.clear();
}

// The servers run in process groups of their own, so Ctrl-C in the terminal does not reach them:
// kill them when this process exits or is interrupted, then let the signal do what it would have.
process.on('exit', killLiveServers);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killLiveServers();
    process.kill(process.pid, signal);
  });
}

function formatRecord(record: LogRecord): string {
  return JSON.stringify(record);
}

/**
 * Starts the server as `npm start` does (the compiled server under dist/, with the start script's
 * node flags) as a child process on a free port with a fresh temporary data directory (and a fresh
 * PostgreSQL database when DATABASE_URL is set), and resolves once it listens and has logged its
 * setup link. The child gets its own process group, so it is stopped also when the test process dies.
 */
export async function startBulwark(options: StartServerOptions = {}): Promise<BulwarkServer> {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-e2e-'));
  const postgresBaseUrl = findPostgresBaseUrl();
  let ownDatabase: FreshDatabase | null = null;
  if (options.databaseUrl === undefined && postgresBaseUrl) ownDatabase = await createFreshDatabase(postgresBaseUrl);
  const databaseUrl = options.databaseUrl ?? ownDatabase?.url ?? null;
  const expectSetupLink = options.expectSetupLink ?? true;

  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...options.env,
  });

  const appRoot = options.appRoot ?? process.env[APP_ROOT_VARIABLE] ?? REPO_ROOT;
  // A snapshot is compiled once by the journeys' global setup; the checkout itself may have changed since its last build.
  if (appRoot === REPO_ROOT || !fs.existsSync(path.join(appRoot, 'dist', 'server', 'main.js'))) buildServer(appRoot);
  const child: ChildProcess = spawn(process.execPath, startNodeArgs(appRoot), {
    cwd: appRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('Could not start the Bulwark server process');
  liveServers.set(pid, dataDir);

  const logs: LogRecord[] = [];
  let setupLink: string | null = null;
  let isListening = false;
  let exitCode: number | null = null;
  let exitSignal: NodeJS.Signals | null = null;
  let hasExited = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      hasExited = true;
      exitCode = code;
      exitSignal = signal;
      liveServers.delete(pid);
      resolve();
    });
  });

  let notifyProgress: () => void = () => {};
  const collect = (stream: NodeJS.ReadableStream, source: 'stdout' | 'stderr') => {
    readline.createInterface({ input: stream }).on('line', (line) => {
      let record: LogRecord;
      try {
        const parsed: unknown = JSON.parse(line);
        record = typeof parsed === 'object' && parsed !== null ? (parsed as LogRecord) : { msg: line };
      } catch {
        record = { msg: line, stream: source };
      }
      logs.push(record);
      if (typeof record.msg === 'string' && record.msg.startsWith('Bulwark is running at')) isListening = true;
      if (typeof record.setupLink === 'string') setupLink = record.setupLink;
      notifyProgress();
    });
  };
  if (child.stdout) collect(child.stdout, 'stdout');
  if (child.stderr) collect(child.stderr, 'stderr');

  const describeLogs = () => {
    const important = logs.filter((record) => (record.level ?? 0) >= 40 || record.stream === 'stderr');
    const recent = logs.slice(-25).filter((record) => !important.includes(record));
    return [
      `Bulwark at ${url} (data ${dataDir}, ${databaseUrl ? `PostgreSQL ${databaseUrl}` : 'PGlite'})`,
      ...important.map((record) => `  ! ${formatRecord(record)}`),
      ...recent.map((record) => `    ${formatRecord(record)}`),
    ].join('\n');
  };

  const stop = async () => {
    if (hasExited) return;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  const dispose = async () => {
    await stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await ownDatabase?.drop();
  };

  const isReady = () => isListening && (!expectSetupLink || setupLink !== null);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Bulwark did not start within ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
      notifyProgress = () => {
        if (!isReady()) return;
        clearTimeout(timer);
        resolve();
      };
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`Bulwark exited during start-up (code ${exitCode}, signal ${exitSignal})`));
      });
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await dispose();
    throw new Error(`${reason}\n${describeLogs()}`);
  }
  notifyProgress = () => {};

  return {
    url,
    port,
    dataDir,
    databaseUrl,
    get setupLink() {
      if (setupLink === null) throw new Error('This server logged no setup link (an administrator already existed)');
      return setupLink;
    },
    logs,
    get isRunning() {
      return !hasExited;
    },
    stop,
    dispose,
    describeLogs,
  };
}
