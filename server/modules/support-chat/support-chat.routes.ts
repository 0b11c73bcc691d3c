import type { FastifyInstance } from 'fastify';

/** Stub: filled in by the issue 7 work on support-chat. */
export async function supportChatRoutes(app: FastifyInstance): Promise<void> {
  void app;
}
