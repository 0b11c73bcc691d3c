import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  KbArticleIdParams,
  KbArticleListResponse,
  KbArticleResponse,
  KbArticleSlugParams,
  KbSearchQuery,
  KbSearchResponse,
  SaveKbArticleBody,
} from '../../../common/schemas/knowledge-base.js';
import { authorize, contextOf } from '../../http/authenticate.js';
import { createArticle, deleteArticle, getArticle, listArticles, searchKnowledgeBase, updateArticle } from './knowledge-base.service.js';

/** The knowledge base (issue 7): guides and articles for everyone, the editor for support agents. */
export async function knowledgeBaseRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['knowledge base'];
  const agentsOnly = authorize('support:work');

  // Read by slug under /pages: /articles/:id is the editors' path, and one path position of
  // Fastify's router carries one parameter name.
  routes.get(
    '/api/kb/pages/:slug',
    {
      // The Support page and its guides are for anonymous visitors too; the service decides what each caller may read.
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'One article: published public ones for anyone, published ones for signed-in users, all for support agents',
        params: KbArticleSlugParams,
        response: { 200: KbArticleResponse },
      },
    },
    async (request) => getArticle(contextOf(request), request.params.slug),
  );

  routes.get(
    '/api/kb/search',
    {
      preHandler: authorize('self:read'),
      schema: {
        tags,
        summary: 'Articles matching the words (websearch syntax), best first; product narrows to its and general articles',
        querystring: KbSearchQuery,
        response: { 200: KbSearchResponse },
      },
    },
    async (request) => ({ items: await searchKnowledgeBase(contextOf(request), request.query) }),
  );

  routes.get(
    '/api/kb/articles',
    {
      preHandler: agentsOnly,
      schema: { tags, summary: 'Every article, published or not (support agents)', response: { 200: KbArticleListResponse } },
    },
    async (request) => listArticles(contextOf(request)),
  );

  routes.post(
    '/api/kb/articles',
    {
      preHandler: agentsOnly,
      schema: { tags, summary: 'Write an article (support agents)', body: SaveKbArticleBody, response: { 201: KbArticleResponse } },
    },
    async (request, reply) => reply.status(201).send(await createArticle(contextOf(request), request.body)),
  );

  routes.put(
    '/api/kb/articles/:id',
    {
      preHandler: agentsOnly,
      schema: {
        tags,
        summary: 'Replace an article (support agents)',
        params: KbArticleIdParams,
        body: SaveKbArticleBody,
        response: { 200: KbArticleResponse },
      },
    },
    async (request) => updateArticle(contextOf(request), request.params.id, request.body),
  );

  routes.delete(
    '/api/kb/articles/:id',
    {
      preHandler: agentsOnly,
      schema: { tags, summary: 'Delete an article other than the two guides (support agents)', params: KbArticleIdParams },
    },
    async (request, reply) => {
      await deleteArticle(contextOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
}
