import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../test/build-test-app.js';
import { createStaff, signIn } from '../test/factories.js';

describe('HTTP conventions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ BODY_LIMIT_BYTES: '2048' });
  });
  afterAll(() => t.close());

  it('answers health with the database kind and version, without signing in', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
  });

  it('answers unknown API paths with JSON 404, in Tenable shape under Tenable prefixes', async () => {
    const api = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/application\/json/);
    expect(api.json().error.code).toBe('not_found');
    for (const url of ['/users/1/nope', '/scans/12/export', '/mssp/nope', '/vulns/export', '/workbenches/nope', '/api/v3/whatever']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json(), url).toEqual({ statusCode: 404, error: 'Not Found', message: 'Not Found' });
    }
  });

  it('serves the web app for other unknown paths, with security headers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/accounts/some/deep/link' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.body).toContain('<div id="root">');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-frame-options']).toBe('DENY');
  });

  it('denies every non-public route to anonymous callers', async () => {
    for (const [method, url] of [
      ['GET', '/api/auth/session'],
      ['POST', '/api/auth/sign-out'],
      ['GET', '/api/audit-events'],
      ['GET', '/api/audit-events/actions'],
      ['GET', '/api/accounts'],
      ['GET', '/api/help/readme'],
    ] as const) {
      const response = await t.app.inject({ method, url });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
      expect(response.json().error.code).toBe('unauthenticated');
    }
  });

  it('rejects malformed JSON, wrong fields, oversized bodies and wrong content types with 400/413/415 and changes nothing', async () => {
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('malformed_json');

    const wrongField = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'a@b.example', password: 42 } });
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json().error).toMatchObject({ code: 'validation_failed', issues: [{ path: 'body.password' }] });

    const tooLarge = await t.app.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { username: 'x'.repeat(4000) } });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.code).toBe('payload_too_large');

    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(wrongType.statusCode).toBe(415);

    const events = await t.database.db.selectFrom('audit_events').select('id').execute();
    expect(events).toHaveLength(0);
  });

  it('publishes OpenAPI documentation at /api/docs', async () => {
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    const spec = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(spec.statusCode).toBe(200);
    expect(Object.keys(spec.json().paths)).toEqual(
      expect.arrayContaining(['/api/auth/sign-in', '/api/health', '/api/audit-events', '/api/accounts']),
    );
  });

  it('serves Bulwark documentation to signed-in users', async () => {
    const user = await createStaff(t.ctx, { role: 16 });
    const { cookie } = await signIn(t.app, user.username);
    const response = await t.app.inject({ method: 'GET', url: '/api/help/readme', headers: { cookie } });
    expect(response.statusCode).toBe(200);
    expect(response.json().markdown).toContain('# Bulwark');
    expect((await t.app.inject({ method: 'GET', url: '/api/help/secrets', headers: { cookie } })).statusCode).toBe(400);
  });
});
