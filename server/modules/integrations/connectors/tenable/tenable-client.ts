import { isUtf8 } from 'node:buffer';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import { splitJsonArray } from './json-array.js';
import { ConnectorError, type ConnectorEnvironment, type ConnectorValues } from '../../connector.js';

/**
 * The HTTP side of the Tenable connector (tenable-api.md section 1): the base URL from the form's
 * FQDN, the X-ApiKeys header, and one retry policy for every request. node:http(s) rather than
 * fetch, because a custom CA needs an https Agent with `ca`.
 *
 * Time: every wait this client chooses (Retry-After, backoff) goes through env.sleep and
 * env.now, so tests run on a virtual clock. The per-request timeout is different: it bounds
 * network I/O (connect, headers, a stalled body), so it is the socket's own idle timer on the
 * real clock.
 */

export const DEFAULT_FQDN = 'cloud.tenable.com';

export interface TenableLimits {
  /** Idle time allowed while connecting, waiting for headers or reading a body. */
  requestTimeoutMs: number;
  /** Attempts for a request answered 429 or 5xx (the first included). */
  maxAttempts: number;
  /** Attempts for a request that met a network error or a timeout (the first included). */
  networkAttempts: number;
  /** Exponential backoff (with jitter) when the source gives no Retry-After: base, doubled per attempt, capped. */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** A Retry-After longer than this is not waited out inside a run: the run fails rate_limited and says when to come back. */
  maxRetryAfterMs: number;
  /** Bodies other than chunks (status, session, errors). */
  maxJsonBytes: number;
  /** One export chunk, decompressed. */
  maxChunkBytes: number;
}

export const DEFAULT_TENABLE_LIMITS: TenableLimits = {
  requestTimeoutMs: 60_000,
  maxAttempts: 6,
  networkAttempts: 4,
  backoffBaseMs: 1_000,
  backoffCapMs: 60_000,
  maxRetryAfterMs: 15 * 60_000,
  maxJsonBytes: 8 * 1024 * 1024,
  maxChunkBytes: 256 * 1024 * 1024,
};

/**
 * The base URL the FQDN field stands for: a bare host (or host:port) is https; a full http(s) URL
 * with an optional port is taken as is. Returns an error message for anything else.
 */
export function parseBaseUrl(value: string | undefined): { url: URL } | { error: string } {
  const text = (value ?? '').trim() || DEFAULT_FQDN;
  if (/\s/.test(text)) return { error: 'The host name must not contain spaces.' };
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (schemeMatch) {
    const scheme = schemeMatch[1]!.toLowerCase();
    if (scheme !== 'https' && scheme !== 'http') return { error: 'Use a host name, or a base URL starting with https:// or http://.' };
  } else if (/[/?#@\\]/.test(text)) {
    return { error: 'Enter a host name (for example cloud.tenable.com), host:port, or a full https:// base URL.' };
  }
  let url: URL;
  try {
    url = new URL(schemeMatch ? text : `https://${text}`);
  } catch {
    return { error: 'This is not a valid host name or URL.' };
  }
  if (url.username !== '' || url.password !== '' || text.includes('@')) {
    return { error: 'Do not put a user name or password in the URL: use the Client ID and API Secret fields.' };
  }
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) {
    return { error: 'The base URL must not have a query or a fragment.' };
  }
  if (url.pathname !== '/' && url.pathname !== '') return { error: 'The base URL must not have a path (the API lives at the root).' };
  if (url.hostname === '') return { error: 'Enter a host name.' };
  return { url };
}

/** Every PEM block of a certificate field, or an error message. */
export function parseCaCertificates(value: string | undefined): { pems: string[] } | { error: string } {
  const text = (value ?? '').trim();
  if (text === '') return { pems: [] };
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const rest = text.replace(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g, '').trim();
  if (blocks.length === 0 || rest !== '')
    return { error: 'Paste one or more PEM certificates (-----BEGIN CERTIFICATE----- blocks) and nothing else.' };
  return { pems: blocks };
}

export interface TenableClientOptions {
  values: ConnectorValues;
  env: ConnectorEnvironment;
  signal: AbortSignal;
  limits: TenableLimits;
  /** Called before each wait the source asked for (429, 5xx). */
  onBackoff?: (until: Date, reason: string) => Promise<void>;
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

export interface RequestOptions {
  body?: unknown;
  /** Statuses handed back to the caller instead of failing (for example 409 on export creation). */
  acceptStatuses?: readonly number[];
  maxBytes?: number;
  /** An array body is split into its elements' texts (without parsing it whole) and parsed element by element. */
  arrayElements?: boolean;
  /**
   * With `arrayElements`: each element is handed to this as soon as it is parsed, with its JSON text
   * as the source sent it (UTF-8 bytes, a view of the body; undefined when the body is not valid
   * UTF-8), and the body holds what it returns, so a chunk's parsed objects die young instead of
   * all living until the whole body is parsed. Its errors are its own (not "JSON that does not parse").
   */
  mapElement?: (value: unknown, index: number, bytes: Buffer | undefined) => unknown;
}

export interface TenableClient {
  readonly baseUrl: URL;
  /** One JSON request with the retry policy; throws ConnectorError. */
  requestJson(method: 'GET' | 'POST', path: string, options?: RequestOptions): Promise<JsonResponse>;
  close(): void;
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as received (decompressed); decoded only where it is read as text. */
  bytes: Buffer;
}

/** A failure worth another attempt after a pause (network, timeout, 429, 5xx). */
class RetryableFailure extends Error {
  constructor(
    readonly final: ConnectorError,
    readonly isNetwork: boolean,
    readonly retryAfterMs: number | null,
  ) {
    super(final.message);
  }
}

const TLS_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'INVALID_CA',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);

function isTlsError(error: NodeJS.ErrnoException): boolean {
  const code = error.code ?? '';
  return TLS_ERROR_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.startsWith('CERT_');
}

/** Integer seconds or an HTTP date, as milliseconds from now; null when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, now: Date): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now.getTime());
}

/** Exponential backoff with jitter for the given attempt (1 = after the first failure), capped. */
export function backoffDelayMs(
  attempt: number,
  limits: Pick<TenableLimits, 'backoffBaseMs' | 'backoffCapMs'>,
  random: () => number,
): number {
  const exponential = Math.min(limits.backoffCapMs, limits.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  // "Equal jitter": at least half the delay, so a retry never comes straight back.
  return Math.min(limits.backoffCapMs, Math.round(exponential / 2 + random() * (exponential / 2)));
}

function describeStatus(status: number): string {
  return `HTTP ${status}${http.STATUS_CODES[status] ? ` ${http.STATUS_CODES[status]}` : ''}`;
}

/** The error text a Tenable body carries (`message` or `error`), short and single-line, or ''. */
function errorTextOf(text: string): string {
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object') {
      const record = body as Record<string, unknown>;
      const message = [record.message, record.error, record.failure_reason].find((value) => typeof value === 'string');
      if (typeof message === 'string') return `: ${message.replace(/\s+/g, ' ').slice(0, 200)}`;
    }
  } catch {
    // not JSON: say nothing of it (an HTML page tells the user nothing useful)
  }
  return '';
}

/** The first byte of the body that is not a JSON blank (space, tab, line feed, carriage return), or undefined. */
function firstNonBlankByte(bytes: Buffer): number | undefined {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return byte;
  return undefined;
}

/** Whether the response says JSON; Tenable serves vulns chunks as octet-stream, so that counts too. */
function looksLikeJson(headers: http.IncomingHttpHeaders, bytes: Buffer): boolean {
  const type = (headers['content-type'] ?? '').toLowerCase();
  if (type.includes('text/html')) return false;
  return firstNonBlankByte(bytes) !== 0x3c;
}

/** Builds the client of one run (or one connection test); close() releases its sockets. */
export function createTenableClient(options: TenableClientOptions): TenableClient {
  const parsed = parseBaseUrl(options.values.fqdn);
  if ('error' in parsed) throw new ConnectorError('unreachable', `The FQDN setting is not usable: ${parsed.error}`);
  const baseUrl = parsed.url;
  const certificates = parseCaCertificates(options.values.caCertificate);
  if ('error' in certificates) throw new ConnectorError('tls', `The custom CA certificate is not usable: ${certificates.error}`);
  const isHttps = baseUrl.protocol === 'https:';
  const agent = isHttps
    ? new https.Agent({
        keepAlive: true,
        maxSockets: 1,
        // A custom CA is added to the usual roots, so a public certificate still works.
        ...(certificates.pems.length > 0 ? { ca: [...tls.rootCertificates, ...certificates.pems] } : {}),
      })
    : new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { env, limits, signal } = options;
  const apiKeys = `accessKey=${(options.values.accessKey ?? '').trim()}; secretKey=${(options.values.secretKey ?? '').trim()}`;
  const where = baseUrl.host;

  function sendOnce(method: string, path: string, payload: string | null, maxBytes: number): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = {
        'X-ApiKeys': apiKeys,
        'User-Agent': env.userAgent,
        Accept: 'application/json',
        'Accept-Encoding': 'gzip',
      };
      if (payload !== null) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = Buffer.byteLength(payload);
      }
      const request = (isHttps ? https : http).request(
        {
          protocol: baseUrl.protocol,
          hostname: baseUrl.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: baseUrl.port === '' ? undefined : Number(baseUrl.port),
          method,
          path,
          headers,
          agent,
          signal,
          timeout: limits.requestTimeoutMs,
        },
        (response) => {
          let stream: Readable = response;
          const encoding = (response.headers['content-encoding'] ?? '').toLowerCase();
          if (encoding === 'gzip' || encoding === 'x-gzip') stream = response.pipe(zlib.createGunzip());
          else if (encoding === 'deflate') stream = response.pipe(zlib.createInflate());
          const parts: Buffer[] = [];
          let size = 0;
          // An uncompressed body of a declared length is copied into one buffer as it arrives, so a
          // chunk of tens of megabytes is never held twice (its parts and their concatenation).
          const declared = encoding === '' ? Number(response.headers['content-length']) : Number.NaN;
          let whole = Number.isSafeInteger(declared) && declared > 0 && declared <= maxBytes ? Buffer.allocUnsafe(declared) : null;
          let isDone = false;
          const fail = (error: Error) => {
            if (isDone) return;
            isDone = true;
            response.destroy();
            reject(error);
          };
          response.on('aborted', () => fail(Object.assign(new Error('The connection closed mid-body.'), { code: 'ECONNRESET' })));
          response.on('error', fail);
          stream.on('error', (error: Error) =>
            fail(
              encoding ? new ConnectorError('bad_response', `The source sent a body that does not decompress (${where}${path}).`) : error,
            ),
          );
          stream.on('data', (part: Buffer) => {
            size += part.length;
            if (size > maxBytes) {
              fail(new ConnectorError('bad_response', `The source sent more than ${maxBytes} bytes for ${method} ${path}.`));
              return;
            }
            if (whole && size <= whole.length) {
              part.copy(whole, size - part.length);
              return;
            }
            if (whole) {
              // Longer than declared: what was copied so far becomes the first part.
              parts.push(whole.subarray(0, size - part.length));
              whole = null;
            }
            parts.push(part);
          });
          stream.on('end', () => {
            if (isDone) return;
            isDone = true;
            const bytes = whole ? whole.subarray(0, size) : Buffer.concat(parts, size);
            resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes });
          });
        },
      );
      request.on('timeout', () => {
        request.destroy(Object.assign(new Error('The request timed out.'), { code: 'ETIMEDOUT' }));
      });
      request.on('error', reject);
      request.end(payload ?? undefined);
    });
  }

  /** One attempt: the response, or a ConnectorError (final) or RetryableFailure. */
  async function attempt(method: string, path: string, payload: string | null, request: RequestOptions): Promise<RawResponse> {
    let response: RawResponse;
    try {
      response = await sendOnce(method, path, payload, request.maxBytes ?? limits.maxJsonBytes);
    } catch (error) {
      if (signal.aborted) throw signal.reason ?? error;
      if (error instanceof ConnectorError) throw error;
      const failure = error as NodeJS.ErrnoException;
      if (failure.code === 'ERR_INVALID_CHAR' || failure.code === 'ERR_HTTP_INVALID_HEADER_VALUE') {
        // Said without the header's value: it holds the keys.
        throw new ConnectorError('auth', 'The Access Key or Secret Key holds characters an HTTP header cannot carry: paste them again.');
      }
      if (isTlsError(failure)) {
        throw new ConnectorError('tls', `TLS with ${where} failed (${failure.code ?? 'handshake'}): ${failure.message.split('\n')[0]}`);
      }
      const code = failure.code ?? 'network error';
      const text =
        code === 'ETIMEDOUT'
          ? `${where} did not answer within ${limits.requestTimeoutMs / 1000} s`
          : `${where} could not be reached (${code})`;
      throw new RetryableFailure(new ConnectorError('unreachable', `${text}.`), true, null);
    }
    const { status } = response;
    if (status >= 200 && status < 300) return response;
    if (request.acceptStatuses?.includes(status)) return response;
    if (status === 401)
      throw new ConnectorError('auth', `Authentication failed (401) at ${where}: check the Access Key and Secret Key.`, { status });
    if (status === 403)
      throw new ConnectorError('forbidden', `Forbidden (403) at ${where}: the key's user lacks permission for ${method} ${path}.`, {
        status,
      });
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers['retry-after'], env.now());
      const details = retryAfterMs === null ? { status } : { status, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) };
      throw new RetryableFailure(new ConnectorError('rate_limited', `Rate limited (429) by ${where}.`, details), false, retryAfterMs);
    }
    if (status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers['retry-after'], env.now());
      const error = new ConnectorError(
        'bad_response',
        `${where} answered ${describeStatus(status)} for ${method} ${path}${errorTextOf(response.bytes.toString('utf8'))}.`,
        { status },
      );
      throw new RetryableFailure(error, false, retryAfterMs);
    }
    throw new ConnectorError(
      'bad_response',
      `${where} answered ${describeStatus(status)} for ${method} ${path}${errorTextOf(response.bytes.toString('utf8'))}.`,
      { status },
    );
  }

  return {
    baseUrl,
    async requestJson(method, path, request = {}) {
      const payload = request.body === undefined ? null : JSON.stringify(request.body);
      let sourceAttempts = 0;
      let networkAttempts = 0;
      for (;;) {
        let response: RawResponse;
        try {
          response = await attempt(method, path, payload, request);
        } catch (error) {
          if (!(error instanceof RetryableFailure)) throw error;
          let waitMs: number;
          if (error.isNetwork) {
            networkAttempts += 1;
            if (networkAttempts >= limits.networkAttempts) throw error.final;
            waitMs = backoffDelayMs(networkAttempts, limits, env.random);
            env.log.warn(`${error.final.message} Retrying in ${Math.ceil(waitMs / 1000)} s.`);
          } else {
            sourceAttempts += 1;
            if (sourceAttempts >= limits.maxAttempts) {
              throw new ConnectorError(
                error.final.kind,
                `${error.final.message} Gave up after ${sourceAttempts} attempts.`,
                error.final.details,
              );
            }
            if (error.retryAfterMs !== null && error.retryAfterMs > limits.maxRetryAfterMs) {
              throw new ConnectorError(
                error.final.kind,
                `${error.final.message} The source asked to wait ${Math.ceil(error.retryAfterMs / 1000)} s; the next run tries again.`,
                error.final.details,
              );
            }
            waitMs = error.retryAfterMs ?? backoffDelayMs(sourceAttempts, limits, env.random);
            const reason = error.final.kind === 'rate_limited' ? error.final.message : `${error.final.message} Retrying.`;
            await options.onBackoff?.(new Date(env.now().getTime() + waitMs), reason);
            env.log.warn(`${reason} Waiting ${Math.ceil(waitMs / 1000)} s (attempt ${sourceAttempts} of ${limits.maxAttempts}).`);
          }
          await env.sleep(waitMs, signal);
          continue;
        }
        if (firstNonBlankByte(response.bytes) === undefined) return { status: response.status, body: null };
        if (!looksLikeJson(response.headers, response.bytes)) {
          throw new ConnectorError(
            'bad_response',
            `${where} answered ${method} ${path} with HTML or another non-JSON body: is the FQDN the API's?`,
            { status: response.status },
          );
        }
        const unparsable = () =>
          new ConnectorError(
            'bad_response',
            `${where} answered ${method} ${path} with JSON that does not parse (truncated or malformed).`,
            { status: response.status },
          );
        const parse = (bytes: Buffer): unknown => {
          try {
            return JSON.parse(bytes.toString('utf8')) as unknown;
          } catch {
            throw unparsable();
          }
        };
        const mapElement = request.mapElement ?? ((value: unknown) => value);
        let elements: Buffer[] | null;
        try {
          elements = request.arrayElements ? splitJsonArray(response.bytes) : null;
        } catch {
          throw unparsable();
        }
        // Not asked to split, or not an array (splitJsonArray: null only when the body does not start with `[`).
        if (elements === null) return { status: response.status, body: parse(response.bytes) };
        // JSON is UTF-8: a body that is not (decoded with replacement characters) keeps no bytes, so what is stored is what was parsed.
        const keepsBytes = isUtf8(response.bytes);
        return {
          status: response.status,
          body: elements.map((element, index) => mapElement(parse(element), index, keepsBytes ? element : undefined)),
        };
      }
    },
    close() {
      agent.destroy();
    },
  };
}
