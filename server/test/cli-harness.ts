import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase } from './build-test-app.js';

const execFileAsync = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');

export interface CliHarness {
  /** The environment every command runs with: its own DATA_DIR, and its own database on PostgreSQL. */
  env: NodeJS.ProcessEnv;
  /** Runs `npm run cli -- <args>` as a real process; rejects with stdout/stderr/code on a non-zero exit. */
  run(args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** A fresh DATA_DIR (PGlite on disk, shared by the commands) or, with DATABASE_URL, a fresh database. */
export async function startCliHarness(): Promise<CliHarness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-cli-'));
  const testDatabase = await createTestDatabase();
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, DATA_DIR: dataDir, PUBLIC_URL: 'http://bulwark.test' };
  if (testDatabase.database.kind === 'postgres') env.DATABASE_URL = testDatabase.database.url;
  return {
    env,
    run: (args, extraEnv = {}) => execFileAsync(TSX, ['server/cli/main.ts', ...args], { env: { ...env, ...extraEnv }, timeout: 60_000 }),
    async close() {
      await testDatabase.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
