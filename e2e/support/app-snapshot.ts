import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Set by the journeys' global setup to the snapshot every journey server runs from. */
export const APP_ROOT_VARIABLE = 'BULWARK_E2E_APP_ROOT';

// Not part of the application: dependencies (linked instead), history, scratch and run-time data.
const EXCLUDED_TOP_LEVEL = new Set(['node_modules', '.git', '.tmp', 'data', 'coverage', 'dist']);
const WEB_SOURCES = ['web', 'common'];

export interface AppSnapshot {
  root: string;
  dispose(): void;
}

function newestModification(folder: string): number {
  let newest = 0;
  if (!fs.existsSync(folder)) return newest;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** True when dist/web exists and is newer than every file of web/ and common/. */
export function isWebBuildFresh(root: string): boolean {
  const index = path.join(root, 'dist', 'web', 'index.html');
  if (!fs.existsSync(index)) return false;
  const builtAt = fs.statSync(index).mtimeMs;
  return WEB_SOURCES.every((folder) => newestModification(path.join(root, folder)) < builtAt);
}

function buildWebApp(root: string): void {
  const result = spawnSync(
    path.join(root, 'node_modules', '.bin', 'vite'),
    ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status ?? result.signal})`);
}

/** The node arguments of package.json's start script (what `npm start` runs after compiling the server), V8 flags included. */
export function startNodeArgs(root: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [command, ...args] = manifest.scripts.start.split(/\s+/);
  if (command !== 'node') throw new Error(`package.json's start script should run node, not ${command}`);
  return args;
}

/** Compiles the server into root/dist/server, as `npm start` does first (its prestart script). */
export function buildServer(root: string): void {
  const result = spawnSync(process.execPath, ['scripts/build-server.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`the server build failed (exit ${result.status ?? result.signal})`);
}

/**
 * Copies the application as it is now (sources, docs, package.json; node_modules linked) into a
 * temporary folder, with a web build that matches its sources: the repository's dist/web when it
 * is fresh, else one built in the copy, and the server compiled as `npm start` compiles it. Journey servers run from the copy, so a colleague who
 * edits or rebuilds the shared checkout mid-run cannot change what the journeys test, and the
 * journeys never rebuild the shared dist/web under someone else's running server.
 */
export function createAppSnapshot(): AppSnapshot {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-e2e-app-'));
  const isDistFresh = isWebBuildFresh(REPO_ROOT);
  fs.cpSync(REPO_ROOT, root, {
    recursive: true,
    filter: (source) => {
      const [topLevel] = path.relative(REPO_ROOT, source).split(path.sep);
      return topLevel === undefined || !EXCLUDED_TOP_LEVEL.has(topLevel);
    },
  });
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  if (isDistFresh) {
    fs.cpSync(path.join(REPO_ROOT, 'dist', 'web'), path.join(root, 'dist', 'web'), { recursive: true });
  } else {
    console.log('e2e: dist/web is missing or older than web/ or common/; building the web app for this run');
    buildWebApp(root);
  }
  buildServer(root);
  return { root, dispose: () => fs.rmSync(root, { recursive: true, force: true }) };
}
