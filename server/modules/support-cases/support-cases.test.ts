import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CASE_DESCRIPTION_MAX_LENGTH,
  CUSTOMER_CARE_QUEUE,
  ELIGIBILITY_MESSAGES,
  FEDRAMP_ATTACHMENT_MESSAGE,
  FEDRAMP_QUEUE,
  SECRET_DETECTED_MESSAGE,
} from '../../../common/schemas/support-cases.js';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { assignAccount, createAccount, createContact, createStaff, signIn, type SignedIn } from '../../test/factories.js';
import { startTestSmtpServer, type TestSmtpServer } from '../../test/smtp.js';
import { appendChatTranscript, contentDisposition, findCaseForChat, openCaseForChat, safeFileName } from './support-cases.service.js';

const NESSUS = 'Nessus Professional';
const VM = 'Tenable.io Vulnerability Management';

/** A password= pair assembled at run time, so the repository holds nothing a scanner would flag. */
const secretValue = () => `Zq${crypto.randomBytes(9).toString('base64url')}9!`;

function technical(overrides: Record<string, unknown> = {}) {
  return {
    priority: 'p1',
    product: NESSUS,
    productVersion: '10.8',
    subject: 'Scanner stuck at 50 percent',
    operatingSystem: 'Ubuntu 22.04',
    isFedramp: false,
    description: 'The scan hangs at 50% every night since the update.',
    ...overrides,
  };
}

function customerCare(overrides: Record<string, unknown> = {}) {
  return {
    category: 'Orders',
    issueType: 'Invoice or payment',
    subject: 'Invoice missing',
    description: 'We did not receive the invoice for October.',
    ...overrides,
  };
}

describe('support cases', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  // Account A: subscribed to Nessus Professional (Premium 24x7) and VM (an unknown level), FedRAMP.
  let accountA: { id: string };
  let accountB: { id: string };
  let primaryA: SignedIn;
  let managerA: SignedIn;
  let plainA: SignedIn;
  let plainAId: string;
  let managerB: SignedIn;
  let agentA: SignedIn;
  let agentAId: string;
  let agentB: SignedIn;
  let admin: SignedIn;
  let staffNotAgent: SignedIn;
  const managerAEmail = 'morgan.lee@acme.example';

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    t = await buildTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'http://bulwark.test:8080' });
    accountA = await createAccount(t.ctx, {
      name: 'Acme',
      isFedramp: true,
      subscriptions: [
        { product: NESSUS, serviceLevel: 'Premium 24x7' },
        { product: VM, serviceLevel: 'Gold' },
        { product: 'Legacy Widget', serviceLevel: 'Standard' },
      ],
    });
    accountB = await createAccount(t.ctx, { name: 'Globex', subscriptions: [{ product: NESSUS, serviceLevel: 'Standard' }] });
    primaryA = await signIn(t.app, (await createContact(t.ctx, accountA.id, { isPrimaryContact: true, canManageCases: true })).username);
    managerA = await signIn(t.app, (await createContact(t.ctx, accountA.id, { canManageCases: true, email: managerAEmail })).username);
    const plain = await createContact(t.ctx, accountA.id);
    plainAId = plain.id;
    plainA = await signIn(t.app, plain.username);
    managerB = await signIn(t.app, (await createContact(t.ctx, accountB.id, { canManageCases: true })).username);
    const agent = await createStaff(t.ctx, { role: 32, isSupportAgent: true });
    agentAId = agent.id;
    await assignAccount(t.ctx, agent.id, accountA.id);
    agentA = await signIn(t.app, agent.username);
    const other = await createStaff(t.ctx, { role: 40, isSupportAgent: true });
    await assignAccount(t.ctx, other.id, accountB.id);
    agentB = await signIn(t.app, other.username);
    admin = await signIn(t.app, (await createStaff(t.ctx, { role: 64 })).username);
    staffNotAgent = await signIn(t.app, (await createStaff(t.ctx, { role: 40 })).username);
    await assignAccount(t.ctx, staffNotAgent.session.user.id, accountA.id);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const get = (url: string, who?: SignedIn) => t.app.inject({ method: 'GET', url, headers: who ? { cookie: who.cookie } : {} });
  const send = (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload: unknown, who?: SignedIn) =>
    t.app.inject({ method, url, payload: payload as object, headers: who?.writeHeaders ?? {} });
  const countCases = async () =>
    Number(
      (
        await t.ctx.db
          .selectFrom('support_cases')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function openTechnical(who: SignedIn, overrides: Record<string, unknown> = {}) {
    const response = await send('POST', '/api/support/cases/technical', technical(overrides), who);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  async function openCare(who: SignedIn, overrides: Record<string, unknown> = {}) {
    const response = await send('POST', '/api/support/cases/customer-care', customerCare(overrides), who);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  /** A finished upload as the upload endpoint leaves it: a support_uploads row and its bytes in storage. */
  async function upload(
    accountId: string,
    userId: string,
    options: { fileName?: string; content?: string; status?: 'complete' | 'uploading' } = {},
  ) {
    const tusId = `tus${crypto.randomBytes(10).toString('hex')}`;
    const bytes = Buffer.from(options.content ?? `log line ${tusId}\n`);
    const key = `support-uploads/${tusId}`;
    await t.ctx.storage.put(key, Readable.from([bytes]));
    await t.ctx.db
      .insertInto('support_uploads')
      .values({
        tus_id: tusId,
        account_id: accountId,
        uploaded_by_user_id: userId,
        file_name: options.fileName ?? 'scan.log',
        content_type: 'text/plain',
        size: bytes.length,
        received: bytes.length,
        sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
        storage_key: key,
        status: options.status ?? 'complete',
        completed_at: new Date(),
      })
      .execute();
    return tusId;
  }

  const uploadRow = (tusId: string) =>
    t.ctx.db.selectFrom('support_uploads').selectAll().where('tus_id', '=', tusId).executeTakeFirstOrThrow();

  describe('Technical Support eligibility, in the seed order with its three messages', () => {
    it('refuses an anonymous caller with the sign-in message (401) and stores nothing', async () => {
      const before = await countCases();
      const response = await send('POST', '/api/support/cases/technical', technical());
      expect(response.statusCode).toBe(401);
      expect(response.json().error).toMatchObject({ reason: 'signed_out', message: ELIGIBILITY_MESSAGES.signed_out });
      const overview = (await get('/api/support/overview')).json();
      expect(overview).toMatchObject({ signedIn: false, technicalSupport: { allowed: false, message: ELIGIBILITY_MESSAGES.signed_out } });
      expect(await countCases()).toBe(before);
    });

    const matrix = [
      { name: 'no subscription', subscriptions: [], canManageCases: true, reason: 'no_subscription' },
      {
        name: 'an expired subscription',
        subscriptions: [{ product: NESSUS, serviceLevel: 'Standard', startsOn: '2020-01-01', endsOn: '2021-01-01' }],
        canManageCases: true,
        reason: 'no_subscription',
      },
      { name: 'no subscription and no permission', subscriptions: [], canManageCases: false, reason: 'no_subscription' },
      {
        name: 'a subscription without Manage Cases',
        subscriptions: [{ product: NESSUS, serviceLevel: 'Standard' }],
        canManageCases: false,
        reason: 'no_permission',
      },
    ] as const;

    it.each(matrix)('refuses a contact with $name: 403 $reason, word for word', async ({ subscriptions, canManageCases, reason }) => {
      const account = await createAccount(t.ctx, { subscriptions: [...subscriptions] });
      const who = await signIn(t.app, (await createContact(t.ctx, account.id, { canManageCases })).username);
      const before = await countCases();
      const response = await send('POST', '/api/support/cases/technical', technical(), who);
      expect(response.statusCode).toBe(403);
      expect(response.json().error).toEqual({ code: 'ineligible', reason, message: ELIGIBILITY_MESSAGES[reason] });
      expect(
        (await send('POST', '/api/support/suggestions', { priority: 'p2', product: NESSUS, subject: 'x' }, who)).json().error.reason,
      ).toBe(reason);
      const overview = (await get('/api/support/overview', who)).json();
      expect(overview.technicalSupport).toEqual({ allowed: false, reason, message: ELIGIBILITY_MESSAGES[reason] });
      expect(overview.customerCare.allowed).toBe(true);
      expect(await countCases()).toBe(before);
    });

    it('lets an eligible contact open a case, routed to the product queue with its SLA', async () => {
      const overview = (await get('/api/support/overview', managerA)).json();
      expect(overview).toMatchObject({
        signedIn: true,
        isContact: true,
        technicalSupport: { allowed: true, reason: null, message: null },
        account: { id: accountA.id, name: 'Acme', isFedramp: true },
        canManageCases: true,
        isPrimaryContact: false,
      });
      const created = await openTechnical(managerA);
      expect(created).toMatchObject({ kind: 'technical', status: 'new', queue: NESSUS, serviceLevel: 'Premium 24x7', priority: 'p1' });
      expect(created.number).toMatch(/^\d{6,}$/);
      expect(created.sla).toMatchObject({ state: 'running', targetMinutes: 60 });
      expect(new Date(created.sla.dueAt).getTime() - new Date(created.createdAt).getTime()).toBe(60 * 60_000);
      const event = await t.ctx.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'support.case_created')
        .where('target_id', '=', created.id)
        .executeTakeFirstOrThrow();
      expect(event.details).toMatchObject({ kind: 'technical', number: created.number, queue: NESSUS, via: 'portal' });
      expect(JSON.stringify(event.details)).not.toContain('hangs');
    });

    it('uses Standard targets for an unknown service level, and no versions for a product Support does not list', async () => {
      const catalog = (await get('/api/support/catalog', managerA)).json();
      expect(catalog.products).toEqual([
        { name: VM, versions: [], serviceLevel: 'Gold' },
        { name: NESSUS, versions: ['10.8', '10.7', '10.6'], serviceLevel: 'Premium 24x7' },
        { name: 'Legacy Widget', versions: [], serviceLevel: 'Standard' },
      ]);
      expect(catalog.careCategories[0]).toEqual({ name: 'Orders', issueTypes: ['Order status', 'Quote or renewal', 'Invoice or payment'] });
      expect(catalog.operatingSystems).toContain('Ubuntu 22.04');
      const created = await openTechnical(managerA, { product: VM, productVersion: null, priority: 'p4' });
      expect(created.sla.targetMinutes).toBe(1440);
      expect(created.serviceLevel).toBe('Gold');
    });

    it('refuses a product the account does not subscribe to, or a wrong version, and stores nothing', async () => {
      const before = await countCases();
      for (const body of [
        technical({ product: 'Tenable Security Center', productVersion: '6.5' }),
        technical({ productVersion: '9.9' }),
        technical({ productVersion: null }),
        technical({ product: VM, productVersion: '1.0' }),
      ]) {
        const response = await send('POST', '/api/support/cases/technical', body, managerA);
        expect(response.statusCode, JSON.stringify(body)).toBe(400);
      }
      expect(await countCases()).toBe(before);
    });
  });

  describe('Customer Care', () => {
    it('opens a case in the Customer Care queue for any contact, without an SLA', async () => {
      const created = await openCare(plainA);
      expect(created).toMatchObject({
        kind: 'customer_care',
        queue: CUSTOMER_CARE_QUEUE,
        category: 'Orders',
        issueType: 'Invoice or payment',
        priority: null,
      });
      expect(created.sla.state).toBe('none');
    });

    it('refuses an unknown category or issue type, and staff', async () => {
      const before = await countCases();
      const unknownCategory = await send('POST', '/api/support/cases/customer-care', customerCare({ category: 'Pizza' }), plainA);
      expect(unknownCategory.statusCode).toBe(400);
      expect(unknownCategory.json().error.issues[0].path).toBe('body.category');
      const wrongType = await send('POST', '/api/support/cases/customer-care', customerCare({ issueType: 'Cannot sign in' }), plainA);
      expect(wrongType.statusCode).toBe(400);
      expect((await send('POST', '/api/support/cases/customer-care', customerCare(), agentA)).statusCode).toBe(403);
      expect(await countCases()).toBe(before);
    });
  });

  describe('bad input', () => {
    it('refuses a huge description with 400 and stores nothing', async () => {
      const before = await countCases();
      const huge = 'a'.repeat(CASE_DESCRIPTION_MAX_LENGTH + 1);
      const care = await send('POST', '/api/support/cases/customer-care', customerCare({ description: huge }), plainA);
      expect(care.statusCode).toBe(400);
      expect(care.json().error.issues[0].path).toBe('body.description');
      expect((await send('POST', '/api/support/cases/technical', technical({ description: huge }), managerA)).statusCode).toBe(400);
      expect((await send('POST', '/api/support/cases/technical', technical({ operatingSystem: 'BeOS' }), managerA)).statusCode).toBe(400);
      expect(await countCases()).toBe(before);
    });

    it("refuses an unknown or someone else's suggestion visit, storing nothing", async () => {
      const before = await countCases();
      const unknown = await send('POST', '/api/support/cases/technical', technical({ suggestionVisitId: crypto.randomUUID() }), managerA);
      expect(unknown.statusCode).toBe(404);
      const shown = await send(
        'POST',
        '/api/support/suggestions',
        { priority: 'p2', product: NESSUS, productVersion: '10.8', subject: 'Plugin error' },
        primaryA,
      );
      expect(shown.statusCode, shown.body).toBe(200);
      const visit = shown.json();
      const others = await send('POST', '/api/support/cases/technical', technical({ suggestionVisitId: visit.visitId }), managerA);
      expect(others.statusCode).toBe(404);
      expect((await send('POST', `/api/support/suggestions/${visit.visitId}/outcome`, { outcome: 'left' }, managerA)).statusCode).toBe(404);
      expect(
        (await send('POST', `/api/support/suggestions/${crypto.randomUUID()}/outcome`, { outcome: 'left' }, managerA)).statusCode,
      ).toBe(404);
      expect(await countCases()).toBe(before);
    });

    it('refuses a forged upload id with 404 and attaches nothing, not even the genuine files', async () => {
      const genuine = await upload(accountA.id, managerA.session.user.id);
      const before = await countCases();
      const response = await send(
        'POST',
        '/api/support/cases/technical',
        technical({ uploadIds: [genuine, 'forged-upload-id-123'] }),
        managerA,
      );
      expect(response.statusCode).toBe(404);
      expect(response.json().error.message).toBe('Upload not found.');
      expect(await countCases()).toBe(before);
      expect((await uploadRow(genuine)).case_id).toBeNull();
    });
  });

  describe('FedRAMP', () => {
    it('routes FedRAMP cases to the FedRAMP intake queue', async () => {
      const created = await openTechnical(managerA, { isFedramp: true });
      expect(created).toMatchObject({ queue: FEDRAMP_QUEUE, isFedramp: true, product: NESSUS });
    });

    it('refuses attachments at submission and stores nothing; later additions follow the normal rules', async () => {
      const file = await upload(accountA.id, managerA.session.user.id);
      const before = await countCases();
      const refused = await send('POST', '/api/support/cases/technical', technical({ isFedramp: true, uploadIds: [file] }), managerA);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.message).toBe(FEDRAMP_ATTACHMENT_MESSAGE);
      expect(await countCases()).toBe(before);
      expect((await uploadRow(file)).case_id).toBeNull();

      const created = await openTechnical(managerA, { isFedramp: true });
      const attached = await send('POST', `/api/support/cases/${created.id}/attachments`, { uploadIds: [file] }, managerA);
      expect(attached.statusCode, attached.body).toBe(200);
      expect(attached.json().attachments.map((a: { fileName: string }) => a.fileName)).toEqual(['scan.log']);
    });
  });

  describe('the secret warning', () => {
    it('refuses a description with a secret (422 with findings) and stores nothing', async () => {
      const secret = secretValue();
      const before = await countCases();
      const response = await send(
        'POST',
        '/api/support/cases/technical',
        technical({ description: `nessuscli failed with password=${secret} again` }),
        managerA,
      );
      expect(response.statusCode).toBe(422);
      expect(response.json().error).toMatchObject({ code: 'secret_detected', message: SECRET_DETECTED_MESSAGE });
      expect(response.json().error.findings[0].kind).toBe('password= pair');
      expect(response.body).not.toContain(secret);
      const care = await send('POST', '/api/support/cases/customer-care', customerCare({ description: `password=${secret}` }), plainA);
      expect(care.statusCode).toBe(422);
      expect(await countCases()).toBe(before);
    });

    it('stores an override for the agents, audited without the text', async () => {
      const secret = secretValue();
      const created = await openTechnical(managerA, {
        description: `nessuscli failed with password=${secret} again`,
        secretOverride: true,
      });
      expect(created.secretOverride.findings[0].kind).toBe('password= pair');
      const seenByAgent = (await get(`/api/support/cases/${created.id}`, agentA)).json();
      expect(seenByAgent.secretOverride).toMatchObject({ findings: [{ kind: 'password= pair' }] });
      expect(seenByAgent.secretOverride.findings[0].preview).not.toContain(secret);
      const events = await t.ctx.db.selectFrom('audit_events').select(['action', 'details']).where('target_id', '=', created.id).execute();
      expect(events.map((event) => event.action)).toContain('support.secret_override');
      expect(JSON.stringify(events)).not.toContain(secret);
      expect(JSON.stringify(events)).not.toContain('nessuscli');
    });

    it('checks replies too', async () => {
      const created = await openCare(managerA);
      const secret = secretValue();
      const refused = await send('POST', `/api/support/cases/${created.id}/messages`, { body: `try password=${secret}` }, managerA);
      expect(refused.statusCode).toBe(422);
      expect((await get(`/api/support/cases/${created.id}`, managerA)).json().messages).toEqual([]);
      const sent = await send(
        'POST',
        `/api/support/cases/${created.id}/messages`,
        { body: `try password=${secret}`, secretOverride: true },
        managerA,
      );
      expect(sent.statusCode).toBe(201);
      expect(sent.json().messages[0].secretOverride).toBe(true);
    });
  });

  describe('suggestions', () => {
    it('records each visit and its outcome, and counts them for agents', async () => {
      const statsBefore = (await get('/api/support/suggestion-stats', agentA)).json();
      const left = (
        await send(
          'POST',
          '/api/support/suggestions',
          { priority: 'p3', product: NESSUS, productVersion: '10.7', subject: 'Plugin feed update fails' },
          managerA,
        )
      ).json();
      expect(left.visitId).toBeTruthy();
      expect(Array.isArray(left.articles)).toBe(true);
      expect((await send('POST', `/api/support/suggestions/${left.visitId}/outcome`, { outcome: 'left' }, managerA)).statusCode).toBe(204);
      const continued = (
        await send(
          'POST',
          '/api/support/suggestions',
          { priority: 'p3', product: NESSUS, productVersion: '10.7', subject: 'Agent not linking' },
          managerA,
        )
      ).json();
      await send('POST', `/api/support/suggestions/${continued.visitId}/outcome`, { outcome: 'continued' }, managerA);
      const created = await openTechnical(managerA, { suggestionVisitId: continued.visitId });
      const row = await t.ctx.db
        .selectFrom('support_suggestion_visits')
        .selectAll()
        .where('id', '=', continued.visitId)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ outcome: 'submitted', case_id: created.id });
      const stats = (await get('/api/support/suggestion-stats', agentA)).json();
      expect(stats.left).toBe(statsBefore.left + 1);
      expect(stats.submitted).toBe(statsBefore.submitted + 1);
      expect(stats.resolvedRate).toBeGreaterThan(0);
      expect((await get('/api/support/suggestion-stats', managerA)).statusCode).toBe(403);
    });
  });

  describe('who sees which cases', () => {
    let caseOfPlain: { id: string; number: string };
    let caseOfB: { id: string };
    let attachmentOfB: string;

    beforeAll(async () => {
      caseOfPlain = await openCare(plainA, { subject: 'Quarterly invoice duplicated' });
      caseOfB = await openTechnical(managerB, { subject: 'Globex scanner offline' });
      const tusId = await upload(accountB.id, managerB.session.user.id, { fileName: 'globex.log' });
      const attached = await send('POST', `/api/support/cases/${caseOfB.id}/attachments`, { uploadIds: [tusId] }, managerB);
      attachmentOfB = attached.json().attachments[0].id;
    });

    it('shows a contact without Manage Cases only the cases they opened', async () => {
      const mine = (await get('/api/support/cases', plainA)).json();
      expect(mine.items.length).toBeGreaterThan(0);
      expect(mine.items.every((item: { openedBy: { id: string } }) => item.openedBy.id === plainAId)).toBe(true);
      const managersCase = (await get('/api/support/cases?kind=technical', managerA)).json().items[0];
      expect((await get(`/api/support/cases/${managersCase.id}`, plainA)).statusCode).toBe(404);
    });

    it('shows a contact with Manage Cases every case of the account, and filters and searches them', async () => {
      const all = (await get('/api/support/cases?pageSize=200', managerA)).json();
      expect(all.items.some((item: { id: string }) => item.id === caseOfPlain.id)).toBe(true);
      expect(all.items.every((item: { account: { id: string } }) => item.account.id === accountA.id)).toBe(true);
      expect(all.total).toBe(all.items.length);
      const byNumber = (await get(`/api/support/cases?q=${caseOfPlain.number}`, managerA)).json();
      expect(byNumber.items.map((item: { id: string }) => item.id)).toEqual([caseOfPlain.id]);
      const byWords = (await get('/api/support/cases?q=duplicated%20invoice', managerA)).json();
      expect(byWords.items.map((item: { id: string }) => item.id)).toContain(caseOfPlain.id);
      const care = (await get('/api/support/cases?kind=customer_care&state=open', managerA)).json();
      expect(care.items.every((item: { kind: string }) => item.kind === 'customer_care')).toBe(true);
      const paged = (await get('/api/support/cases?pageSize=1&page=2', managerA)).json();
      expect(paged).toMatchObject({ page: 2, pageSize: 1, total: all.total });
      expect(paged.items).toHaveLength(1);
    });

    it("answers 404 for another account's case and attachment, to contacts and to agents not assigned to it", async () => {
      for (const who of [managerA, plainA, agentA]) {
        expect((await get(`/api/support/cases/${caseOfB.id}`, who)).statusCode).toBe(404);
        expect((await get(`/api/support/cases/${caseOfB.id}/attachments/${attachmentOfB}`, who)).statusCode).toBe(404);
        expect((await send('DELETE', `/api/support/cases/${caseOfB.id}/attachments/${attachmentOfB}`, undefined, who)).statusCode).toBe(
          404,
        );
        expect((await send('POST', `/api/support/cases/${caseOfB.id}/messages`, { body: 'hello' }, who)).statusCode).toBe(404);
        const listed = (await get('/api/support/cases?pageSize=200', who)).json();
        expect(listed.items.some((item: { id: string }) => item.id === caseOfB.id)).toBe(false);
      }
      expect((await send('POST', `/api/support/cases/${caseOfB.id}/close`, {}, managerA)).statusCode).toBe(404);
      const mine = await upload(accountA.id, managerA.session.user.id);
      expect((await send('POST', `/api/support/cases/${caseOfB.id}/attachments`, { uploadIds: [mine] }, managerA)).statusCode).toBe(404);
      expect((await uploadRow(mine)).case_id).toBeNull();
      expect((await send('PATCH', `/api/support/cases/${caseOfB.id}`, { status: 'solved' }, agentA)).statusCode).toBe(404);
      expect((await get(`/api/support/cases/${caseOfB.id}`, agentB)).statusCode).toBe(200);
      expect((await get(`/api/support/cases/${caseOfPlain.id}`, agentB)).statusCode).toBe(404);
    });

    it('refuses staff who are not support agents, and contacts, the console', async () => {
      for (const url of [
        '/api/support/queues',
        '/api/support/agents',
        '/api/support/suggestion-stats',
        '/api/support/cases',
        `/api/support/cases/${caseOfPlain.id}`,
      ]) {
        expect((await get(url, staffNotAgent)).statusCode, url).toBe(403);
      }
      for (const url of ['/api/support/queues', '/api/support/agents']) expect((await get(url, managerA)).statusCode, url).toBe(403);
      expect((await send('PATCH', `/api/support/cases/${caseOfPlain.id}`, { status: 'solved' }, managerA)).statusCode).toBe(403);
      expect((await send('PATCH', `/api/support/cases/${caseOfPlain.id}`, { status: 'solved' }, staffNotAgent)).statusCode).toBe(403);
      expect((await get('/api/support/cases')).statusCode).toBe(401);
    });

    it('lets an Administrator who is a support agent see every account', async () => {
      const adminAgent = await signIn(t.app, (await createStaff(t.ctx, { role: 64, isSupportAgent: true })).username);
      expect((await get(`/api/support/cases/${caseOfB.id}`, adminAgent)).statusCode).toBe(200);
      expect((await get(`/api/support/cases/${caseOfPlain.id}`, adminAgent)).statusCode).toBe(200);
      expect((await get('/api/support/queues', admin)).statusCode).toBe(403);
    });
  });

  describe('working a case', () => {
    it('mails the contact when an agent replies in public, starts the case, and keeps internal notes from contacts', async () => {
      const created = await openTechnical(managerA, { subject: 'License sync broken' });
      expect(
        (await send('POST', `/api/support/cases/${created.id}/messages`, { body: 'note', visibility: 'internal' }, managerA)).statusCode,
      ).toBe(403);

      const note = await send(
        'POST',
        `/api/support/cases/${created.id}/messages`,
        { body: 'Customer seems to run 10.5 really', visibility: 'internal' },
        agentA,
      );
      expect(note.statusCode).toBe(201);
      expect(note.json().status).toBe('new');
      expect(note.json().sla.state).toBe('running');

      const reply = await send(
        'POST',
        `/api/support/cases/${created.id}/messages`,
        { body: 'Please restart nessusd and send the log.' },
        agentA,
      );
      expect(reply.statusCode).toBe(201);
      expect(reply.json()).toMatchObject({ status: 'in_progress', sla: { state: 'met' } });
      expect(reply.json().messages.map((m: { visibility: string }) => m.visibility)).toEqual(['internal', 'public']);

      const message = await smtp.waitForMessage(managerAEmail);
      expect(message.subject).toContain(created.number);
      expect(message.text).toContain('Please restart nessusd and send the log.');
      expect(message.text).toContain(`http://bulwark.test:8080/support/cases/${created.id}`);
      expect(smtp.messages.filter((m) => m.text?.includes('10.5 really'))).toHaveLength(0);

      const asContact = (await get(`/api/support/cases/${created.id}`, managerA)).json();
      expect(asContact.messages.map((m: { body: string }) => m.body)).toEqual(['Please restart nessusd and send the log.']);
      expect(asContact.can).toEqual({ reply: true, addFiles: true, close: true, reopen: false, work: false });

      const replied = await t.ctx.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'support.case_replied')
        .where('target_id', '=', created.id)
        .execute();
      expect(replied).toHaveLength(2);
      expect(JSON.stringify(replied)).not.toContain('nessusd');
    });

    it('moves a case awaiting the customer back to In Progress when the contact replies', async () => {
      const created = await openCare(managerA);
      expect((await send('PATCH', `/api/support/cases/${created.id}`, { status: 'awaiting_customer' }, agentA)).json().status).toBe(
        'awaiting_customer',
      );
      const reply = await send('POST', `/api/support/cases/${created.id}/messages`, { body: 'Here is the invoice number.' }, managerA);
      expect(reply.json().status).toBe('in_progress');
    });

    it('lets the contact close and reopen (only from solved or closed)', async () => {
      const created = await openCare(plainA);
      expect((await send('POST', `/api/support/cases/${created.id}/reopen`, {}, plainA)).statusCode).toBe(409);
      const closed = await send('POST', `/api/support/cases/${created.id}/close`, {}, plainA);
      expect(closed.json()).toMatchObject({ status: 'closed', can: { reply: false, reopen: true, close: false } });
      expect((await send('POST', `/api/support/cases/${created.id}/messages`, { body: 'more' }, plainA)).statusCode).toBe(409);
      expect((await send('POST', `/api/support/cases/${created.id}/reopen`, {}, plainA)).json().status).toBe('in_progress');
      expect((await send('POST', `/api/support/cases/${created.id}/close`, {}, agentA)).statusCode).toBe(403);
      const changes = await t.ctx.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'support.case_status_changed')
        .where('target_id', '=', created.id)
        .orderBy('at')
        .execute();
      expect(changes.map((event) => event.details.to)).toEqual(['closed', 'in_progress']);
    });

    it('assigns only to a support agent who may see the account', async () => {
      const created = await openCare(managerA);
      const otherAgentId = agentB.session.user.id;
      expect((await send('PATCH', `/api/support/cases/${created.id}`, { assignedToUserId: otherAgentId }, agentA)).statusCode).toBe(400);
      expect(
        (await send('PATCH', `/api/support/cases/${created.id}`, { assignedToUserId: staffNotAgent.session.user.id }, agentA)).statusCode,
      ).toBe(400);
      const assigned = await send(
        'PATCH',
        `/api/support/cases/${created.id}`,
        { assignedToUserId: agentAId, status: 'in_progress' },
        agentA,
      );
      expect(assigned.statusCode).toBe(200);
      expect(assigned.json().assignedTo.id).toBe(agentAId);
      const mine = (await get('/api/support/cases?assigned=me', agentA)).json();
      expect(mine.items.map((item: { id: string }) => item.id)).toContain(created.id);
      const agents = (await get('/api/support/agents', agentA)).json();
      expect(agents.items.map((item: { id: string }) => item.id)).toContain(agentAId);
    });

    it('counts queues over the agent accounts', async () => {
      const queues = (await get('/api/support/queues', agentA)).json().items;
      const byName = Object.fromEntries(queues.map((queue: { queue: string }) => [queue.queue, queue]));
      expect(byName[CUSTOMER_CARE_QUEUE].open).toBeGreaterThan(0);
      expect(byName[FEDRAMP_QUEUE].open).toBeGreaterThan(0);
      expect(byName[NESSUS].nextDueAt).not.toBeNull();
      const total = queues.reduce(
        (sum: number, queue: { byStatus: Record<string, number> }) => sum + Object.values(queue.byStatus).reduce((a, b) => a + b, 0),
        0,
      );
      const visible = (await get('/api/support/cases?pageSize=1', agentA)).json().total;
      expect(total).toBe(visible);
    });
  });

  describe('attachments', () => {
    it('attaches, downloads with a safe name and removes files, audited', async () => {
      const created = await openCare(managerA);
      const tusId = await upload(accountA.id, managerA.session.user.id, { fileName: 'bad\r\nname"x.log', content: 'hello bytes' });
      const attached = await send('POST', `/api/support/cases/${created.id}/attachments`, { uploadIds: [tusId] }, managerA);
      const attachment = attached.json().attachments[0];
      expect(attachment).toMatchObject({ size: 11 });
      const download = await get(`/api/support/cases/${created.id}/attachments/${attachment.id}`, agentA);
      expect(download.statusCode).toBe(200);
      expect(download.body).toBe('hello bytes');
      expect(download.headers['content-disposition']).toMatch(/^attachment; filename="badnamex.log"/);
      expect((await send('DELETE', `/api/support/cases/${created.id}/attachments/${attachment.id}`, undefined, primaryA)).statusCode).toBe(
        403,
      );
      expect((await send('DELETE', `/api/support/cases/${created.id}/attachments/${attachment.id}`, undefined, managerA)).statusCode).toBe(
        204,
      );
      expect((await get(`/api/support/cases/${created.id}/attachments/${attachment.id}`, managerA)).statusCode).toBe(404);
      expect(await t.ctx.storage.stat(`support-uploads/${tusId}`)).toBeNull();
      const actions = (await t.ctx.db.selectFrom('audit_events').select('action').where('target_id', '=', created.id).execute()).map(
        (e) => e.action,
      );
      expect(actions).toEqual(expect.arrayContaining(['support.file_uploaded', 'support.file_downloaded', 'support.file_removed']));
    });

    it('names downloads safely: no path, no control characters, no quotes', () => {
      expect(safeFileName('../../etc/passwd')).toBe('passwd');
      expect(safeFileName('C:\\Users\\me\\report.pdf')).toBe('report.pdf');
      expect(safeFileName('a\u0000b\u001fc.txt')).toBe('abc.txt');
      expect(safeFileName('..')).toBe('download');
      expect(contentDisposition('résumé "final".pdf')).toBe(
        `attachment; filename="r_sum_ final.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20final.pdf`,
      );
    });

    it("refuses someone else's, another account's, unfinished or already attached uploads with 404, changing nothing", async () => {
      const created = await openCare(managerA);
      const good = await upload(accountA.id, managerA.session.user.id);
      const others = await upload(accountA.id, primaryA.session.user.id);
      const otherAccount = await upload(accountB.id, managerA.session.user.id);
      const unfinished = await upload(accountA.id, managerA.session.user.id, { status: 'uploading' });
      for (const bad of [others, otherAccount, unfinished, 'forged-upload-id-123']) {
        const response = await send('POST', `/api/support/cases/${created.id}/attachments`, { uploadIds: [good, bad] }, managerA);
        expect(response.statusCode).toBe(404);
        expect(response.json().error.message).toBe('Upload not found.');
      }
      expect((await uploadRow(good)).case_id).toBeNull();
      expect((await get(`/api/support/cases/${created.id}`, managerA)).json().attachments).toEqual([]);
      expect((await send('POST', `/api/support/cases/${created.id}/attachments`, { uploadIds: [good] }, managerA)).statusCode).toBe(200);
      const second = await openCare(managerA);
      expect((await send('POST', `/api/support/cases/${second.id}/attachments`, { uploadIds: [good] }, managerA)).statusCode).toBe(404);
    });

    it('attaches files at submission', async () => {
      const files = [
        await upload(accountA.id, managerA.session.user.id, { fileName: 'a.txt' }),
        await upload(accountA.id, managerA.session.user.id, { fileName: 'b.txt' }),
      ];
      const created = await openCare(managerA, { uploadIds: files });
      expect(created.attachments.map((a: { fileName: string }) => a.fileName).sort()).toEqual(['a.txt', 'b.txt']);
    });
  });

  describe("the Primary Contact's contacts page", () => {
    it('grants Manage Cases, which applies on the next request', async () => {
      const list = (await get('/api/support/account-contacts', primaryA)).json();
      expect(list.items.map((item: { id: string }) => item.id)).toContain(plainAId);
      expect((await send('POST', '/api/support/cases/technical', technical(), plainA)).json().error.reason).toBe('no_permission');
      const granted = await send('PUT', `/api/support/account-contacts/${plainAId}/manage-cases`, { canManageCases: true }, primaryA);
      expect(granted.json()).toMatchObject({ id: plainAId, canManageCases: true });
      expect((await send('POST', '/api/support/cases/technical', technical(), plainA)).statusCode).toBe(201);
      expect((await get('/api/support/cases?pageSize=200', plainA)).json().total).toBe(
        (await get('/api/support/cases?pageSize=200', managerA)).json().total,
      );
      await send('PUT', `/api/support/account-contacts/${plainAId}/manage-cases`, { canManageCases: false }, primaryA);
      expect((await send('POST', '/api/support/cases/technical', technical(), plainA)).statusCode).toBe(403);
      const events = await t.ctx.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'support.manage_cases_changed')
        .orderBy('at')
        .execute();
      expect(events.map((event) => event.details.canManageCases)).toEqual([true, false]);
    });

    it("refuses other accounts' contacts (404), removing their own Manage Cases (409), and anyone but the Primary Contact", async () => {
      expect(
        (await send('PUT', `/api/support/account-contacts/${managerB.session.user.id}/manage-cases`, { canManageCases: false }, primaryA))
          .statusCode,
      ).toBe(404);
      expect(
        (await send('PUT', `/api/support/account-contacts/${primaryA.session.user.id}/manage-cases`, { canManageCases: false }, primaryA))
          .statusCode,
      ).toBe(409);
      expect((await get('/api/support/account-contacts', managerA)).statusCode).toBe(403);
      expect((await get('/api/support/account-contacts', admin)).statusCode).toBe(403);
    });
  });

  describe('configuration', () => {
    it('lets Administrators replace products, categories and SLA targets, and nobody else', async () => {
      const products = (await get('/api/support/products', admin)).json().products;
      const saved = await send(
        'PUT',
        '/api/support/products',
        { products: [...products, { name: 'Tenable OT Security', versions: ['4.0'] }] },
        admin,
      );
      expect(saved.statusCode).toBe(200);
      expect(saved.json().products.at(-1)).toEqual({ name: 'Tenable OT Security', versions: ['4.0'] });
      expect(
        (
          await send(
            'PUT',
            '/api/support/products',
            {
              products: [
                { name: 'A', versions: [] },
                { name: 'a', versions: [] },
              ],
            },
            admin,
          )
        ).statusCode,
      ).toBe(400);
      expect((await get('/api/support/products', admin)).json().products).toHaveLength(products.length + 1);
      const targets = (await get('/api/support/sla-targets', admin)).json().items;
      expect(targets).toHaveLength(12);
      expect((await send('PUT', '/api/support/sla-targets', { items: targets }, admin)).statusCode).toBe(200);
      const categories = (await get('/api/support/care-categories', admin)).json();
      expect((await send('PUT', '/api/support/care-categories', categories, admin)).statusCode).toBe(200);
      for (const who of [agentA, managerA]) {
        expect((await get('/api/support/products', who)).statusCode).toBe(403);
        expect((await send('PUT', '/api/support/sla-targets', { items: targets }, who)).statusCode).toBe(403);
      }
      const audited = await t.ctx.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'support.configuration_updated')
        .orderBy('at')
        .execute();
      expect(audited.map((event) => event.details.what)).toEqual(['products', 'sla_targets', 'care_categories']);
    });
  });

  describe('chat helpers', () => {
    it('opens a P3 case for a chat, finds the contact own open case, and keeps the transcript', async () => {
      const ctx = { ...t.ctx, actor: managerA.session.user && (await actorOf(managerA)) };
      const opened = await openCaseForChat(ctx, {
        product: NESSUS,
        productVersion: '10.8',
        operatingSystem: 'Debian 12',
        description: 'Agent keeps unlinking from the manager after reboot',
      });
      expect(await findCaseForChat(ctx, opened.id)).toEqual({ id: opened.id, number: opened.number, accountId: accountA.id });
      expect(await findCaseForChat({ ...t.ctx, actor: await actorOf(managerB) }, opened.id)).toBeNull();
      await appendChatTranscript(t.ctx.db, opened.id, [
        { authorUserId: managerA.session.user.id, authorName: 'Morgan', authorKind: 'contact', body: 'Hello?', createdAt: new Date() },
        { authorUserId: agentAId, authorName: 'Agent', authorKind: 'agent', body: 'Hi, looking now.', createdAt: new Date() },
      ]);
      const detail = (await get(`/api/support/cases/${opened.id}`, managerA)).json();
      expect(detail).toMatchObject({
        subject: 'Chat: Agent keeps unlinking from the manager after reboot',
        priority: 'p3',
        queue: NESSUS,
        status: 'in_progress',
      });
      expect(detail.messages.map((m: { via: string }) => m.via)).toEqual(['chat', 'chat']);
      expect(detail.sla.state).toBe('met');
      const event = await t.ctx.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'support.case_created')
        .where('target_id', '=', opened.id)
        .executeTakeFirstOrThrow();
      expect(event.details.via).toBe('chat');
      await expect(
        openCaseForChat(
          { ...t.ctx, actor: await actorOf(primaryA, { canManageCases: false }) },
          { product: NESSUS, productVersion: '10.8', operatingSystem: 'Debian 12', description: 'x' },
        ),
      ).rejects.toMatchObject({ code: 'ineligible' });
    });
  });

  describe('deleting a staff user', () => {
    it('moves the cases assigned to them to the new owner, counted in the audit', async () => {
      const leaving = await createStaff(t.ctx, { role: 32, isSupportAgent: true });
      await assignAccount(t.ctx, leaving.id, accountA.id);
      const successor = await createStaff(t.ctx, { role: 32, isSupportAgent: true });
      const first = await openCare(managerA);
      const second = await openCare(managerA);
      for (const created of [first, second]) {
        expect((await send('PATCH', `/api/support/cases/${created.id}`, { assignedToUserId: leaving.id }, agentA)).statusCode).toBe(200);
      }
      expect((await send('POST', `/api/admin/users/${leaving.id}/disable`, {}, admin)).statusCode).toBe(200);
      const deleted = await send('DELETE', `/api/admin/users/${leaving.id}?successorUserId=${successor.id}`, undefined, admin);
      expect(deleted.statusCode, deleted.body).toBe(200);
      const rows = await t.ctx.db
        .selectFrom('support_cases')
        .select('assigned_to_user_id')
        .where('id', 'in', [first.id, second.id])
        .execute();
      expect(rows.map((row) => row.assigned_to_user_id)).toEqual([successor.id, successor.id]);
      const event = await t.ctx.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'user.deleted')
        .where('target_id', '=', leaving.id)
        .executeTakeFirstOrThrow();
      expect(event.details.casesTransferred).toBe(2);
    });
  });

  /** The Actor a signed-in user's requests carry, read back through the session endpoint's user. */
  async function actorOf(who: SignedIn, overrides: { canManageCases?: boolean } = {}) {
    const user = await t.ctx.db.selectFrom('users').selectAll().where('id', '=', who.session.user.id).executeTakeFirstOrThrow();
    const { buildActor } = await import('../users/users.service.js');
    const actor = buildActor(user, []);
    return { ...actor, ...overrides };
  }
});
