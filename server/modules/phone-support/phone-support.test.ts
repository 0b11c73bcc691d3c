import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { assignAccount, createAccount, createContact, createStaff, signIn, type SignedIn } from '../../test/factories.js';
import { checkSupportPhone } from './phone-number.js';
import { setSupportPin } from './phone-support.repository.js';
import { PIN_LOOKUP_LIMIT } from './phone-support.service.js';

describe('support phone numbers', () => {
  let t: TestApp;
  let admin: SignedIn;
  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signIn(t.app, (await createStaff(t.ctx, { role: 64 })).username);
  });
  afterAll(() => t.close());

  const read = () => t.app.inject({ method: 'GET', url: '/api/support/phone-numbers' });
  const replace = (numbers: unknown[], who: SignedIn = admin) =>
    t.app.inject({ method: 'PUT', url: '/api/support/phone-numbers', payload: { numbers }, headers: who.writeHeaders });

  it('shows the example numbers to anonymous visitors, every region in order', async () => {
    const response = await read();
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.regions.map((region: { label: string }) => region.label)).toEqual(['Americas', 'Europe', 'Asia/Australia']);
    expect(body.regions[0].numbers[0]).toMatchObject({ country: 'United States', number: '+12025550142', display: '+1 202 555 0142' });
    const countries = body.regions.flatMap((region: { numbers: { country: string }[] }) => region.numbers.map((row) => row.country));
    expect(countries).toEqual(expect.arrayContaining(['United States', 'France', 'Germany', 'Australia', 'Japan']));
  });

  it('lets an Administrator replace the list, normalising numbers to E.164, and audits it', async () => {
    const response = await replace([
      { region: 'europe', country: 'France', number: '+33 1 99 00 12 34', note: 'Toll free, 8:00–18:00 CET' },
      { region: 'americas', country: 'United States', number: '+1 (202) 555-0100' },
      { region: 'europe', country: 'Germany', number: '+49 30 123456' },
    ]);
    expect(response.statusCode).toBe(200);
    const regions = (await read()).json().regions;
    expect(regions[0].numbers).toEqual([{ country: 'United States', number: '+12025550100', display: '+1 202 555 0100', note: '' }]);
    expect(regions[1].numbers.map((row: { country: string }) => row.country)).toEqual(['France', 'Germany']);
    expect(regions[1].numbers[0].note).toBe('Toll free, 8:00–18:00 CET');
    expect(regions[2].numbers).toEqual([]);
    const event = await t.ctx.db
      .selectFrom('audit_events')
      .select(['details', 'actor_user_id'])
      .where('action', '=', 'support.phone_numbers_updated')
      .executeTakeFirstOrThrow();
    expect(event).toEqual({ actor_user_id: admin.session.user.id, details: { americas: 1, europe: 2, asia_australia: 0 } });
  });

  it('refuses bad numbers naming each row, and changes nothing', async () => {
    const before = (await read()).json();
    const response = await replace([
      { region: 'americas', country: 'United States', number: '+1 202 555 0100' },
      { region: 'europe', country: 'France', number: '01 99 00 12 34' },
      { region: 'europe', country: 'Germany', number: '+49 1' },
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues.map((issue: { path: string }) => issue.path)).toEqual([
      'body.numbers.1.number',
      'body.numbers.2.number',
    ]);
    expect((await replace([{ region: 'moon', country: 'Base', number: '+1 202 555 0100' }])).statusCode).toBe(400);
    expect((await replace([{ region: 'europe', country: ' ', number: '+33 1 99 00 12 34' }])).statusCode).toBe(400);
    expect((await read()).json()).toEqual(before);
  });

  it('refuses non-administrators and anonymous writes', async () => {
    const manager = await signIn(t.app, (await createStaff(t.ctx, { role: 40, isSupportAgent: true })).username);
    expect((await replace([], manager)).statusCode).toBe(403);
    const account = await createAccount(t.ctx);
    const contact = await signIn(t.app, (await createContact(t.ctx, account.id)).username);
    expect((await replace([], contact)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: '/api/support/phone-numbers', payload: { numbers: [] } })).statusCode).toBe(401);
  });

  it('checks numbers with libphonenumber: international form, valid for the country', () => {
    expect(checkSupportPhone(' +61 2 5550 1234 ')).toEqual({ ok: true, e164: '+61255501234' });
    expect(checkSupportPhone('+1 800 555 0199')).toEqual({ ok: true, e164: '+18005550199' });
    expect(checkSupportPhone('(202) 555-0100')).toMatchObject({ ok: false, message: expect.stringContaining('Start the number with +') });
    expect(checkSupportPhone('+1 555 0100')).toMatchObject({ ok: false, message: expect.stringContaining('not a valid phone number') });
    expect(checkSupportPhone('call us')).toMatchObject({ ok: false });
  });
});

describe('support PINs', () => {
  let t: TestApp;
  let accountA: { id: string };
  let accountB: { id: string };
  let contactA: SignedIn;
  let contactAId: string;
  beforeAll(async () => {
    t = await buildTestApp();
    accountA = await createAccount(t.ctx, { name: 'Contoso' });
    accountB = await createAccount(t.ctx, { name: 'Fabrikam' });
    const row = await createContact(t.ctx, accountA.id, { username: 'carol@contoso.example' });
    contactAId = row.id;
    contactA = await signIn(t.app, row.username);
  });
  afterAll(() => t.close());

  const getPin = (who: SignedIn) => t.app.inject({ method: 'GET', url: '/api/support/pin', headers: { cookie: who.cookie } });
  const regenerate = (who: SignedIn) => t.app.inject({ method: 'POST', url: '/api/support/pin/regenerate', headers: who.writeHeaders });
  const lookUp = (pin: string, who: SignedIn) =>
    t.app.inject({ method: 'GET', url: `/api/support/pin-lookup?pin=${encodeURIComponent(pin)}`, headers: { cookie: who.cookie } });

  it('gives a contact without a PIN one on first view, and the same one after', async () => {
    const first = await getPin(contactA);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.json().pin).toMatch(/^\d{6}$/);
    expect((await getPin(contactA)).json().pin).toBe(first.json().pin);
  });

  it('regenerates a new PIN, audited without the PIN itself', async () => {
    const before = (await getPin(contactA)).json().pin;
    const response = await regenerate(contactA);
    expect(response.statusCode).toBe(200);
    const after = response.json().pin;
    expect(after).toMatch(/^\d{6}$/);
    expect((await getPin(contactA)).json().pin).toBe(after);
    const event = await t.ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'support.pin_regenerated')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_user_id: contactAId, target_id: contactAId, account_id: accountA.id });
    expect(JSON.stringify(event.details)).not.toContain(after);
    expect(JSON.stringify(event.details)).not.toContain(before);
  });

  it('never gives a PIN another user holds', async () => {
    const other = await createContact(t.ctx, accountB.id);
    const taken = (await getPin(contactA)).json().pin;
    expect(await setSupportPin(t.ctx.db, other.id, taken)).toBe(false);
    expect(await setSupportPin(t.ctx.db, other.id, '000001')).toBe(true);
    await expect(t.ctx.db.updateTable('users').set({ support_pin: '000001' }).where('id', '=', contactAId).execute()).rejects.toThrow();
  });

  it('keeps PINs to contacts: staff get 403, anonymous callers 401', async () => {
    const staff = await signIn(t.app, (await createStaff(t.ctx, { role: 64, isSupportAgent: true })).username);
    expect((await getPin(staff)).statusCode).toBe(403);
    expect((await regenerate(staff)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/support/pin' })).statusCode).toBe(401);
  });

  it("lets an agent look up callers of their accounts only, audited; others' accounts answer 404", async () => {
    const agentRow = await createStaff(t.ctx, { role: 32, isSupportAgent: true });
    await assignAccount(t.ctx, agentRow.id, accountA.id);
    const agent = await signIn(t.app, agentRow.username);
    const pinA = (await getPin(contactA)).json().pin;
    const contactB = await signIn(t.app, (await createContact(t.ctx, accountB.id)).username);
    const pinB = (await getPin(contactB)).json().pin;

    const hit = await lookUp(pinA, agent);
    expect(hit.statusCode).toBe(200);
    expect(hit.json()).toEqual({
      contactId: contactAId,
      name: 'Customer Contact',
      username: 'carol@contoso.example',
      accountId: accountA.id,
      accountName: 'Contoso',
      role: 32,
      isPrimaryContact: false,
      canManageCases: false,
      isDisabled: false,
    });
    const miss = await lookUp(pinB, agent);
    expect(miss.statusCode).toBe(404);
    expect(miss.json().error.message).toBe('No contact with this PIN in your accounts.');

    const events = await t.ctx.db
      .selectFrom('audit_events')
      .select(['outcome', 'target_id', 'account_id', 'details'])
      .where('action', '=', 'support.pin_lookup')
      .where('actor_user_id', '=', agentRow.id)
      .orderBy('at')
      .execute();
    expect(events[0]).toMatchObject({ outcome: 'success', target_id: contactAId, account_id: accountA.id });
    expect(events[1]).toMatchObject({ outcome: 'failure', target_id: null, details: { reason: 'not_found' } });

    // An Administrator who is an agent sees every account.
    const adminAgent = await signIn(t.app, (await createStaff(t.ctx, { role: 64, isSupportAgent: true })).username);
    expect((await lookUp(pinB, adminAgent)).json().accountName).toBe('Fabrikam');
  });

  it('refuses staff who are not agents, contacts, and malformed PINs', async () => {
    const pinA = (await getPin(contactA)).json().pin;
    const administrator = await signIn(t.app, (await createStaff(t.ctx, { role: 64 })).username);
    expect((await lookUp(pinA, administrator)).statusCode).toBe(403);
    expect((await lookUp(pinA, contactA)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/support/pin-lookup?pin=${pinA}` })).statusCode).toBe(401);
    const agent = await signIn(t.app, (await createStaff(t.ctx, { role: 64, isSupportAgent: true })).username);
    for (const bad of ['12345', '1234567', 'abcdef', '']) expect((await lookUp(bad, agent)).statusCode, bad).toBe(400);
  });

  it('throttles an agent who keeps guessing, and audits the refusal', async () => {
    const agentRow = await createStaff(t.ctx, { role: 64, isSupportAgent: true });
    const agent = await signIn(t.app, agentRow.username);
    for (let index = 0; index < PIN_LOOKUP_LIMIT; index++) expect((await lookUp('000000', agent)).statusCode).not.toBe(429);
    const throttled = await lookUp('000000', agent);
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    const refusal = await t.ctx.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'support.pin_lookup')
      .where('actor_user_id', '=', agentRow.id)
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow();
    expect(refusal.details).toEqual({ reason: 'throttled' });
  });
});
