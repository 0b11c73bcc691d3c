import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { HealthResponse } from '../../../common/schemas/health.js';
import { VERSION } from '../../version.js';

export async function healthRoutes(app: FastifyInstance, options: { databaseKind: 'pglite' | 'postgres' }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/health',
    {
      config: { isPublic: true },
      schema: { tags: ['health'], summary: 'Liveness and database reachability', response: { 200: HealthResponse } },
    },
    async () => {
      await sql`select 1`.execute(app.services.db);
      return { status: 'ok' as const, database: options.databaseKind, version: VERSION };
    },
  );
}
