import { can, type Actor } from '../../../common/permissions.js';
import type { z } from 'zod';
import type {
  ChatListResponse,
  ChatMessageResponse,
  ChatSessionDetailResponse,
  ChatSessionResponse,
  StartChatBody,
} from '../../../common/schemas/support-chat.js';
import { AppError, notFound } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireTechnicalSupport } from '../support-cases/eligibility.js';
import { appendChatTranscript, findCaseForChat, openCaseForChat } from '../support-cases/support-cases.service.js';
import {
  findAllMessages,
  findMessagesAfter,
  findSessionById,
  findSessions,
  findSubscribedProduct,
  findUserName,
  insertMessage,
  insertMessageIfOpen,
  insertSession,
  lockSession,
  notifyChannel,
  updateSessionStatus,
  type ChatScope,
  type Executor,
  type MessageRow,
  type SessionRow,
} from './support-chat.repository.js';

/** The NOTIFY channel of chat: every node LISTENs once and fans out to its own sockets. */
export const CHAT_CHANNEL = 'support_chat';

/**
 * What goes through NOTIFY (payloads are limited to 8000 bytes, so never a message body): a stored
 * message's id, a status change, or a typing indicator (never stored).
 */
export type ChatNotification =
  { k: 'm'; s: string; m: string } | { k: 's'; s: string } | { k: 't'; s: string; u: string; n: string; a: 'contact' | 'agent' };

export function parseNotification(payload: string): ChatNotification | null {
  try {
    const value = JSON.parse(payload) as Partial<ChatNotification> & { k?: unknown; s?: unknown };
    if (typeof value.s !== 'string') return null;
    if (value.k === 'm' || value.k === 's' || value.k === 't') return value as ChatNotification;
    return null;
  } catch {
    return null;
  }
}

async function publish(db: Executor, notification: ChatNotification): Promise<void> {
  await notifyChannel(db, CHAT_CHANNEL, JSON.stringify(notification));
}

type StartInput = z.output<typeof StartChatBody>;

function requireActor(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new AppError('unauthenticated', 'Sign in to continue.');
  return ctx.actor;
}

function isAgentFor(actor: Actor, accountId: string): boolean {
  return can(actor, 'support:work') && can(actor, 'accounts:read', { accountId });
}

function scopeOf(actor: Actor): ChatScope | null {
  if (actor.kind === 'contact' && can(actor, 'support:use')) return { kind: 'contact', userId: actor.userId };
  if (can(actor, 'support:work')) {
    return { kind: 'agent', userId: actor.userId, accountIds: actor.role === 64 ? null : actor.assignedAccountIds };
  }
  return null;
}

type Role = 'contact' | 'agent' | 'viewer' | null;

/**
 * The caller's part in a chat: the contact who started it, the agent who accepted it, or (while it
 * waits) an agent of the account who may read and accept it. Anyone else gets the same 404.
 */
function roleIn(actor: Actor, row: Pick<SessionRow, 'contact_user_id' | 'agent_user_id' | 'account_id' | 'status'>): Role {
  if (actor.kind === 'contact') return row.contact_user_id === actor.userId && actor.accountId === row.account_id ? 'contact' : null;
  if (!isAgentFor(actor, row.account_id)) return null;
  if (row.agent_user_id === actor.userId) return 'agent';
  return row.status === 'waiting' ? 'viewer' : null;
}

export function presentMessage(row: MessageRow): ChatMessageResponse {
  return {
    id: String(row.id),
    sessionId: row.session_id,
    authorUserId: row.author_user_id,
    authorName: row.author_name,
    authorKind: row.author_kind,
    body: row.body,
    createdAt: row.created_at.toISOString(),
  };
}

function presentSession(row: SessionRow, actor: Actor): ChatSessionResponse {
  const role = roleIn(actor, row);
  const isOpen = row.status !== 'ended';
  const isParty = role === 'contact' || role === 'agent';
  return {
    id: row.id,
    status: row.status,
    case: { id: row.case_id, number: String(row.case_number) },
    account: { id: row.account_id, name: row.account_name },
    contact: row.contact_user_id ? { id: row.contact_user_id, name: row.contact_name ?? 'Contact' } : null,
    agent: row.agent_user_id ? { id: row.agent_user_id, name: row.agent_name ?? 'Support engineer' } : null,
    product: row.product,
    productVersion: row.product_version,
    operatingSystem: row.operating_system,
    description: row.description,
    createdAt: row.created_at.toISOString(),
    acceptedAt: row.accepted_at?.toISOString() ?? null,
    endedAt: row.ended_at?.toISOString() ?? null,
    can: {
      accept: row.status === 'waiting' && actor.kind === 'staff' && isAgentFor(actor, row.account_id),
      send: isOpen && isParty,
      end: isOpen && isParty,
    },
  };
}

/** The session if the caller takes part in it (see roleIn); otherwise the 404 a missing one gets. */
async function findOwnSession(db: Executor, actor: Actor, id: string): Promise<{ row: SessionRow; role: Exclude<Role, null> }> {
  const row = await findSessionById(db, id);
  const role = row ? roleIn(actor, row) : null;
  if (!row || !role) throw notFound('Chat');
  return { row, role };
}

async function checkProduct(db: Executor, accountId: string, product: string, version: string | null): Promise<string | null> {
  const subscribed = await findSubscribedProduct(db, accountId, product);
  const invalid = (path: string, message: string) => new AppError('validation_failed', message, { issues: [{ path, message }] });
  if (!subscribed) throw invalid('body.product', 'Select one of the products your account subscribes to.');
  if (subscribed.versions.length === 0) {
    if (version) throw invalid('body.productVersion', `${product} has no versions to choose from.`);
    return null;
  }
  if (!version || !subscribed.versions.includes(version)) throw invalid('body.productVersion', `Select a version of ${product}.`);
  return version;
}

/**
 * The New Chat Support Session form: Technical Support's eligibility, then the case (the contact's
 * own open one, or a new one for "New Case"), then the session, waiting for an agent. The
 * description opens the conversation.
 */
export async function startChat(ctx: ServiceContext, body: StartInput): Promise<ChatSessionDetailResponse> {
  const actor = await requireTechnicalSupport(ctx.db, ctx.actor);
  const version = await checkProduct(ctx.db, actor.accountId, body.product, body.productVersion);
  const supportCase =
    body.caseId === null
      ? await openCaseForChat(ctx, {
          product: body.product,
          productVersion: version,
          operatingSystem: body.operatingSystem,
          description: body.description,
        })
      : await findCaseForChat(ctx, body.caseId);
  if (!supportCase) throw notFound('Case');
  const contactName = await findUserName(ctx.db, actor.userId);
  const sessionId = await ctx.db.transaction().execute(async (trx) => {
    const { id } = await insertSession(trx, {
      accountId: actor.accountId,
      caseId: supportCase.id,
      contactUserId: actor.userId,
      product: body.product,
      productVersion: version,
      operatingSystem: body.operatingSystem,
      description: body.description,
    });
    await insertMessage(trx, {
      sessionId: id,
      authorUserId: actor.userId,
      authorName: contactName,
      authorKind: 'contact',
      body: body.description,
    });
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'support.chat_started',
        targetType: 'support_chat',
        targetId: id,
        accountId: actor.accountId,
        details: { caseId: supportCase.id, caseNumber: supportCase.number, product: body.product, isNewCase: body.caseId === null },
      },
    );
    await publish(trx, { k: 's', s: id });
    return id;
  });
  return getChat(ctx, sessionId);
}

export async function listChats(ctx: ServiceContext): Promise<ChatListResponse> {
  const actor = requireActor(ctx);
  const scope = scopeOf(actor);
  if (!scope) throw new AppError('forbidden', 'You do not have permission to do that.');
  const rows = await findSessions(ctx.db, scope);
  return { items: rows.map((row) => presentSession(row, actor)) };
}

export async function getChat(ctx: ServiceContext, id: string): Promise<ChatSessionDetailResponse> {
  const actor = requireActor(ctx);
  const { row } = await findOwnSession(ctx.db, actor, id);
  const messages = await findAllMessages(ctx.db, id);
  return { ...presentSession(row, actor), messages: messages.map(presentMessage) };
}

/** An agent takes a waiting chat; the row lock makes a second agent's accept a 409. */
export async function acceptChat(ctx: ServiceContext, id: string): Promise<ChatSessionDetailResponse> {
  const actor = requireActor(ctx);
  if (!can(actor, 'support:work')) throw new AppError('forbidden', 'You do not have permission to do that.');
  const agentName = await findUserName(ctx.db, actor.userId);
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await lockSession(trx, id);
    if (!locked || !isAgentFor(actor, locked.account_id)) throw notFound('Chat');
    if (locked.status !== 'waiting') {
      throw new AppError(
        'conflict',
        locked.status === 'ended' ? 'This chat has ended.' : 'Another support engineer has already accepted this chat.',
      );
    }
    await updateSessionStatus(trx, id, { status: 'active', agentUserId: actor.userId, acceptedAt: new Date() });
    const message = await insertMessage(trx, {
      sessionId: id,
      authorUserId: null,
      authorName: 'Bulwark',
      authorKind: 'system',
      body: `${agentName} joined the chat.`,
    });
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'support.chat_accepted',
        targetType: 'support_chat',
        targetId: id,
        accountId: locked.account_id,
        details: { caseId: locked.case_id },
      },
    );
    await publish(trx, { k: 's', s: id });
    await publish(trx, { k: 'm', s: id, m: String(message.id) });
  });
  return getChat(ctx, id);
}

/** Either party ends the chat; its whole transcript goes onto the case in the same transaction. */
export async function endChat(ctx: ServiceContext, id: string): Promise<ChatSessionDetailResponse> {
  const actor = requireActor(ctx);
  const name = await findUserName(ctx.db, actor.userId);
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await lockSession(trx, id);
    const role = locked ? roleIn(actor, locked) : null;
    if (!locked || (role !== 'contact' && role !== 'agent')) throw notFound('Chat');
    if (locked.status === 'ended') throw new AppError('conflict', 'This chat has already ended.');
    const endedAt = new Date();
    await updateSessionStatus(trx, id, { status: 'ended', endedAt });
    const message = await insertMessage(trx, {
      sessionId: id,
      authorUserId: null,
      authorName: 'Bulwark',
      authorKind: 'system',
      body: `${name} ended the chat.`,
    });
    const transcript = await findAllMessages(trx, id);
    await appendChatTranscript(
      trx,
      locked.case_id,
      transcript.map((row) => ({
        authorUserId: row.author_user_id,
        authorName: row.author_name,
        authorKind: row.author_kind,
        body: row.body,
        createdAt: row.created_at,
      })),
    );
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'support.chat_ended',
        targetType: 'support_chat',
        targetId: id,
        accountId: locked.account_id,
        details: { caseId: locked.case_id, messages: transcript.length, endedBy: role },
      },
    );
    await publish(trx, { k: 's', s: id });
    await publish(trx, { k: 'm', s: id, m: String(message.id) });
  });
  return getChat(ctx, id);
}

/**
 * Stores one message, then publishes its id (on commit). The session row is locked while the
 * message is inserted, so the ids of one chat commit in order and "everything after the last id I
 * have" never skips one that committed late.
 */
export async function sendMessage(ctx: ServiceContext, id: string, body: string): Promise<ChatMessageResponse> {
  const actor = requireActor(ctx);
  const name = await findUserName(ctx.db, actor.userId);
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await lockSession(trx, id);
    const role = locked ? roleIn(actor, locked) : null;
    if (!locked || (role !== 'contact' && role !== 'agent')) throw notFound('Chat');
    if (locked.status === 'ended') throw new AppError('conflict', 'This chat has ended.');
    const row = await insertMessage(trx, { sessionId: id, authorUserId: actor.userId, authorName: name, authorKind: role, body });
    await publish(trx, { k: 'm', s: id, m: String(row.id) });
    return presentMessage(row);
  });
}

/**
 * A message from an open socket, whose author and part were checked when it connected: one
 * statement when the chat is still open and theirs, else the full path (which refuses with the
 * right error, or stores it if the quick check was merely too strict).
 */
export async function sendSocketMessage(
  ctx: ServiceContext,
  id: string,
  who: { role: 'contact' | 'agent'; name: string },
  body: string,
  clientId: string | null = null,
): Promise<ChatMessageResponse> {
  const actor = requireActor(ctx);
  const row = await insertMessageIfOpen(ctx.db, {
    sessionId: id,
    authorUserId: actor.userId,
    authorName: who.name,
    authorKind: who.role,
    body,
    clientId,
    channel: CHAT_CHANNEL,
  });
  return row ? presentMessage(row) : sendMessage(ctx, id, body);
}

/** Who may hold a socket on the chat: its contact and its agent (a waiting chat: the contact only). */
export async function openChatSocket(ctx: ServiceContext, id: string): Promise<{ role: 'contact' | 'agent'; name: string }> {
  const actor = requireActor(ctx);
  const { role } = await findOwnSession(ctx.db, actor, id);
  if (role !== 'contact' && role !== 'agent') throw notFound('Chat');
  return { role, name: await findUserName(ctx.db, actor.userId) };
}

/** A typing indicator: published, never stored. */
export async function publishTyping(ctx: ServiceContext, id: string, who: { role: 'contact' | 'agent'; name: string }): Promise<void> {
  const actor = requireActor(ctx);
  await publish(ctx.db, { k: 't', s: id, u: actor.userId, n: who.name.slice(0, 200), a: who.role });
}

export function readMessagesAfter(db: Executor, sessionId: string, afterId: string, limit: number) {
  return findMessagesAfter(db, sessionId, afterId, limit);
}

export async function readStatus(db: Executor, sessionId: string) {
  const row = await findSessionById(db, sessionId);
  return row ? { status: row.status, agentName: row.agent_name ?? null } : null;
}
