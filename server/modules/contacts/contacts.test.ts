import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { assignAccount, createAccount, createStaff, signIn, type SignedIn } from '../../test/factories.js';
import { linkIn, startTestSmtpServer, type TestSmtpServer } from '../../test/smtp.js';
import { generateSupportPin } from './contacts.service.js';

describe('contacts of an account', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let admin: SignedIn;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    t = await buildTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'http://bulwark.test:8080' });
    admin = await signIn(t.app, (await createStaff(t.ctx, { role: 64 })).username);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const add = (accountId: string, payload: object, headers = admin.writeHeaders) =>
    t.app.inject({ method: 'POST', url: `/api/accounts/${accountId}/contacts`, headers, payload });

  it('generates 6-digit Support PINs', () => {
    for (let index = 0; index < 50; index++) expect(generateSupportPin()).toMatch(/^\d{6}$/);
  });

  it('adds a contact with a Support PIN and mails an invitation whose link sets the first password', async () => {
    const account = await createAccount(t.ctx, { name: 'Oscorp' });
    const response = await add(account.id, { name: 'Norman Osborn', username: 'norman@oscorp.example', role: 40, canManageCases: true });
    expect(response.statusCode).toBe(201);
    const contact = response.json();
    expect(contact).toMatchObject({ name: 'Norman Osborn', role: 40, canManageCases: true, isPrimaryContact: false, hasPassword: false });
    expect(contact.supportPin).toMatch(/^\d{6}$/);
    const message = await smtp.waitForMessage('norman@oscorp.example');
    expect(message.subject).toBe('You are invited to Bulwark for Oscorp');
    const link = linkIn(message);
    const token = new URL(link).searchParams.get('token');
    const reset = await t.app.inject({
      method: 'POST',
      url: '/api/auth/reset-password',
      payload: { token, password: 'Green-Goblin-2026!' },
    });
    expect(reset.statusCode).toBe(200);
    expect((await signIn(t.app, 'norman@oscorp.example', 'Green-Goblin-2026!')).session.user.kind).toBe('contact');
    expect((await add(account.id, { name: 'Again', username: 'NORMAN@oscorp.example' })).statusCode).toBe(409);
  });

  it('keeps at most one Primary Contact per account, edits and removes contacts', async () => {
    const account = await createAccount(t.ctx, { name: 'Pym Technologies' });
    const first = (await add(account.id, { name: 'Hank', username: 'hank@pym.example', isPrimaryContact: true })).json();
    const second = (await add(account.id, { name: 'Janet', username: 'janet@pym.example', isPrimaryContact: true })).json();
    const details = async () =>
      (await t.app.inject({ method: 'GET', url: `/api/accounts/${account.id}`, headers: { cookie: admin.cookie } })).json();
    expect((await details()).contacts.filter((contact: { isPrimaryContact: boolean }) => contact.isPrimaryContact)).toEqual([
      expect.objectContaining({ id: second.id }),
    ]);
    const edited = await t.app.inject({
      method: 'PATCH',
      url: `/api/accounts/${account.id}/contacts/${first.id}`,
      headers: admin.writeHeaders,
      payload: { isPrimaryContact: true, role: 64, name: 'Hank Pym' },
    });
    expect(edited.json()).toMatchObject({ name: 'Hank Pym', role: 64, isPrimaryContact: true });
    expect(
      (await details()).contacts.map((contact: { name: string; isPrimaryContact: boolean }) => [contact.name, contact.isPrimaryContact]),
    ).toEqual([
      ['Hank Pym', true],
      ['Janet', false],
    ]);
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `/api/accounts/${account.id}/contacts/${first.id}`,
          headers: admin.writeHeaders,
          payload: { role: 50 },
        })
      ).statusCode,
    ).toBe(400);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/accounts/${account.id}/contacts/${second.id}`,
      headers: admin.writeHeaders,
    });
    expect(removed.statusCode).toBe(204);
    expect((await details()).contacts).toHaveLength(1);
    const actions = await t.ctx.db.selectFrom('audit_events').select('action').where('account_id', '=', account.id).execute();
    expect(actions.map((row) => row.action)).toEqual(expect.arrayContaining(['contact.created', 'contact.edited', 'contact.removed']));
  });

  it('answers 404 for a contact of another account and for an unknown account (cross-tenant), 403 for other staff (role)', async () => {
    const one = await createAccount(t.ctx);
    const two = await createAccount(t.ctx);
    const contact = (await add(one.id, { name: 'C', username: 'c@one.example' })).json();
    const url = `/api/accounts/${two.id}/contacts/${contact.id}`;
    expect((await t.app.inject({ method: 'PATCH', url, headers: admin.writeHeaders, payload: { name: 'X' } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url, headers: admin.writeHeaders })).statusCode).toBe(404);
    expect((await add(crypto.randomUUID(), { name: 'N', username: 'n@x.example' })).statusCode).toBe(404);
    const analyst = await createStaff(t.ctx, { role: 40 });
    await assignAccount(t.ctx, analyst.id, one.id);
    const analystSession = await signIn(t.app, analyst.username);
    expect((await add(one.id, { name: 'N', username: 'n@one.example' }, analystSession.writeHeaders)).statusCode).toBe(403);
  });
});
