import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  ConnectorListResponse,
  CreateIntegrationBody,
  IntegrationIdParams,
  IntegrationListResponse,
  IntegrationResponse,
  ListLogsQuery,
  ListRunsQuery,
  LogListResponse,
  PollNowResponse,
  RunListResponse,
  TestConnectionBody,
  TestConnectionResponse,
  UpdateIntegrationBody,
} from '../../../common/schemas/integrations.js';
import { authorize, contextOf } from '../../http/authenticate.js';
import type { ConnectorDefinition } from './connector.js';
import {
  createIntegration,
  deleteIntegrationById,
  getIntegration,
  listConnectors,
  listIntegrations,
  listLogLines,
  listRuns,
  pollNow,
  testConnection,
  updateIntegrationSettings,
} from './integrations.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The connectors this app offers (connectors/index.ts CONNECTORS unless buildApp was given others). */
    integrationConnectors: readonly ConnectorDefinition[];
  }
}

/** Settings → Integrations (issue 8): Administrators only, every route. */
export async function integrationsRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['integrations'];
  const preHandler = authorize('integrations:manage');
  const connectors = () => app.integrationConnectors;

  routes.get(
    '/api/integrations/connectors',
    { preHandler, schema: { tags, summary: 'The connector catalogue', response: { 200: ConnectorListResponse } } },
    async () => listConnectors(connectors()),
  );

  routes.get(
    '/api/integrations',
    { preHandler, schema: { tags, summary: 'Every integration with its status', response: { 200: IntegrationListResponse } } },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return listIntegrations(contextOf(request), connectors());
    },
  );

  routes.post(
    '/api/integrations',
    {
      preHandler,
      schema: { tags, summary: 'Add an integration', body: CreateIntegrationBody, response: { 201: IntegrationResponse } },
    },
    async (request, reply) => {
      const integration = await createIntegration(contextOf(request), connectors(), request.body);
      return reply.status(201).send(integration);
    },
  );

  routes.post(
    '/api/integrations/test-connection',
    {
      preHandler,
      schema: {
        tags,
        summary: "Try a connector's settings against its source",
        body: TestConnectionBody,
        response: { 200: TestConnectionResponse },
      },
    },
    async (request) => testConnection(contextOf(request), connectors(), request.body),
  );

  routes.get(
    '/api/integrations/:id',
    {
      preHandler,
      schema: { tags, summary: 'One integration with its status', params: IntegrationIdParams, response: { 200: IntegrationResponse } },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return getIntegration(contextOf(request), connectors(), request.params.id);
    },
  );

  routes.patch(
    '/api/integrations/:id',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Change an integration (a secret left empty keeps its value)',
        params: IntegrationIdParams,
        body: UpdateIntegrationBody,
        response: { 200: IntegrationResponse },
      },
    },
    async (request) => updateIntegrationSettings(contextOf(request), connectors(), request.params.id, request.body),
  );

  routes.delete(
    '/api/integrations/:id',
    { preHandler, schema: { tags, summary: 'Delete an integration', params: IntegrationIdParams } },
    async (request, reply) => {
      await deleteIntegrationById(contextOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  routes.post(
    '/api/integrations/:id/poll-now',
    { preHandler, schema: { tags, summary: 'Run every stream now', params: IntegrationIdParams, response: { 202: PollNowResponse } } },
    async (request, reply) => {
      const queued = await pollNow(contextOf(request), connectors(), request.params.id);
      return reply.status(202).send(queued);
    },
  );

  routes.get(
    '/api/integrations/:id/runs',
    {
      preHandler,
      schema: {
        tags,
        summary: 'The run ledger, newest first',
        params: IntegrationIdParams,
        querystring: ListRunsQuery,
        response: { 200: RunListResponse },
      },
    },
    async (request) => listRuns(contextOf(request), request.params.id, request.query),
  );

  routes.get(
    '/api/integrations/:id/logs',
    {
      preHandler,
      schema: {
        tags,
        summary: "The integration's recent log lines, newest first",
        params: IntegrationIdParams,
        querystring: ListLogsQuery,
        response: { 200: LogListResponse },
      },
    },
    async (request) => listLogLines(contextOf(request), request.params.id, request.query),
  );
}
