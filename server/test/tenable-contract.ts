import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { REAL_FIXTURES } from './instance-api.js';

/**
 * Reads the Tenable.io traffic recorded by others in ../shared/fixtures/real/tenable (VCR
 * cassettes of pyTenable and the Tenable.io SDK, Polly HAR files of JupiterOne) so contract tests
 * can replay each request against Bulwark and compare the answer's shape with the recorded one.
 */

export interface RecordedInteraction {
  /** The recording's file name under fixtures/real/tenable. */
  source: string;
  index: number;
  method: string;
  /** Path and query as sent (host dropped), e.g. /workbenches/vulnerabilities?date_range=7 */
  url: string;
  requestBody: string | null;
  status: number;
  contentType: string | null;
  /** The response body as text (gunzipped); parse it with responseJson(). */
  responseText: string;
}

const TENABLE_DIR = path.join(REAL_FIXTURES, 'tenable');

function pathAndQuery(uri: string): string {
  const url = new URL(uri);
  return `${url.pathname}${url.search}`;
}

function headerValue(headers: Record<string, string[] | string> | undefined, name: string): string | null {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? (value[0] ?? null) : value;
  }
  return null;
}

function bodyText(body: unknown, encoding: string | null): string {
  const raw = (body as { string?: unknown } | null)?.string;
  if (raw === undefined || raw === null) return '';
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw as Uint8Array);
  return (encoding === 'gzip' ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
}

interface VcrInteraction {
  request: { method: string; uri: string; body: unknown; headers?: Record<string, string[]> };
  response: { status: { code: number }; headers?: Record<string, string[]>; body: unknown };
}

function readVcr(file: string): RecordedInteraction[] {
  // Cassettes recorded under Python 2 tag string bodies as !!python/unicode: plain strings here.
  const pythonUnicode = { tag: 'tag:yaml.org,2002:python/unicode', resolve: (text: string) => text };
  const cassette = parseYaml(fs.readFileSync(path.join(TENABLE_DIR, file), 'utf8'), { customTags: [pythonUnicode] }) as {
    interactions: VcrInteraction[];
  };
  return cassette.interactions.map((interaction, index) => {
    const requestBody = interaction.request.body;
    return {
      source: file,
      index,
      method: interaction.request.method,
      url: pathAndQuery(interaction.request.uri),
      requestBody:
        requestBody === null || requestBody === undefined
          ? null
          : typeof requestBody === 'string'
            ? requestBody
            : Buffer.from(requestBody as Uint8Array).toString('utf8'),
      status: interaction.response.status.code,
      contentType: headerValue(interaction.response.headers, 'content-type'),
      responseText: bodyText(interaction.response.body, headerValue(interaction.response.headers, 'content-encoding')),
    };
  });
}

interface HarEntry {
  request: { method: string; url: string; postData?: { text?: string } };
  response: { status: number; content: { mimeType?: string; text?: string } };
}

function readHar(file: string): RecordedInteraction[] {
  const har = JSON.parse(fs.readFileSync(path.join(TENABLE_DIR, file), 'utf8')) as { log: { entries: HarEntry[] } };
  return har.log.entries.map((entry, index) => ({
    source: file,
    index,
    method: entry.request.method,
    url: pathAndQuery(entry.request.url),
    requestBody: entry.request.postData?.text ?? null,
    status: entry.response.status,
    contentType: entry.response.content.mimeType ?? null,
    responseText: entry.response.content.text ?? '',
  }));
}

/** Every recorded interaction of every cassette and HAR file, in recording order. */
export function recordedInteractions(): RecordedInteraction[] {
  return fs
    .readdirSync(TENABLE_DIR)
    .filter((file) => file.endsWith('.yaml') || file.endsWith('.har'))
    .sort()
    .flatMap((file) => (file.endsWith('.yaml') ? readVcr(file) : readHar(file)));
}

export function responseJson(interaction: RecordedInteraction): unknown {
  return JSON.parse(interaction.responseText) as unknown;
}

/** The path with ids replaced, so interactions group by endpoint: /workbenches/assets/{id}/info. */
export function endpointOf(interaction: RecordedInteraction): string {
  const pathname = interaction.url.split('?')[0] ?? '';
  const generic = pathname
    .split('/')
    .map((part) => (/^[0-9a-f-]{20,}$/i.test(part) || /^\d+$/.test(part) || /^SSE-/.test(part) ? '{id}' : part))
    .join('/');
  return `${interaction.method} ${generic}`;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Differences between a response and the recorded one's shape: every key of the recording must be
 * present with the same JSON type, recursively (extra keys allowed). Arrays: each element of the
 * actual array is compared with the recorded array's first element of the same type. A recorded
 * null matches anything (the real service omits or nulls empty values). Empty list: same shape.
 */
export function shapeDifferences(actual: unknown, recorded: unknown, at = '$'): string[] {
  if (recorded === null) return [];
  const expectedType = typeOf(recorded);
  const actualType = typeOf(actual);
  if (expectedType !== actualType) return [`${at}: expected ${expectedType}, got ${actualType}`];
  if (expectedType === 'array') {
    const recordedItems = recorded as unknown[];
    if (recordedItems.length === 0) return [];
    return (actual as unknown[]).slice(0, 50).flatMap((item, index) => {
      const model = recordedItems.find((candidate) => typeOf(candidate) === typeOf(item)) ?? recordedItems[0];
      return shapeDifferences(item, model, `${at}[${index}]`);
    });
  }
  if (expectedType === 'object') {
    const actualObject = actual as Record<string, unknown>;
    return Object.entries(recorded as Record<string, unknown>).flatMap(([key, value]) =>
      key in actualObject ? shapeDifferences(actualObject[key], value, `${at}.${key}`) : [`${at}.${key}: missing`],
    );
  }
  return [];
}
