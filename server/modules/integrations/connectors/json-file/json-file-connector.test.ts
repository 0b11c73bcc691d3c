import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../connector.js';
import { jsonFileConnector, normaliseJsonFinding } from './json-file-connector.js';

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'json-file-connector-'));
const env = {
  userAgent: 'test',
  now: () => new Date(),
  sleep: async () => {},
  random: () => 0.5,
  log: { info: () => {}, warn: () => {}, error: () => {} },
  signal: new AbortController().signal,
};

describe('the JSON file connector (tests only)', () => {
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('normalises a record to a finding with a stable fingerprint', () => {
    const input = {
      host: 'web-01.example.test',
      ip: '10.0.0.5',
      pluginId: 19506,
      pluginName: 'Nessus Scan Information',
      port: 0,
      severity: 'High',
      cve: ['CVE-2021-44228', 7],
      lastFound: '2026-11-01T10:00:00Z',
    };
    const record = normaliseJsonFinding(input, 0);
    expect(record).toMatchObject({
      kind: 'finding',
      severity: 'high',
      severityId: 3,
      state: 'OPEN',
      port: 0,
      protocol: 'tcp',
      asset: { hostName: 'web-01.example.test', fqdn: 'web-01.example.test', ipv4: '10.0.0.5' },
      plugin: { id: 19506, name: 'Nessus Scan Information', cve: ['CVE-2021-44228'] },
      lastFound: '2026-11-01T10:00:00.000Z',
      raw: input,
    });
    expect(record.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(normaliseJsonFinding({ ...input }, 1).fingerprint).toBe(record.fingerprint);
    expect(normaliseJsonFinding({ ...input, state: 'fixed' }, 1).fingerprint).not.toBe(record.fingerprint);
    expect(() => normaliseJsonFinding({ ip: '10.0.0.1' }, 4)).toThrow(ConnectorError);
    expect(() => normaliseJsonFinding('text', 5)).toThrow('Record 5 is not an object.');
  });

  it('checks its one field and tests a connection by reading the file', async () => {
    expect(jsonFileConnector.validate({ path: 'relative.json' })).toEqual({ path: 'Enter an absolute path.' });
    expect(jsonFileConnector.validate({ path: '/tmp/file.json' })).toEqual({});
    const file = path.join(directory, 'records.json');
    fs.writeFileSync(file, JSON.stringify([{ host: 'a', pluginId: 1 }]));
    await expect(jsonFileConnector.testConnection({ ...env, values: { path: file } })).resolves.toEqual({ message: 'Read 1 records.' });
    fs.writeFileSync(file, '[{"host":');
    await expect(jsonFileConnector.testConnection({ ...env, values: { path: file } })).rejects.toMatchObject({ kind: 'bad_response' });
    fs.writeFileSync(file, '{}');
    await expect(jsonFileConnector.testConnection({ ...env, values: { path: file } })).rejects.toMatchObject({ kind: 'bad_response' });
    await expect(
      jsonFileConnector.testConnection({ ...env, values: { path: path.join(directory, 'missing.json') } }),
    ).rejects.toMatchObject({
      kind: 'unreachable',
    });
  });
});
