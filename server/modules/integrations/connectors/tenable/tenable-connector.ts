import { X509Certificate } from 'node:crypto';
import { ConnectorError, type ConnectorDefinition, type ConnectorEnvironment, type ConnectorValues } from '../../connector.js';
import { createTenableClient, DEFAULT_TENABLE_LIMITS, parseBaseUrl, parseCaCertificates, type TenableClient } from './tenable-client.js';
import { isTenableStream, runExportStream, type ExportLimits } from './tenable-export.js';

/** The limits of a real run; tests pass smaller ones to createTenableConnector. */
export const DEFAULT_EXPORT_LIMITS: ExportLimits = {
  ...DEFAULT_TENABLE_LIMITS,
  exportTimeoutMs: 60 * 60_000,
  pollInitialMs: 1_000,
  pollCapMs: 30_000,
  chunkAttempts: 4,
};

/** The form's checks: the FQDN (or base URL) and the optional CA certificate. */
export function validateTenableValues(values: ConnectorValues): Record<string, string> {
  const messages: Record<string, string> = {};
  const fqdn = values.fqdn ?? '';
  if (fqdn.trim() === '') messages.fqdn = 'Enter the FQDN (for example cloud.tenable.com) or a base URL.';
  else {
    const parsed = parseBaseUrl(fqdn);
    if ('error' in parsed) messages.fqdn = parsed.error;
  }
  for (const field of ['accessKey', 'secretKey'] as const) {
    // Only a key that was typed is checked (an edit may leave a stored secret out).
    const key = values[field];
    if (key && !/^[\x21-\x3a\x3c-\x7e]+$/.test(key.trim()))
      messages[field] = 'Paste the key alone: no spaces, semicolons or other characters.';
  }
  const certificates = parseCaCertificates(values.caCertificate);
  if ('error' in certificates) messages.caCertificate = certificates.error;
  else {
    for (const pem of certificates.pems) {
      try {
        new X509Certificate(pem);
      } catch {
        messages.caCertificate = 'The certificate does not parse: paste the whole PEM block as exported.';
        break;
      }
    }
  }
  return messages;
}

/**
 * One cheap authenticated request: GET /session (which Bulwark's instance API answers too), or
 * GET /server/properties where a source has no /session. No retries: a person is waiting, and
 * the answer they need is what is wrong now.
 */
async function testTenableConnection(
  env: ConnectorEnvironment & { values: ConnectorValues; signal: AbortSignal },
  limits: ExportLimits,
): Promise<{ message: string }> {
  const client = createTenableClient({
    values: env.values,
    env,
    signal: env.signal,
    limits: { ...limits, maxAttempts: 1, networkAttempts: 1 },
  });
  try {
    const session = await client.requestJson('GET', '/session', { acceptStatuses: [404, 405, 501] });
    if (session.status >= 200 && session.status < 300) {
      const body = session.body !== null && typeof session.body === 'object' ? (session.body as Record<string, unknown>) : {};
      const username = [body.username, body.user_name, body.email].find((value) => typeof value === 'string' && value !== '');
      if (typeof username !== 'string')
        throw new ConnectorError('bad_response', `${client.baseUrl.host} answered GET /session without a user name.`);
      return { message: `Connected as ${username}` };
    }
    const server = await client.requestJson('GET', '/server/properties');
    const body = server.body !== null && typeof server.body === 'object' ? (server.body as Record<string, unknown>) : null;
    if (!body) throw new ConnectorError('bad_response', `${client.baseUrl.host} answered GET /server/properties with no object.`);
    const version = typeof body.server_version === 'string' ? ` (server ${body.server_version})` : '';
    return { message: `Connected to ${client.baseUrl.host}${version}` };
  } finally {
    client.close();
  }
}

/** The connector with the given limits (tests shorten the timeouts; Bulwark uses the defaults). */
export function createTenableConnector(overrides: Partial<ExportLimits> = {}): ConnectorDefinition {
  const limits: ExportLimits = { ...DEFAULT_EXPORT_LIMITS, ...overrides };
  return {
    ...tenableMetadata,
    validate: validateTenableValues,
    testConnection: (env) => testTenableConnection(env, limits),
    async runStream(ctx) {
      if (!isTenableStream(ctx.stream)) throw new ConnectorError('internal', `The Tenable connector has no stream ${ctx.stream}.`);
      const client: TenableClient = createTenableClient({
        values: ctx.values,
        env: ctx,
        signal: ctx.signal,
        limits,
        onBackoff: (until, reason) => ctx.reportBackoff(until, reason),
      });
      try {
        await runExportStream(ctx, client, limits, ctx.stream);
      } finally {
        client.close();
      }
    },
  };
}

/** What the catalogue shows of the connector. */
const tenableMetadata = {
  id: 'signal-client.tenable',
  label: 'Tenable',
  logName: 'tenable',
  description:
    'Collects vulnerability scan results and asset data from Tenable.io (Tenable Vulnerability Management), providing visibility into vulnerability posture, scan findings, and asset inventory.',
  category: 'Vulnerability Management',
  authMethod: 'Access Key + Secret Key',
  multiInstance: true,
  vendorDocs: { label: 'Tenable.io API Documentation', url: 'https://developer.tenable.com/reference/navigate' },
  prerequisites: [
    'Active Tenable.io subscription',
    'Admin or Standard user with API key generation permissions',
    'Network: Bulwark can reach cloud.tenable.com on port 443',
  ],
  fields: [
    {
      name: 'fqdn',
      label: 'FQDN',
      kind: 'text',
      required: true,
      defaultValue: 'cloud.tenable.com',
      description: 'Tenable.io API endpoint. A full base URL (https://host:port or http://host:port) is accepted too.',
    },
    { name: 'accessKey', label: 'Client ID', kind: 'secret', required: true, defaultValue: null, description: 'Access key' },
    { name: 'secretKey', label: 'API Secret', kind: 'secret', required: true, defaultValue: null, description: 'Secret key' },
    {
      name: 'caCertificate',
      label: 'Custom CA certificate',
      kind: 'pem',
      required: false,
      defaultValue: null,
      description: 'Optional: a PEM certificate authority to trust for this source (a private CA or a self-signed certificate).',
    },
  ],
  streams: [
    { name: 'vulnerabilities', label: 'Vulnerabilities', noun: 'vulnerabilities', defaultIntervalMinutes: 30 },
    { name: 'assets', label: 'Assets', noun: 'assets', defaultIntervalMinutes: 60 },
  ],
} satisfies Omit<ConnectorDefinition, 'validate' | 'testConnection' | 'runStream'>;

/**
 * The Tenable connector (`signal-client.tenable`, the seed 002): vulnerabilities and assets from
 * Tenable.io or any Tenable-compatible API (Bulwark's own instances included), through the bulk
 * export API (../shared/spec/tenable-api.md section 2).
 */
export const tenableConnector: ConnectorDefinition = createTenableConnector();
