import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { KbArticleResponse } from '../../../../../common/schemas/knowledge-base.js';
import { HelpMarkdown } from '../../help';

const UPDATED_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

interface KbArticleViewProps {
  article: Pick<KbArticleResponse, 'title' | 'summary' | 'body' | 'product' | 'updatedAt'>;
  /** 2 inside a page that has its own h1 (the editor's preview). */
  titleOrder?: 1 | 2;
}

/** An article as readers see it; the body is Markdown rendered without raw HTML. */
export function KbArticleView({ article, titleOrder = 1 }: KbArticleViewProps) {
  return (
    <Stack gap="md">
      <Stack gap={6}>
        <Title order={titleOrder}>{article.title}</Title>
        {article.summary && (
          <Text c="dimmed" size="lg">
            {article.summary}
          </Text>
        )}
        <Group gap="xs">
          {article.product && (
            <Badge variant="light" radius="sm">
              {article.product}
            </Badge>
          )}
          <Text size="sm" c="dimmed">
            Updated {UPDATED_FORMAT.format(new Date(article.updatedAt))}
          </Text>
        </Group>
      </Stack>
      <Paper withBorder shadow="xs" p={{ base: 'md', sm: 'xl' }}>
        <HelpMarkdown markdown={article.body} />
      </Paper>
    </Stack>
  );
}
