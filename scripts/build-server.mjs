// Compiles the server (server/ and common/, without tests) from TypeScript to JavaScript under
// dist/, keeping the folder layout, so `npm start` runs plain Node: no TypeScript loader in the
// process (tsx's loader thread alone costs ~40 MiB of memory). esbuild only strips the types
// (`npm run typecheck` checks them); the whole build takes well under a second. Run by `npm start`
// (prestart) and `npm run build`.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['server', 'common'];
const OUT = path.join(root, 'dist');

function isShipped(file) {
  return file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.test.ts');
}

const entryPoints = SOURCES.flatMap((folder) =>
  fs
    .readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && isShipped(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name)),
);

for (const folder of SOURCES) fs.rmSync(path.join(OUT, folder), { recursive: true, force: true });
const started = performance.now();
await build({
  entryPoints,
  outdir: OUT,
  outbase: root,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
process.stdout.write(`server built: ${entryPoints.length} files into dist/ in ${Math.round(performance.now() - started)} ms\n`);
