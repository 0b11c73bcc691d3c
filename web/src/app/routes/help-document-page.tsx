import { Paper, Skeleton, Stack } from '@mantine/core';
import { useParams } from 'react-router';
import { HelpDocumentParams } from '../../../../common/schemas/help.js';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { HelpMarkdown, useHelpDocument, type HelpDocument } from '../../features/help';
import { NotFoundPage } from './not-found-page';

const TITLES: Record<HelpDocument, string> = { readme: 'README', architecture: 'Architecture', 'release-notes': 'Release notes' };

function HelpDocumentView({ document }: { document: HelpDocument }) {
  const help = useHelpDocument(document);
  return (
    <>
      <PageHeader title={help.data?.title ?? TITLES[document]} description="Resource Center" />
      <Paper withBorder shadow="xs" p={{ base: 'md', sm: 'xl' }} maw={920}>
        {help.isPending && (
          <Stack gap="sm" aria-busy role="status" aria-label="Loading the document">
            <Skeleton h={14} w="60%" />
            <Skeleton h={12} />
            <Skeleton h={12} />
            <Skeleton h={12} w="85%" />
            <Skeleton h={14} w="40%" mt="md" />
            <Skeleton h={12} />
            <Skeleton h={12} w="75%" />
          </Stack>
        )}
        {help.isError && <QueryErrorAlert error={help.error} onRetry={() => void help.refetch()} title="Could not load the document" />}
        {help.data && <HelpMarkdown markdown={help.data.markdown} />}
      </Paper>
    </>
  );
}

export function HelpDocumentPage() {
  const params = HelpDocumentParams.safeParse(useParams());
  if (!params.success) return <NotFoundPage />;
  return <HelpDocumentView key={params.data.document} document={params.data.document} />;
}
