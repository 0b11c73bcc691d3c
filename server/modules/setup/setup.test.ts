import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { cookieFrom, createStaff } from '../../test/factories.js';
import { isApprovedDomain } from '../users/users.repository.js';
import { issueSetupLinkIfNeeded } from './setup.service.js';

const tokenOf = (link: string) => new URL(link).searchParams.get('token') ?? '';

describe('first-run setup', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('creates the first Administrator from a one-time link valid 24 hours, approving its domain', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/setup/status' })).json()).toEqual({ isSetupNeeded: true });
    const issued = await issueSetupLinkIfNeeded(t.ctx);
    expect(issued).not.toBeNull();
    const hours = ((issued?.expiresAt.getTime() ?? 0) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    const token = tokenOf(issued?.link ?? '');

    const bad = await t.app.inject({ method: 'POST', url: '/api/setup/inspect', payload: { token: 'x'.repeat(43) } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_token');
    expect((await t.app.inject({ method: 'POST', url: '/api/setup/inspect', payload: { token } })).statusCode).toBe(200);

    const body = {
      token,
      name: 'Ada Admin',
      username: 'ada@northwind-mssp.example',
      email: 'ada@northwind-mssp.example',
      password: 'Correct-Horse-42!',
    };
    const weak = await t.app.inject({ method: 'POST', url: '/api/setup', payload: { ...body, password: 'weakpass' } });
    expect(weak.statusCode).toBe(400);
    const badUsername = await t.app.inject({ method: 'POST', url: '/api/setup', payload: { ...body, username: 'ada' } });
    expect(badUsername.statusCode).toBe(400);
    expect(badUsername.json().error.issues[0].path).toBe('body.username');

    const created = await t.app.inject({ method: 'POST', url: '/api/setup', payload: body });
    expect(created.statusCode).toBe(201);
    expect(created.json().user).toMatchObject({ username: 'ada@northwind-mssp.example', role: 64, kind: 'staff' });
    const session = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: cookieFrom(created) } });
    expect(session.statusCode).toBe(200);
    expect(await isApprovedDomain(t.database.db, 'northwind-mssp.example')).toBe(true);
    const audit = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'setup.completed').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toEqual({ approvedDomain: 'northwind-mssp.example' });

    const reuse = await t.app.inject({ method: 'POST', url: '/api/setup', payload: { ...body, username: 'eve@evil.example' } });
    expect(reuse.statusCode).toBe(409);
    expect(await issueSetupLinkIfNeeded(t.ctx)).toBeNull();
    expect((await t.app.inject({ method: 'GET', url: '/api/setup/status' })).json()).toEqual({ isSetupNeeded: false });
  });
});

describe('setup once staff exist', () => {
  it('issues no link when an administrator was created another way (CLI)', async () => {
    const t = await buildTestApp();
    try {
      await createStaff(t.ctx);
      expect(await issueSetupLinkIfNeeded(t.ctx)).toBeNull();
    } finally {
      await t.close();
    }
  });
});
