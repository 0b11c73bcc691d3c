import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  SignalCountsQuery,
  SignalCountsResponse,
  SignalDetailResponse,
  SignalResultsResponse,
  SignalExportQuery,
  SignalIdParams,
  SignalSearchQuery,
  SignalSearchResponse,
  SignalSettingsResponse,
  UpdateSignalSettingsBody,
} from '../../../common/schemas/signals.js';
import { authorize, contextOf } from '../../http/authenticate.js';
import {
  countSignals,
  exportSignals,
  getSignal,
  getSignalSettings,
  searchSignalResults,
  searchSignals,
  updateSignalSettings,
} from './signals.service.js';

/** Signals (issue 8): search, detail, export and retention of the artifacts connectors fetched. */
export async function signalsRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['signals'];
  const readers = authorize('signals:read');
  const managers = authorize('integrations:manage');

  routes.get(
    '/api/signals',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: 'Search signal artifacts: one page, newest first, with the total and facet counts (estimates above 100,000 matches)',
        querystring: SignalSearchQuery,
        response: { 200: SignalSearchResponse },
      },
    },
    async (request) => searchSignals(contextOf(request), request.query),
  );

  routes.get(
    '/api/signals/results',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: 'One page of signal artifacts, newest first, without counts (the fast half of GET /api/signals)',
        querystring: SignalSearchQuery,
        response: { 200: SignalResultsResponse },
      },
    },
    async (request) => searchSignalResults(contextOf(request), request.query),
  );

  routes.get(
    '/api/signals/counts',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: 'The total and facet counts of a search (exact up to 100,000 matches, marked estimates above)',
        querystring: SignalCountsQuery,
        response: { 200: SignalCountsResponse },
      },
    },
    async (request) => countSignals(contextOf(request), request.query),
  );

  routes.get(
    '/api/signals/export',
    {
      preHandler: readers,
      schema: { tags, summary: 'Download every match as CSV or JSON (streamed; audited)', querystring: SignalExportQuery },
    },
    async (request, reply) => {
      const file = exportSignals(contextOf(request), request.query);
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(file.body));
    },
  );

  routes.get(
    '/api/signals/settings',
    { preHandler: managers, schema: { tags, summary: 'Signals retention', response: { 200: SignalSettingsResponse } } },
    async (request) => getSignalSettings(contextOf(request)),
  );

  routes.put(
    '/api/signals/settings',
    {
      preHandler: managers,
      schema: {
        tags,
        summary: 'Change Signals retention (audited)',
        body: UpdateSignalSettingsBody,
        response: { 200: SignalSettingsResponse },
      },
    },
    async (request) => updateSignalSettings(contextOf(request), request.body),
  );

  routes.get(
    '/api/signals/:id',
    {
      preHandler: readers,
      schema: { tags, summary: 'One signal artifact with its raw record', params: SignalIdParams, response: { 200: SignalDetailResponse } },
    },
    async (request) => getSignal(contextOf(request), request.params.id),
  );
}
