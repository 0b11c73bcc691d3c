import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { InstanceParams, ListScansQuery, ScanListResponse, ScanParams, ScanResponse } from '../../../common/schemas/scans.js';
import { contextOf } from '../../http/authenticate.js';
import { AppError } from '../../lib/app-error.js';
import { authorizeInInstance } from '../instances/instance-access.js';
import { getScan, listScans, startImportFromUpload } from './scans.service.js';

export async function importsRoutes(app: FastifyInstance): Promise<void> {
  const maxBytes = app.services.config.imports.maxBytes;
  // Scoped to these routes: one file per request, streamed; the size limit is enforced while storing.
  await app.register(fastifyMultipart, { limits: { fileSize: maxBytes + 1, files: 1, fields: 2, parts: 3 }, throwFileSizeLimit: false });
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['scans'];

  routes.post(
    '/api/instances/:accountId/scans/import',
    {
      preHandler: authorizeInInstance('scans:import'),
      schema: {
        tags,
        summary:
          'Upload a .nessus file (multipart/form-data, field "file") and queue its import; answers 202 with the scan, whose status and progress tell the rest',
        consumes: ['multipart/form-data'],
        params: InstanceParams,
        response: { 202: ScanResponse },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new AppError('unsupported_media_type', 'Send the scan as multipart/form-data with the field file.');
      const part = await request.file();
      if (!part) throw new AppError('validation_failed', 'Choose a .nessus file to import.');
      const scan = await startImportFromUpload(contextOf(request), request.params.accountId, {
        fileName: part.filename,
        stream: part.file,
      });
      return reply.status(202).send(scan);
    },
  );

  routes.get(
    '/api/instances/:accountId/scans',
    {
      preHandler: authorizeInInstance('instance:read'),
      schema: {
        tags,
        summary: "The instance's scans and imports, newest first",
        params: InstanceParams,
        querystring: ListScansQuery,
        response: { 200: ScanListResponse },
      },
    },
    async (request) => listScans(contextOf(request), request.params.accountId, request.query),
  );

  routes.get(
    '/api/instances/:accountId/scans/:scanId',
    {
      preHandler: authorizeInInstance('instance:read'),
      schema: { tags, summary: 'One scan or import, with its progress', params: ScanParams, response: { 200: ScanResponse } },
    },
    async (request) => getScan(contextOf(request), request.params.accountId, request.params.scanId),
  );
}
