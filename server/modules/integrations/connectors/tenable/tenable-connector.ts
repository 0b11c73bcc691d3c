import { ConnectorError, type ConnectorDefinition } from '../../connector.js';

/**
 * The Tenable connector (`signal-client.tenable`, the seed 002): vulnerabilities and assets from
 * Tenable.io or any Tenable-compatible API (Bulwark's own instances included), through the bulk
 * export API (../shared/spec/tenable-api.md section 2).
 */
export const tenableConnector: ConnectorDefinition = {
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
  validate() {
    return {};
  },
  async testConnection() {
    throw new ConnectorError('internal', 'Not built yet.');
  },
  async runStream() {
    throw new ConnectorError('internal', 'Not built yet.');
  },
};
