import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../../test/build-test-app.js';
import { assignAccount, createAccount, createContact, createStaff, signIn, type SignedIn } from '../../test/factories.js';
import { json, startFaultServer, unauthorized, type FaultServer } from './connectors/tenable/fault-server.js';
import { buildIntegrationsTestApp } from './test-app.js';

const ACCESS_KEY = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0aaaa';
const SECRET_KEY = 'f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1bbbb';
const NEW_SECRET_KEY = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcccc';

describe('integrations API', () => {
  let t: TestApp;
  let admin: SignedIn;
  let source: FaultServer;
  /** Every response body, to prove no secret ever leaves. */
  const bodies: string[] = [];

  beforeAll(async () => {
    t = await buildIntegrationsTestApp();
    admin = await signIn(t.app, (await createStaff(t.ctx, { role: 64 })).username);
    source = await startFaultServer();
  });
  afterAll(async () => {
    await source.close();
    await t.close();
  });

  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, who: SignedIn = admin) => {
    const response: LightMyRequestResponse = await t.app.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      headers: method === 'GET' ? { cookie: who.cookie } : who.writeHeaders,
    });
    bodies.push(response.body);
    return response;
  };
  const tenable = (name: string, extra: Record<string, unknown> = {}) => ({
    connector: 'signal-client.tenable',
    name,
    values: { fqdn: source.url, accessKey: ACCESS_KEY, secretKey: SECRET_KEY },
    pollingIntervalMinutes: 30,
    enabled: true,
    ...extra,
  });
  const audits = (action: string) => t.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('at').execute();

  it('lists the connector catalogue, Tenable first', async () => {
    const response = await call('GET', '/api/integrations/connectors');
    expect(response.statusCode).toBe(200);
    const connectors = response.json().connectors;
    expect(connectors[0]).toMatchObject({
      id: 'signal-client.tenable',
      label: 'Tenable',
      category: 'Vulnerability Management',
      authMethod: 'Access Key + Secret Key',
      multiInstance: true,
      streams: [
        { name: 'vulnerabilities', defaultIntervalMinutes: 30 },
        { name: 'assets', defaultIntervalMinutes: 60 },
      ],
    });
    expect(connectors[0].fields.map((field: { name: string; kind: string }) => `${field.name}:${field.kind}`)).toEqual([
      'fqdn:text',
      'accessKey:secret',
      'secretKey:secret',
      'caCertificate:pem',
    ]);
    expect(connectors.map((connector: { id: string }) => connector.id)).toContain('test.json-file');
    const spec = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(Object.keys(spec.json().paths)).toEqual(
      expect.arrayContaining([
        '/api/integrations',
        '/api/integrations/{id}',
        '/api/integrations/{id}/poll-now',
        '/api/integrations/test-connection',
      ]),
    );
  });

  it('creates an integration: 201, secrets masked and encrypted at rest, due now, assets at twice the interval, audited', async () => {
    const account = await createAccount(t.ctx, { name: 'Target Co' });
    const response = await call('POST', '/api/integrations', tenable('Tenable production', { targetAccountId: account.id }));
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      connector: 'signal-client.tenable',
      connectorLabel: 'Tenable',
      name: 'Tenable production',
      enabled: true,
      health: 'pending',
      values: { fqdn: source.url, accessKey: '••••aaaa', secretKey: '••••bbbb', caCertificate: null },
      targetAccount: { id: account.id, name: 'Target Co' },
      owner: { id: admin.session.user.id },
    });
    expect(
      body.streams.map((stream: { name: string; intervalMinutes: number; health: string }) => [
        stream.name,
        stream.intervalMinutes,
        stream.health,
      ]),
    ).toEqual([
      ['vulnerabilities', 30, 'pending'],
      ['assets', 60, 'pending'],
    ]);
    const row = await t.ctx.db.selectFrom('integrations').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row.settings)).not.toContain(ACCESS_KEY);
    expect(row.secrets).toMatch(/^v1:/);
    expect(row.secrets).not.toContain(SECRET_KEY);
    const streams = await t.ctx.db.selectFrom('integration_streams').selectAll().where('integration_id', '=', body.id).execute();
    for (const stream of streams) expect(stream.next_run_at!.getTime()).toBeLessThanOrEqual(Date.now());
    const [created] = await audits('integration.created');
    expect(created).toMatchObject({ target_id: body.id, account_id: account.id, actor_user_id: admin.session.user.id });
    expect(created!.details).toMatchObject({
      name: 'Tenable production',
      secretFields: ['accessKey', 'secretKey'],
      intervals: { vulnerabilities: 30, assets: 60 },
    });

    const list = await call('GET', '/api/integrations');
    expect(list.json().integrations.map((integration: { name: string }) => integration.name)).toContain('Tenable production');
    expect((await call('GET', `/api/integrations/${body.id}`)).json().id).toBe(body.id);
  });

  it('refuses a name already taken, whatever its case, with 409', async () => {
    const response = await call('POST', '/api/integrations', tenable('TENABLE Production'));
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({ code: 'conflict', message: expect.stringContaining('already exists') });
  });

  it('refuses bad input naming each field, and stores nothing', async () => {
    const before = (await t.ctx.db.selectFrom('integrations').select('id').execute()).length;
    const unknownConnector = await call('POST', '/api/integrations', { ...tenable('X'), connector: 'nope' });
    expect(unknownConnector.statusCode).toBe(400);
    expect(unknownConnector.json().error.issues).toEqual([{ path: 'body.connector', message: 'Unknown connector.' }]);

    const missing = await call(
      'POST',
      '/api/integrations',
      tenable('Missing keys', { values: { fqdn: 'cloud.tenable.com', accessKey: '  ' } }),
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.issues.map((issue: { path: string }) => issue.path)).toEqual([
      'body.values.accessKey',
      'body.values.secretKey',
    ]);

    const bad = await call(
      'POST',
      '/api/integrations',
      tenable('Bad values', { values: { fqdn: 'ftp://nowhere', accessKey: 'a b', secretKey: SECRET_KEY, extra: 'x' } }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues.map((issue: { path: string }) => issue.path)).toEqual(['body.values.extra']);
    const badFqdn = await call(
      'POST',
      '/api/integrations',
      tenable('Bad fqdn', { values: { fqdn: 'ftp://nowhere', accessKey: ACCESS_KEY, secretKey: SECRET_KEY } }),
    );
    expect(badFqdn.statusCode).toBe(400);
    expect(badFqdn.json().error.issues.map((issue: { path: string }) => issue.path)).toEqual(['body.values.fqdn']);

    const noAccount = await call(
      'POST',
      '/api/integrations',
      tenable('No account', { targetAccountId: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(noAccount.statusCode).toBe(400);
    expect(noAccount.json().error.issues).toEqual([{ path: 'body.targetAccountId', message: 'Select an existing customer account.' }]);

    expect((await call('POST', '/api/integrations', tenable('Zero', { pollingIntervalMinutes: 0 }))).statusCode).toBe(400);
    expect((await call('POST', '/api/integrations', tenable('Stream', { streamIntervals: { nope: 10 } }))).statusCode).toBe(400);
    expect((await call('POST', '/api/integrations', tenable('  '))).statusCode).toBe(400);
    expect((await t.ctx.db.selectFrom('integrations').select('id').execute()).length).toBe(before);
  });

  it('updates: a secret left empty keeps its value; audits changed fields and secret names, never values', async () => {
    const created = (await call('POST', '/api/integrations', tenable('To edit', { streamIntervals: { assets: 90 } }))).json();
    expect(created.streams[1].intervalMinutes).toBe(90);
    const response = await call('PATCH', `/api/integrations/${created.id}`, {
      name: 'Edited',
      values: { accessKey: '', secretKey: NEW_SECRET_KEY },
      pollingIntervalMinutes: 45,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ name: 'Edited', values: { accessKey: '••••aaaa', secretKey: '••••cccc' } });
    expect(response.json().streams.map((stream: { intervalMinutes: number }) => stream.intervalMinutes)).toEqual([45, 90]);
    const [updated] = (await audits('integration.updated')).filter((event) => event.target_id === created.id);
    expect(updated!.details).toMatchObject({ changedFields: ['name', 'intervals.vulnerabilities'] });
    const [secrets] = (await audits('integration.secrets_changed')).filter((event) => event.target_id === created.id);
    expect(secrets!.details).toMatchObject({ fields: ['secretKey'] });

    // Disabled: nothing scheduled, health disabled; enabled again: due now. Both audited.
    const disabled = await call('PATCH', `/api/integrations/${created.id}`, { enabled: false });
    expect(disabled.json()).toMatchObject({ enabled: false, health: 'disabled' });
    const streams = await t.ctx.db
      .selectFrom('integration_streams')
      .select('next_run_at')
      .where('integration_id', '=', created.id)
      .execute();
    expect(streams.every((stream) => stream.next_run_at === null)).toBe(true);
    const poll = await call('POST', `/api/integrations/${created.id}/poll-now`);
    expect(poll.statusCode).toBe(409);
    expect(poll.json().error.message).toContain('disabled');
    await call('PATCH', `/api/integrations/${created.id}`, { enabled: true });
    expect((await audits('integration.disabled')).some((event) => event.target_id === created.id)).toBe(true);
    expect((await audits('integration.enabled')).some((event) => event.target_id === created.id)).toBe(true);

    // Assets at the default (twice the Polling Interval) follow a new Polling Interval.
    const follows = (await call('POST', '/api/integrations', tenable('Follows'))).json();
    const changed = await call('PATCH', `/api/integrations/${follows.id}`, { pollingIntervalMinutes: 20 });
    expect(changed.json().streams.map((stream: { intervalMinutes: number }) => stream.intervalMinutes)).toEqual([20, 40]);

    expect((await call('PATCH', `/api/integrations/${created.id}`, { name: 'tenable PRODUCTION' })).statusCode).toBe(409);
    expect((await call('PATCH', `/api/integrations/${created.id}`, { values: { fqdn: '' } })).statusCode).toBe(400);
  });

  it('tests a connection against a local source, filling stored secrets, and audits it without values', async () => {
    source.route('GET', '/session', (request) =>
      String(request.headers['x-apikeys']).includes(SECRET_KEY) ? json({ username: 'api-user@source.test' }) : unauthorized(),
    );
    const typed = await call('POST', '/api/integrations/test-connection', {
      connector: 'signal-client.tenable',
      values: { fqdn: source.url, accessKey: ACCESS_KEY, secretKey: SECRET_KEY },
    });
    expect(typed.statusCode).toBe(200);
    expect(typed.json()).toEqual({ ok: true, message: 'Connected as api-user@source.test', error: null });
    expect(source.requestsTo('GET', '/session')[0]?.headers['user-agent']).toMatch(/^Integration\/1\.0 \(Bulwark; Bulwark; Build\//);

    const wrong = await call('POST', '/api/integrations/test-connection', {
      connector: 'signal-client.tenable',
      values: { fqdn: source.url, accessKey: ACCESS_KEY, secretKey: NEW_SECRET_KEY },
    });
    expect(wrong.json()).toMatchObject({ ok: false, error: { kind: 'auth', title: 'Authentication failed (401)' } });
    expect(wrong.json().error.advice[1]).toContain('regenerated');

    const saved = (await call('POST', '/api/integrations', tenable('Saved for test'))).json();
    const filled = await call('POST', '/api/integrations/test-connection', {
      connector: 'signal-client.tenable',
      integrationId: saved.id,
      values: { fqdn: source.url, accessKey: '', secretKey: '' },
    });
    expect(filled.json()).toMatchObject({ ok: true });

    const missingFile = await call('POST', '/api/integrations/test-connection', {
      connector: 'test.json-file',
      values: { path: '/nonexistent/file.json' },
    });
    expect(missingFile.json()).toMatchObject({ ok: false, error: { kind: 'unreachable', title: 'Host unreachable' } });
    const tested = await audits('integration.tested');
    expect(tested.length).toBeGreaterThanOrEqual(4);
    expect(tested.map((event) => event.outcome)).toEqual(['success', 'failure', 'success', 'failure']);
    expect(JSON.stringify(tested)).not.toContain(SECRET_KEY);
  });

  it('polls now: 202 with the queued streams, a running stream not queued twice, audited', async () => {
    const created = (await call('POST', '/api/integrations', tenable('Poll me'))).json();
    await t.ctx.db.insertInto('integration_runs').values({ integration_id: created.id, stream: 'assets', trigger: 'schedule' }).execute();
    const response = await call('POST', `/api/integrations/${created.id}/poll-now`);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ queued: ['vulnerabilities'] });
    expect((await audits('integration.poll_now')).at(-1)?.details).toMatchObject({
      queued: ['vulnerabilities'],
      alreadyRunning: ['assets'],
    });
    const runs = await call('GET', `/api/integrations/${created.id}/runs`);
    expect(runs.json()).toMatchObject({ total: 1, runs: [{ stream: 'assets', status: 'running', trigger: 'schedule' }] });
    expect((await call('GET', `/api/integrations/${created.id}`)).json().streams[1]).toMatchObject({ name: 'assets', running: true });
    expect((await call('GET', `/api/integrations/${created.id}/logs`)).json()).toEqual({ lines: [] });
  });

  it('deletes an integration: 204, then 404 everywhere, audited', async () => {
    const created = (await call('POST', '/api/integrations', tenable('To delete'))).json();
    expect((await call('DELETE', `/api/integrations/${created.id}`)).statusCode).toBe(204);
    for (const [method, url] of [
      ['GET', `/api/integrations/${created.id}`],
      ['PATCH', `/api/integrations/${created.id}`],
      ['DELETE', `/api/integrations/${created.id}`],
      ['POST', `/api/integrations/${created.id}/poll-now`],
      ['GET', `/api/integrations/${created.id}/runs`],
      ['GET', `/api/integrations/${created.id}/logs`],
    ] as const) {
      expect((await call(method, url, method === 'PATCH' ? { name: 'x' } : undefined)).statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await audits('integration.deleted')).at(-1)).toMatchObject({ target_id: created.id, details: { name: 'To delete' } });
  });

  it('refuses every route to non-administrators (staff assigned to the target account included) and contacts', async () => {
    const account = await createAccount(t.ctx);
    const created = (await call('POST', '/api/integrations', tenable('Guarded', { targetAccountId: account.id }))).json();
    const manager = await createStaff(t.ctx, { role: 40, isSupportAgent: true });
    await assignAccount(t.ctx, manager.id, account.id);
    const staff = await signIn(t.app, manager.username);
    const contact = await signIn(t.app, (await createContact(t.ctx, account.id)).username);
    const routes = [
      ['GET', '/api/integrations/connectors', undefined],
      ['GET', '/api/integrations', undefined],
      ['POST', '/api/integrations', tenable('Intruder')],
      ['POST', '/api/integrations/test-connection', { connector: 'signal-client.tenable', integrationId: created.id, values: {} }],
      ['GET', `/api/integrations/${created.id}`, undefined],
      ['PATCH', `/api/integrations/${created.id}`, { enabled: false }],
      ['DELETE', `/api/integrations/${created.id}`, undefined],
      ['POST', `/api/integrations/${created.id}/poll-now`, undefined],
      ['GET', `/api/integrations/${created.id}/runs`, undefined],
      ['GET', `/api/integrations/${created.id}/logs`, undefined],
    ] as const;
    for (const who of [staff, contact]) {
      for (const [method, url, payload] of routes) expect((await call(method, url, payload, who)).statusCode, `${method} ${url}`).toBe(403);
    }
    for (const [method, url, payload] of routes) {
      const response = await t.app.inject({ method, url, ...(payload ? { payload } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
    }
    // Nothing changed.
    expect((await call('GET', `/api/integrations/${created.id}`)).json()).toMatchObject({ name: 'Guarded', enabled: true });
  });

  it('moves the integrations of a deleted user to the successor', async () => {
    const leaver = await createStaff(t.ctx, { role: 64 });
    const leaverSession = await signIn(t.app, leaver.username);
    const created = (await call('POST', '/api/integrations', tenable('Owned by leaver'), leaverSession)).json();
    expect(created.owner.id).toBe(leaver.id);
    const successor = await createStaff(t.ctx, { role: 64 });
    expect((await call('POST', `/api/admin/users/${leaver.id}/disable`, {})).statusCode).toBe(200);
    const deletion = await call('DELETE', `/api/admin/users/${leaver.id}?successorUserId=${successor.id}`);
    expect(deletion.statusCode, deletion.body).toBe(200);
    expect((await call('GET', `/api/integrations/${created.id}`)).json().owner.id).toBe(successor.id);
    expect((await audits('user.deleted')).at(-1)?.details).toMatchObject({ integrationsTransferred: 1 });
  });

  it('never shows a secret in any response, audit row or log line', async () => {
    const audit = JSON.stringify(await t.ctx.db.selectFrom('audit_events').selectAll().execute());
    const logs = JSON.stringify(await t.ctx.db.selectFrom('integration_logs').selectAll().execute());
    for (const secret of [ACCESS_KEY, SECRET_KEY, NEW_SECRET_KEY]) {
      expect(bodies.join('\n')).not.toContain(secret);
      expect(audit).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});
