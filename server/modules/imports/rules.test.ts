import { describe, expect, it } from 'vitest';
import { identityOf, matchAsset, normaliseIdentifiers, type HostIdentifiers, type KnownAsset } from './asset-identity.js';
import { didPluginRun, whenNotReported, whenReported } from './finding-state.js';

const host = (fields: Partial<HostIdentifiers>): HostIdentifiers =>
  normaliseIdentifiers({ agentUuid: null, fqdn: null, netbiosName: null, ipv4: null, ipv6: null, hostName: '10.0.0.5', ...fields });

const asset = (id: string, fields: Partial<HostIdentifiers>, lastSeen = new Date('2026-01-01')): KnownAsset => {
  const identifiers = host(fields);
  const identity = identityOf(identifiers);
  return { id, ...identifiers, identityKind: identity.kind, identityValue: identity.value, lastSeen };
};

describe('asset identity across scans', () => {
  it('matches the strongest identifier first: agent UUID, then FQDN, then NetBIOS, then IP', () => {
    const byAgent = asset('agent', { agentUuid: 'AB-CD', fqdn: 'old.example.com' });
    const byFqdn = asset('fqdn', { fqdn: 'web01.example.com' });
    const byNetbios = asset('netbios', { netbiosName: 'WEB01' });
    const byIp = asset('ip', { ipv4: '10.0.0.9' });
    const all = [byAgent, byFqdn, byNetbios, byIp];
    expect(matchAsset(host({ agentUuid: 'abcd', fqdn: 'renamed.example.com' }), all)?.id).toBe('agent');
    expect(matchAsset(host({ fqdn: 'WEB01.example.com.', ipv4: '10.0.0.9' }), all)?.id).toBe('fqdn');
    expect(matchAsset(host({ netbiosName: 'web01', ipv4: '10.0.0.9' }), all)?.id).toBe('netbios');
    expect(matchAsset(host({ ipv4: '10.0.0.9' }), all)?.id).toBe('ip');
    expect(matchAsset(host({ ipv4: '10.0.0.10' }), all)).toBeNull();
  });

  it('keeps two machines apart when they share an IP but their FQDNs differ (DHCP)', () => {
    const first = asset('first', { fqdn: 'web01.example.com', ipv4: '10.0.0.5' });
    expect(matchAsset(host({ fqdn: 'web02.example.com', ipv4: '10.0.0.5' }), [first])).toBeNull();
    // A host seen by IP only is the known machine at that IP.
    expect(matchAsset(host({ ipv4: '10.0.0.5' }), [first])?.id).toBe('first');
  });

  it('joins a host first seen by IP only with its later FQDN', () => {
    const ipOnly = asset('ip-only', { ipv4: '10.0.0.7' });
    expect(matchAsset(host({ fqdn: 'db.example.com', ipv4: '10.0.0.7' }), [ipOnly])?.id).toBe('ip-only');
  });

  it('prefers the most recently seen of several matches', () => {
    const older = asset('older', { ipv4: '10.0.0.8' }, new Date('2025-01-01'));
    const newer = asset('newer', { ipv4: '10.0.0.8', netbiosName: 'X' }, new Date('2026-06-01'));
    expect(matchAsset(host({ ipv4: '10.0.0.8' }), [older, newer])?.id).toBe('newer');
  });

  it('identifies a web application by its URL and a nameless host by its scan name', () => {
    expect(identityOf(host({ hostName: 'https://App.example.com/' }))).toEqual({ kind: 'url', value: 'https://app.example.com/' });
    expect(identityOf(host({ hostName: 'printer-3' }))).toEqual({ kind: 'name', value: 'printer-3' });
    const web = asset('web', { hostName: 'https://app.example.com/', ipv4: '10.0.0.5' });
    expect(matchAsset(host({ hostName: 'https://APP.example.com/', ipv4: '10.0.0.5' }), [web])?.id).toBe('web');
    // Another application on the same server, and the server itself, are other assets.
    expect(matchAsset(host({ hostName: 'https://app.example.com:8443/', ipv4: '10.0.0.5' }), [web])).toBeNull();
    expect(matchAsset(host({ hostName: '10.0.0.5', ipv4: '10.0.0.5' }), [web])).toBeNull();
  });
});

describe('finding states', () => {
  const day = (n: number) => new Date(Date.UTC(2026, 0, n));

  it('opens, stays open, is fixed, and reopens with its dates', () => {
    const opened = whenReported(null, day(1));
    expect(opened).toEqual({ state: 'OPEN', firstFound: day(1), lastFound: day(1), lastFixed: null, resurfacedAt: null });
    const seenAgain = whenReported(opened, day(5));
    expect(seenAgain).toMatchObject({ state: 'OPEN', firstFound: day(1), lastFound: day(5) });
    const fixed = whenNotReported(seenAgain, day(10));
    expect(fixed).toMatchObject({ state: 'FIXED', lastFound: day(5), lastFixed: day(10) });
    const reopened = whenReported(fixed, day(20));
    expect(reopened).toEqual({ state: 'REOPENED', firstFound: day(1), lastFound: day(20), lastFixed: day(10), resurfacedAt: day(20) });
    expect(whenNotReported(reopened, day(25))).toMatchObject({ state: 'FIXED', lastFixed: day(25), resurfacedAt: day(20) });
  });

  it('lets an old scan imported late change nothing but an earlier first_found', () => {
    const current = whenReported(whenReported(null, day(10)), day(12));
    expect(whenNotReported(current, day(11))).toBe(current);
    expect(whenReported(current, day(11))).toBe(current);
    expect(whenReported(current, day(3))).toMatchObject({ state: 'OPEN', firstFound: day(3), lastFound: day(12) });
  });

  it('is idempotent: the same scan applied twice changes nothing the second time', () => {
    const once = whenReported(null, day(1));
    expect(whenReported(once, day(1))).toBe(once);
    const fixed = whenNotReported(whenReported(once, day(2)), day(3));
    expect(whenNotReported(fixed, day(3))).toBe(fixed);
  });

  it('counts a plugin as run when reported on the asset or enabled by the policy, and never on an unknown policy', () => {
    const selection = {
      families: new Map([
        ['Web Servers', 'enabled'],
        ['Windows', 'mixed'],
        ['Databases', 'disabled'],
      ]),
      plugins: new Map([
        [100, 'enabled'],
        [101, 'disabled'],
      ]),
    };
    expect(didPluginRun(1, 'Databases', new Set([1]), null)).toBe(true);
    expect(didPluginRun(2, 'Web Servers', new Set(), selection)).toBe(true);
    expect(didPluginRun(3, 'Databases', new Set(), selection)).toBe(false);
    expect(didPluginRun(100, 'Windows', new Set(), selection)).toBe(true);
    expect(didPluginRun(101, 'Windows', new Set(), selection)).toBe(false);
    expect(didPluginRun(102, 'Windows', new Set(), selection)).toBe(false);
    expect(didPluginRun(2, 'Web Servers', new Set(), null)).toBe(false);
    // A plugin_set lists exactly what ran, whatever the families say.
    const withSet = { ...selection, pluginSet: new Set([3]) };
    expect(didPluginRun(3, 'Databases', new Set(), withSet)).toBe(true);
    expect(didPluginRun(2, 'Web Servers', new Set(), withSet)).toBe(false);
  });
});
