/**
 * Roles and the policy table. The server calls authorize() built on can(); the web app calls
 * can() only to hide controls it would be refused anyway. Anything not listed is denied.
 */

export const ROLES = {
  basic: 16,
  scanOperator: 24,
  standard: 32,
  scanManager: 40,
  administrator: 64,
} as const;

export type RoleValue = (typeof ROLES)[keyof typeof ROLES];

export const ROLE_VALUES = [16, 24, 32, 40, 64] as const satisfies readonly RoleValue[];

export const ROLE_LABELS: Record<RoleValue, string> = {
  16: 'Basic',
  24: 'VM Scan Operator',
  32: 'VM Standard',
  40: 'VM Scan Manager',
  64: 'Administrator',
};

export function isRoleValue(value: number): value is RoleValue {
  return (ROLE_VALUES as readonly number[]).includes(value);
}

export type UserKind = 'staff' | 'contact';

/** Who is asking. Staff carry their assigned accounts; contacts carry their own account. */
export interface Actor {
  userId: string;
  username: string;
  kind: UserKind;
  role: RoleValue;
  isSupportAgent: boolean;
  /** Contacts: their customer account. Staff: undefined. */
  accountId?: string;
  /** Contacts: may open Technical Support cases. */
  canManageCases: boolean;
  isPrimaryContact: boolean;
  /** Staff other than Administrators: the accounts assigned to them. */
  assignedAccountIds: readonly string[];
  /** Set while an Administrator assists this user (issue 4): who is really acting. */
  assistedBy?: { userId: string; username: string; reason: string; endsAt: string };
}

/** What an action is about, when it is about one customer account. */
export interface Resource {
  accountId?: string;
}

type Rule = (actor: Actor, resource: Resource | undefined) => boolean;

const isStaff: Rule = (actor) => actor.kind === 'staff';
const isAdministrator: Rule = (actor) => actor.kind === 'staff' && actor.role === ROLES.administrator;
const isSupportAgent: Rule = (actor) => actor.kind === 'staff' && actor.isSupportAgent;
const isContact: Rule = (actor) => actor.kind === 'contact';

/** Staff see every account when Administrators, else only those assigned to them. */
const canSeeAccount: Rule = (actor, resource) => {
  if (actor.kind !== 'staff' || resource?.accountId === undefined) return false;
  return actor.role === ROLES.administrator || actor.assignedAccountIds.includes(resource.accountId);
};

/**
 * Inside a customer instance: its own contacts, and staff who may see the account (single sign-on
 * keeps the staff user's role there), with at least the given role.
 */
const inInstance =
  (minimumRole: RoleValue): Rule =>
  (actor, resource) => {
    if (resource?.accountId === undefined || actor.role < minimumRole) return false;
    if (actor.kind === 'contact') return actor.accountId === resource.accountId;
    return canSeeAccount(actor, resource);
  };

const POLICY = {
  /** The Accounts page: staff only; the repository narrows non-administrators to their accounts. */
  'accounts:list': isStaff,
  'accounts:read': canSeeAccount,
  'accounts:manage': isAdministrator,
  'users:manage': isAdministrator,
  'logos:manage': isAdministrator,
  'audit:read': isAdministrator,
  'settings:manage': isAdministrator,
  'integrations:manage': isAdministrator,
  /** Signals: staff; the repository narrows non-administrators to artifacts of accounts they may see. */
  'signals:read': isStaff,
  /** User assist: act as another (non-administrator) user; refused while already assisting, as the actor is then that user. */
  'assist:start': isAdministrator,
  /** Ending an assist needs no role: whoever holds one may always stop it. */
  'assist:stop': () => true,
  /** An instance's assets, findings, scans and dashboard (Basic and up). */
  'instance:read': inInstance(ROLES.basic),
  /** Uploading and importing scans into an instance (VM Scan Operator and up). */
  'scans:import': inInstance(ROLES.scanOperator),
  /** Bulk exports of an instance's findings, assets and compliance results (VM Standard and up; the SIEM seed asks for "at least Standard"). */
  'exports:run': inInstance(ROLES.standard),
  /** Managing other users' scans in an instance (VM Scan Manager and up). */
  'scans:manage': inInstance(ROLES.scanManager),
  /** An instance's users and their API keys (the instance's Administrators). */
  'instance-users:manage': inInstance(ROLES.administrator),
  'support:use': isContact,
  'support:work': isSupportAgent,
  /** The Support page itself: contacts and support agents (anonymous visitors see it too, without actions). */
  'support:visit': (actor, resource) => isContact(actor, resource) || isSupportAgent(actor, resource),
  /** The Primary Contact grants or removes Manage Cases on their own account's contacts. */
  'support:manage-contacts': (actor, resource) =>
    actor.kind === 'contact' && actor.isPrimaryContact && (resource?.accountId === undefined || resource.accountId === actor.accountId),
  /** Categories, products and SLA targets of Support (Administrators). */
  'support:configure': isAdministrator,
  /** The secret warning on Support texts: contacts' descriptions, agents' replies and notes. */
  'support:check-secrets': (actor, resource) => isContact(actor, resource) || isSupportAgent(actor, resource),
  /** Signed-in users read their own profile and Bulwark's documentation. */
  'self:read': () => true,
  /** Signed-in users change their own profile and generate their own API keys. */
  'self:manage': () => true,
} satisfies Record<string, Rule>;

export type Action = keyof typeof POLICY;

export const ACTIONS = Object.keys(POLICY) as Action[];

/** Pure and total: true only when the policy table allows it. */
export function can(actor: Actor | null | undefined, action: Action, resource?: Resource): boolean {
  if (!actor) return false;
  const rule: Rule | undefined = POLICY[action];
  return rule ? rule(actor, resource) : false;
}
