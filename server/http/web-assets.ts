import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { PROJECT_ROOT } from '../project-root.js';
import { isApiPath, isTenablePath } from './paths.js';

export const WEB_DIST = path.join(PROJECT_ROOT, 'dist', 'web');

export function isWebBuilt(root = WEB_DIST): boolean {
  return fs.existsSync(path.join(root, 'index.html'));
}

/**
 * Builds the web app with Vite when dist/web is missing, so `npm start` works on a fresh clone. The
 * build runs in a child process: in the server's own process it would leave ~900 MiB of memory
 * behind (V8 keeps the heap the build grew), for as long as the server runs.
 */
export async function ensureWebBuilt(log: Logger): Promise<void> {
  if (isWebBuilt()) return;
  log.info('the web app is not built yet; building it now (once; a few seconds)');
  const vite = path.join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const args = [vite, 'build', '--config', path.join(PROJECT_ROOT, 'web', 'vite.config.ts'), '--logLevel', 'warn'];
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`building the web app failed (vite build ended with ${signal ?? `exit code ${code}`})`);
  log.info('web app built');
}

const NOT_FOUND_TENABLE = { statusCode: 404, error: 'Not Found', message: 'Not Found' };

/**
 * Serves dist/web. Unknown paths under /api/ and the Tenable API prefixes answer JSON 404; any
 * other unknown GET serves the web app, which shows its own not-found page.
 */
export async function registerWebAssets(app: FastifyInstance, root = WEB_DIST): Promise<void> {
  const hasWeb = isWebBuilt(root);
  if (hasWeb) {
    await app.register(fastifyStatic, { root, wildcard: false, index: false, cacheControl: false });
  }
  app.setNotFoundHandler(async (request, reply) => {
    if (isTenablePath(request.url)) return reply.status(404).send(NOT_FOUND_TENABLE);
    if (isApiPath(request.url) || !hasWeb || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return reply
        .status(404)
        .send({ error: { code: 'not_found', message: `No such path: ${request.method} ${request.url.split('?')[0]}` } });
    }
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('X-Frame-Options', 'DENY');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html') && !request.url.startsWith('/api/docs')) {
      reply.header(
        'Content-Security-Policy',
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
      );
    }
    if (request.url.startsWith('/static/')) reply.header('Cache-Control', 'public, max-age=31536000, immutable');
    return payload;
  });
}
