import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { KbAudience } from '../../../common/schemas/knowledge-base.js';
import type { Database } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Which articles a reader may see: agents all of them, others only published ones of these audiences. */
export type KbVisibility = { kind: 'all' } | { kind: 'published'; audiences: readonly KbAudience[] };

const SUMMARY_COLUMNS = ['a.id', 'a.slug', 'a.title', 'a.summary', 'a.product', 'a.audience', 'a.is_published', 'a.updated_at'] as const;

function whereVisible<O>(query: SelectQueryBuilder<Database & { a: Database['kb_articles'] }, 'a', O>, visibility: KbVisibility) {
  if (visibility.kind === 'all') return query;
  return query.where('a.is_published', '=', true).where('a.audience', 'in', visibility.audiences);
}

export function findArticles(db: Executor) {
  return db
    .selectFrom('kb_articles as a')
    .select(SUMMARY_COLUMNS)
    .orderBy(sql`lower(a.title)`)
    .orderBy('a.id')
    .execute();
}

export function findArticleBySlug(db: Executor, slug: string, visibility: KbVisibility) {
  return whereVisible(db.selectFrom('kb_articles as a').selectAll('a'), visibility).where('a.slug', '=', slug).executeTakeFirst();
}

export function findArticleById(db: Executor, id: string) {
  return db.selectFrom('kb_articles as a').selectAll('a').where('a.id', '=', id).executeTakeFirst();
}

export interface KbSearch {
  /** websearch_to_tsquery syntax: words, "phrases", or, -excluded. */
  text: string;
  /** Narrows to this product's articles and those about no product in particular. */
  product: string | null;
  visibility: KbVisibility;
  limit: number;
}

/**
 * Published-or-visible articles matching the search, best first. ts_rank_cd weighs title (A)
 * over summary and product (B) over body (C); normalisation 1 keeps long bodies from winning on
 * length alone.
 */
export function searchArticles(db: Executor, search: KbSearch) {
  const query = sql`websearch_to_tsquery('english', ${search.text})`;
  let select = db
    .selectFrom('kb_articles as a')
    .select(['a.slug', 'a.title', 'a.summary', 'a.product'])
    .select(sql<number>`ts_rank_cd(a.search_vector, ${query}, 1)::float8`.as('rank'))
    .where(sql<boolean>`a.search_vector @@ ${query}`);
  select = whereVisible(select, search.visibility);
  if (search.product !== null) {
    const product = search.product;
    select = select.where((eb) => eb.or([eb(sql`lower(a.product)`, '=', product.toLowerCase()), eb('a.product', 'is', null)]));
  }
  return select
    .orderBy('rank', 'desc')
    .orderBy(sql`lower(a.title)`)
    .limit(search.limit)
    .execute();
}

export interface KbArticleValues {
  slug: string;
  title: string;
  summary: string;
  body: string;
  product: string | null;
  audience: KbAudience;
  isPublished: boolean;
}

function toColumns(values: KbArticleValues) {
  return {
    slug: values.slug,
    title: values.title,
    summary: values.summary,
    body: values.body,
    product: values.product,
    audience: values.audience,
    is_published: values.isPublished,
  };
}

/** Inserts the article; undefined when its slug is taken. */
export function insertArticle(db: Executor, values: KbArticleValues, userId: string | null) {
  return db
    .insertInto('kb_articles')
    .values({ ...toColumns(values), created_by_user_id: userId, updated_by_user_id: userId })
    .onConflict((oc) => oc.column('slug').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Inserts the articles whose slugs are free; existing ones are kept as they are. */
export async function insertArticlesIfMissing(db: Executor, articles: readonly KbArticleValues[]): Promise<number> {
  if (articles.length === 0) return 0;
  const rows = await db
    .insertInto('kb_articles')
    .values(articles.map(toColumns))
    .onConflict((oc) => oc.column('slug').doNothing())
    .returning('id')
    .execute();
  return rows.length;
}

export function updateArticle(db: Executor, id: string, values: KbArticleValues, userId: string | null) {
  return db
    .updateTable('kb_articles')
    .set({ ...toColumns(values), updated_by_user_id: userId, updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function isSlugTaken(db: Executor, slug: string, exceptId: string): Promise<boolean> {
  const row = await db.selectFrom('kb_articles').select('id').where('slug', '=', slug).where('id', '!=', exceptId).executeTakeFirst();
  return row !== undefined;
}

export async function deleteArticle(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('kb_articles').where('id', '=', id).execute();
}
