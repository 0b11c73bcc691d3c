import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { SecretCheckBody, SecretCheckResponse } from '../../../common/schemas/support.js';
import { authorize } from '../../http/authenticate.js';
import { scanForSecrets } from './secret-scan.js';

/**
 * The browser's warning before a Support description is submitted (issue 7). The text is read
 * and forgotten: it is not stored, and Fastify's request log holds no body.
 */
export async function secretScanRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/support/secret-check',
    {
      // Contacts check case descriptions, support agents their replies; other staff have no Support forms.
      preHandler: authorize('support:check-secrets'),
      schema: {
        tags: ['support'],
        summary: 'Find text that looks like a credential, with a masked preview of each',
        body: SecretCheckBody,
        response: { 200: SecretCheckResponse },
      },
    },
    async (request) => ({ findings: await scanForSecrets(request.body.text) }),
  );
}
