import { can } from '../../../common/permissions.js';
import {
  KB_GUIDE_SLUGS,
  type KbArticleListResponse,
  type KbArticleResponse,
  type KbArticleSummaryResponse,
  type KbSearchQuery,
  type KbSearchResultResponse,
  type SaveKbArticleBody,
} from '../../../common/schemas/knowledge-base.js';
import { AppError, notFound } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { recordAudit } from '../audit/audit.service.js';
import {
  deleteArticle as deleteArticleRow,
  findArticleById,
  findArticleBySlug,
  findArticles,
  insertArticle,
  isSlugTaken,
  searchArticles,
  updateArticle as updateArticleRow,
  type KbVisibility,
} from './knowledge-base.repository.js';

type ArticleRow = NonNullable<Awaited<ReturnType<typeof findArticleById>>>;
type SummaryRow = Awaited<ReturnType<typeof findArticles>>[number];

function presentSummary(row: SummaryRow): KbArticleSummaryResponse {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    product: row.product,
    audience: row.audience,
    isPublished: row.is_published,
    updatedAt: row.updated_at.toISOString(),
  };
}

export function presentArticle(row: ArticleRow): KbArticleResponse {
  return { ...presentSummary(row), body: row.body, createdAt: row.created_at.toISOString() };
}

/** Agents see every article; signed-in users published ones; anonymous visitors published public ones. */
function visibilityFor(ctx: Pick<ServiceContext, 'actor'>): KbVisibility {
  if (can(ctx.actor, 'support:work')) return { kind: 'all' };
  return { kind: 'published', audiences: ctx.actor ? ['public', 'signed_in'] : ['public'] };
}

function isGuide(slug: string): boolean {
  return (KB_GUIDE_SLUGS as readonly string[]).includes(slug);
}

/** One article by slug, if the caller may read it; anything else is the same 404. */
export async function getArticle(ctx: ServiceContext, slug: string): Promise<KbArticleResponse> {
  const row = await findArticleBySlug(ctx.db, slug, visibilityFor(ctx));
  if (!row) throw notFound('Article');
  return presentArticle(row);
}

export async function listArticles(ctx: ServiceContext): Promise<KbArticleListResponse> {
  return { items: (await findArticles(ctx.db)).map(presentSummary) };
}

function presentResults(rows: Awaited<ReturnType<typeof searchArticles>>): KbSearchResultResponse[] {
  return rows.map((row) => ({ slug: row.slug, title: row.title, summary: row.summary, product: row.product, rank: row.rank }));
}

/** The knowledge-base search box: every word must match (websearch syntax), best match first. */
export async function searchKnowledgeBase(ctx: ServiceContext, query: KbSearchQuery): Promise<KbSearchResultResponse[]> {
  const rows = await searchArticles(ctx.db, {
    text: query.q,
    product: query.product ?? null,
    visibility: visibilityFor(ctx),
    limit: query.limit,
  });
  return presentResults(rows);
}

/** The words of a free-text subject, joined so that any of them may match ("or" in websearch syntax). */
export function toAnyWordQuery(text: string): string {
  const words = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words
    .filter((word) => word.toLowerCase() !== 'or')
    .slice(0, 30)
    .join(' or ');
}

/**
 * The articles to suggest before a Technical Support case is submitted: a case subject rarely
 * uses an article's exact words, so any word of the subject or the product may match, and
 * articles matching more of them, in their titles above all, come first. Only articles the
 * caller may read are suggested.
 */
export async function suggestArticles(
  ctx: ServiceContext,
  input: { subject: string; product: string | null; limit: number },
): Promise<KbSearchResultResponse[]> {
  const text = toAnyWordQuery(`${input.subject} ${input.product ?? ''}`);
  if (!text) return [];
  const rows = await searchArticles(ctx.db, { text, product: input.product, visibility: visibilityFor(ctx), limit: input.limit });
  return presentResults(rows);
}

/** The Support page links the guides for anyone: they keep their slug and stay public and published. */
function checkGuideRules(slug: string, body: SaveKbArticleBody): void {
  if (!isGuide(slug)) return;
  if (body.slug !== slug || body.audience !== 'public' || !body.isPublished) {
    throw new AppError(
      'conflict',
      'The Customer Care and Technical Support guides are linked from the Support page: they keep their slug and stay published for anyone.',
    );
  }
}

function slugTaken(slug: string): AppError {
  return new AppError('conflict', `Another article already uses the slug ${slug}.`, {
    issues: [{ path: 'slug', message: `Another article already uses the slug ${slug}.` }],
  });
}

export async function createArticle(ctx: ServiceContext, body: SaveKbArticleBody): Promise<KbArticleResponse> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await insertArticle(trx, body, ctx.actor?.userId ?? null);
    if (!row) throw slugTaken(body.slug);
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'kb.article_created', targetType: 'kb_article', targetId: row.id, details: { slug: row.slug, title: row.title } },
    );
    return presentArticle(row);
  });
}

export async function updateArticle(ctx: ServiceContext, id: string, body: SaveKbArticleBody): Promise<KbArticleResponse> {
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await findArticleById(trx, id);
    if (!existing) throw notFound('Article');
    checkGuideRules(existing.slug, body);
    if (await isSlugTaken(trx, body.slug, id)) throw slugTaken(body.slug);
    const row = await updateArticleRow(trx, id, body, ctx.actor?.userId ?? null);
    if (!row) throw notFound('Article');
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'kb.article_updated',
        targetType: 'kb_article',
        targetId: id,
        details: { slug: row.slug, title: row.title, ...(existing.slug === row.slug ? {} : { previousSlug: existing.slug }) },
      },
    );
    return presentArticle(row);
  });
}

export async function deleteArticle(ctx: ServiceContext, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const existing = await findArticleById(trx, id);
    if (!existing) throw notFound('Article');
    if (isGuide(existing.slug)) {
      throw new AppError('conflict', `The ${existing.title} is linked from the Support page and cannot be deleted.`);
    }
    await deleteArticleRow(trx, id);
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'kb.article_deleted', targetType: 'kb_article', targetId: id, details: { slug: existing.slug, title: existing.title } },
    );
  });
}
