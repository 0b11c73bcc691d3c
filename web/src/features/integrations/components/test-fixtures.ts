import { vi } from 'vitest';
import type { MeResponse, SessionResponse } from '../../../../../common/schemas/auth.js';
import type { ConnectorResponse, IntegrationResponse, StreamStatusResponse } from '../../../../../common/schemas/integrations.js';
import { jsonResponse } from '../../../test-utils/render';

/** Shared by the integration component tests: the Tenable catalogue entry, integrations in each health, a scripted server. */

const administrator: MeResponse = {
  id: '00000000-0000-4000-8000-000000000001',
  kind: 'staff',
  username: 'ada@mssp.example',
  name: 'Ada Lovelace',
  email: null,
  role: 64,
  isSupportAgent: false,
  accountId: null,
  canManageCases: false,
  isPrimaryContact: false,
  assignedAccountIds: [],
  lastLoginAt: null,
};
export const SESSION: SessionResponse = { user: administrator, csrfToken: 'csrf-1', idleTimeoutMinutes: 30, assisting: null };

export const TENABLE: ConnectorResponse = {
  id: 'signal-client.tenable',
  label: 'Tenable',
  description: 'Collects vulnerability scan results and asset data from Tenable.io.',
  category: 'Vulnerability Management',
  authMethod: 'Access Key + Secret Key',
  multiInstance: true,
  vendorDocs: { label: 'Tenable.io API Documentation', url: 'https://developer.tenable.com/reference/navigate' },
  prerequisites: ['Active Tenable.io subscription', 'Admin or Standard user with API key generation permissions'],
  fields: [
    {
      name: 'fqdn',
      label: 'FQDN',
      kind: 'text',
      required: true,
      defaultValue: 'cloud.tenable.com',
      description: 'Tenable.io API endpoint.',
    },
    { name: 'accessKey', label: 'Client ID', kind: 'secret', required: true, defaultValue: null, description: 'Access key' },
    { name: 'secretKey', label: 'API Secret', kind: 'secret', required: true, defaultValue: null, description: 'Secret key' },
    { name: 'caCertificate', label: 'Custom CA certificate', kind: 'pem', required: false, defaultValue: null, description: 'Optional.' },
  ],
  streams: [
    { name: 'vulnerabilities', label: 'Vulnerabilities', defaultIntervalMinutes: 30 },
    { name: 'assets', label: 'Assets', defaultIntervalMinutes: 60 },
  ],
};

export const NOW = Date.parse('2026-11-22T15:00:00.000Z');
const minutesFromNow = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

export function makeStream(overrides: Partial<StreamStatusResponse> & Pick<StreamStatusResponse, 'name' | 'label'>): StreamStatusResponse {
  return {
    intervalMinutes: 30,
    health: 'healthy',
    lastRunAt: minutesFromNow(-5),
    lastSuccessAt: minutesFromNow(-5),
    nextRunAt: minutesFromNow(25),
    running: false,
    backingOffUntil: null,
    lastFetched: 42,
    totalFetched: 1204,
    cursor: minutesFromNow(-5),
    lastError: null,
    ...overrides,
  };
}

export function makeIntegration(overrides: Partial<IntegrationResponse> = {}): IntegrationResponse {
  return {
    id: '00000000-0000-4000-8000-0000000000aa',
    connector: 'signal-client.tenable',
    connectorLabel: 'Tenable',
    name: 'Tenable production',
    values: { fqdn: 'cloud.tenable.com', accessKey: '••••1a2b', secretKey: '••••9f8e', caCertificate: null },
    enabled: true,
    targetAccount: { id: '00000000-0000-4000-8000-0000000000bb', name: 'Globex' },
    owner: { id: administrator.id, name: administrator.name },
    health: 'healthy',
    streams: [
      makeStream({ name: 'vulnerabilities', label: 'Vulnerabilities' }),
      makeStream({ name: 'assets', label: 'Assets', intervalMinutes: 60, lastFetched: 3, totalFetched: 3 }),
    ],
    createdAt: minutesFromNow(-60),
    updatedAt: minutesFromNow(-60),
    ...overrides,
  };
}

export interface Call {
  method: string;
  path: string;
  body: unknown;
}

/** A server answering each `METHOD path` with a [status, body]; every request lands in the list returned. */
export function mockServer(answers: Record<string, [number, unknown?]>): Call[] {
  const calls: Call[] = [];
  const defaults: Record<string, [number, unknown?]> = {
    'GET /api/auth/session': [200, SESSION],
    'GET /api/accounts': [200, { items: [], total: 0, page: 1, pageSize: 50 }],
  };
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input, init) => {
      const url = new URL(String(input), 'http://bulwark.test');
      const method = init?.method ?? 'GET';
      calls.push({ method, path: `${url.pathname}${url.search}`, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      const key = `${method} ${url.pathname}`;
      const [status, body] = answers[key] ?? defaults[key] ?? [404, { error: { code: 'not_found', message: 'Not found.' } }];
      return jsonResponse(status, body);
    }),
  );
  return calls;
}
