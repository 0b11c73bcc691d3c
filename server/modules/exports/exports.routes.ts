import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ExportType } from '../../db/schema-exports.js';
import { instanceContextOf, requireInInstance, useInstanceApi } from '../instance-api/instance-api.js';
import { AssetExportBody, ChunkParams, ComplianceExportBody, ExportParams, VulnExportBody } from './exports.schemas.js';
import { cancelExport, createExport, exportStatus, listExports, openExportChunk } from './exports.service.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const EXPORT_TYPES: ExportType[] = ['vulns', 'assets', 'compliance'];

/** The bulk exports: vulns, assets (v1 and v2) and compliance (tenable-api.md section 2). */
export async function exportsApiRoutes(app: FastifyInstance): Promise<void> {
  useInstanceApi(app);
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireInInstance('exports:run');
  const json = (reply: FastifyReply) => reply.type(JSON_TYPE);

  routes.post('/vulns/export', { onRequest, schema: { body: VulnExportBody } }, async (request, reply) => {
    const { num_assets, filters } = request.body;
    return json(reply).send(
      await createExport(instanceContextOf(request), { type: 'vulns', format: 'v1', chunkSize: num_assets, filters }),
    );
  });

  for (const [url, format] of [
    ['/assets/export', 'v1'],
    ['/assets/v2/export', 'v2'],
  ] as const) {
    routes.post(url, { onRequest, schema: { body: AssetExportBody } }, async (request, reply) => {
      const { chunk_size, filters } = request.body;
      return json(reply).send(await createExport(instanceContextOf(request), { type: 'assets', format, chunkSize: chunk_size, filters }));
    });
  }

  routes.post('/compliance/export', { onRequest, schema: { body: ComplianceExportBody } }, async (request, reply) => {
    const { num_findings, filters, asset } = request.body;
    const input = { type: 'compliance', format: 'v1', chunkSize: num_findings, filters, assets: asset } as const;
    return json(reply).send(await createExport(instanceContextOf(request), input));
  });

  // Status, chunks and cancel; assets v2 exports live under /assets/export/{uuid}/… as in pyTenable.
  for (const type of EXPORT_TYPES) {
    routes.get(`/${type}/export/status`, { onRequest }, async (request, reply) => {
      return json(reply).send(await listExports(instanceContextOf(request), type));
    });

    routes.get(`/${type}/export/:uuid/status`, { onRequest, schema: { params: ExportParams } }, async (request, reply) => {
      return json(reply).send(await exportStatus(instanceContextOf(request), type, request.params.uuid));
    });

    routes.get(`/${type}/export/:uuid/chunks/:chunk`, { onRequest, schema: { params: ChunkParams } }, async (request, reply) => {
      const { uuid, chunk } = request.params;
      const { body, size } = await openExportChunk(instanceContextOf(request), type, uuid, chunk);
      // Tenable sends vuln (and compliance) chunks as a file download, asset chunks as JSON.
      if (type === 'assets') reply.type(JSON_TYPE);
      else
        reply
          .type('application/octet-stream')
          .header('content-disposition', `attachment; filename=${uuid}-${chunk}-${type === 'vulns' ? 'vulndoc' : 'compliance'}.json`);
      return reply.header('content-length', size).send(body);
    });

    routes.post(`/${type}/export/:uuid/cancel`, { onRequest, schema: { params: ExportParams } }, async (request, reply) => {
      return json(reply).send(await cancelExport(instanceContextOf(request), type, request.params.uuid));
    });
  }
}
