/**
 * Path prefixes of the Tenable.io-compatible API (../shared/spec/tenable-api.md). The web app never
 * uses them for its pages; unknown paths under them and under /api/ answer JSON 404.
 */
export const TENABLE_PREFIXES = [
  '/users',
  '/assets',
  '/scans',
  '/session',
  '/mssp',
  '/vulns',
  '/compliance',
  '/workbenches',
  '/filters',
  '/server',
  '/plugins',
  '/file',
  '/scanners',
  '/audit-log',
  '/was',
  '/access-control',
  '/api/v2',
  '/api/v3',
] as const;

function hasPrefix(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

export function pathOf(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? url : url.slice(0, index);
}

export function isTenablePath(url: string): boolean {
  const pathname = pathOf(url);
  return TENABLE_PREFIXES.some((prefix) => hasPrefix(pathname, prefix));
}

export function isApiPath(url: string): boolean {
  return hasPrefix(pathOf(url), '/api');
}
