import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Readable } from 'node:stream';
import { instanceContextOf, requireInInstance, useInstanceApi } from '../instance-api/instance-api.js';
import { TenableError } from '../mssp-api/mssp-api.errors.js';
import {
  ExportScanBody,
  ExportScanQuery,
  ExportScanResponse,
  ExportScanStatusResponse,
  HistoryQuery,
  HistoryResponse,
  ImportBody,
  ImportQuery,
  ImportResponse,
  ListScansQuery,
  ScanExportParams,
  ScanHistoryParams,
  ScanListResponse,
  ScanParams,
  ScanResultsQuery,
  ScanResultsResponse,
  UploadQuery,
  UploadResponse,
  WorkbenchExportParams,
  WorkbenchExportQuery,
  WorkbenchExportResponse,
  WorkbenchExportStatusResponse,
} from './scans-api.schemas.js';
import {
  deleteScanHistory,
  exportScan,
  exportWorkbench,
  getScanExportStatus,
  getScanHistory,
  getScanResults,
  getWorkbenchExportStatus,
  importUploadedScan,
  listApiScans,
  listScanHistory,
  openScanExport,
  openWorkbenchExport,
  uploadScanFile,
} from './scans-api.service.js';

const UPLOAD_REFUSAL = { error: "request should be multipart and include a file part named 'Filedata'" };

/**
 * Reads POST /file/upload's form and stores its `Filedata` file part while it streams in; other
 * parts (old pyTenable's `no_enc` field) are read and ignored.
 */
async function storeUploadedFile(request: FastifyRequest): Promise<{ fileuploaded: string }> {
  if (!request.isMultipart()) throw new TenableError(400, UPLOAD_REFUSAL);
  let stored: { fileuploaded: string } | null = null;
  for await (const part of request.parts()) {
    if (part.type !== 'file') continue;
    if (part.fieldname === 'Filedata' && stored === null)
      stored = await uploadScanFile(instanceContextOf(request), { fileName: part.filename, stream: part.file });
    else part.file.resume();
  }
  if (!stored) throw new TenableError(400, UPLOAD_REFUSAL);
  return stored;
}

function sendFile(reply: FastifyReply, file: { fileName: string; stream: Readable }) {
  return reply.type('application/octet-stream').header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.stream);
}

/** File upload, scan import, scans, their history and .nessus exports (tenable-api.md sections 3 and 4). */
export async function scansApiRoutes(app: FastifyInstance): Promise<void> {
  useInstanceApi(app);
  // One file per request, streamed to the file storage; the size limit is enforced while storing.
  await app.register(fastifyMultipart, {
    limits: { fileSize: app.services.config.imports.maxBytes + 1, files: 1, fields: 4, parts: 5, fieldSize: 1024 },
    throwFileSizeLimit: false,
  });
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tenable-scans'];
  const readers = requireInInstance('instance:read');
  const importers = requireInInstance('scans:import');

  routes.post(
    '/file/upload',
    {
      preHandler: importers,
      schema: {
        tags,
        summary: 'Upload a file (multipart/form-data, part Filedata) for POST /scans/import; answers its name in the instance',
        consumes: ['multipart/form-data'],
        querystring: UploadQuery,
        response: { 200: UploadResponse },
      },
    },
    async (request) => storeUploadedFile(request),
  );

  routes.post(
    '/scans/import',
    {
      preHandler: importers,
      schema: {
        tags,
        summary: "Import an uploaded .nessus file with Bulwark's importer; answers when the import has finished",
        querystring: ImportQuery,
        body: ImportBody,
        response: { 200: ImportResponse },
      },
    },
    async (request) => importUploadedScan(instanceContextOf(request), request.body),
  );

  routes.get(
    '/scans',
    {
      preHandler: readers,
      schema: { tags, summary: "The instance's scans and folders", querystring: ListScansQuery, response: { 200: ScanListResponse } },
    },
    async (request) => listApiScans(instanceContextOf(request), request.query),
  );

  routes.get(
    '/scans/:scanId',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: 'A scan (integer id or UUID) with its hosts, plugins and compliance checks',
        params: ScanParams,
        querystring: ScanResultsQuery,
        response: { 200: ScanResultsResponse },
      },
    },
    async (request) => getScanResults(instanceContextOf(request), request.params.scanId),
  );

  routes.get(
    '/scans/:scanId/history',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: "A scan's runs (imported scans have none)",
        params: ScanParams,
        querystring: HistoryQuery,
        response: { 200: HistoryResponse },
      },
    },
    async (request) => listScanHistory(instanceContextOf(request), request.params.scanId, request.query),
  );

  routes.get(
    '/scans/:scanId/history/:historyUuid',
    { preHandler: readers, schema: { tags, summary: 'One run of a scan (imported scans have none: 404)', params: ScanHistoryParams } },
    async (request) => getScanHistory(instanceContextOf(request), request.params.scanId),
  );

  routes.delete(
    '/scans/:scanId/history/:historyUuid',
    {
      preHandler: importers,
      schema: {
        tags,
        summary: "Delete a run of a scan (another user's scan: Scan Manager); imported scans have none: 404",
        params: ScanHistoryParams,
      },
    },
    async (request) => deleteScanHistory(instanceContextOf(request), request.params.scanId),
  );

  routes.post(
    '/scans/:scanId/export',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: 'Export a scan as .nessus (format nessus only); ready when this answers',
        params: ScanParams,
        querystring: ExportScanQuery,
        body: ExportScanBody,
        response: { 200: ExportScanResponse },
      },
    },
    async (request) => exportScan(instanceContextOf(request), request.params.scanId, request.body),
  );

  routes.get(
    '/scans/:scanId/export/:file/status',
    {
      preHandler: readers,
      schema: { tags, summary: "A scan export's status", params: ScanExportParams, response: { 200: ExportScanStatusResponse } },
    },
    async (request) => getScanExportStatus(instanceContextOf(request), request.params.scanId, request.params.file),
  );

  routes.get(
    '/scans/:scanId/export/:file/download',
    { preHandler: readers, schema: { tags, summary: 'Download a scan export (.nessus, octet-stream)', params: ScanExportParams } },
    async (request, reply) => sendFile(reply, await openScanExport(instanceContextOf(request), request.params.scanId, request.params.file)),
  );

  routes.get(
    '/workbenches/export',
    {
      preHandler: readers,
      schema: {
        tags,
        summary:
          "Export the instance's open findings as .nessus (report vulnerabilities, chapter vuln_by_asset; plugin_id, asset_id, date_range, severity filter)",
        querystring: WorkbenchExportQuery,
        response: { 200: WorkbenchExportResponse },
      },
    },
    async (request) => exportWorkbench(instanceContextOf(request), request.query),
  );

  routes.get(
    '/workbenches/export/:file/status',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: "A workbench export's status",
        params: WorkbenchExportParams,
        response: { 200: WorkbenchExportStatusResponse },
      },
    },
    async (request) => getWorkbenchExportStatus(instanceContextOf(request), request.params.file),
  );

  routes.get(
    '/workbenches/export/:file/download',
    {
      preHandler: readers,
      schema: { tags, summary: 'Download a workbench export (.nessus, octet-stream)', params: WorkbenchExportParams },
    },
    async (request, reply) => sendFile(reply, await openWorkbenchExport(instanceContextOf(request), request.params.file)),
  );
}
