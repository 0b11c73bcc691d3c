import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

export type Executor = Kysely<Database> | Transaction<Database>;

/** Who may see which chats: a contact their own, an agent those of the accounts they may see (null: every account). */
export type ChatScope = { kind: 'contact'; userId: string } | { kind: 'agent'; userId: string; accountIds: readonly string[] | null };

export function selectSessions(db: Executor) {
  return db
    .selectFrom('support_chat_sessions as s')
    .innerJoin('support_cases as c', 'c.id', 's.case_id')
    .innerJoin('customer_accounts as a', 'a.id', 's.account_id')
    .leftJoin('users as contact', 'contact.id', 's.contact_user_id')
    .leftJoin('users as agent', 'agent.id', 's.agent_user_id')
    .select([
      's.id',
      's.account_id',
      's.case_id',
      's.contact_user_id',
      's.agent_user_id',
      's.status',
      's.product',
      's.product_version',
      's.operating_system',
      's.description',
      's.created_at',
      's.accepted_at',
      's.ended_at',
      'c.number as case_number',
      'a.name as account_name',
      'contact.name as contact_name',
      'agent.name as agent_name',
    ]);
}

export type SessionRow = Awaited<ReturnType<ReturnType<typeof selectSessions>['executeTakeFirstOrThrow']>>;

/** The sessions a scope may list: a contact's own; an agent's accounts' waiting and active ones. */
export async function findSessions(db: Executor, scope: ChatScope): Promise<SessionRow[]> {
  let query = selectSessions(db);
  if (scope.kind === 'contact') {
    query = query.where('s.contact_user_id', '=', scope.userId).orderBy('s.created_at', 'desc').limit(50);
  } else {
    query = query.where('s.status', 'in', ['waiting', 'active']);
    if (scope.accountIds !== null) {
      if (scope.accountIds.length === 0) return [];
      query = query.where('s.account_id', 'in', scope.accountIds);
    }
    // Waiting chats first (newest first), then the active ones.
    query = query
      .orderBy(sql`case when s.status = 'waiting' then 0 else 1 end`)
      .orderBy('s.created_at', 'desc')
      .limit(500);
  }
  return query.execute();
}

export function findSessionById(db: Executor, id: string): Promise<SessionRow | undefined> {
  return selectSessions(db).where('s.id', '=', id).executeTakeFirst();
}

/** Locks the session row until the transaction ends: messages, accept and end of one chat take turns. */
export function lockSession(trx: Transaction<Database>, id: string) {
  return trx
    .selectFrom('support_chat_sessions')
    .select(['id', 'status', 'account_id', 'case_id', 'contact_user_id', 'agent_user_id'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function insertSession(
  db: Executor,
  values: {
    accountId: string;
    caseId: string;
    contactUserId: string;
    product: string;
    productVersion: string | null;
    operatingSystem: string;
    description: string;
  },
) {
  return db
    .insertInto('support_chat_sessions')
    .values({
      account_id: values.accountId,
      case_id: values.caseId,
      contact_user_id: values.contactUserId,
      product: values.product,
      product_version: values.productVersion,
      operating_system: values.operatingSystem,
      description: values.description,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function updateSessionStatus(
  db: Executor,
  id: string,
  values: { status: 'active' | 'ended'; agentUserId?: string; acceptedAt?: Date; endedAt?: Date },
) {
  return db
    .updateTable('support_chat_sessions')
    .set({
      status: values.status,
      ...(values.agentUserId === undefined ? {} : { agent_user_id: values.agentUserId }),
      ...(values.acceptedAt === undefined ? {} : { accepted_at: values.acceptedAt }),
      ...(values.endedAt === undefined ? {} : { ended_at: values.endedAt }),
    })
    .where('id', '=', id)
    .execute();
}

export type MessageRow = Awaited<ReturnType<typeof findMessagesAfter>>[number];

export function insertMessage(
  db: Executor,
  values: { sessionId: string; authorUserId: string | null; authorName: string; authorKind: 'contact' | 'agent' | 'system'; body: string },
) {
  return db
    .insertInto('support_chat_messages')
    .values({
      session_id: values.sessionId,
      author_user_id: values.authorUserId,
      author_name: values.authorName,
      author_kind: values.authorKind,
      body: values.body,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The session's messages after `afterId`, oldest first (a page of at most `limit`). */
export function findMessagesAfter(db: Executor, sessionId: string, afterId: string, limit = 1000) {
  return db
    .selectFrom('support_chat_messages')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export function findAllMessages(db: Executor, sessionId: string) {
  return db.selectFrom('support_chat_messages').selectAll().where('session_id', '=', sessionId).orderBy('id').execute();
}

export async function findUserName(db: Executor, userId: string): Promise<string> {
  const row = await db.selectFrom('users').select(['name', 'username']).where('id', '=', userId).executeTakeFirst();
  return row?.name || row?.username || 'Unknown';
}

/** The account's actively subscribed products (with a service level) and the versions Support knows for each. */
export async function findSubscribedProduct(db: Executor, accountId: string, product: string): Promise<{ versions: string[] } | null> {
  const row = await db
    .selectFrom('account_subscriptions as sub')
    .leftJoin('support_products as p', 'p.name', 'sub.product')
    .select(['p.versions'])
    .where('sub.account_id', '=', accountId)
    .where('sub.product', '=', product)
    .where('sub.service_level', '<>', '')
    .where(sql<boolean>`sub.starts_on <= (now() at time zone 'utc')::date and sub.ends_on >= (now() at time zone 'utc')::date`)
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return { versions: row.versions ?? [] };
}

/** NOTIFY inside the caller's transaction: PostgreSQL delivers it on commit, after the rows are visible. */
export async function notifyChannel(db: Executor, channel: string, payload: string): Promise<void> {
  await sql`select pg_notify(${channel}, ${payload})`.execute(db);
}

/**
 * The socket's hot path in one statement (one round trip, its own transaction): lock the chat row
 * if it is still open and the author is its contact or its agent, insert the message, and NOTIFY
 * its id (delivered on commit). No row back means "not like that": the caller then takes the
 * slow path, which says why.
 */
export async function insertMessageIfOpen(
  db: Executor,
  values: {
    sessionId: string;
    authorUserId: string;
    authorName: string;
    authorKind: 'contact' | 'agent';
    body: string;
    /** The sender's id for the message; a second message with the same one answers the first, stores nothing and notifies nobody. */
    clientId: string | null;
    channel: string;
  },
): Promise<MessageRow | undefined> {
  const participant =
    values.authorKind === 'contact' ? sql`contact_user_id = ${values.authorUserId}` : sql`agent_user_id = ${values.authorUserId}`;
  const result = await sql<MessageRow & { notified: unknown }>`
    with target as (
      select id from support_chat_sessions
      where id = ${values.sessionId} and status <> 'ended' and ${participant}
      for update
    ), inserted as (
      insert into support_chat_messages (session_id, author_user_id, author_name, author_kind, body, client_id)
      select id, ${values.authorUserId}, ${values.authorName}, ${values.authorKind}, ${values.body}, ${values.clientId} from target
      on conflict (session_id, author_user_id, client_id) where client_id is not null do nothing
      returning *
    )
    select inserted.*,
      pg_notify(${values.channel}, json_build_object('k', 'm', 's', inserted.session_id, 'm', inserted.id::text)::text)::text as notified
    from inserted
    union all
    select earlier.*, null::text as notified
    from support_chat_messages earlier
    where ${values.clientId}::text is not null and earlier.session_id = ${values.sessionId}
      and earlier.author_user_id = ${values.authorUserId} and earlier.client_id = ${values.clientId}
      and exists (select 1 from target) and not exists (select 1 from inserted)`.execute(db);
  const row = result.rows[0];
  if (!row) return undefined;
  const { notified: _notified, ...message } = row;
  return message;
}
