// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { MeResponse } from '../../../common/schemas/auth.js';
import { listNavigationItems } from './layout/navigation-items';
import { getLandingPath, readLoginState, resolveReturnPath } from './navigation-state';
import { toActor } from '../features/auth';

const BASE_USER: MeResponse = {
  id: '5f0b7c1e-8d7a-4c3b-9a57-1e2d3c4b5a69',
  kind: 'staff',
  username: 'ada@example.com',
  name: 'Ada Lovelace',
  email: null,
  role: 64,
  isSupportAgent: false,
  accountId: null,
  canManageCases: false,
  isPrimaryContact: false,
  assignedAccountIds: [],
  lastLoginAt: null,
};
const ADMIN = BASE_USER;
const BASIC_STAFF: MeResponse = { ...BASE_USER, role: 16 };
const CONTACT: MeResponse = { ...BASE_USER, kind: 'contact', accountId: '0b9c1e2d-3c4b-4a69-8d7a-5f0b7c1e9a57' };

describe('where people go after signing in', () => {
  it('staff start on Accounts, contacts in their own instance', () => {
    expect(getLandingPath(ADMIN)).toBe('/accounts');
    expect(getLandingPath(CONTACT)).toBe('/instances/0b9c1e2d-3c4b-4a69-8d7a-5f0b7c1e9a57');
    expect(getLandingPath({ ...CONTACT, accountId: null })).toBe('/my-account');
  });

  it('returns to the page the person came from', () => {
    expect(resolveReturnPath(ADMIN, '/settings/audit-log?action=auth.sign_in')).toBe('/settings/audit-log?action=auth.sign_in');
    expect(resolveReturnPath(CONTACT, '/help/readme')).toBe('/help/readme');
  });

  it('never follows a path off this app or back to a signed-out page', () => {
    for (const from of ['//evil.example/x', 'https://evil.example', '/\\evil.example', '/api/docs', '/login', '/setup?token=x', '/']) {
      expect(resolveReturnPath(ADMIN, from)).toBe('/accounts');
    }
  });

  it('does not return someone to a section their role does not include', () => {
    expect(resolveReturnPath(CONTACT, '/accounts')).toBe('/instances/0b9c1e2d-3c4b-4a69-8d7a-5f0b7c1e9a57');
    expect(resolveReturnPath(BASIC_STAFF, '/settings/audit-log')).toBe('/accounts');
  });
});

describe('readLoginState', () => {
  it('keeps only well-formed fields', () => {
    expect(readLoginState(null)).toEqual({});
    expect(readLoginState({ from: 42, notice: { tone: 'loud', message: 'x' } })).toEqual({});
    expect(readLoginState({ from: '/accounts', notice: { tone: 'warning', message: 'Ended.' } })).toEqual({
      from: '/accounts',
      notice: { tone: 'warning', message: 'Ended.' },
    });
  });
});

describe('left navigation', () => {
  it('shows Administrators every section', () => {
    expect(listNavigationItems(toActor(ADMIN)).map((item) => item.label)).toEqual(
      expect.arrayContaining(['Accounts', 'Users', 'Signals', 'Settings']),
    );
    expect(listNavigationItems(toActor(ADMIN)).find((item) => item.label === 'Users')?.path).toBe('/admin/users');
  });

  it('shows other staff Accounts and Signals, contacts Support, and support agents the console too', () => {
    expect(listNavigationItems(toActor(BASIC_STAFF)).map((item) => item.label)).toEqual(['Accounts', 'Signals']);
    expect(listNavigationItems(toActor(CONTACT)).map((item) => item.label)).toEqual(['Support']);
    expect(listNavigationItems(toActor({ ...BASIC_STAFF, isSupportAgent: true })).map((item) => item.label)).toEqual([
      'Accounts',
      'Support',
      'Support console',
      'Signals',
    ]);
  });
});
