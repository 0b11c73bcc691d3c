import fs from 'node:fs';
import path from 'node:path';

/**
 * The arguments `npm start` gives node (package.json's "start" script without its leading
 * "node"), so a benchmark measures the server exactly as people run it, V8 flags included.
 */
export function serverNodeArgs(root: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [command, ...args] = manifest.scripts.start.split(/\s+/);
  if (command !== 'node') throw new Error(`package.json's start script should run node, not ${command}`);
  return args;
}
