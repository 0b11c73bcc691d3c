import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMINISTRATOR_ASSIGNMENT_MESSAGE } from '../../../common/schemas/users.js';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { assignAccount, createAccount, createContact, createStaff, signIn, TEST_PASSWORD, type SignedIn } from '../../test/factories.js';

const DOMAIN = 'users-test.example';

describe('users (staff management)', () => {
  let t: TestApp;
  let admin: SignedIn;
  let adminId: string;
  beforeAll(async () => {
    t = await buildTestApp();
    const row = await createStaff(t.ctx, { role: 64, username: `admin@${DOMAIN}` });
    adminId = row.id;
    admin = await signIn(t.app, row.username);
  });
  afterAll(() => t.close());

  const request = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, who: SignedIn = admin) =>
    t.app.inject({
      method,
      url,
      payload: payload as object | undefined,
      headers: method === 'GET' ? { cookie: who.cookie } : who.writeHeaders,
    });

  const newUser = (overrides: Record<string, unknown> = {}) => ({
    name: 'Grace Hopper',
    username: `grace-${Math.random().toString(16).slice(2, 8)}@${DOMAIN}`,
    email: '',
    password: TEST_PASSWORD,
    role: 32,
    ...overrides,
  });

  it('creates a staff user assigned to accounts, lists them and records the audit events', async () => {
    const [a, b] = [await createAccount(t.ctx, { name: 'Alpha Co' }), await createAccount(t.ctx, { name: 'Beta Co' })];
    const response = await request('POST', '/api/admin/users', newUser({ accountIds: [a.id, b.id] }));
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({ role: 32, isDisabled: false, assignedAccountCount: 2, failedLoginCount: 0 });
    expect(created.accounts.map((account: { name: string }) => account.name)).toEqual(['Alpha Co', 'Beta Co']);
    expect(created).not.toHaveProperty('passwordHash');

    const list = (await request('GET', '/api/admin/users')).json();
    expect(list.items.map((item: { username: string }) => item.username)).toContain(created.username);

    const { cookie } = await signIn(t.app, created.username);
    const accounts = (await t.app.inject({ method: 'GET', url: '/api/accounts', headers: { cookie } })).json();
    expect(accounts.items.map((item: { name: string }) => item.name).sort()).toEqual(['Alpha Co', 'Beta Co']);

    const actions = (await t.ctx.db.selectFrom('audit_events').select('action').where('target_id', '=', created.id).execute()).map(
      (r) => r.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['user.created', 'user.accounts_assigned']));
  });

  it('refuses an unapproved domain naming the approved ones, a weak password, a password with the username, and a duplicate', async () => {
    const unapproved = await request('POST', '/api/admin/users', newUser({ username: 'x@elsewhere.example' }));
    expect(unapproved.statusCode).toBe(400);
    expect(unapproved.json().error.message).toContain(`The username must be in an approved domain: `);
    expect(unapproved.json().error.message).toContain(DOMAIN);

    const weak = await request('POST', '/api/admin/users', newUser({ password: 'short' }));
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.message).toContain('Must be at least 12 characters long.');

    const containsName = await request(
      'POST',
      '/api/admin/users',
      newUser({ username: `margaret@${DOMAIN}`, password: 'Margaret-Pass-42!' }),
    );
    expect(containsName.json().error.message).toContain('Must not contain the username.');

    const first = newUser();
    expect((await request('POST', '/api/admin/users', first)).statusCode).toBe(201);
    const duplicate = await request('POST', '/api/admin/users', { ...first, username: first.username.toUpperCase() });
    expect(duplicate.statusCode).toBe(409);
    const count = await t.ctx.db.selectFrom('users').select('id').where('username', 'ilike', first.username).execute();
    expect(count).toHaveLength(1);
  });

  it('refuses assigning an Administrator to accounts', async () => {
    const account = await createAccount(t.ctx);
    const response = await request('POST', '/api/admin/users', newUser({ role: 64, accountIds: [account.id] }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toBe(ADMINISTRATOR_ASSIGNMENT_MESSAGE);
    const other = (await request('POST', '/api/admin/users', newUser({ role: 64 }))).json();
    const put = await request('PUT', `/api/admin/users/${other.id}/accounts`, { accountIds: [account.id] });
    expect(put.statusCode).toBe(400);
    expect(put.json().error.message).toBe(ADMINISTRATOR_ASSIGNMENT_MESSAGE);
  });

  it('edits name, email, password, role and support agent; records role changes; assigns and removes accounts', async () => {
    const user = (await request('POST', '/api/admin/users', newUser())).json();
    const session = await signIn(t.app, user.username);
    const edited = await request('PATCH', `/api/admin/users/${user.id}`, {
      name: 'Grace B. Hopper',
      email: 'grace@mail.example',
      role: 40,
      isSupportAgent: true,
      password: 'Another-Secret-77!',
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ name: 'Grace B. Hopper', email: 'grace@mail.example', role: 40, isSupportAgent: true });
    // A password set by an Administrator ends the user's sessions.
    expect((await t.app.inject({ method: 'GET', url: '/api/accounts', headers: { cookie: session.cookie } })).statusCode).toBe(401);
    await signIn(t.app, user.username, 'Another-Secret-77!');

    const [a, b] = [await createAccount(t.ctx), await createAccount(t.ctx)];
    expect((await request('POST', `/api/admin/users/${user.id}/accounts/${a.id}`)).json().assignedAccountCount).toBe(1);
    expect((await request('PUT', `/api/admin/users/${user.id}/accounts`, { accountIds: [a.id, b.id] })).json().assignedAccountCount).toBe(
      2,
    );
    expect(
      (await request('DELETE', `/api/admin/users/${user.id}/accounts/${a.id}`)).json().accounts.map((x: { id: string }) => x.id),
    ).toEqual([b.id]);

    // Becoming an Administrator removes the assignments.
    expect((await request('PATCH', `/api/admin/users/${user.id}`, { role: 64 })).json().assignedAccountCount).toBe(0);
    const actions = (await t.ctx.db.selectFrom('audit_events').select('action').where('target_id', '=', user.id).execute()).map(
      (r) => r.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining(['user.edited', 'user.role_changed', 'user.accounts_assigned', 'user.accounts_removed']),
    );
    expect(
      (await request('PATCH', `/api/admin/users/${user.id}`, { password: `x${user.username.split('@')[0]}A1!aaaaaaa` })).statusCode,
    ).toBe(400);
    expect((await request('PATCH', `/api/admin/users/${adminId}`, { role: 16 })).statusCode).toBe(409);
  });

  it('disables a user (their open session stops working), enables them, and refuses disabling yourself', async () => {
    const user = (await request('POST', '/api/admin/users', newUser())).json();
    const session = await signIn(t.app, user.username);
    const disabled = await request('POST', `/api/admin/users/${user.id}/disable`);
    expect(disabled.json().isDisabled).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/accounts', headers: { cookie: session.cookie } })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: user.username, password: TEST_PASSWORD } }))
        .statusCode,
    ).not.toBe(200);
    expect((await request('POST', `/api/admin/users/${user.id}/enable`)).json().isDisabled).toBe(false);
    await signIn(t.app, user.username);
    expect((await request('POST', `/api/admin/users/${adminId}/disable`)).statusCode).toBe(409);
    const actions = (await t.ctx.db.selectFrom('audit_events').select('action').where('target_id', '=', user.id).execute()).map(
      (r) => r.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['user.disabled', 'user.enabled']));
  });

  it('deletes only disabled users, transferring objects to an enabled successor', async () => {
    const user = (await request('POST', '/api/admin/users', newUser({ role: 64 }))).json();
    const target = (await request('POST', '/api/admin/users', newUser())).json();
    const successor = await createStaff(t.ctx, { role: 32, username: `successor@${DOMAIN}` });
    const disabledSuccessor = await createStaff(t.ctx, { role: 32, isDisabled: true, username: `gone@${DOMAIN}` });
    const account = await createAccount(t.ctx);
    await assignAccount(t.ctx, target.id, account.id);
    const logo = await t.ctx.db
      .insertInto('logos')
      .values({ name: 'L', file_name: 'l.png', storage_key: 'k', width: 1, height: 1, size_bytes: 1, created_by_user_id: target.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.ctx.db
      .insertInto('custom_name_history')
      .values({
        account_id: account.id,
        changed_by_user_id: target.id,
        changed_by_username: target.username,
        old_value: null,
        new_value: 'N',
      })
      .execute();
    await signIn(t.app, target.username);
    await request('POST', `/api/admin/users/${target.id}/api-keys`);
    // An import the user made (issue 5): its scan moves to the new owner.
    const scan = await t.ctx.db
      .insertInto('scans')
      .values({ account_id: account.id, name: 'weekly.nessus', owner_user_id: target.id, warnings: '[]' })
      .returning('id')
      .executeTakeFirstOrThrow();

    const url = `/api/admin/users/${target.id}?successorUserId=${successor.id}`;
    const enabled = await request('DELETE', url);
    expect(enabled.statusCode).toBe(409);
    expect(enabled.json().error.message).toContain('only disabled users can be deleted');

    await request('POST', `/api/admin/users/${target.id}/disable`);
    expect((await request('DELETE', `/api/admin/users/${target.id}?successorUserId=${disabledSuccessor.id}`)).statusCode).toBe(400);
    expect((await request('DELETE', `/api/admin/users/${target.id}?successorUserId=${target.id}`)).statusCode).toBe(400);
    expect((await request('DELETE', `/api/admin/users/${adminId}?successorUserId=${successor.id}`)).statusCode).toBe(409);

    const deleted = await request('DELETE', url);
    expect(deleted.statusCode).toBe(200);
    expect((await request('GET', `/api/admin/users/${target.id}`)).statusCode).toBe(404);

    const db = t.ctx.db;
    expect(await db.selectFrom('logos').select('created_by_user_id').where('id', '=', logo.id).executeTakeFirstOrThrow()).toEqual({
      created_by_user_id: null,
    });
    expect(
      await db
        .selectFrom('custom_name_history')
        .select(['changed_by_user_id', 'changed_by_username'])
        .where('account_id', '=', account.id)
        .execute(),
    ).toEqual([{ changed_by_user_id: null, changed_by_username: target.username }]);
    expect(await db.selectFrom('scans').select('owner_user_id').where('id', '=', scan.id).executeTakeFirstOrThrow()).toEqual({
      owner_user_id: successor.id,
    });
    expect(await db.selectFrom('api_keys').select('id').where('user_id', '=', target.id).execute()).toEqual([]);
    expect(await db.selectFrom('sessions').select('id').where('user_id', '=', target.id).execute()).toEqual([]);
    expect(await db.selectFrom('staff_account_assignments').select('account_id').where('user_id', '=', target.id).execute()).toEqual([]);
    const events = await db.selectFrom('audit_events').select(['action', 'details']).where('target_id', '=', target.id).execute();
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['user.created', 'user.disabled', 'user.deleted']));
    expect(events.find((e) => e.action === 'user.deleted')?.details).toMatchObject({
      successorUserId: successor.id,
      successorUsername: successor.username,
      scansTransferred: 1,
    });
    expect(user.role).toBe(64);
  });

  it('answers 404 for contacts and unknown ids (visibility)', async () => {
    const account = await createAccount(t.ctx);
    const contact = await createContact(t.ctx, account.id);
    for (const url of [`/api/admin/users/${contact.id}`, '/api/admin/users/00000000-0000-4000-8000-000000000000']) {
      expect((await request('GET', url)).statusCode).toBe(404);
    }
    expect((await request('POST', `/api/admin/users/${contact.id}/disable`)).statusCode).toBe(404);
    expect((await request('PATCH', `/api/admin/users/${contact.id}`, { name: 'x' })).statusCode).toBe(404);
    const list = (await request('GET', '/api/admin/users')).json();
    expect(list.items.map((item: { id: string }) => item.id)).not.toContain(contact.id);
  });

  it('refuses non-administrators and anonymous callers (role test)', async () => {
    const standard = await signIn(t.app, (await createStaff(t.ctx, { role: 40, username: `mgr@${DOMAIN}` })).username);
    expect((await request('GET', '/api/admin/users', undefined, standard)).statusCode).toBe(403);
    expect((await request('POST', '/api/admin/users', newUser(), standard)).statusCode).toBe(403);
    expect((await request('POST', `/api/admin/users/${adminId}/disable`, undefined, standard)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/users' })).statusCode).toBe(401);
  });
});
