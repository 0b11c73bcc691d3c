import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A scriptable Tenable-like source for tests (loopback only): each route answers from its own
 * list of scripted responses, in order, the last one repeating; every request is recorded
 * (method, path, headers, body). Unscripted paths answer Tenable's JSON 404. Reusable by any test
 * of the integrations (the run engine's included).
 */

export interface FaultResponse {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON (Content-Type application/json unless headers say otherwise). */
  body?: unknown;
  /** Never answers (the connection stays open until the client gives up or the server closes). */
  hang?: boolean;
  /** Sends the headers and this much of the body, then cuts the connection. */
  cutAfterBytes?: number;
  /** Sends the body in three pieces without a Content-Length (chunked transfer encoding). */
  chunked?: boolean;
}

export type FaultHandler = (request: RecordedRequest) => FaultResponse;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FaultServer {
  /** `http(s)://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>`, what a user types in the FQDN field (https is then assumed). */
  host: string;
  port: number;
  requests: RecordedRequest[];
  /** Scripts a route: responses in order, the last one repeating; a function answers every request. */
  route(method: string, path: string | RegExp, ...responses: (FaultResponse | FaultHandler)[]): void;
  /** The recorded requests of one route. */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[];
  /** Forgets every route and recorded request. */
  reset(): void;
  close(): Promise<void>;
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): FaultResponse => ({ status, body, headers });
export const html = (status = 200): FaultResponse => ({
  status,
  headers: { 'Content-Type': 'text/html' },
  body: `<html><head><title>${status}</title></head><body><center><h1>${status}</h1></center><hr><center>nginx</center></body></html>`,
});
export const tooManyRequests = (retryAfter?: string): FaultResponse => ({
  ...html(429),
  headers: { 'Content-Type': 'text/html', ...(retryAfter === undefined ? {} : { 'Retry-After': retryAfter }) },
});
export const serverError = (status = 500): FaultResponse =>
  json({ statusCode: status, error: http.STATUS_CODES[status], message: 'Please wait a moment and try your request again.' }, status);
export const unauthorized = (): FaultResponse => json({ statusCode: 401, error: 'Unauthorized', message: 'Invalid credentials.' }, 401);
export const forbidden = (): FaultResponse => json({ statusCode: 403, error: 'Forbidden', message: 'Insufficient scope' }, 403);
export const notFound = (): FaultResponse => json({ statusCode: 404, error: 'Not Found', message: 'Not Found' }, 404);
/** A status object as Tenable sends it. */
export const exportStatus = (status: string, chunksAvailable: number[], extra: Record<string, unknown> = {}): FaultResponse =>
  json({ status, chunks_available: chunksAvailable, chunks_failed: [], chunks_cancelled: [], ...extra });

interface Route {
  method: string;
  path: string | RegExp;
  responses: (FaultResponse | FaultHandler)[];
  served: number;
}

function matches(route: { method: string; path: string | RegExp }, method: string, path: string): boolean {
  if (route.method.toUpperCase() !== method.toUpperCase()) return false;
  return typeof route.path === 'string' ? route.path === path : route.path.test(path);
}

/** Starts a fault server on 127.0.0.1 and a random port; https when given a key and certificate. */
export async function startFaultServer(options: { tls?: { key: string; cert: string } } = {}): Promise<FaultServer> {
  let routes: Route[] = [];
  const requests: RecordedRequest[] = [];

  const listener: http.RequestListener = (request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        headers: request.headers,
        body: Buffer.concat(parts).toString('utf8'),
      };
      requests.push(recorded);
      const route = routes.find((candidate) => matches(candidate, recorded.method, recorded.path));
      let scripted: FaultResponse | FaultHandler = notFound();
      if (route && route.responses.length > 0) {
        scripted = route.responses[Math.min(route.served, route.responses.length - 1)]!;
        route.served += 1;
      }
      const answer = typeof scripted === 'function' ? scripted(recorded) : scripted;
      if (answer.hang) return;
      // A string or a Buffer is sent as is (a Buffer can carry bytes that are not UTF-8); anything else as JSON.
      const body =
        answer.body === undefined
          ? ''
          : typeof answer.body === 'string' || Buffer.isBuffer(answer.body)
            ? answer.body
            : JSON.stringify(answer.body);
      const headers: Record<string, string | number> = {
        'Content-Type': 'application/json',
        ...answer.headers,
        ...(answer.chunked ? {} : { 'Content-Length': Buffer.byteLength(body) }),
      };
      response.writeHead(answer.status ?? 200, headers);
      if (answer.chunked) {
        const bytes = Buffer.from(body);
        const third = Math.ceil(bytes.length / 3);
        response.write(bytes.subarray(0, third));
        response.write(bytes.subarray(third, 2 * third));
        response.end(bytes.subarray(2 * third));
        return;
      }
      if (answer.cutAfterBytes !== undefined) {
        response.write(Buffer.from(body).subarray(0, answer.cutAfterBytes), () => response.destroy());
        return;
      }
      response.end(body);
    });
  };

  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls ? 'https' : 'http';
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    requests,
    route(method, path, ...responses) {
      routes = routes.filter((route) => !(route.method === method && String(route.path) === String(path)));
      routes.push({ method, path, responses, served: 0 });
    },
    requestsTo(method, path) {
      return requests.filter((request) => matches({ method, path }, request.method, request.path));
    },
    reset() {
      routes = [];
      requests.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
