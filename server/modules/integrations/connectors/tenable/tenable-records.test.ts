import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../connector.js';
import { isoOf, normaliseAsset, normaliseFinding } from './tenable-records.js';

const FULL_FINDING = {
  asset: {
    uuid: 'c1f3a1de-0b0c-4e33-9d57-1a2b3c4d5e6f',
    hostname: 'web01',
    fqdn: 'web01.example.com',
    ipv4: '192.0.2.10',
    ipv6: '2001:db8::10',
    netbios_name: 'WEB01',
    agent_uuid: '0123456789abcdef0123456789abcdef',
    mac_address: '00:11:22:33:44:55',
    operating_system: ['Linux Kernel 5.10', 'Debian 11'],
    tracked: true,
  },
  output: 'The remote host is vulnerable.',
  plugin: {
    id: 156_032,
    name: 'Apache Log4Shell RCE detection',
    family: 'Misc.',
    synopsis: 'RCE',
    description: 'Log4j',
    solution: 'Upgrade',
    risk_factor: 'Critical',
    type: 'remote',
    cvss_base_score: 10,
    cvss_vector: { raw: 'AV:N/AC:L/Au:N/C:C/I:C/A:C' },
    cvss3_base_score: '10.0',
    cvss3_vector: { raw: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' },
    cve: ['CVE-2021-44228'],
    see_also: ['https://logging.apache.org/log4j/2.x/security.html'],
    exploit_available: true,
    publication_date: '2021-12-11T00:00:00Z',
    modification_date: '2023-01-01T00:00:00Z',
    xrefs: [{ type: 'CISA-KNOWN-EXPLOITED', id: '2021/12/24' }],
  },
  port: { port: 8443, protocol: 'TCP', service: 'www' },
  scan: { uuid: 'scan-1' },
  severity: 'critical',
  severity_id: 4,
  severity_default_id: 4,
  severity_modification_type: 'NONE',
  state: 'FIXED',
  first_found: '2021-12-12T10:00:00Z',
  last_found: '2022-01-05T10:00:00.123Z',
  last_fixed: '2022-02-01T00:00:00Z',
};

describe('normaliseFinding', () => {
  it('maps every field of a full record and keeps the raw record as received', () => {
    const record = normaliseFinding(FULL_FINDING);
    expect(record).toMatchObject({
      kind: 'finding',
      severity: 'critical',
      severityId: 4,
      state: 'FIXED',
      asset: {
        sourceId: FULL_FINDING.asset.uuid,
        hostName: 'web01',
        fqdn: 'web01.example.com',
        netbiosName: 'WEB01',
        ipv4: '192.0.2.10',
        ipv6: '2001:db8::10',
        agentUuid: '0123456789abcdef0123456789abcdef',
        macAddress: '00:11:22:33:44:55',
        operatingSystem: 'Linux Kernel 5.10',
      },
      plugin: {
        id: 156_032,
        name: 'Apache Log4Shell RCE detection',
        family: 'Misc.',
        riskFactor: 'Critical',
        pluginType: 'remote',
        cvssBaseScore: 10,
        cvssVector: 'AV:N/AC:L/Au:N/C:C/I:C/A:C',
        cvss3BaseScore: 10,
        cvss3Vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
        cve: ['CVE-2021-44228'],
        seeAlso: ['https://logging.apache.org/log4j/2.x/security.html'],
        exploitAvailable: true,
        publicationDate: '2021-12-11T00:00:00.000Z',
      },
      port: 8443,
      protocol: 'TCP',
      service: 'www',
      output: 'The remote host is vulnerable.',
      firstFound: '2021-12-12T10:00:00.000Z',
      lastFound: '2022-01-05T10:00:00.123Z',
      lastFixed: '2022-02-01T00:00:00.000Z',
    });
    expect(record.raw).toBe(FULL_FINDING);
    expect(record.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is lenient with types and missing keys', () => {
    const record = normaliseFinding({
      asset: { uuid: 'a-1' },
      plugin: { id: '19506' },
      port: { port: '0', protocol: 'tcp' },
      severity: 'INFO',
      state: 'open',
      last_found: 1_700_000_000,
    });
    expect(record).toMatchObject({
      severity: 'info',
      severityId: 0,
      state: 'OPEN',
      port: 0,
      protocol: 'TCP',
      service: null,
      output: null,
      firstFound: null,
      lastFound: '2023-11-14T22:13:20.000Z',
      lastFixed: null,
      plugin: { id: 19_506, name: 'Plugin 19506', cve: [], cvssBaseScore: null, exploitAvailable: null },
      asset: { sourceId: 'a-1', hostName: null, ipv4: null, operatingSystem: null },
    });
    expect(normaliseFinding({ asset: { uuid: 'a' }, plugin: { id: 1, risk_factor: 'High' } })).toMatchObject({
      severity: 'high',
      severityId: 3,
      port: 0,
    });
  });

  it('rejects a record without asset uuid or plugin id as a bad response', () => {
    for (const bad of [
      null,
      [],
      'x',
      { plugin: { id: 1 } },
      { asset: { uuid: '' }, plugin: { id: 1 } },
      { asset: { uuid: 'a' } },
      { asset: { uuid: 'a' }, plugin: { id: 'x' } },
    ]) {
      expect(() => normaliseFinding(bad, 4)).toThrow(ConnectorError);
    }
    try {
      normaliseFinding({ asset: { uuid: 'a' } }, 4);
    } catch (error) {
      expect((error as ConnectorError).kind).toBe('bad_response');
      expect((error as Error).message).toMatch(/plugin\.id.*record 5/);
    }
  });

  it('fingerprints asset, plugin, port, protocol, state, last found and last fixed, and nothing else', () => {
    const base = normaliseFinding(FULL_FINDING).fingerprint;
    // The same finding seen again in an overlapping window: the same fingerprint.
    expect(normaliseFinding({ ...FULL_FINDING, output: 'changed', last_found: '2022-01-05T10:00:00.123+00:00' }).fingerprint).toBe(base);
    expect(normaliseFinding({ ...FULL_FINDING, port: { port: '8443', protocol: 'tcp' } }).fingerprint).toBe(base);
    for (const changed of [
      { asset: { ...FULL_FINDING.asset, uuid: 'other' } },
      { plugin: { ...FULL_FINDING.plugin, id: 1 } },
      { port: { port: 443, protocol: 'TCP' } },
      { port: { port: 8443, protocol: 'UDP' } },
      { state: 'REOPENED' },
      { last_found: '2022-01-06T10:00:00Z' },
      { last_fixed: undefined },
    ]) {
      expect(normaliseFinding({ ...FULL_FINDING, ...changed }).fingerprint, JSON.stringify(changed)).not.toBe(base);
    }
  });
});

describe('normaliseAsset', () => {
  const ASSET = {
    id: '2a6e3f31-5b4a-4a63-9f0b-3c2d1e0f9a8b',
    has_agent: false,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-11-01T12:00:00.000Z',
    first_seen: '2026-01-01T00:00:00.000Z',
    last_seen: '2026-11-01T12:00:00.000Z',
    agent_uuid: null,
    ipv4s: ['192.0.2.20', '192.0.2.21'],
    ipv6s: [],
    fqdns: ['db01.example.com'],
    hostnames: ['db01'],
    netbios_names: [],
    operating_systems: ['Windows Server 2019'],
    mac_addresses: ['00:aa:bb:cc:dd:ee'],
    sources: [{ name: 'NESSUS_SCAN', first_seen: '2026-01-01T00:00:00.000Z', last_seen: '2026-11-01T12:00:00.000Z' }],
  };

  it('maps the v1 flat record', () => {
    const record = normaliseAsset(ASSET);
    expect(record).toEqual({
      kind: 'asset',
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      asset: {
        sourceId: ASSET.id,
        hostName: 'db01',
        fqdn: 'db01.example.com',
        netbiosName: null,
        ipv4: '192.0.2.20',
        ipv6: null,
        agentUuid: null,
        macAddress: '00:aa:bb:cc:dd:ee',
        operatingSystem: 'Windows Server 2019',
      },
      updatedAt: '2026-11-01T12:00:00.000Z',
      firstSeen: '2026-01-01T00:00:00.000Z',
      lastSeen: '2026-11-01T12:00:00.000Z',
      raw: ASSET,
    });
  });

  it('fingerprints the asset id and updated_at only', () => {
    const base = normaliseAsset(ASSET).fingerprint;
    expect(normaliseAsset({ ...ASSET, hostnames: ['renamed'] }).fingerprint).toBe(base);
    expect(normaliseAsset({ ...ASSET, updated_at: '2026-11-02T00:00:00Z' }).fingerprint).not.toBe(base);
    expect(normaliseAsset({ ...ASSET, id: 'other' }).fingerprint).not.toBe(base);
  });

  it('reads v2 nesting and singular names, and rejects an asset without id', () => {
    expect(
      normaliseAsset({
        id: 'v2',
        network: { ipv4s: ['198.51.100.1'], fqdns: ['v2.example'] },
        timestamps: { updated_at: '2026-01-01T00:00:00Z' },
      }),
    ).toMatchObject({
      asset: { ipv4: '198.51.100.1', fqdn: 'v2.example' },
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(normaliseAsset({ id: 'old', ipv4: ['203.0.113.5'], fqdn: ['old.example'] })).toMatchObject({
      asset: { ipv4: '203.0.113.5', fqdn: 'old.example' },
    });
    expect(() => normaliseAsset({ ipv4s: ['192.0.2.1'] })).toThrow(/without id/);
  });
});

describe('isoOf', () => {
  it('reads ISO strings, Unix seconds and milliseconds, and nothing else', () => {
    expect(isoOf('2022-11-30T14:09:12.061Z')).toBe('2022-11-30T14:09:12.061Z');
    expect(isoOf(1_732_582_396)).toBe('2024-11-26T00:53:16.000Z');
    expect(isoOf(1_732_582_396_387)).toBe('2024-11-26T00:53:16.387Z');
    expect(isoOf('1732582396')).toBe('2024-11-26T00:53:16.000Z');
    expect(isoOf('not a date')).toBeNull();
    expect(isoOf(null)).toBeNull();
    expect(isoOf(0)).toBeNull();
  });

  it('writes every ISO string the way toISOString does, also those it does not parse', () => {
    // Written as toISOString writes it (returned as is), and not: offsets, no milliseconds, a day
    // some months lack (rolled over as Date.parse does), out-of-range fields.
    for (const text of [
      '2022-11-28T23:59:59.999Z',
      '2022-11-30T14:09:12Z',
      '2022-11-30T14:09:12.061+02:00',
      '2026-02-30T00:00:00.000Z',
      '2024-02-29T10:00:00.000Z',
      '2026-04-31T12:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
    ]) {
      const time = Date.parse(text);
      expect(isoOf(text), text).toBe(Number.isNaN(time) ? null : new Date(time).toISOString());
    }
  });
});
