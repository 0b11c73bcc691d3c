import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELIGIBILITY_MESSAGES } from '../../../common/schemas/support-cases.js';
import { CHAT_MESSAGE_TOO_LONG, type ChatSessionDetailResponse } from '../../../common/schemas/support-chat.js';
import { buildTestApp, createTestDatabase, type TestApp } from '../../test/build-test-app.js';
import { assignAccount, createAccount, createContact, createStaff, signIn, type SignedIn } from '../../test/factories.js';
import { isMessage, openChatSocket } from './chat-test-client.js';

const PRODUCT = 'Nessus Professional';
const startBody = (caseId: string | null = null) => ({
  product: PRODUCT,
  productVersion: '10.8',
  operatingSystem: 'Debian 12',
  caseId,
  description: 'Scans stop at 40% since the upgrade.',
});

async function eligibleContact(t: TestApp, accountId?: string) {
  const account = accountId
    ? { id: accountId }
    : await createAccount(t.ctx, { subscriptions: [{ product: PRODUCT, serviceLevel: 'Premium 24x7' }] });
  const contact = await createContact(t.ctx, account.id, { canManageCases: true });
  return { accountId: account.id, contact, signedIn: await signIn(t.app, contact.username) };
}

async function agentFor(t: TestApp, accountId: string, options: { isSupportAgent?: boolean; role?: 16 | 32 | 64 } = {}) {
  const agent = await createStaff(t.ctx, { role: options.role ?? 32, isSupportAgent: options.isSupportAgent ?? true });
  await assignAccount(t.ctx, agent.id, accountId);
  return { agent, signedIn: await signIn(t.app, agent.username) };
}

async function start(t: TestApp, who: SignedIn, body = startBody()) {
  const response = await t.app.inject({ method: 'POST', url: '/api/support/chats', headers: who.writeHeaders, payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<ChatSessionDetailResponse>();
}

async function post(t: TestApp, who: SignedIn, url: string, payload?: Record<string, unknown>) {
  return payload === undefined
    ? t.app.inject({ method: 'POST', url, headers: who.writeHeaders })
    : t.app.inject({ method: 'POST', url, headers: who.writeHeaders, payload });
}

const urlOf = (t: TestApp) => `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;

describe('chat with Technical Support', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('runs a whole chat: start with New Case, accept, messages both ways over the socket, end, transcript on the case', async () => {
    const { accountId, signedIn: contact } = await eligibleContact(t);
    const { signedIn: agent } = await agentFor(t, accountId);

    const session = await start(t, contact);
    expect(session).toMatchObject({ status: 'waiting', product: PRODUCT, productVersion: '10.8', account: { id: accountId } });
    expect(session.messages.map((message) => message.body)).toEqual(['Scans stop at 40% since the upgrade.']);
    const supportCase = await t.ctx.db.selectFrom('support_cases').selectAll().where('id', '=', session.case.id).executeTakeFirstOrThrow();
    expect(supportCase).toMatchObject({ account_id: accountId, kind: 'technical', product: PRODUCT });

    const contactSocket = await openChatSocket(urlOf(t), session.id, contact.cookie);
    contactSocket.send({ type: 'resume', afterId: '0' });
    await contactSocket.waitFor((frame) => frame.type === 'status' && frame.status === 'waiting');
    await contactSocket.waitFor(isMessage('Scans stop at 40% since the upgrade.'));

    const inbox = await t.app.inject({ method: 'GET', url: '/api/support/chats', headers: { cookie: agent.cookie } });
    expect(inbox.json<{ items: { id: string; can: { accept: boolean } }[] }>().items).toContainEqual(
      expect.objectContaining({ id: session.id, can: expect.objectContaining({ accept: true }) }),
    );
    const accepted = await post(t, agent, `/api/support/chats/${session.id}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    await contactSocket.waitFor((frame) => frame.type === 'status' && frame.status === 'active' && frame.agentName !== null);

    const agentSocket = await openChatSocket(urlOf(t), session.id, agent.cookie);
    agentSocket.send({ type: 'resume', afterId: '0' });
    await agentSocket.waitFor(isMessage('Scans stop at 40% since the upgrade.'));

    contactSocket.send({ type: 'message', body: 'Hello, anyone there?', clientId: 'c1' });
    await contactSocket.waitFor((frame) => frame.type === 'ack' && frame.clientId === 'c1');
    const received = await agentSocket.waitFor(isMessage('Hello, anyone there?'));
    expect(received.message).toMatchObject({ authorKind: 'contact' });

    agentSocket.send({ type: 'typing' });
    await contactSocket.waitFor((frame) => frame.type === 'typing' && frame.authorKind === 'agent');
    agentSocket.send({ type: 'message', body: 'Yes: which scan policy?', clientId: 'a1' });
    const reply = await contactSocket.waitFor(isMessage('Yes: which scan policy?'));
    expect(reply.message.authorKind).toBe('agent');
    expect(Number(reply.message.id)).toBeGreaterThan(Number(received.message.id));

    const ended = await post(t, contact, `/api/support/chats/${session.id}/end`);
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json<ChatSessionDetailResponse>().status).toBe('ended');
    await agentSocket.waitFor((frame) => frame.type === 'status' && frame.status === 'ended');
    expect(await agentSocket.closed).toBe(4000);

    const transcript = await t.ctx.db
      .selectFrom('support_case_messages')
      .select(['author_kind', 'body', 'via', 'visibility'])
      .where('case_id', '=', session.case.id)
      .orderBy('created_at')
      .execute();
    expect(transcript.filter((row) => row.via === 'chat').map((row) => [row.author_kind, row.body])).toEqual([
      ['contact', 'Scans stop at 40% since the upgrade.'],
      ['system', expect.stringContaining('joined the chat')],
      ['contact', 'Hello, anyone there?'],
      ['agent', 'Yes: which scan policy?'],
      ['system', expect.stringContaining('ended the chat')],
    ]);

    const audit = await t.ctx.db.selectFrom('audit_events').select('action').where('target_id', '=', session.id).execute();
    expect(audit.map((row) => row.action).sort()).toEqual(['support.chat_accepted', 'support.chat_ended', 'support.chat_started']);

    // After the end: no more messages (409), and a second end is refused too.
    expect((await post(t, contact, `/api/support/chats/${session.id}/messages`, { body: 'one more' })).statusCode).toBe(409);
    expect((await post(t, agent, `/api/support/chats/${session.id}/end`)).statusCode).toBe(409);
  });

  it('links a chat to one of the contact’s open cases instead of opening one', async () => {
    const { signedIn: contact } = await eligibleContact(t);
    const first = await start(t, contact);
    const second = await start(t, contact, startBody(first.case.id));
    expect(second.case).toEqual(first.case);
  });

  it('resumes after a reconnect with every message sent while the socket was down', async () => {
    const { accountId, signedIn: contact } = await eligibleContact(t);
    const { signedIn: agent } = await agentFor(t, accountId);
    const session = await start(t, contact);
    expect((await post(t, agent, `/api/support/chats/${session.id}/accept`)).statusCode).toBe(200);

    const first = await openChatSocket(urlOf(t), session.id, contact.cookie);
    first.send({ type: 'resume', afterId: '0' });
    const joined = await first.waitFor((frame) => frame.type === 'message' && frame.message.body.includes('joined the chat'));
    const lastSeen = joined.type === 'message' ? joined.message.id : '0';
    first.close();
    await first.closed;

    const agentSocket = await openChatSocket(urlOf(t), session.id, agent.cookie);
    agentSocket.send({ type: 'resume', afterId: '0' });
    for (let index = 1; index <= 5; index += 1) agentSocket.send({ type: 'message', body: `while away ${index}`, clientId: `a${index}` });
    await agentSocket.waitFor((frame) => frame.type === 'ack' && frame.clientId === 'a5');
    // And one through the HTTP fallback.
    expect((await post(t, agent, `/api/support/chats/${session.id}/messages`, { body: 'via HTTP' })).statusCode).toBe(201);

    const second = await openChatSocket(urlOf(t), session.id, contact.cookie);
    second.send({ type: 'resume', afterId: lastSeen });
    await second.waitFor(isMessage('via HTTP'));
    const bodies = second.frames.flatMap((frame) => (frame.type === 'message' ? [frame.message.body] : []));
    expect(bodies).toEqual(['while away 1', 'while away 2', 'while away 3', 'while away 4', 'while away 5', 'via HTTP']);
    second.close();
    agentSocket.close();
  });

  it('stores a message resent with the same client id once, and acknowledges both sends with its id', async () => {
    const { accountId, signedIn: contact } = await eligibleContact(t);
    const { signedIn: agent } = await agentFor(t, accountId);
    const session = await start(t, contact);
    expect((await post(t, agent, `/api/support/chats/${session.id}/accept`)).statusCode).toBe(200);

    // The first send's acknowledgement is lost with the connection; the client resends on the next one.
    const first = await openChatSocket(urlOf(t), session.id, contact.cookie);
    first.send({ type: 'message', body: 'sent once', clientId: 'resend-1' });
    const firstAck = await first.waitFor((frame) => frame.type === 'ack' && frame.clientId === 'resend-1');
    first.close();
    await first.closed;
    const second = await openChatSocket(urlOf(t), session.id, contact.cookie);
    second.send({ type: 'message', body: 'sent once', clientId: 'resend-1' });
    const secondAck = await second.waitFor((frame) => frame.type === 'ack' && frame.clientId === 'resend-1');
    expect(secondAck.type === 'ack' && firstAck.type === 'ack' && secondAck.id === firstAck.id).toBe(true);
    // Another message with another id is stored as usual.
    second.send({ type: 'message', body: 'sent once', clientId: 'resend-2' });
    await second.waitFor((frame) => frame.type === 'ack' && frame.clientId === 'resend-2');
    second.close();

    const stored = await t.ctx.db
      .selectFrom('support_chat_messages')
      .select('body')
      .where('session_id', '=', session.id)
      .where('body', '=', 'sent once')
      .execute();
    expect(stored).toHaveLength(2);
  });

  it('refuses messages, sockets and reads on a chat that is not yours with 404, and foreign origins', async () => {
    const { accountId, signedIn: owner } = await eligibleContact(t);
    const session = await start(t, owner);
    // A colleague on the same account, a contact of another account, and an agent of another account.
    const { signedIn: colleague } = await eligibleContact(t, accountId);
    const { signedIn: stranger } = await eligibleContact(t);
    const otherAccount = await createAccount(t.ctx);
    const { signedIn: otherAgent } = await agentFor(t, otherAccount.id);

    for (const who of [colleague, stranger, otherAgent]) {
      expect((await post(t, who, `/api/support/chats/${session.id}/messages`, { body: 'hi' })).statusCode).toBe(404);
      expect(
        (await t.app.inject({ method: 'GET', url: `/api/support/chats/${session.id}`, headers: { cookie: who.cookie } })).statusCode,
      ).toBe(404);
      expect((await post(t, who, `/api/support/chats/${session.id}/end`)).statusCode).toBe(404);
      await expect(openChatSocket(urlOf(t), session.id, who.cookie)).rejects.toMatchObject({ status: 404 });
    }
    const strangerList = await t.app.inject({ method: 'GET', url: '/api/support/chats', headers: { cookie: stranger.cookie } });
    expect(strangerList.json<{ items: unknown[] }>().items).toEqual([]);
    const otherAgentList = await t.app.inject({ method: 'GET', url: '/api/support/chats', headers: { cookie: otherAgent.cookie } });
    expect(otherAgentList.json<{ items: { id: string }[] }>().items.map((item) => item.id)).not.toContain(session.id);
    expect((await post(t, otherAgent, `/api/support/chats/${session.id}/accept`)).statusCode).toBe(404);

    await expect(openChatSocket(urlOf(t), session.id, owner.cookie, { origin: 'https://evil.example' })).rejects.toMatchObject({
      status: 403,
    });
    await expect(openChatSocket(urlOf(t), session.id, '')).rejects.toMatchObject({ status: 401 });
  });

  it('lets only support agents accept, and only the first of them', async () => {
    const { accountId, signedIn: contact } = await eligibleContact(t);
    const session = await start(t, contact);
    const { signedIn: notAgent } = await agentFor(t, accountId, { isSupportAgent: false, role: 64 });
    expect((await post(t, notAgent, `/api/support/chats/${session.id}/accept`)).statusCode).toBe(403);
    expect((await post(t, contact, `/api/support/chats/${session.id}/accept`)).statusCode).toBe(403);

    const { signedIn: first } = await agentFor(t, accountId);
    const { signedIn: second } = await agentFor(t, accountId);
    const [a, b] = await Promise.all([
      post(t, first, `/api/support/chats/${session.id}/accept`),
      post(t, second, `/api/support/chats/${session.id}/accept`),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? first : second;
    // The agent who lost the race is not part of the chat.
    expect((await post(t, loser, `/api/support/chats/${session.id}/messages`, { body: 'me too' })).statusCode).toBe(404);
  });

  it('answers an over-long message with an error frame and keeps the socket open', async () => {
    const { signedIn: contact } = await eligibleContact(t);
    const session = await start(t, contact);
    const socket = await openChatSocket(urlOf(t), session.id, contact.cookie);
    socket.send({ type: 'resume', afterId: '0' });
    socket.send({ type: 'message', body: 'x'.repeat(10_001), clientId: 'long' });
    const error = await socket.waitFor((frame) => frame.type === 'error' && frame.clientId === 'long');
    expect(error).toMatchObject({ code: 'payload_too_large', message: CHAT_MESSAGE_TOO_LONG });
    socket.send({ type: 'message', body: 'short one', clientId: 'short' });
    await socket.waitFor(isMessage('short one'));
    const tooLong = await post(t, contact, `/api/support/chats/${session.id}/messages`, { body: 'x'.repeat(10_001) });
    expect(tooLong.statusCode).toBe(400);
    socket.close();
  });

  it("refuses ineligible contacts with the seed's messages", async () => {
    const noSubscription = await createAccount(t.ctx);
    const contactWithout = await createContact(t.ctx, noSubscription.id, { canManageCases: true });
    const refusedA = await post(t, await signIn(t.app, contactWithout.username), '/api/support/chats', startBody());
    expect(refusedA.statusCode).toBe(403);
    expect(refusedA.json()).toMatchObject({ error: { code: 'ineligible', message: ELIGIBILITY_MESSAGES.no_subscription } });

    const subscribed = await createAccount(t.ctx, { subscriptions: [{ product: PRODUCT, serviceLevel: 'Standard' }] });
    const noPermission = await createContact(t.ctx, subscribed.id, { canManageCases: false });
    const refusedB = await post(t, await signIn(t.app, noPermission.username), '/api/support/chats', startBody());
    expect(refusedB.statusCode).toBe(403);
    expect(refusedB.json()).toMatchObject({ error: { code: 'ineligible', message: ELIGIBILITY_MESSAGES.no_permission } });

    const anonymous = await t.app.inject({ method: 'POST', url: '/api/support/chats', payload: startBody() });
    expect(anonymous.statusCode).toBe(401);
    const count = await t.ctx.db
      .selectFrom('support_chat_sessions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const before = Number(count.n);
    expect(before).toBeGreaterThanOrEqual(0);
  });

  it('refuses a product the account does not subscribe to and a version it does not have', async () => {
    const { signedIn: contact } = await eligibleContact(t);
    const wrongProduct = await post(t, contact, '/api/support/chats', {
      ...startBody(),
      product: 'Tenable Security Center',
      productVersion: '6.5',
    });
    expect(wrongProduct.statusCode).toBe(400);
    const wrongVersion = await post(t, contact, '/api/support/chats', { ...startBody(), productVersion: '1.0' });
    expect(wrongVersion.statusCode).toBe(400);
    const missingCase = await post(t, contact, '/api/support/chats', startBody('00000000-0000-4000-8000-000000000000'));
    expect(missingCase.statusCode).toBe(404);
  });
});

const SHARED_SECRETS = { SESSION_SECRET: 'shared-session-secret-for-two-nodes-0123456789', MASTER_KEY: 'ab'.repeat(32) };

// Two nodes need one PostgreSQL; PGlite is single-process.
describe.skipIf(!process.env.DATABASE_URL)('chat across two nodes on one PostgreSQL', () => {
  let nodeA: TestApp;
  let nodeB: TestApp;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    const shared = await createTestDatabase();
    dropDatabase = shared.drop;
    nodeA = await buildTestApp(SHARED_SECRETS, { database: shared.database });
    nodeB = await buildTestApp(SHARED_SECRETS, { database: shared.database });
    await nodeA.app.listen({ port: 0, host: '127.0.0.1' });
    await nodeB.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await nodeA.close();
    await nodeB.close();
    await dropDatabase();
  });

  it('delivers a contact’s message on node A to the agent on node B and back', async () => {
    const { accountId, signedIn: contact } = await eligibleContact(nodeA);
    const agentUser = await createStaff(nodeA.ctx, { role: 32, isSupportAgent: true });
    await assignAccount(nodeA.ctx, agentUser.id, accountId);
    const agent = await signIn(nodeB.app, agentUser.username);

    const session = await start(nodeA, contact);
    const contactSocket = await openChatSocket(urlOf(nodeA), session.id, contact.cookie);
    contactSocket.send({ type: 'resume', afterId: '0' });
    await contactSocket.waitFor((frame) => frame.type === 'status');

    expect((await post(nodeB, agent, `/api/support/chats/${session.id}/accept`)).statusCode).toBe(200);
    // The status change made on node B reaches the contact's socket on node A.
    await contactSocket.waitFor((frame) => frame.type === 'status' && frame.status === 'active');

    const agentSocket = await openChatSocket(urlOf(nodeB), session.id, agent.cookie);
    agentSocket.send({ type: 'resume', afterId: '0' });
    await agentSocket.waitFor(isMessage('Scans stop at 40% since the upgrade.'));

    contactSocket.send({ type: 'message', body: 'from node A', clientId: 'a' });
    await agentSocket.waitFor(isMessage('from node A'));
    agentSocket.send({ type: 'typing' });
    await contactSocket.waitFor((frame) => frame.type === 'typing');
    agentSocket.send({ type: 'message', body: 'from node B', clientId: 'b' });
    await contactSocket.waitFor(isMessage('from node B'));

    expect((await post(nodeB, agent, `/api/support/chats/${session.id}/end`)).statusCode).toBe(200);
    await contactSocket.waitFor((frame) => frame.type === 'status' && frame.status === 'ended');
    const onCase = await nodeA.ctx.db
      .selectFrom('support_case_messages')
      .select('body')
      .where('case_id', '=', session.case.id)
      .where('via', '=', 'chat')
      .execute();
    expect(onCase.map((row) => row.body)).toEqual(expect.arrayContaining(['from node A', 'from node B']));
  });

  it('catches every socket up when the LISTEN connections drop and come back', async () => {
    const { accountId, signedIn: contact } = await eligibleContact(nodeA);
    const agentUser = await createStaff(nodeA.ctx, { role: 32, isSupportAgent: true });
    await assignAccount(nodeA.ctx, agentUser.id, accountId);
    const agent = await signIn(nodeB.app, agentUser.username);
    const session = await start(nodeA, contact);
    expect((await post(nodeB, agent, `/api/support/chats/${session.id}/accept`)).statusCode).toBe(200);
    const agentSocket = await openChatSocket(urlOf(nodeB), session.id, agent.cookie);
    agentSocket.send({ type: 'resume', afterId: '0' });
    await agentSocket.waitFor((frame) => frame.type === 'message' && frame.message.body.includes('joined the chat'));

    // Both nodes' LISTEN connections are cut (a PostgreSQL restart or a failover looks like this).
    const cut = await sql<{ pid: number }>`
      select pid from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and query ilike 'listen %'`.execute(nodeA.ctx.db);
    expect(cut.rows.length).toBeGreaterThanOrEqual(2);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and query ilike 'listen %'`.execute(nodeA.ctx.db);
    // Sent while nobody listens: its NOTIFY reaches no one, the catch-up after the reconnect delivers it.
    expect(
      (await post(nodeA, contact, `/api/support/chats/${session.id}/messages`, { body: 'while the listeners were down' })).statusCode,
    ).toBe(201);
    await agentSocket.waitFor(isMessage('while the listeners were down'), 10_000);
    agentSocket.close();
  });
});
