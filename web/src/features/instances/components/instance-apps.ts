import { IconBox, IconBug, IconFileImport, IconLayoutDashboard, IconServer, IconWorldWww, type Icon } from '@tabler/icons-react';
import { LICENSED_APP_LABELS, type LicensedApp } from '../../../../../common/schemas/accounts.js';

export { LICENSED_APP_LABELS };

export interface InstanceNavigationItem {
  label: string;
  /** Relative to the instance (`/instances/:accountId/`). */
  path: string;
  icon: Icon;
  /** Other paths that belong to the same item (a vulnerability's or an asset's own page). */
  alsoActiveUnder?: string[];
}

/** Each app's own left navigation, in the seed's order; Scans serves Vulnerability Management and Web App Scanning. */
export const APP_NAVIGATION: Record<LicensedApp, readonly InstanceNavigationItem[]> = {
  vm: [
    { label: 'Dashboard', path: 'vm', icon: IconLayoutDashboard },
    { label: 'Vulnerabilities', path: 'vm/vulnerabilities', icon: IconBug, alsoActiveUnder: ['vm/findings'] },
    { label: 'Assets', path: 'vm/assets', icon: IconServer },
    { label: 'Scans', path: 'scans', icon: IconFileImport },
  ],
  was: [
    { label: 'Web applications', path: 'was', icon: IconWorldWww },
    { label: 'Scans', path: 'scans', icon: IconFileImport },
  ],
  cs: [{ label: 'Container Security', path: 'cs', icon: IconBox }],
};

/** The part of the pathname after `/instances/:accountId/` ("vm/assets/…"), without a trailing slash. */
export function instanceSubpath(pathname: string, basePath: string): string {
  if (!pathname.startsWith(basePath)) return '';
  return pathname.slice(basePath.length).replace(/^\/+|\/+$/g, '');
}

/** The app a page belongs to, or null for pages shared between apps (Scans) and the index. */
export function appOfSubpath(subpath: string): LicensedApp | null {
  const first = subpath.split('/')[0];
  return first === 'vm' || first === 'was' || first === 'cs' ? first : null;
}

export function isNavigationItemActive(item: InstanceNavigationItem, subpath: string): boolean {
  // The dashboard is only its own path; every other item also covers the pages beneath it.
  const under = (path: string) => subpath === path || (path !== 'vm' && subpath.startsWith(`${path}/`));
  return under(item.path) || (item.alsoActiveUnder ?? []).some(under);
}
