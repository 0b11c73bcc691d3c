import { Skeleton, Stack } from '@mantine/core';
import { useParams } from 'react-router';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { KbArticleView, useKbArticle } from '../../features/knowledge-base';
import { isApiError } from '../../lib/api-client';
import { NotFoundPage } from './not-found-page';

/** A knowledge-base article or guide; anonymous visitors read the public ones (the Support page links them). */
export function KbArticlePage() {
  const { slug = '' } = useParams();
  const article = useKbArticle(slug);

  if (article.isPending) {
    return (
      <Stack gap="sm" aria-busy role="status" aria-label="Loading the article">
        <Skeleton h={32} w="50%" />
        <Skeleton h={14} w="80%" />
        <Skeleton h={240} mt="md" />
      </Stack>
    );
  }
  if (article.isError) {
    if (isApiError(article.error) && article.error.status === 404) return <NotFoundPage />;
    return <QueryErrorAlert error={article.error} onRetry={() => void article.refetch()} title="Could not load the article" />;
  }
  return <KbArticleView article={article.data} />;
}
