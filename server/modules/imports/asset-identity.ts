/**
 * Asset identity across scans (issue 5; the rule ARCHITECTURE.md states). A scanned host is the
 * same asset as an existing one of its instance when, trying the identifiers strongest first,
 *
 *   1. agent UUID, 2. FQDN (case-insensitive), 3. NetBIOS name (case-insensitive), 4. IPv4 or IPv6
 *      address, 5. the scan's own host name (what Nessus calls the ReportHost),
 *
 * an existing asset has the same value AND no stronger identifier that both of them carry
 * disagrees (for an IP or host-name match: none of agent UUID, FQDN and NetBIOS name). So a
 * renamed machine keeps its agent's asset, and `web01.example.com` at 10.0.0.5 and
 * `web02.example.com` later at the same 10.0.0.5 (DHCP) are two assets, while a host first seen
 * by IP only and later with its FQDN is one. When several assets match at the first identifier
 * that matches, the one seen most recently wins. No match: a new asset, whose identity kind is the
 * strongest identifier it has. A web application (its ReportHost name is a URL, as in Nessus web
 * application scans) is identified by that URL alone: two applications on one server are two assets.
 *
 * Pure: the caller gives the instance's candidate assets (those sharing any identifier).
 */

export interface HostIdentifiers {
  agentUuid: string | null;
  fqdn: string | null;
  netbiosName: string | null;
  ipv4: string | null;
  ipv6: string | null;
  /** The ReportHost name. */
  hostName: string;
}

export interface KnownAsset extends Omit<HostIdentifiers, 'hostName'> {
  id: string;
  identityKind: IdentityKind;
  identityValue: string;
  lastSeen: Date;
}

export type IdentityKind = 'agent' | 'fqdn' | 'netbios' | 'ip' | 'name' | 'url';

/** Identifiers as stored and compared: trimmed, FQDN and host name lower-cased, NetBIOS upper-cased, agent UUID lower hex without dashes. */
export function normaliseIdentifiers(host: HostIdentifiers): HostIdentifiers {
  const clean = (value: string | null | undefined) => {
    const trimmed = value?.trim();
    return trimmed ? trimmed : null;
  };
  return {
    agentUuid: clean(host.agentUuid)?.toLowerCase().replace(/-/g, '') ?? null,
    fqdn: clean(host.fqdn)?.toLowerCase().replace(/\.$/, '') ?? null,
    netbiosName: clean(host.netbiosName)?.toUpperCase() ?? null,
    ipv4: clean(host.ipv4),
    ipv6: clean(host.ipv6)?.toLowerCase() ?? null,
    hostName: clean(host.hostName)?.toLowerCase() ?? '',
  };
}

const STRONG = ['agentUuid', 'fqdn', 'netbiosName'] as const;

/** No identifier stronger than the one that matched disagrees (all strong ones for IP and name). */
function isCompatible(asset: KnownAsset, host: HostIdentifiers, step: number): boolean {
  return STRONG.slice(0, step).every((key) => asset[key] === null || host[key] === null || asset[key] === host[key]);
}

/** Web application scans name the ReportHost by its URL; such an asset is its URL, whatever its address. */
export function isWebApplication(host: Pick<HostIdentifiers, 'hostName'>): boolean {
  return /^https?:\/\//i.test(host.hostName);
}

/** The identity a new asset gets: its URL for a web application, else its strongest identifier. */
export function identityOf(host: HostIdentifiers): { kind: IdentityKind; value: string } {
  if (isWebApplication(host)) return { kind: 'url', value: host.hostName };
  if (host.agentUuid) return { kind: 'agent', value: host.agentUuid };
  if (host.fqdn) return { kind: 'fqdn', value: host.fqdn };
  if (host.netbiosName) return { kind: 'netbios', value: host.netbiosName };
  if (host.ipv4) return { kind: 'ip', value: host.ipv4 };
  if (host.ipv6) return { kind: 'ip', value: host.ipv6 };
  return { kind: 'name', value: host.hostName };
}

/** The existing asset this (normalised) host is, or null for a new one. */
export function matchAsset(host: HostIdentifiers, candidates: readonly KnownAsset[]): KnownAsset | null {
  if (isWebApplication(host)) {
    // Two web applications on one server are two assets: only the URL identifies them.
    const matches = candidates.filter((asset) => asset.identityKind === 'url' && asset.identityValue === host.hostName);
    return matches.reduce<KnownAsset | null>((best, asset) => (!best || asset.lastSeen > best.lastSeen ? asset : best), null);
  }
  const steps: ((asset: KnownAsset) => boolean)[] = [
    (asset) => host.agentUuid !== null && asset.agentUuid === host.agentUuid,
    (asset) => host.fqdn !== null && asset.fqdn === host.fqdn,
    (asset) => host.netbiosName !== null && asset.netbiosName === host.netbiosName,
    (asset) => (host.ipv4 !== null && asset.ipv4 === host.ipv4) || (host.ipv6 !== null && asset.ipv6 === host.ipv6),
    (asset) => {
      const identity = identityOf(host);
      return asset.identityKind === identity.kind && asset.identityValue === identity.value;
    },
  ];
  for (const [index, step] of steps.entries()) {
    const matches = candidates.filter((asset) => asset.identityKind !== 'url' && step(asset) && isCompatible(asset, host, index));
    if (matches.length > 0) return matches.reduce((best, asset) => (asset.lastSeen > best.lastSeen ? asset : best));
  }
  return null;
}
