import { useQuery } from '@tanstack/react-query';
import { HelpDocumentResponse, type HelpDocumentParams } from '../../../../common/schemas/help.js';
import { apiRequest } from '../../lib/api-client';

export type HelpDocument = HelpDocumentParams['document'];

/** Bulwark's own documentation (README, architecture, release notes) as Markdown. */
export function useHelpDocument(document: HelpDocument) {
  return useQuery({
    queryKey: ['help', document],
    queryFn: ({ signal }) => apiRequest(`/api/help/${document}`, { schema: HelpDocumentResponse, signal }),
    staleTime: 5 * 60_000,
  });
}
