import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AUDIT_ACTIONS, AuditEventListResponse, ListAuditEventsQuery } from '../../../common/schemas/audit.js';
import { z } from 'zod';
import { authorize, contextOf } from '../../http/authenticate.js';
import { listAuditEvents } from './audit.service.js';

export async function auditRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/api/audit-events',
    {
      preHandler: authorize('audit:read'),
      schema: {
        tags: ['audit'],
        summary: 'Audit events, newest first; filter by user, action and date',
        querystring: ListAuditEventsQuery,
        response: { 200: AuditEventListResponse },
      },
    },
    async (request) => listAuditEvents(contextOf(request), request.query),
  );

  routes.get(
    '/api/audit-events/actions',
    {
      preHandler: authorize('audit:read'),
      schema: { tags: ['audit'], summary: 'Every action the audit log records', response: { 200: z.array(z.string()) } },
    },
    async () => [...AUDIT_ACTIONS],
  );
}
