import { z } from 'zod';

/** Who may read a published article: anyone (the guides), or signed-in users only. */
export const KB_AUDIENCES = ['public', 'signed_in'] as const;
export const KbAudience = z.enum(KB_AUDIENCES);
export type KbAudience = z.infer<typeof KbAudience>;

export const KB_AUDIENCE_LABELS: Record<KbAudience, string> = {
  public: 'Anyone, without signing in',
  signed_in: 'Signed-in users',
};

/** The products of Bulwark's subscriptions, offered in the editor; an article may name another. */
export const KB_PRODUCTS = ['Tenable.io Vulnerability Management', 'Tenable.io Web App Scanning', 'Tenable.io Container Security'] as const;

/** The two guides the Support page links; they cannot be deleted, renamed, hidden or unpublished. */
export const KB_GUIDE_SLUGS = ['customer-care-guide', 'technical-support-guide'] as const;

export const KB_SLUG_MAX_LENGTH = 100;

export const KbSlug = z
  .string()
  .trim()
  .min(3, 'Use at least 3 characters.')
  .max(KB_SLUG_MAX_LENGTH)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Use lowercase letters, digits and single hyphens, for example scan-import-errors.');

export const KbProduct = z.string().trim().min(1).max(200);

/** The editor's form: every field is sent, on create and on update. */
export const SaveKbArticleBody = z.object({
  slug: KbSlug,
  title: z.string().trim().min(1, 'Enter a title.').max(200),
  summary: z.string().trim().max(500),
  body: z.string().trim().min(1, 'Write the article.').max(100_000),
  product: KbProduct.nullable(),
  audience: KbAudience,
  isPublished: z.boolean(),
});
export type SaveKbArticleBody = z.infer<typeof SaveKbArticleBody>;

export const KbArticleSlugParams = z.object({ slug: z.string().max(KB_SLUG_MAX_LENGTH) });
export const KbArticleIdParams = z.object({ id: z.uuid() });

export const KbSearchQuery = z.object({
  q: z.string().trim().min(1, 'Enter words to search for.').max(200),
  product: KbProduct.optional(),
  limit: z.coerce.number().int().min(1).max(25).default(10),
});
export type KbSearchQuery = z.infer<typeof KbSearchQuery>;

export const KbArticleSummaryResponse = z.object({
  id: z.uuid(),
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  product: z.string().nullable(),
  audience: KbAudience,
  isPublished: z.boolean(),
  updatedAt: z.iso.datetime(),
});
export type KbArticleSummaryResponse = z.infer<typeof KbArticleSummaryResponse>;

export const KbArticleResponse = KbArticleSummaryResponse.extend({ body: z.string(), createdAt: z.iso.datetime() });
export type KbArticleResponse = z.infer<typeof KbArticleResponse>;

export const KbArticleListResponse = z.object({ items: z.array(KbArticleSummaryResponse) });
export type KbArticleListResponse = z.infer<typeof KbArticleListResponse>;

/** One ranked match: higher `rank` is a better match. */
export const KbSearchResultResponse = z.object({
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  product: z.string().nullable(),
  rank: z.number(),
});
export type KbSearchResultResponse = z.infer<typeof KbSearchResultResponse>;

export const KbSearchResponse = z.object({ items: z.array(KbSearchResultResponse) });
export type KbSearchResponse = z.infer<typeof KbSearchResponse>;
