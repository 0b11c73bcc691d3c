// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UserSummaryResponse } from '../../../../../common/schemas/users.js';
import { installBrowserStubs, render } from '../../../test-utils/render';
import { UsersTable } from './users-table';

const base: UserSummaryResponse = {
  id: '00000000-0000-4000-8000-000000000001',
  username: 'ada@mssp.example',
  name: 'Ada Lovelace',
  email: null,
  role: 64,
  isSupportAgent: false,
  isDisabled: false,
  lastLoginAt: null,
  lastFailedLoginAt: null,
  failedLoginCount: 0,
  assignedAccountCount: 0,
  apiKeysCreatedAt: null,
  apiKeysLastUsedAt: null,
};

describe('UsersTable', () => {
  beforeAll(installBrowserStubs);
  afterEach(cleanup);

  it('tags disabled users, offers Enable and Delete for them, Disable for others, and nothing for yourself', () => {
    const users: UserSummaryResponse[] = [
      base,
      {
        ...base,
        id: '00000000-0000-4000-8000-000000000002',
        username: 'bob@mssp.example',
        name: 'Bob',
        role: 32,
        assignedAccountCount: 3,
        failedLoginCount: 4,
      },
      { ...base, id: '00000000-0000-4000-8000-000000000003', username: 'cy@mssp.example', name: 'Cy', role: 16, isDisabled: true },
    ];
    render(<UsersTable users={users} currentUserId={base.id} onDisable={() => {}} onEnable={() => {}} />);
    expect(screen.getByText('Disabled')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Disable bob@mssp.example' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Enable cy@mssp.example' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Delete cy@mssp.example' }).getAttribute('href')).toBe(`/admin/users/${users[2]?.id}/delete`);
    expect(screen.queryByRole('button', { name: 'Disable ada@mssp.example' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Delete bob@mssp.example' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Bob' }).getAttribute('href')).toBe(`/admin/users/${users[1]?.id}`);
    expect(screen.getByText('VM Standard')).toBeTruthy();
  });

  it('offers Assist on enabled users who are not Administrators only', () => {
    const bob = { ...base, id: '00000000-0000-4000-8000-000000000002', username: 'bob@mssp.example', name: 'Bob', role: 16 as const };
    const users: UserSummaryResponse[] = [
      base,
      bob,
      { ...base, id: '00000000-0000-4000-8000-000000000003', username: 'eve@mssp.example', name: 'Eve' },
      { ...bob, id: '00000000-0000-4000-8000-000000000004', username: 'cy@mssp.example', name: 'Cy', isDisabled: true },
    ];
    const assisted: string[] = [];
    render(
      <UsersTable
        users={users}
        currentUserId={base.id}
        onDisable={() => {}}
        onEnable={() => {}}
        onAssist={(user) => assisted.push(user.username)}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Assist bob@mssp.example' }));
    expect(assisted).toEqual(['bob@mssp.example']);
    for (const username of ['ada@mssp.example', 'eve@mssp.example', 'cy@mssp.example']) {
      expect(screen.queryByRole('button', { name: `Assist ${username}` }), username).toBeNull();
    }
  });
});
