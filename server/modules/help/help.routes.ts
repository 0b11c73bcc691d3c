import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HelpDocumentParams, HelpDocumentResponse, type HELP_DOCUMENTS } from '../../../common/schemas/help.js';
import { authorize } from '../../http/authenticate.js';
import { PROJECT_ROOT } from '../../project-root.js';

const DOCUMENTS: Record<(typeof HELP_DOCUMENTS)[number], { title: string; file: string }> = {
  readme: { title: 'Bulwark README', file: 'README.md' },
  architecture: { title: 'Architecture', file: 'ARCHITECTURE.md' },
  'release-notes': { title: 'Release notes', file: 'CHANGELOG.md' },
};

/** Bulwark's own documentation for the Resource Center, read from the files shipped with it. */
export async function helpRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/help/:document',
    {
      preHandler: authorize('self:read'),
      schema: {
        tags: ['help'],
        summary: "Bulwark's own documentation (Markdown)",
        params: HelpDocumentParams,
        response: { 200: HelpDocumentResponse },
      },
    },
    async (request) => {
      const document = DOCUMENTS[request.params.document];
      return { title: document.title, markdown: await fs.readFile(path.join(PROJECT_ROOT, document.file), 'utf8') };
    },
  );
}
