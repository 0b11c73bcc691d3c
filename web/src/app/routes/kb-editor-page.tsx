import { Anchor, Badge, Button, Group, Modal, Paper, Skeleton, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { KB_GUIDE_SLUGS, type KbArticleSummaryResponse } from '../../../../common/schemas/knowledge-base.js';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { KbArticleForm, useDeleteKbArticle, useKbArticle, useKbArticles } from '../../features/knowledge-base';
import { getErrorMessage } from '../../lib/api-client';
import { PermissionGate } from '../permission-gate';

type Editing = { kind: 'list' } | { kind: 'new' } | { kind: 'edit'; slug: string };

const DATE_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function isGuide(slug: string): boolean {
  return (KB_GUIDE_SLUGS as readonly string[]).includes(slug);
}

function DeleteArticleModal({ article, onClose }: { article: KbArticleSummaryResponse | null; onClose: () => void }) {
  const remove = useDeleteKbArticle();
  return (
    <Modal opened={article !== null} onClose={onClose} title="Delete article">
      <Text mb="md">
        Delete <strong>{article?.title}</strong>? Links to it will stop working and it will no longer be suggested.
      </Text>
      {remove.isError && (
        <Text c="red" size="sm" mb="sm" role="alert">
          {getErrorMessage(remove.error)}
        </Text>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color="red" loading={remove.isPending} onClick={() => article && remove.mutate(article.id, { onSuccess: onClose })}>
          Delete
        </Button>
      </Group>
    </Modal>
  );
}

function ArticlesTable({ onEdit }: { onEdit: (slug: string) => void }) {
  const articles = useKbArticles();
  const [deleting, setDeleting] = useState<KbArticleSummaryResponse | null>(null);
  if (articles.isPending) return <Skeleton h={320} />;
  if (articles.isError)
    return <QueryErrorAlert error={articles.error} onRetry={() => void articles.refetch()} title="Could not load the articles" />;
  return (
    <Paper withBorder shadow="xs">
      <Table.ScrollContainer minWidth={720}>
        <Table verticalSpacing="sm" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Title</Table.Th>
              <Table.Th>Product</Table.Th>
              <Table.Th>Readers</Table.Th>
              <Table.Th>Updated</Table.Th>
              <Table.Th>
                <span className="bulwark-visually-hidden">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {articles.data.items.map((article) => (
              <Table.Tr key={article.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/support/kb/${article.slug}`}>
                    {article.title}
                  </Anchor>
                  {!article.isPublished && (
                    <Badge ml="xs" color="gray" variant="light" radius="sm">
                      Draft
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{article.product ?? <Text c="dimmed">Any</Text>}</Table.Td>
                <Table.Td>{article.audience === 'public' ? 'Anyone' : 'Signed in'}</Table.Td>
                <Table.Td>{DATE_FORMAT.format(new Date(article.updatedAt))}</Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="light" onClick={() => onEdit(article.slug)} aria-label={`Edit ${article.title}`}>
                      Edit
                    </Button>
                    {!isGuide(article.slug) && (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        onClick={() => setDeleting(article)}
                        aria-label={`Delete ${article.title}`}
                      >
                        Delete
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <DeleteArticleModal article={deleting} onClose={() => setDeleting(null)} />
    </Paper>
  );
}

function EditArticle({ slug, onDone }: { slug: string; onDone: () => void }) {
  const article = useKbArticle(slug);
  if (article.isPending) return <Skeleton h={480} />;
  if (article.isError)
    return <QueryErrorAlert error={article.error} onRetry={() => void article.refetch()} title="Could not load the article" />;
  return <KbArticleForm key={article.data.id} article={article.data} onSaved={onDone} onCancel={onDone} />;
}

function KbEditor() {
  const [editing, setEditing] = useState<Editing>({ kind: 'list' });
  const showList = () => setEditing({ kind: 'list' });
  const title = editing.kind === 'new' ? 'New article' : editing.kind === 'edit' ? 'Edit article' : 'Knowledge base';
  return (
    <>
      <PageHeader
        title={title}
        description={
          editing.kind === 'list' ? (
            'Articles suggested before a Technical Support case is submitted, and the guides the Support page links.'
          ) : (
            <Anchor component="button" type="button" size="sm" onClick={showList}>
              Back to the knowledge base
            </Anchor>
          )
        }
        aside={
          editing.kind === 'list' && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing({ kind: 'new' })}>
              New article
            </Button>
          )
        }
      />
      {editing.kind === 'list' && <ArticlesTable onEdit={(slug) => setEditing({ kind: 'edit', slug })} />}
      {editing.kind === 'new' && <KbArticleForm article={null} onSaved={showList} onCancel={showList} />}
      {editing.kind === 'edit' && <EditArticle slug={editing.slug} onDone={showList} />}
    </>
  );
}

/** Support agents' knowledge-base editor: the articles that feed Suggestions, and the two guides. */
export function KbEditorPage() {
  return (
    <PermissionGate action="support:work">
      <KbEditor />
    </PermissionGate>
  );
}
