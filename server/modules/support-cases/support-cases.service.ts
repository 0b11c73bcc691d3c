import type { Readable } from 'node:stream';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { z } from 'zod';
import { can, ROLES, type Actor } from '../../../common/permissions.js';
import {
  CUSTOMER_CARE_QUEUE,
  FEDRAMP_ATTACHMENT_MESSAGE,
  FEDRAMP_QUEUE,
  OPERATING_SYSTEMS,
  SECRET_DETECTED_MESSAGE,
  type AccountContactResponse,
  type CaseAttachmentResponse,
  type CaseDetailResponse,
  type CaseListQuery,
  type CaseListResponse,
  type CaseMessageResponse,
  type CasePriority,
  type CaseStatus,
  type CaseSummaryResponse,
  type CreateCustomerCareCaseBody,
  type CreateTechnicalCaseBody,
  type CaseReplyBody,
  type QueuesResponse,
  type SaveCareCategoriesBody,
  type SaveProductsBody,
  type SaveSlaTargetsBody,
  type SuggestionsBody,
  type SuggestionsResponse,
  type SuggestionStatsResponse,
  type SupportCatalogResponse,
  type SupportOverviewResponse,
  type UpdateCaseBody,
} from '../../../common/schemas/support-cases.js';
import type { Database } from '../../db/schema.js';
import type { SecretOverrideRecord } from '../../db/schema-support.js';
import { AppError, notFound } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { StoredObjectNotFoundError } from '../../storage/storage.js';
import { recordAudit } from '../audit/audit.service.js';
import { suggestArticles } from '../knowledge-base/knowledge-base.service.js';
import { scanForSecrets } from '../secret-scan/secret-scan.js';
import { customerCareEligibility, requireTechnicalSupport, technicalSupportEligibility } from './eligibility.js';
import { firstResponseDueAt, firstResponseMinutes, slaClock } from './sla.js';
import {
  findActiveSubscriptions,
  findCareCategories,
  findProducts,
  findSlaTargets,
  findVisibleCase,
  selectCases,
  textArray,
  visibleTo,
  type CaseRow,
  type CaseScope,
  type Executor,
} from './support-cases.repository.js';

type ListQuery = z.output<typeof CaseListQuery>;
type CustomerCareInput = z.output<typeof CreateCustomerCareCaseBody>;
type TechnicalInput = z.output<typeof CreateTechnicalCaseBody>;
type SuggestionsInput = z.output<typeof SuggestionsBody>;
type ReplyInput = z.output<typeof CaseReplyBody>;
type UpdateInput = z.output<typeof UpdateCaseBody>;

const ENDED_STATUSES: readonly CaseStatus[] = ['solved', 'closed'];
export const REPLY_SECRET_DETECTED_MESSAGE = 'The reply contains text that looks like a credential or secret. Remove it, or send anyway.';
export const UPLOAD_NOT_FOUND_MESSAGE = 'Upload not found.';

// ---- Who may see what -----------------------------------------------------------------------------

function isAdministrator(actor: Actor): boolean {
  return actor.kind === 'staff' && actor.role === ROLES.administrator;
}

/** The cases the caller may see, or null (neither a contact nor a support agent). */
export function caseScopeOf(actor: Actor | null): CaseScope | null {
  if (!actor) return null;
  if (actor.kind === 'contact' && actor.accountId) {
    return { kind: 'contact', userId: actor.userId, accountId: actor.accountId, allOfAccount: actor.canManageCases };
  }
  if (can(actor, 'support:work')) {
    // The same rule as can(actor, 'accounts:read', { accountId }): Administrators see every account.
    return { kind: 'agent', userId: actor.userId, accountIds: isAdministrator(actor) ? 'all' : actor.assignedAccountIds };
  }
  return null;
}

function requireScope(ctx: ServiceContext): CaseScope {
  const scope = caseScopeOf(ctx.actor);
  if (!scope) throw new AppError('forbidden', 'You do not have permission to do that.');
  return scope;
}

function requireActor(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new AppError('unauthenticated', 'Sign in to continue.');
  return ctx.actor;
}

function requireContact(ctx: ServiceContext): Actor & { accountId: string } {
  const actor = requireActor(ctx);
  if (actor.kind !== 'contact' || !actor.accountId) {
    throw new AppError('forbidden', 'Customer Care cases are opened by customer contacts.');
  }
  return actor as Actor & { accountId: string };
}

async function authorOf(db: Executor, actor: Actor): Promise<{ name: string; email: string | null }> {
  const user = await db.selectFrom('users').select(['name', 'username', 'email']).where('id', '=', actor.userId).executeTakeFirst();
  return { name: user?.name || user?.username || actor.username, email: user?.email ?? null };
}

async function findCaseOr404(ctx: ServiceContext, db: Executor, id: string) {
  const scope = requireScope(ctx);
  const row = await findVisibleCase(db, scope, id);
  if (!row) throw notFound('Case');
  return { scope, row };
}

// ---- Presenting -----------------------------------------------------------------------------------

function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function asDate(value: Date | string | null): Date | null {
  return value === null ? null : value instanceof Date ? value : new Date(value);
}

function parseOverride(value: unknown): SecretOverrideRecord | null {
  if (!value) return null;
  const record = (typeof value === 'string' ? JSON.parse(value) : value) as SecretOverrideRecord;
  return { findings: record.findings.map((finding) => ({ kind: finding.kind, preview: finding.preview })), at: record.at };
}

export function presentSummary(row: CaseRow, now = new Date()): CaseSummaryResponse {
  const createdAt = asDate(row.created_at) ?? now;
  return {
    id: row.id,
    number: String(row.number),
    kind: row.kind,
    status: row.status,
    priority: row.priority,
    subject: row.subject,
    product: row.product,
    productVersion: row.product_version,
    category: row.category,
    issueType: row.issue_type,
    queue: row.queue,
    isFedramp: row.is_fedramp,
    account: { id: row.account_id, name: row.account_name },
    openedBy: row.opened_by_user_id ? { id: row.opened_by_user_id, name: row.opened_by_name || row.opened_by_username || '' } : null,
    assignedTo: row.assigned_to_user_id
      ? { id: row.assigned_to_user_id, name: row.assigned_to_name || row.assigned_to_username || '' }
      : null,
    serviceLevel: row.service_level,
    sla: slaClock({
      createdAt,
      dueAt: asDate(row.first_response_due_at),
      respondedAt: asDate(row.first_responded_at),
      status: row.status,
      endedAt: asDate(row.status === 'closed' ? (row.closed_at ?? row.solved_at) : row.solved_at),
      now,
    }),
    secretOverride: parseOverride(row.secret_override),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

// ---- Secrets --------------------------------------------------------------------------------------

/** null: nothing flagged. Throws secret_detected unless the caller chose to send anyway. */
async function checkSecrets(text: string, override: boolean, message: string): Promise<SecretOverrideRecord | null> {
  const findings = await scanForSecrets(text);
  if (findings.length === 0) return null;
  if (!override) {
    throw new AppError('secret_detected', message, {
      findings: findings.map((finding) => ({ kind: finding.kind, preview: finding.preview, start: finding.start, end: finding.end })),
    });
  }
  return { findings: findings.map((finding) => ({ kind: finding.kind, preview: finding.preview })), at: new Date().toISOString() };
}

/** The audit names the kinds of secret only, never the text or its preview. */
async function auditOverride(
  ctx: ServiceContext,
  db: Executor,
  target: { caseId: string; number: string; accountId: string; on: 'description' | 'reply' },
  override: SecretOverrideRecord,
): Promise<void> {
  await recordAudit(
    { ...ctx, db: db as Kysely<Database> },
    {
      action: 'support.secret_override',
      targetType: 'support_case',
      targetId: target.caseId,
      accountId: target.accountId,
      details: { number: target.number, on: target.on, kinds: [...new Set(override.findings.map((finding) => finding.kind))] },
    },
  );
}

// ---- Overview and catalog -------------------------------------------------------------------------

export async function getOverview(ctx: ServiceContext): Promise<SupportOverviewResponse> {
  const actor = ctx.actor;
  const account =
    actor?.kind === 'contact' && actor.accountId
      ? await ctx.db
          .selectFrom('customer_accounts')
          .select(['id', 'name', 'is_fedramp'])
          .where('id', '=', actor.accountId)
          .executeTakeFirst()
      : undefined;
  return {
    signedIn: actor !== null,
    isContact: actor?.kind === 'contact',
    isSupportAgent: can(actor, 'support:work'),
    customerCare: customerCareEligibility(actor),
    technicalSupport: await technicalSupportEligibility(ctx.db, actor),
    account: account ? { id: account.id, name: account.name, isFedramp: account.is_fedramp } : null,
    canManageCases: actor?.kind === 'contact' && actor.canManageCases,
    isPrimaryContact: actor?.kind === 'contact' && actor.isPrimaryContact,
  };
}

/** The account's subscribed products (with a service level) and the versions Support knows for each. */
async function subscribedProducts(db: Executor, accountId: string) {
  const [subscriptions, products] = await Promise.all([findActiveSubscriptions(db, accountId), findProducts(db)]);
  const order = new Map(products.map((product, index) => [product.name, index]));
  const versions = new Map(products.map((product) => [product.name, product.versions]));
  return subscriptions
    .map((subscription) => ({
      name: subscription.product,
      versions: versions.get(subscription.product) ?? [],
      serviceLevel: subscription.serviceLevel,
    }))
    .sort((a, b) => (order.get(a.name) ?? 1e9) - (order.get(b.name) ?? 1e9) || a.name.localeCompare(b.name));
}

export async function getCatalog(ctx: ServiceContext): Promise<SupportCatalogResponse> {
  const actor = requireActor(ctx);
  const categories = await findCareCategories(ctx.db);
  const products =
    actor.kind === 'contact' && actor.accountId
      ? await subscribedProducts(ctx.db, actor.accountId)
      : (await findProducts(ctx.db)).map((product) => ({ name: product.name, versions: product.versions, serviceLevel: null }));
  return {
    careCategories: categories.map((category) => ({ name: category.name, issueTypes: category.issue_types })),
    products,
    operatingSystems: [...OPERATING_SYSTEMS],
  };
}

// ---- Creating cases -------------------------------------------------------------------------------

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', message, { issues: [{ path, message }] });
}

interface NewCase {
  accountId: string;
  kind: 'customer_care' | 'technical';
  priority: CasePriority | null;
  category: string | null;
  issueType: string | null;
  product: string | null;
  productVersion: string | null;
  operatingSystem: string | null;
  subject: string;
  description: string;
  isFedramp: boolean;
  queue: string;
  serviceLevel: string | null;
  secretOverride: SecretOverrideRecord | null;
  openedByUserId: string;
}

async function insertCase(db: Executor, values: NewCase): Promise<{ id: string; number: string; createdAt: Date }> {
  const createdAt = new Date();
  const minutes = firstResponseMinutes(await findSlaTargets(db), values.serviceLevel, values.priority);
  const row = await db
    .insertInto('support_cases')
    .values({
      account_id: values.accountId,
      kind: values.kind,
      priority: values.priority,
      category: values.category,
      issue_type: values.issueType,
      product: values.product,
      product_version: values.productVersion,
      operating_system: values.operatingSystem,
      subject: values.subject,
      description: values.description,
      is_fedramp: values.isFedramp,
      queue: values.queue,
      service_level: values.serviceLevel,
      first_response_due_at: firstResponseDueAt(createdAt, minutes),
      secret_override: values.secretOverride ? JSON.stringify(values.secretOverride) : null,
      opened_by_user_id: values.openedByUserId,
      created_at: createdAt,
      updated_at: createdAt,
    })
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow();
  return { id: row.id, number: String(row.number), createdAt };
}

/**
 * Attaches the caller's finished, unattached uploads of the case's account to the case. Any id that
 * does not qualify refuses the whole request with 404 (the caller's transaction rolls back).
 */
async function attachUploads(
  ctx: ServiceContext,
  db: Executor,
  target: { caseId: string; number: string; accountId: string },
  uploadIds: readonly string[],
): Promise<number> {
  const ids = [...new Set(uploadIds)];
  if (ids.length === 0) return 0;
  const actor = requireActor(ctx);
  const attachedAt = new Date();
  const rows = await db
    .updateTable('support_uploads')
    .set({ case_id: target.caseId, attached_at: attachedAt })
    .where('tus_id', 'in', ids)
    .where('status', '=', 'complete')
    .where('case_id', 'is', null)
    .where('uploaded_by_user_id', '=', actor.userId)
    .where('account_id', '=', target.accountId)
    .returning(['id', 'file_name', 'size', 'sha256'])
    .execute();
  if (rows.length !== ids.length) throw new AppError('not_found', UPLOAD_NOT_FOUND_MESSAGE);
  for (const row of rows) {
    await recordAudit(
      { ...ctx, db: db as Kysely<Database> },
      {
        action: 'support.file_uploaded',
        targetType: 'support_case',
        targetId: target.caseId,
        accountId: target.accountId,
        details: { number: target.number, attachmentId: row.id, fileName: row.file_name, size: Number(row.size), sha256: row.sha256 },
      },
    );
  }
  return rows.length;
}

async function auditCreated(
  ctx: ServiceContext,
  db: Executor,
  created: { id: string; number: string },
  values: Pick<NewCase, 'kind' | 'queue' | 'accountId' | 'isFedramp' | 'priority'>,
  via: 'portal' | 'chat',
): Promise<void> {
  await recordAudit(
    { ...ctx, db: db as Kysely<Database> },
    {
      action: 'support.case_created',
      targetType: 'support_case',
      targetId: created.id,
      accountId: values.accountId,
      details: {
        kind: values.kind,
        number: created.number,
        queue: values.queue,
        priority: values.priority,
        isFedramp: values.isFedramp,
        via,
      },
    },
  );
}

async function createCase(
  ctx: ServiceContext,
  values: NewCase,
  extra: { uploadIds: readonly string[]; suggestionVisitId: string | null; via: 'portal' | 'chat' },
): Promise<CaseDetailResponse> {
  const created = await ctx.db.transaction().execute(async (trx) => {
    const inserted = await insertCase(trx, values);
    const target = { caseId: inserted.id, number: inserted.number, accountId: values.accountId };
    if (values.secretOverride) await auditOverride(ctx, trx, { ...target, on: 'description' }, values.secretOverride);
    await attachUploads(ctx, trx, target, extra.uploadIds);
    if (extra.suggestionVisitId) {
      const visit = await trx
        .updateTable('support_suggestion_visits')
        .set({ outcome: 'submitted', case_id: inserted.id, updated_at: new Date() })
        .where('id', '=', extra.suggestionVisitId)
        .where('user_id', '=', values.openedByUserId)
        .where('account_id', '=', values.accountId)
        .where('case_id', 'is', null)
        .executeTakeFirst();
      if (Number(visit.numUpdatedRows) !== 1) throw new AppError('not_found', 'Suggestion visit not found.');
    }
    await auditCreated(ctx, trx, inserted, values, extra.via);
    return inserted;
  });
  return getCase(ctx, created.id);
}

export async function createCustomerCareCase(ctx: ServiceContext, body: CustomerCareInput): Promise<CaseDetailResponse> {
  const actor = requireContact(ctx);
  const categories = await findCareCategories(ctx.db);
  const category = categories.find((row) => row.name === body.category);
  if (!category) throw invalid('body.category', 'Select what you need help with from the list.');
  if (!category.issue_types.includes(body.issueType)) throw invalid('body.issueType', 'Select one of the Customer Care Issues listed.');
  const secretOverride = await checkSecrets(body.description, body.secretOverride, SECRET_DETECTED_MESSAGE);
  return createCase(
    ctx,
    {
      accountId: actor.accountId,
      kind: 'customer_care',
      priority: null,
      category: category.name,
      issueType: body.issueType,
      product: null,
      productVersion: null,
      operatingSystem: null,
      subject: body.subject,
      description: body.description,
      isFedramp: false,
      queue: CUSTOMER_CARE_QUEUE,
      serviceLevel: null,
      secretOverride,
      openedByUserId: actor.userId,
    },
    { uploadIds: body.uploadIds, suggestionVisitId: null, via: 'portal' },
  );
}

/** The product must be one the account subscribes to; its version one of the product's, or null when it has none. */
async function checkProduct(db: Executor, accountId: string, product: string, version: string | null) {
  const subscribed = (await subscribedProducts(db, accountId)).find((row) => row.name === product);
  if (!subscribed) throw invalid('body.product', 'Select one of the products your account subscribes to.');
  if (subscribed.versions.length === 0) {
    if (version) throw invalid('body.productVersion', `${product} has no versions to choose from.`);
    return { ...subscribed, version: null };
  }
  if (!version || !subscribed.versions.includes(version)) {
    throw invalid('body.productVersion', `Select a version of ${product}.`);
  }
  return { ...subscribed, version };
}

export async function suggest(ctx: ServiceContext, body: SuggestionsInput): Promise<SuggestionsResponse> {
  const actor = await requireTechnicalSupport(ctx.db, ctx.actor);
  await checkProduct(ctx.db, actor.accountId, body.product, body.productVersion);
  const articles = await suggestArticles(ctx, { subject: body.subject, product: body.product, limit: 5 });
  const visit = await ctx.db
    .insertInto('support_suggestion_visits')
    .values({
      account_id: actor.accountId,
      user_id: actor.userId,
      product: body.product,
      subject: body.subject,
      article_slugs: textArray(articles.map((article) => article.slug)),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    visitId: visit.id,
    articles: articles.map((article) => ({ slug: article.slug, title: article.title, summary: article.summary, product: article.product })),
  };
}

/** Left at Suggestions, or continued to Review; a visit that became a case stays submitted. */
export async function setSuggestionOutcome(ctx: ServiceContext, visitId: string, outcome: 'left' | 'continued'): Promise<void> {
  const actor = requireActor(ctx);
  const visit = await ctx.db
    .selectFrom('support_suggestion_visits')
    .select(['id', 'outcome'])
    .where('id', '=', visitId)
    .where('user_id', '=', actor.userId)
    .executeTakeFirst();
  if (!visit) throw new AppError('not_found', 'Suggestion visit not found.');
  if (visit.outcome === 'submitted') return;
  await ctx.db.updateTable('support_suggestion_visits').set({ outcome, updated_at: new Date() }).where('id', '=', visitId).execute();
}

export async function createTechnicalCase(ctx: ServiceContext, body: TechnicalInput): Promise<CaseDetailResponse> {
  const actor = await requireTechnicalSupport(ctx.db, ctx.actor);
  const product = await checkProduct(ctx.db, actor.accountId, body.product, body.productVersion);
  if (body.isFedramp && body.uploadIds.length > 0) throw invalid('body.uploadIds', FEDRAMP_ATTACHMENT_MESSAGE);
  const secretOverride = await checkSecrets(body.description, body.secretOverride, SECRET_DETECTED_MESSAGE);
  return createCase(
    ctx,
    {
      accountId: actor.accountId,
      kind: 'technical',
      priority: body.priority,
      category: null,
      issueType: null,
      product: product.name,
      productVersion: product.version,
      operatingSystem: body.operatingSystem,
      subject: body.subject,
      description: body.description,
      isFedramp: body.isFedramp,
      queue: body.isFedramp ? FEDRAMP_QUEUE : product.name,
      serviceLevel: product.serviceLevel,
      secretOverride,
      openedByUserId: actor.userId,
    },
    { uploadIds: body.uploadIds, suggestionVisitId: body.suggestionVisitId, via: 'portal' },
  );
}

// ---- Reading cases --------------------------------------------------------------------------------

export async function listCases(ctx: ServiceContext, query: ListQuery): Promise<CaseListResponse> {
  const scope = requireScope(ctx);
  let select = selectCases(ctx.db).where((eb) => visibleTo(eb, scope));
  if (query.status) select = select.where('c.status', '=', query.status);
  if (query.state === 'open') select = select.where('c.status', 'not in', ENDED_STATUSES);
  if (query.kind) select = select.where('c.kind', '=', query.kind);
  if (query.product) select = select.where('c.product', '=', query.product);
  if (query.queue) select = select.where('c.queue', '=', query.queue);
  if (scope.kind === 'agent' && query.assigned === 'me') select = select.where('c.assigned_to_user_id', '=', scope.userId);
  if (query.assigned === 'unassigned') select = select.where('c.assigned_to_user_id', 'is', null);
  const q = query.q?.trim();
  if (q) {
    const digits = /^#?(\d{1,18})$/.exec(q)?.[1];
    select = select.where((eb) =>
      eb.or([
        eb(sql`c.search_vector`, '@@', sql`websearch_to_tsquery('english', ${q})`),
        ...(digits ? [eb(sql`c.number::text`, '=', digits)] : []),
      ]),
    );
  }
  const countRow = await select
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await select
    .orderBy('c.created_at', 'desc')
    .orderBy('c.number', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const now = new Date();
  return { items: rows.map((row) => presentSummary(row, now)), total: Number(countRow.total), page: query.page, pageSize: query.pageSize };
}

export async function getCase(ctx: ServiceContext, id: string): Promise<CaseDetailResponse> {
  const { scope, row } = await findCaseOr404(ctx, ctx.db, id);
  const isAgent = scope.kind === 'agent';
  let messagesQuery = ctx.db.selectFrom('support_case_messages').selectAll().where('case_id', '=', id);
  if (!isAgent) messagesQuery = messagesQuery.where('visibility', '=', 'public');
  const messages = await messagesQuery.orderBy('created_at').orderBy('id').execute();
  const attachments = await ctx.db
    .selectFrom('support_uploads as u')
    .leftJoin('users as w', 'w.id', 'u.uploaded_by_user_id')
    .select(['u.id', 'u.file_name', 'u.size', 'u.sha256', 'u.content_type', 'u.created_at', 'w.name as uploader_name', 'w.username'])
    .where('u.case_id', '=', id)
    .orderBy('u.attached_at')
    .orderBy('u.file_name')
    .execute();
  const ended = ENDED_STATUSES.includes(row.status);
  return {
    ...presentSummary(row),
    description: row.description,
    operatingSystem: row.operating_system,
    messages: messages.map((message): CaseMessageResponse => ({
      id: message.id,
      authorName: message.author_name,
      authorKind: message.author_kind,
      visibility: message.visibility,
      via: message.via,
      body: message.body,
      secretOverride: message.secret_override !== null,
      createdAt: iso(message.created_at),
    })),
    attachments: attachments.map((file): CaseAttachmentResponse => ({
      id: file.id,
      fileName: file.file_name,
      size: Number(file.size),
      sha256: file.sha256,
      contentType: file.content_type,
      uploadedBy: file.uploader_name || file.username || null,
      createdAt: iso(file.created_at),
    })),
    can: {
      reply: row.status !== 'closed' || isAgent,
      addFiles: row.status !== 'closed',
      close: !isAgent && row.status !== 'closed',
      reopen: !isAgent && ended,
      work: isAgent,
    },
  };
}

// ---- Working on cases -----------------------------------------------------------------------------

async function setStatusColumns(db: Executor, id: string, status: CaseStatus, now: Date) {
  await db
    .updateTable('support_cases')
    .set({
      status,
      updated_at: now,
      ...(status === 'solved' ? { solved_at: now } : {}),
      ...(status === 'closed' ? { closed_at: now } : {}),
      ...(ENDED_STATUSES.includes(status) ? {} : { solved_at: null, closed_at: null }),
    })
    .where('id', '=', id)
    .execute();
}

async function auditStatus(ctx: ServiceContext, db: Executor, row: CaseRow, to: CaseStatus): Promise<void> {
  await recordAudit(
    { ...ctx, db: db as Kysely<Database> },
    {
      action: 'support.case_status_changed',
      targetType: 'support_case',
      targetId: row.id,
      accountId: row.account_id,
      details: { number: String(row.number), from: row.status, to },
    },
  );
}

export async function replyToCase(ctx: ServiceContext, id: string, body: ReplyInput): Promise<CaseDetailResponse> {
  const actor = requireActor(ctx);
  const { scope, row } = await findCaseOr404(ctx, ctx.db, id);
  const isAgent = scope.kind === 'agent';
  if (!isAgent && body.visibility === 'internal') throw new AppError('forbidden', 'Internal notes are for support agents.');
  if (!isAgent && row.status === 'closed') throw new AppError('conflict', 'This case is closed: reopen it to reply.');
  const secretOverride = await checkSecrets(body.body, body.secretOverride, REPLY_SECRET_DETECTED_MESSAGE);
  const author = await authorOf(ctx.db, actor);
  const now = new Date();
  const number = String(row.number);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('support_case_messages')
      .values({
        case_id: id,
        author_user_id: actor.userId,
        author_name: author.name,
        author_kind: isAgent ? 'agent' : 'contact',
        visibility: body.visibility,
        via: 'portal',
        body: body.body,
        secret_override: secretOverride ? JSON.stringify(secretOverride) : null,
        created_at: now,
      })
      .execute();
    let status: CaseStatus = row.status;
    if (!isAgent && row.status === 'awaiting_customer') status = 'in_progress';
    if (isAgent && body.visibility === 'public' && row.status === 'new') status = 'in_progress';
    if (isAgent && body.visibility === 'public' && !row.first_responded_at) {
      await trx
        .updateTable('support_cases')
        .set({ first_responded_at: now })
        .where('id', '=', id)
        .where('first_responded_at', 'is', null)
        .execute();
    }
    if (status !== row.status) {
      await setStatusColumns(trx, id, status, now);
      await auditStatus(ctx, trx, row, status);
    } else {
      await trx.updateTable('support_cases').set({ updated_at: now }).where('id', '=', id).execute();
    }
    if (secretOverride) await auditOverride(ctx, trx, { caseId: id, number, accountId: row.account_id, on: 'reply' }, secretOverride);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'support.case_replied',
        targetType: 'support_case',
        targetId: id,
        accountId: row.account_id,
        details: { number, visibility: body.visibility, authorKind: isAgent ? 'agent' : 'contact' },
      },
    );
  });
  if (isAgent && body.visibility === 'public') await mailContact(ctx, row, author.name, body.body);
  return getCase(ctx, id);
}

/** Tells the contact who opened the case that an agent replied; a mail failure never undoes the reply. */
async function mailContact(ctx: ServiceContext, row: CaseRow, agentName: string, reply: string): Promise<void> {
  if (!row.opened_by_user_id) return;
  const contact = await ctx.db
    .selectFrom('users')
    .select(['email', 'name', 'username', 'is_disabled'])
    .where('id', '=', row.opened_by_user_id)
    .executeTakeFirst();
  if (!contact?.email || contact.is_disabled) return;
  const number = String(row.number);
  const link = `${ctx.config.publicUrl}/support/cases/${row.id}`;
  try {
    await ctx.mailer.send({
      to: contact.email,
      subject: `Support case ${number}: ${agentName} replied`,
      text: [
        `Hello ${contact.name || contact.username},`,
        '',
        `${agentName} replied to your support case ${number} (${row.subject}):`,
        '',
        reply,
        '',
        `Read the case and answer it here: ${link}`,
      ].join('\n'),
      link,
    });
  } catch (error) {
    // The reply is stored; the log names the case, never the text.
    ctx.log.warn({ caseId: row.id, err: error instanceof Error ? { message: error.message } : undefined }, 'support reply mail failed');
  }
}

export async function attachFiles(ctx: ServiceContext, id: string, uploadIds: readonly string[]): Promise<CaseDetailResponse> {
  const { row } = await findCaseOr404(ctx, ctx.db, id);
  if (row.status === 'closed') throw new AppError('conflict', 'This case is closed: reopen it to add files.');
  await ctx.db.transaction().execute(async (trx) => {
    await attachUploads(ctx, trx, { caseId: id, number: String(row.number), accountId: row.account_id }, uploadIds);
    await trx.updateTable('support_cases').set({ updated_at: new Date() }).where('id', '=', id).execute();
  });
  return getCase(ctx, id);
}

async function findAttachment(db: Executor, caseId: string, attachmentId: string) {
  return db
    .selectFrom('support_uploads')
    .select(['id', 'file_name', 'size', 'sha256', 'storage_key', 'uploaded_by_user_id'])
    .where('id', '=', attachmentId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
}

/** A file name safe for Content-Disposition: no path, no control characters, no quotes. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return cleaned && cleaned !== '.' && cleaned !== '..' ? cleaned.slice(0, 255) : 'download';
}

export function contentDisposition(name: string): string {
  const safe = safeFileName(name);
  const ascii = safe.replace(/[^\x20-\x7e]/g, '_').replace(/[\\%]/g, '_');
  const encoded = encodeURIComponent(safe).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export async function downloadAttachment(
  ctx: ServiceContext,
  id: string,
  attachmentId: string,
): Promise<{ fileName: string; size: number; stream: Readable }> {
  const { row } = await findCaseOr404(ctx, ctx.db, id);
  const file = await findAttachment(ctx.db, id, attachmentId);
  if (!file) throw notFound('Attachment');
  let stream: Readable;
  try {
    stream = await ctx.storage.get(file.storage_key);
  } catch (error) {
    if (error instanceof StoredObjectNotFoundError) throw notFound('Attachment');
    throw error;
  }
  await recordAudit(ctx, {
    action: 'support.file_downloaded',
    targetType: 'support_case',
    targetId: id,
    accountId: row.account_id,
    details: { number: String(row.number), attachmentId: file.id, fileName: file.file_name, size: Number(file.size) },
  });
  return { fileName: file.file_name, size: Number(file.size), stream };
}

export async function removeAttachment(ctx: ServiceContext, id: string, attachmentId: string): Promise<void> {
  const actor = requireActor(ctx);
  const { scope, row } = await findCaseOr404(ctx, ctx.db, id);
  const file = await findAttachment(ctx.db, id, attachmentId);
  if (!file) throw notFound('Attachment');
  if (scope.kind !== 'agent' && file.uploaded_by_user_id !== actor.userId) {
    throw new AppError('forbidden', 'Only the person who uploaded a file, or a support agent, can remove it.');
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('support_uploads').where('id', '=', file.id).execute();
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'support.file_removed',
        targetType: 'support_case',
        targetId: id,
        accountId: row.account_id,
        details: {
          number: String(row.number),
          attachmentId: file.id,
          fileName: file.file_name,
          size: Number(file.size),
          sha256: file.sha256,
        },
      },
    );
  });
  try {
    await ctx.storage.delete(file.storage_key);
  } catch (error) {
    ctx.log.warn(
      { caseId: id, attachmentId, err: error instanceof Error ? { message: error.message } : undefined },
      'attachment bytes not deleted',
    );
  }
}

async function changeStatusAsContact(ctx: ServiceContext, id: string, to: CaseStatus, allowedFrom: readonly CaseStatus[]) {
  const { scope, row } = await findCaseOr404(ctx, ctx.db, id);
  if (scope.kind !== 'contact') throw new AppError('forbidden', 'Support agents change the status from the console.');
  if (!allowedFrom.includes(row.status)) {
    throw new AppError('conflict', to === 'closed' ? 'This case is already closed.' : 'Only solved or closed cases can be reopened.');
  }
  await ctx.db.transaction().execute(async (trx) => {
    await setStatusColumns(trx, id, to, new Date());
    await auditStatus(ctx, trx, row, to);
  });
  return getCase(ctx, id);
}

export function closeCase(ctx: ServiceContext, id: string): Promise<CaseDetailResponse> {
  return changeStatusAsContact(ctx, id, 'closed', ['new', 'in_progress', 'awaiting_customer', 'solved']);
}

export function reopenCase(ctx: ServiceContext, id: string): Promise<CaseDetailResponse> {
  return changeStatusAsContact(ctx, id, 'in_progress', ['solved', 'closed']);
}

/** Whether the user is an enabled support agent who may see the account. */
async function isAssignableAgent(db: Executor, userId: string, accountId: string): Promise<{ name: string; username: string } | null> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'name', 'username', 'role'])
    .where('id', '=', userId)
    .where('kind', '=', 'staff')
    .where('is_support_agent', '=', true)
    .where('is_disabled', '=', false)
    .executeTakeFirst();
  if (!user) return null;
  if (user.role === ROLES.administrator) return user;
  const assigned = await db
    .selectFrom('staff_account_assignments')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return assigned ? user : null;
}

export async function updateCase(ctx: ServiceContext, id: string, body: UpdateInput): Promise<CaseDetailResponse> {
  const { scope, row } = await findCaseOr404(ctx, ctx.db, id);
  if (scope.kind !== 'agent') throw new AppError('forbidden', 'You do not have permission to do that.');
  let assignee: { name: string; username: string } | null = null;
  if (body.assignedToUserId) {
    assignee = await isAssignableAgent(ctx.db, body.assignedToUserId, row.account_id);
    if (!assignee) throw invalid('body.assignedToUserId', 'Assign the case to a support agent who works on this account.');
  }
  await ctx.db.transaction().execute(async (trx) => {
    const now = new Date();
    if (body.status && body.status !== row.status) {
      await setStatusColumns(trx, id, body.status, now);
      await auditStatus(ctx, trx, row, body.status);
    }
    if (body.assignedToUserId !== undefined && body.assignedToUserId !== row.assigned_to_user_id) {
      await trx
        .updateTable('support_cases')
        .set({ assigned_to_user_id: body.assignedToUserId, updated_at: now })
        .where('id', '=', id)
        .execute();
      await recordAudit(
        { ...ctx, db: trx },
        {
          action: 'support.case_assigned',
          targetType: 'support_case',
          targetId: id,
          accountId: row.account_id,
          details: {
            number: String(row.number),
            fromUserId: row.assigned_to_user_id,
            toUserId: body.assignedToUserId,
            toUsername: assignee?.username ?? null,
          },
        },
      );
    }
  });
  return getCase(ctx, id);
}

// ---- The console ----------------------------------------------------------------------------------

function requireAgentScope(ctx: ServiceContext): Extract<CaseScope, { kind: 'agent' }> {
  const scope = caseScopeOf(ctx.actor);
  if (scope?.kind !== 'agent') throw new AppError('forbidden', 'You do not have permission to do that.');
  return scope;
}

export async function listQueues(ctx: ServiceContext): Promise<QueuesResponse> {
  const scope = requireAgentScope(ctx);
  const open = sql<boolean>`c.status not in ('solved', 'closed')`;
  const running = sql<boolean>`c.status not in ('solved', 'closed') and c.first_responded_at is null and c.first_response_due_at is not null`;
  const rows = await ctx.db
    .selectFrom('support_cases as c')
    .where((eb) => visibleTo(eb, scope))
    .select([
      'c.queue',
      'c.status',
      sql<string>`count(*)`.as('total'),
      sql<string>`count(*) filter (where ${open})`.as('open'),
      sql<string>`count(*) filter (where ${open} and c.assigned_to_user_id is null)`.as('unassigned'),
      sql<string>`count(*) filter (where ${running} and c.first_response_due_at < now())`.as('breached'),
      sql<Date | null>`min(c.first_response_due_at) filter (where ${running} and c.first_response_due_at >= now())`.as('next_due'),
    ])
    .groupBy(['c.queue', 'c.status'])
    .execute();
  const products = await findProducts(ctx.db);
  const names = [CUSTOMER_CARE_QUEUE, FEDRAMP_QUEUE, ...products.map((product) => product.name)];
  for (const row of rows) if (!names.includes(row.queue)) names.push(row.queue);
  return {
    items: names.map((queue) => {
      const ofQueue = rows.filter((row) => row.queue === queue);
      const nextDue = ofQueue
        .map((row) => asDate(row.next_due))
        .filter((value): value is Date => value !== null)
        .sort((a, b) => a.getTime() - b.getTime())[0];
      return {
        queue,
        open: ofQueue.reduce((sum, row) => sum + Number(row.open), 0),
        unassigned: ofQueue.reduce((sum, row) => sum + Number(row.unassigned), 0),
        breached: ofQueue.reduce((sum, row) => sum + Number(row.breached), 0),
        byStatus: Object.fromEntries(ofQueue.map((row) => [row.status, Number(row.total)])),
        nextDueAt: nextDue ? nextDue.toISOString() : null,
      };
    }),
  };
}

export async function listAgents(ctx: ServiceContext) {
  requireAgentScope(ctx);
  const rows = await ctx.db
    .selectFrom('users')
    .select(['id', 'name', 'username'])
    .where('kind', '=', 'staff')
    .where('is_support_agent', '=', true)
    .where('is_disabled', '=', false)
    .orderBy(sql`lower(name)`)
    .orderBy('username')
    .execute();
  return { items: rows.map((row) => ({ id: row.id, name: row.name || row.username, username: row.username })) };
}

export async function suggestionStats(ctx: ServiceContext): Promise<z.infer<typeof SuggestionStatsResponse>> {
  const scope = requireAgentScope(ctx);
  let query = ctx.db.selectFrom('support_suggestion_visits').select(['outcome', sql<string>`count(*)`.as('count')]);
  if (scope.accountIds !== 'all') {
    const ids = scope.accountIds;
    query = query.where((eb) => (ids.length === 0 ? sql<boolean>`false` : eb('account_id', 'in', ids)));
  }
  const rows = await query.groupBy('outcome').execute();
  const count = (outcome: string) => Number(rows.find((row) => row.outcome === outcome)?.count ?? 0);
  const [shown, left, continued, submitted] = [count('shown'), count('left'), count('continued'), count('submitted')];
  const decided = left + continued + submitted;
  return { shown, left, continued, submitted, resolvedRate: decided === 0 ? 0 : left / decided };
}

// ---- The Primary Contact's contacts page ----------------------------------------------------------

function requirePrimaryContact(ctx: ServiceContext): Actor & { accountId: string } {
  const actor = requireActor(ctx);
  if (!can(actor, 'support:manage-contacts') || !actor.accountId) throw new AppError('forbidden', 'You do not have permission to do that.');
  return actor as Actor & { accountId: string };
}

function selectContacts(db: Executor, accountId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'username', 'email', 'can_manage_cases', 'is_primary_contact', 'is_disabled'])
    .where('kind', '=', 'contact')
    .where('account_id', '=', accountId);
}

function presentContact(row: Awaited<ReturnType<ReturnType<typeof selectContacts>['executeTakeFirstOrThrow']>>): AccountContactResponse {
  return {
    id: row.id,
    name: row.name,
    username: row.username,
    email: row.email,
    canManageCases: row.can_manage_cases,
    isPrimaryContact: row.is_primary_contact,
    isDisabled: row.is_disabled,
  };
}

export async function listAccountContacts(ctx: ServiceContext): Promise<{ items: AccountContactResponse[] }> {
  const actor = requirePrimaryContact(ctx);
  const rows = await selectContacts(ctx.db, actor.accountId)
    .orderBy(sql`lower(name)`)
    .orderBy('username')
    .execute();
  return { items: rows.map(presentContact) };
}

/** The change applies on the contact's next request: the session reads the user row each time. */
export async function setManageCases(ctx: ServiceContext, userId: string, canManageCases: boolean): Promise<AccountContactResponse> {
  const actor = requirePrimaryContact(ctx);
  const contact = await selectContacts(ctx.db, actor.accountId).where('id', '=', userId).executeTakeFirst();
  if (!contact) throw notFound('Contact');
  if (contact.id === actor.userId && !canManageCases) {
    throw new AppError('conflict', 'You cannot remove Manage Cases from yourself: as the Primary Contact you keep it.');
  }
  if (contact.can_manage_cases === canManageCases) return presentContact(contact);
  return ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ can_manage_cases: canManageCases, updated_at: new Date() }).where('id', '=', userId).execute();
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'support.manage_cases_changed',
        targetType: 'user',
        targetId: userId,
        accountId: actor.accountId,
        details: { username: contact.username, canManageCases },
      },
    );
    return presentContact({ ...contact, can_manage_cases: canManageCases });
  });
}

// ---- Administrators' configuration ----------------------------------------------------------------

function requireUnique(names: readonly string[], path: string, what: string): void {
  const seen = new Set<string>();
  names.forEach((name, index) => {
    const key = name.toLowerCase();
    if (seen.has(key)) throw invalid(`${path}.${index}.name`, `${what} ${name} is listed twice.`);
    seen.add(key);
  });
}

async function auditConfiguration(ctx: ServiceContext, db: Executor, what: string, count: number): Promise<void> {
  await recordAudit({ ...ctx, db: db as Kysely<Database> }, { action: 'support.configuration_updated', details: { what, count } });
}

export async function getCareCategories(ctx: ServiceContext): Promise<z.output<typeof SaveCareCategoriesBody>> {
  const rows = await findCareCategories(ctx.db);
  return { categories: rows.map((row) => ({ name: row.name, issueTypes: row.issue_types })) };
}

export async function saveCareCategories(
  ctx: ServiceContext,
  body: z.output<typeof SaveCareCategoriesBody>,
): Promise<z.output<typeof SaveCareCategoriesBody>> {
  requireUnique(
    body.categories.map((category) => category.name),
    'body.categories',
    'The category',
  );
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('support_care_categories').execute();
    await trx
      .insertInto('support_care_categories')
      .values(
        body.categories.map((category, index) => ({
          name: category.name,
          issue_types: textArray([...new Set(category.issueTypes)]),
          sort_order: index,
        })),
      )
      .execute();
    await auditConfiguration(ctx, trx, 'care_categories', body.categories.length);
  });
  return getCareCategories(ctx);
}

export async function getProducts(ctx: ServiceContext): Promise<z.output<typeof SaveProductsBody>> {
  const rows = await findProducts(ctx.db);
  return { products: rows.map((row) => ({ name: row.name, versions: row.versions })) };
}

export async function saveProducts(
  ctx: ServiceContext,
  body: z.output<typeof SaveProductsBody>,
): Promise<z.output<typeof SaveProductsBody>> {
  requireUnique(
    body.products.map((product) => product.name),
    'body.products',
    'The product',
  );
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('support_products').execute();
    await trx
      .insertInto('support_products')
      .values(
        body.products.map((product, index) => ({
          name: product.name,
          versions: textArray([...new Set(product.versions)]),
          sort_order: index,
        })),
      )
      .execute();
    await auditConfiguration(ctx, trx, 'products', body.products.length);
  });
  return getProducts(ctx);
}

export async function getSlaTargets(ctx: ServiceContext): Promise<{ items: SlaTargetOut[] }> {
  return { items: await findSlaTargets(ctx.db) };
}

type SlaTargetOut = { serviceLevel: string; priority: CasePriority; firstResponseMinutes: number };

export async function saveSlaTargets(ctx: ServiceContext, body: z.output<typeof SaveSlaTargetsBody>): Promise<{ items: SlaTargetOut[] }> {
  const seen = new Set<string>();
  body.items.forEach((item, index) => {
    const key = `${item.serviceLevel.toLowerCase()}|${item.priority}`;
    if (seen.has(key)) {
      throw invalid(`body.items.${index}`, `${item.serviceLevel} ${item.priority.toUpperCase()} is listed twice.`);
    }
    seen.add(key);
  });
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('support_sla_targets').execute();
    await trx
      .insertInto('support_sla_targets')
      .values(
        body.items.map((item) => ({
          service_level: item.serviceLevel,
          priority: item.priority,
          first_response_minutes: item.firstResponseMinutes,
        })),
      )
      .execute();
    await auditConfiguration(ctx, trx, 'sla_targets', body.items.length);
  });
  return getSlaTargets(ctx);
}

// ---- For chat (server/modules/support-chat) --------------------------------------------------------

/**
 * Opens a P3 Technical Support case for a chat with no case yet: the same eligibility, product
 * and SLA rules as the form, routed to the product's queue.
 */
export async function openCaseForChat(
  ctx: ServiceContext,
  input: { product: string; productVersion: string | null; operatingSystem: string; description: string },
): Promise<{ id: string; number: string }> {
  const actor = await requireTechnicalSupport(ctx.db, ctx.actor);
  const product = await checkProduct(ctx.db, actor.accountId, input.product, input.productVersion);
  return ctx.db.transaction().execute(async (trx) => {
    const values: NewCase = {
      accountId: actor.accountId,
      kind: 'technical',
      priority: 'p3',
      category: null,
      issueType: null,
      product: product.name,
      productVersion: product.version,
      operatingSystem: input.operatingSystem,
      subject: `Chat: ${input.description.trim().replace(/\s+/g, ' ').slice(0, 80)}`,
      description: input.description,
      isFedramp: false,
      queue: product.name,
      serviceLevel: product.serviceLevel,
      secretOverride: null,
      openedByUserId: actor.userId,
    };
    const inserted = await insertCase(trx, values);
    await auditCreated(ctx, trx, inserted, values, 'chat');
    return { id: inserted.id, number: inserted.number };
  });
}

/** The caller's own open case (one they may see, not solved or closed), for linking a chat to it. */
export async function findCaseForChat(
  ctx: ServiceContext,
  caseId: string,
): Promise<{ id: string; number: string; accountId: string } | null> {
  const scope = caseScopeOf(ctx.actor);
  if (scope?.kind !== 'contact') return null;
  const row = await findVisibleCase(ctx.db, scope, caseId);
  if (!row || ENDED_STATUSES.includes(row.status)) return null;
  return { id: row.id, number: String(row.number), accountId: row.account_id };
}

/**
 * Keeps a chat's transcript on its case as public messages (via chat). An agent's first message
 * counts as the first response for the SLA clock and moves a new case to In Progress.
 */
export async function appendChatTranscript(
  db: Kysely<Database> | Transaction<Database>,
  caseId: string,
  messages: {
    authorUserId: string | null;
    authorName: string;
    authorKind: 'contact' | 'agent' | 'system';
    body: string;
    createdAt: Date;
  }[],
): Promise<void> {
  if (messages.length === 0) return;
  await db
    .insertInto('support_case_messages')
    .values(
      messages.map((message) => ({
        case_id: caseId,
        author_user_id: message.authorUserId,
        author_name: message.authorName,
        author_kind: message.authorKind,
        visibility: 'public' as const,
        via: 'chat' as const,
        body: message.body,
        created_at: message.createdAt,
      })),
    )
    .execute();
  const firstAgent = messages
    .filter((message) => message.authorKind === 'agent')
    .map((message) => message.createdAt)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  if (firstAgent) {
    await db
      .updateTable('support_cases')
      .set({ first_responded_at: firstAgent })
      .where('id', '=', caseId)
      .where('first_responded_at', 'is', null)
      .execute();
    await db.updateTable('support_cases').set({ status: 'in_progress' }).where('id', '=', caseId).where('status', '=', 'new').execute();
  }
  await db.updateTable('support_cases').set({ updated_at: new Date() }).where('id', '=', caseId).execute();
}
