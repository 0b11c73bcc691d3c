import { describe, expect, it } from 'vitest';
import { ACTIONS, can, type Actor, type RoleValue } from './permissions.js';

const staff = (role: RoleValue, extra: Partial<Actor> = {}): Actor => ({
  userId: 'u',
  username: 'u@mssp.example',
  kind: 'staff',
  role,
  isSupportAgent: false,
  canManageCases: false,
  isPrimaryContact: false,
  assignedAccountIds: ['acct-1'],
  ...extra,
});
const contact: Actor = { ...staff(64), kind: 'contact', accountId: 'acct-1', assignedAccountIds: [] };

describe('policy table', () => {
  it('denies everything to nobody', () => {
    for (const action of ACTIONS) expect(can(null, action)).toBe(false);
  });

  it('gives Administrators the administration actions and nobody else', () => {
    for (const action of ['accounts:manage', 'users:manage', 'logos:manage', 'audit:read', 'settings:manage'] as const) {
      expect(can(staff(64), action)).toBe(true);
      for (const role of [16, 24, 32, 40] as const) expect(can(staff(role), action), `${role} ${action}`).toBe(false);
      expect(can(contact, action)).toBe(false);
    }
  });

  it('lets staff see assigned accounts only, Administrators all, contacts none', () => {
    expect(can(staff(16), 'accounts:read', { accountId: 'acct-1' })).toBe(true);
    expect(can(staff(40), 'accounts:read', { accountId: 'acct-2' })).toBe(false);
    expect(can(staff(64), 'accounts:read', { accountId: 'acct-2' })).toBe(true);
    expect(can(contact, 'accounts:read', { accountId: 'acct-1' })).toBe(false);
    expect(can(contact, 'accounts:list')).toBe(false);
  });

  it('keeps support work for agents and support use for contacts', () => {
    expect(can(staff(16, { isSupportAgent: true }), 'support:work')).toBe(true);
    expect(can(staff(64), 'support:work')).toBe(false);
    expect(can(contact, 'support:use')).toBe(true);
    expect(can(staff(64), 'support:use')).toBe(false);
  });

  it('opens an instance to its own contacts and to staff who may see the account, by role', () => {
    const basicContact: Actor = { ...contact, role: 16 };
    expect(can(basicContact, 'instance:read', { accountId: 'acct-1' })).toBe(true);
    expect(can(basicContact, 'scans:import', { accountId: 'acct-1' })).toBe(false);
    expect(can({ ...contact, role: 24 }, 'scans:import', { accountId: 'acct-1' })).toBe(true);
    // Another customer's instance: never, whatever the role (cross-tenant).
    expect(can(contact, 'instance:read', { accountId: 'acct-2' })).toBe(false);
    expect(can(staff(16), 'instance:read', { accountId: 'acct-1' })).toBe(true);
    expect(can(staff(16), 'scans:import', { accountId: 'acct-1' })).toBe(false);
    expect(can(staff(24), 'scans:import', { accountId: 'acct-1' })).toBe(true);
    expect(can(staff(40), 'instance:read', { accountId: 'acct-2' })).toBe(false);
    expect(can(staff(64), 'scans:import', { accountId: 'acct-2' })).toBe(true);
    expect(can(staff(64), 'instance:read')).toBe(false);
  });
});
