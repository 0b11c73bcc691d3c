import type { FastifyInstance } from 'fastify';

/** Stub: filled in by the issue 7 work on support-uploads. */
export async function supportUploadsRoutes(app: FastifyInstance): Promise<void> {
  void app;
}
