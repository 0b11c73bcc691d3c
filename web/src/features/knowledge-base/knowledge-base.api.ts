import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KbArticleListResponse, KbArticleResponse, type SaveKbArticleBody } from '../../../../common/schemas/knowledge-base.js';
import { apiRequest } from '../../lib/api-client';
import { useCsrfToken } from '../auth';

const kbQueryKey = ['knowledge-base'] as const;

/** One article by slug; the server answers 404 for articles this visitor may not read. */
export function useKbArticle(slug: string) {
  return useQuery({
    queryKey: [...kbQueryKey, 'article', slug],
    queryFn: ({ signal }) => apiRequest(`/api/kb/pages/${encodeURIComponent(slug)}`, { schema: KbArticleResponse, signal }),
  });
}

/** Every article, published or not: the support agents' editor. */
export function useKbArticles() {
  return useQuery({
    queryKey: [...kbQueryKey, 'list'],
    queryFn: ({ signal }) => apiRequest('/api/kb/articles', { schema: KbArticleListResponse, signal }),
  });
}

/** Creates the article when `id` is null, else replaces it. */
export function useSaveKbArticle() {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: SaveKbArticleBody }) =>
      apiRequest(id === null ? '/api/kb/articles' : `/api/kb/articles/${id}`, {
        method: id === null ? 'POST' : 'PUT',
        body,
        csrfToken,
        schema: KbArticleResponse,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: kbQueryKey }),
  });
}

export function useDeleteKbArticle() {
  const queryClient = useQueryClient();
  const csrfToken = useCsrfToken();
  return useMutation({
    mutationFn: (id: string) => apiRequest(`/api/kb/articles/${id}`, { method: 'DELETE', csrfToken }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: kbQueryKey }),
  });
}
