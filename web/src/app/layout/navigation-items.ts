import {
  IconBuildingSkyscraper,
  IconHeadset,
  IconLifebuoy,
  IconPhoto,
  IconRadar,
  IconSettings,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import { can, type Action, type Actor } from '../../../../common/permissions.js';

export interface NavigationItem {
  label: string;
  path: string;
  /** The policy action that makes the page usable; items the person cannot use are not shown. */
  permission: Action;
  icon: Icon;
}

/**
 * The left navigation, in the order of the seed's navigation plane. Only pages that exist are
 * listed: a link to a page that is not built yet would be a dead end.
 */
export const NAVIGATION_ITEMS: readonly NavigationItem[] = [
  { label: 'Accounts', path: '/accounts', permission: 'accounts:list', icon: IconBuildingSkyscraper },
  { label: 'Users', path: '/admin/users', permission: 'users:manage', icon: IconUsers },
  { label: 'Logos', path: '/logos', permission: 'logos:manage', icon: IconPhoto },
  // Support (issue 7): the contacts' Support page (its knowledge-base editor and PIN lookup for agents
  // live under /support too), and the agents' console of queues, cases and chats.
  { label: 'Support', path: '/support', permission: 'support:visit', icon: IconLifebuoy },
  { label: 'Support console', path: '/support-console', permission: 'support:work', icon: IconHeadset },
  // Signals (issue 8): what the integrations fetched. Integrations themselves live under Settings.
  { label: 'Signals', path: '/signals', permission: 'signals:read', icon: IconRadar },
  { label: 'Settings', path: '/settings/audit-log', permission: 'audit:read', icon: IconSettings },
];

/** The first path segment decides which item a page belongs to (/settings/x -> Settings). */
function sectionOf(path: string): string {
  return path.split('/')[1] ?? '';
}

export function listNavigationItems(actor: Actor | null): NavigationItem[] {
  return NAVIGATION_ITEMS.filter((item) => can(actor, item.permission));
}

export function isItemActive(item: NavigationItem, pathname: string): boolean {
  return sectionOf(item.path) === sectionOf(pathname);
}

/**
 * Whether a path may be offered to this person after sign-in: paths in a navigation section they
 * cannot use are not (a contact returning to /accounts would only meet a refusal).
 */
export function isPathUsable(actor: Actor, path: string): boolean {
  const item = NAVIGATION_ITEMS.find((candidate) => sectionOf(candidate.path) === sectionOf(path));
  return item ? can(actor, item.permission) : true;
}
