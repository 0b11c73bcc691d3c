import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { ChatServerFrame, ChatSessionDetailResponse } from '../common/schemas/support-chat.js';
import { migrateToLatest, openDatabase } from '../server/db/database.js';
import { hashPassword } from '../server/lib/crypto.js';
import { openChatSocket, type ChatTestSocket } from '../server/modules/support-chat/chat-test-client.js';
import { signInForBench } from './bench-support.js';
import { serverNodeArgs } from './server-process.js';

/**
 * `npm run bench:chat`: two Bulwark server processes on one fresh PostgreSQL database (DATABASE_URL,
 * else postgres://root@127.0.0.1:5432/postgres; created and dropped here). 200 chat sessions:
 * every contact is connected to node A, every agent (ten of them, twenty chats each) to node B.
 * Messages go both ways over the WebSockets; the latency of one message is the time from sending
 * it on one node's socket to receiving it on the other node's socket (one process, one clock), so
 * it includes storing it, NOTIFY, LISTEN on the other node and the read there. Prints the count,
 * p50, p95, p99 and the maximum (target: p99 under 100 ms).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SESSIONS = 200;
const AGENTS = 10;
const ACCOUNTS = 20;
const ROUNDS = 10;
/** Each round, every session sends one message (alternating sides), spread evenly over this long. */
const ROUND_MS = Number(process.env.BENCH_CHAT_ROUND_MS ?? 1000);
const PORTS = [18310, 18311] as const;
const PASSWORD = 'Bench-Password-2026!';
const PRODUCT = 'Nessus Professional';

const watchdog = setTimeout(() => {
  console.error('bench:chat did not finish within 10 minutes; giving up.');
  process.exit(1);
}, 600_000);
watchdog.unref();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function startServer(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, serverNodeArgs(ROOT), { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let attempt = 0; attempt < 600; attempt += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    await sleep(250);
  }
  throw new Error('server did not start');
}

async function post<T>(base: string, who: { cookie: string; csrfToken: string }, url: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${url}`, {
    method: 'POST',
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Runs the tasks with at most `limit` at once. */
async function inBatches<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        results[index] = await task(items[index] as T, index);
      }
    }),
  );
  return results;
}

async function seed(url: string): Promise<{ contacts: string[]; agents: string[] }> {
  const handle = await openDatabase({ kind: 'postgres', url });
  try {
    await migrateToLatest(handle.db);
    const db = handle.db;
    const passwordHash = await hashPassword(PASSWORD);
    const accounts = await db
      .insertInto('customer_accounts')
      .values(Array.from({ length: ACCOUNTS }, (_, index) => ({ name: `Chat Bench ${index}`, region: 'US', notes: '' })))
      .returning('id')
      .execute();
    await db
      .insertInto('account_subscriptions')
      .values(
        accounts.map((account) => ({
          account_id: account.id,
          product: PRODUCT,
          service_level: 'Premium 24x7',
          starts_on: '2020-01-01',
          ends_on: '2099-12-31',
        })),
      )
      .execute();
    await db
      .insertInto('approved_domains')
      .values({ domain: 'chat-bench.example' })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const contacts = Array.from({ length: SESSIONS }, (_, index) => ({
      kind: 'contact' as const,
      username: `contact${index}@customer.example`,
      name: `Contact ${index}`,
      password_hash: passwordHash,
      role: 32,
      account_id: accounts[index % ACCOUNTS]?.id ?? null,
      can_manage_cases: true,
    }));
    await db.insertInto('users').values(contacts).execute();
    const agents = await db
      .insertInto('users')
      .values(
        Array.from({ length: AGENTS }, (_, index) => ({
          kind: 'staff' as const,
          username: `agent${index}@chat-bench.example`,
          name: `Agent ${index}`,
          password_hash: passwordHash,
          role: 32,
          is_support_agent: true,
        })),
      )
      .returning(['id', 'username'])
      .execute();
    await db
      .insertInto('staff_account_assignments')
      .values(agents.flatMap((agent) => accounts.map((account) => ({ user_id: agent.id, account_id: account.id }))))
      .execute();
    return { contacts: contacts.map((contact) => contact.username), agents: agents.map((agent) => agent.username) };
  } finally {
    await handle.close();
  }
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
  const name = `bulwark_bench_chat_${crypto.randomBytes(5).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const dataDirs: string[] = [];
  const children: ChildProcess[] = [];
  const sockets: ChatTestSocket[] = [];
  try {
    console.log(`bench:chat: seeding ${ACCOUNTS} accounts, ${SESSIONS} contacts and ${AGENTS} agents in ${name}`);
    const { contacts, agents } = await seed(databaseUrl);

    const shared = { SESSION_SECRET: crypto.randomBytes(32).toString('base64url'), MASTER_KEY: crypto.randomBytes(32).toString('hex') };
    for (const port of PORTS) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-chat-'));
      dataDirs.push(dataDir);
      children.push(
        await startServer(
          {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            PORT: String(port),
            HOST: '127.0.0.1',
            PUBLIC_URL: `http://127.0.0.1:${port}`,
            DATA_DIR: dataDir,
            DATABASE_URL: databaseUrl,
            LOG_LEVEL: 'warn',
            SIGN_IN_MAX_ATTEMPTS_PER_IP: '100000',
            ...shared,
          },
          port,
        ),
      );
    }
    const [nodeA, nodeB] = PORTS.map((port) => `http://127.0.0.1:${port}`) as [string, string];
    console.log(`bench:chat: node A ${nodeA}, node B ${nodeB}`);

    const contactSessions = await inBatches(contacts, 8, (username) => signInForBench(nodeA, username, PASSWORD));
    const agentSessions = await inBatches(agents, 4, (username) => signInForBench(nodeB, username, PASSWORD));
    const chats = await inBatches(contactSessions, 8, (who) =>
      post<ChatSessionDetailResponse>(nodeA, who, '/api/support/chats', {
        product: PRODUCT,
        productVersion: '10.8',
        operatingSystem: 'Debian 12',
        caseId: null,
        description: 'Benchmark chat',
      }),
    );
    await inBatches(chats, 8, (chat, index) =>
      post(nodeB, agentSessions[index % AGENTS] ?? agentSessions[0]!, `/api/support/chats/${chat.id}/accept`),
    );
    console.log(`bench:chat: ${chats.length} chats started on node A and accepted on node B by ${AGENTS} agents`);

    // Latency: the key of a message -> when it was sent; filled in when the other side receives it.
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const onFrame = (frame: ChatServerFrame) => {
      if (frame.type !== 'message' || !frame.message.body.startsWith('bench ')) return;
      const started = sentAt.get(frame.message.body);
      if (started === undefined) return;
      const received = performance.now();
      // Each message is received by the other side once; the sender's own echo is ignored by key.
      sentAt.delete(frame.message.body);
      latencies.push(received - started);
    };
    const pairs = await inBatches(chats, 16, async (chat, index) => {
      const contactSocket = await openChatSocket(nodeA, chat.id, contactSessions[index]?.cookie ?? '', {
        onFrame: (frame) => echoFilter(frame, 'agent'),
      });
      const agentSocket = await openChatSocket(nodeB, chat.id, (agentSessions[index % AGENTS] ?? agentSessions[0]!).cookie, {
        onFrame: (frame) => echoFilter(frame, 'contact'),
      });
      sockets.push(contactSocket, agentSocket);
      contactSocket.send({ type: 'resume', afterId: '0' });
      agentSocket.send({ type: 'resume', afterId: '0' });
      await contactSocket.waitFor((frame) => frame.type === 'message' && frame.message.body.includes('joined the chat'), 30_000);
      await agentSocket.waitFor((frame) => frame.type === 'message' && frame.message.body.includes('joined the chat'), 30_000);
      return { contactSocket, agentSocket };
    });
    /** Only the other side's messages count: the receiving socket must not be the sender's. */
    function echoFilter(frame: ChatServerFrame, from: 'contact' | 'agent') {
      if (frame.type === 'message' && frame.message.authorKind === from) onFrame(frame);
    }
    console.log(`bench:chat: ${sockets.length} sockets open (${SESSIONS} on node A, ${SESSIONS} on node B); sending for ${ROUNDS} s`);

    let sent = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const roundStart = performance.now();
      for (const [index, pair] of pairs.entries()) {
        const due = roundStart + (index / pairs.length) * ROUND_MS;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        const fromContact = (round + index) % 2 === 0;
        const body = `bench ${round} ${index} ${fromContact ? 'contact' : 'agent'}`;
        sentAt.set(body, performance.now());
        (fromContact ? pair.contactSocket : pair.agentSocket).send({ type: 'message', body, clientId: `${round}-${index}` });
        sent += 1;
      }
    }
    const deadline = Date.now() + 10_000;
    while (sentAt.size > 0 && Date.now() < deadline) await sleep(50);

    latencies.sort((a, b) => a - b);
    const format = (value: number) => `${value.toFixed(1)} ms`;
    console.log('');
    console.log(`Chat message delivery across two nodes (${SESSIONS} sessions, contacts on node A, ${AGENTS} agents on node B)`);
    console.log(`  messages sent        ${sent}`);
    console.log(`  delivered            ${latencies.length}${sentAt.size > 0 ? `  (${sentAt.size} not delivered within 10 s)` : ''}`);
    console.log(`  rate                 ${Math.round(SESSIONS / (ROUND_MS / 1000))} messages/s`);
    console.log(`  p50                  ${format(percentile(latencies, 0.5))}`);
    console.log(`  p95                  ${format(percentile(latencies, 0.95))}`);
    console.log(`  p99                  ${format(percentile(latencies, 0.99))}   (target < 100 ms)`);
    console.log(`  max                  ${format(latencies.at(-1) ?? Number.NaN)}`);
    // Other work on the machine shows in these figures: the load average says how much there was.
    console.log(
      `  load average         ${os
        .loadavg()
        .map((value) => value.toFixed(2))
        .join(', ')} (${os.cpus().length} CPUs)`,
    );
    if (sentAt.size > 0) process.exitCode = 1;
  } finally {
    for (const socket of sockets) socket.socket.terminate();
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)),
    );
    for (const dataDir of dataDirs) fs.rmSync(dataDir, { recursive: true, force: true });
    await withAdmin(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
  }
}

await main();
clearTimeout(watchdog);
