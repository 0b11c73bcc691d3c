import { buildServer, startNodeArgs } from '../e2e/support/app-snapshot.js';

/**
 * The arguments `npm start` gives node (package.json's "start" script without its leading
 * "node"), so a benchmark measures the server exactly as people run it, V8 flags included. Compiles
 * the server first, as npm start's prestart does.
 */
export function serverNodeArgs(root: string): string[] {
  buildServer(root);
  return startNodeArgs(root);
}
