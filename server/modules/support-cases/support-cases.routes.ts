import type { FastifyInstance } from 'fastify';

/** Stub: filled in by the issue 7 work on support-cases. */
export async function supportCasesRoutes(app: FastifyInstance): Promise<void> {
  void app;
}
