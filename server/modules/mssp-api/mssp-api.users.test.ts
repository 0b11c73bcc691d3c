import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRow } from '../../db/schema.js';
import { createStaff, TEST_PASSWORD } from '../../test/factories.js';
import { apiKeysHeaderFor, call, startListeningApp, type ListeningApp } from './mssp-api.test-support.js';

const FORBIDDEN = { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope' };
const NOT_FOUND = { statusCode: 404, error: 'Not Found', message: 'Not Found' };

let testApp: ListeningApp;
let admin: UserRow;
let adminKeys: string;
let staffKeys: string;

beforeAll(async () => {
  testApp = await startListeningApp();
  admin = await createStaff(testApp.ctx, { role: 64, username: 'root@mssp.example' });
  adminKeys = await apiKeysHeaderFor(testApp, admin);
  staffKeys = await apiKeysHeaderFor(testApp, await createStaff(testApp.ctx, { role: 32 }));
});

afterAll(async () => {
  await testApp.close();
});

async function auditActions(targetId: string) {
  return testApp.ctx.db
    .selectFrom('audit_events')
    .select(['action', 'actor_user_id'])
    .where('target_id', '=', targetId)
    .orderBy('at')
    .execute();
}

async function createUser(username: string, permissions = 32) {
  const response = await call(testApp, 'POST', '/users', {
    keys: adminKeys,
    json: { username, password: TEST_PASSWORD, permissions, name: 'Script Made', email: username, type: 'local' },
  });
  expect(response.status, response.text).toBe(200);
  return response.json as { id: string; uuid: string };
}

describe('GET /users', () => {
  it('lists portal staff in the Tenable user shape', async () => {
    const response = await call(testApp, 'GET', '/users', { keys: adminKeys });
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^application\/json/);
    const users = (response.json as { users: Record<string, unknown>[] }).users;
    expect(users.find((user) => user.uuid === admin.id)).toEqual({
      id: admin.id,
      uuid: admin.id,
      uuid_id: admin.id,
      username: 'root@mssp.example',
      user_name: 'root@mssp.example',
      email: null,
      name: admin.name,
      type: 'local',
      permissions: 64,
      enabled: true,
      login_fail_count: 0,
      login_fail_total: 0,
      container_uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      aggregate: true,
      lockout: 0,
      last_apikey_access: expect.any(Number),
    });
  });

  it('answers one user by id, and 404 for unknown or malformed ids', async () => {
    const one = await call(testApp, 'GET', `/users/${admin.id}`, { keys: adminKeys });
    expect(one.json).toMatchObject({ id: admin.id, permissions: 64 });
    for (const id of ['00000000-0000-4000-8000-000000000000', '3157']) {
      const response = await call(testApp, 'GET', `/users/${id}`, { keys: adminKeys });
      expect(response.status).toBe(404);
      expect(response.json).toEqual(NOT_FOUND);
    }
  });

  it('refuses non-administrator keys on every users endpoint', async () => {
    for (const [method, path, json] of [
      ['GET', '/users', undefined],
      ['GET', `/users/${admin.id}`, undefined],
      ['POST', '/users', { username: 'x@mssp.example', password: TEST_PASSWORD, permissions: 16 }],
      ['PUT', `/users/${admin.id}`, { name: 'x' }],
      ['DELETE', `/users/${admin.id}`, undefined],
      ['PUT', `/users/${admin.id}/enabled`, { enabled: false }],
      ['PUT', `/users/${admin.id}/keys`, undefined],
    ] as const) {
      const response = await call(testApp, method, path, { keys: staffKeys, json });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.json).toEqual(FORBIDDEN);
    }
  });
});

describe('POST /users', () => {
  it('creates a staff user, audited with the key user as the actor', async () => {
    const created = await createUser('new.person@mssp.example', 40);
    expect(created).toMatchObject({ username: 'new.person@mssp.example', permissions: 40, enabled: true, name: 'Script Made' });
    expect(created.id).toBe(created.uuid);
    expect(await auditActions(created.id)).toEqual([{ action: 'user.created', actor_user_id: admin.id }]);
  });

  it("refuses an unapproved domain with Tenable's text, a weak password, a bad role and a duplicate; creates nothing", async () => {
    const before = ((await call(testApp, 'GET', '/users', { keys: adminKeys })).json.users as unknown[]).length;
    const unapproved = await call(testApp, 'POST', '/users', {
      keys: adminKeys,
      json: { username: 'someone@elsewhere.example', password: TEST_PASSWORD, permissions: 32 },
    });
    expect(unapproved.status).toBe(400);
    expect(unapproved.json).toEqual({ error: "The username provided is not a part of the current Container's approved domains." });
    const weak = await call(testApp, 'POST', '/users', {
      keys: adminKeys,
      json: { username: 'weak@mssp.example', password: 'short', permissions: 32 },
    });
    expect(weak.status).toBe(400);
    expect(weak.json).toEqual({ error: expect.stringContaining('password policy') });
    const badRole = await call(testApp, 'POST', '/users', {
      keys: adminKeys,
      json: { username: 'role@mssp.example', password: TEST_PASSWORD, permissions: 7 },
    });
    expect(badRole.status).toBe(400);
    const duplicate = await call(testApp, 'POST', '/users', {
      keys: adminKeys,
      json: { username: admin.username, password: TEST_PASSWORD, permissions: 32 },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json).toMatchObject({ statusCode: 409, error: 'Conflict' });
    expect(((await call(testApp, 'GET', '/users', { keys: adminKeys })).json.users as unknown[]).length).toBe(before);
  });
});

describe('PUT /users/{id}, /enabled, /keys and DELETE /users/{id}', () => {
  it('edits permissions, name, email and enabled, as pyTenable sends them merged', async () => {
    const user = await createUser('edit.me@mssp.example');
    const response = await call(testApp, 'PUT', `/users/${user.id}`, {
      keys: adminKeys,
      json: { permissions: 24, name: 'Edited', email: 'edited@mssp.example', enabled: false },
    });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ permissions: 24, name: 'Edited', email: 'edited@mssp.example', enabled: false });
    const actions = (await auditActions(user.id)).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['user.edited', 'user.role_changed', 'user.disabled']));
  });

  it('answers 409 when the key user changes their own enabled flag, changing nothing', async () => {
    const own = await call(testApp, 'PUT', `/users/${admin.id}`, { keys: adminKeys, json: { name: 'Renamed', enabled: false } });
    expect(own.status).toBe(409);
    expect(own.json).toMatchObject({ statusCode: 409, error: 'Conflict' });
    expect((await call(testApp, 'GET', `/users/${admin.id}`, { keys: adminKeys })).json).toMatchObject({ name: admin.name, enabled: true });
    // The same flag as now is not a change.
    expect((await call(testApp, 'PUT', `/users/${admin.id}`, { keys: adminKeys, json: { enabled: true } })).status).toBe(200);
    const enabled = await call(testApp, 'PUT', `/users/${admin.id}/enabled`, { keys: adminKeys, json: { enabled: false } });
    expect(enabled.status).toBe(409);
  });

  it('disables and enables with PUT /users/{id}/enabled; a disabled user’s keys answer 401', async () => {
    const user = await createUser('toggle@mssp.example', 64);
    const keys = await call(testApp, 'PUT', `/users/${user.id}/keys`, { keys: adminKeys });
    const { accessKey, secretKey } = keys.json as { accessKey: string; secretKey: string };
    const theirKeys = `accessKey=${accessKey};secretKey=${secretKey}`;
    expect((await call(testApp, 'GET', '/users', { keys: theirKeys })).status).toBe(200);
    const disabled = await call(testApp, 'PUT', `/users/${user.id}/enabled`, { keys: adminKeys, json: { enabled: false } });
    expect(disabled.json).toMatchObject({ enabled: false });
    expect((await call(testApp, 'GET', '/users', { keys: theirKeys })).status).toBe(401);
    const enabled = await call(testApp, 'PUT', `/users/${user.id}/enabled`, { keys: adminKeys, json: { enabled: true } });
    expect(enabled.json).toMatchObject({ enabled: true });
    expect((await call(testApp, 'GET', '/users', { keys: theirKeys })).status).toBe(200);
  });

  it('replaces API keys with PUT /users/{id}/keys: the old pair stops working', async () => {
    const user = await createUser('keys@mssp.example', 64);
    const first = (await call(testApp, 'PUT', `/users/${user.id}/keys`, { keys: adminKeys })).json as {
      accessKey: string;
      secretKey: string;
    };
    expect(first.accessKey).toMatch(/^[0-9a-f]{64}$/);
    expect(first.secretKey).toMatch(/^[0-9a-f]{64}$/);
    const second = await call(testApp, 'PUT', `/users/${user.id}/keys`, {
      keys: adminKeys,
      headers: { 'content-type': 'application/json' },
    });
    expect(second.status).toBe(200);
    expect((await call(testApp, 'GET', '/users', { keys: `accessKey=${first.accessKey};secretKey=${first.secretKey}` })).status).toBe(401);
    const generated = await auditActions(user.id);
    expect(generated.filter((event) => event.action === 'api_keys.generated')).toEqual([
      { action: 'api_keys.generated', actor_user_id: admin.id },
      { action: 'api_keys.generated', actor_user_id: admin.id },
    ]);
  });

  it('deletes only disabled users, never oneself, and answers {}', async () => {
    const user = await createUser('leaving@mssp.example');
    const enabled = await call(testApp, 'DELETE', `/users/${user.id}`, { keys: adminKeys });
    expect(enabled.status).toBe(409);
    expect((await call(testApp, 'GET', `/users/${user.id}`, { keys: adminKeys })).status).toBe(200);
    const self = await call(testApp, 'DELETE', `/users/${admin.id}`, { keys: adminKeys });
    expect(self.status).toBe(409);
    await call(testApp, 'PUT', `/users/${user.id}/enabled`, { keys: adminKeys, json: { enabled: false } });
    const deleted = await call(testApp, 'DELETE', `/users/${user.id}?successor_user_uuid=${admin.id}`, { keys: adminKeys });
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({});
    expect((await call(testApp, 'GET', `/users/${user.id}`, { keys: adminKeys })).status).toBe(404);
    expect((await auditActions(user.id)).at(-1)).toEqual({ action: 'user.deleted', actor_user_id: admin.id });
  });

  it("defaults the successor to the key's user", async () => {
    const user = await createUser('no.successor@mssp.example');
    await call(testApp, 'PUT', `/users/${user.id}/enabled`, { keys: adminKeys, json: { enabled: false } });
    expect((await call(testApp, 'DELETE', `/users/${user.id}`, { keys: adminKeys })).status).toBe(200);
  });
});
