import { Server as TusServer, TUS_RESUMABLE, type ServerOptions } from '@tus/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { contextOf } from '../../http/authenticate.js';
import type { ServiceContext } from '../../lib/context.js';
import {
  createUpload,
  findOwnUploadOrThrow,
  finishUpload,
  forgetFailedCreation,
  recordReceived,
  removeUpload,
} from './support-uploads.service.js';
import { STORAGE_PREFIX, storageKeyOf, uploadDataStoreFor } from './support-uploads.store.js';

export const UPLOADS_PATH = '/api/support/uploads';

type TusRequest = Parameters<NonNullable<ServerOptions['onUploadFinish']>>[0];

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Resumable uploads for Support cases (tus 1.0.0: creation, HEAD, PATCH, termination), served by
 * @tus/server inside Fastify. Fastify authenticates (session cookie, CSRF header on writes) and
 * decides who reaches what; the bodies stream untouched from the socket into storage. The
 * upload id in the URL is the FileStorage key without its support-uploads/ prefix.
 */
export async function supportUploadsRoutes(app: FastifyInstance): Promise<void> {
  const { config } = app.services;
  const datastore = await uploadDataStoreFor(config.storage);
  /**
   * What each request in the tus server's hands is about: who asks, and the upload Fastify
   * authorised (the id a creation was given, or the caller's own upload). The tus server acts on
   * this id only, never on one it would read from the URL itself (a query string could name another).
   */
  const contexts = new WeakMap<object, { ctx: ServiceContext; uploadId: string }>();
  const contextFor = (req: TusRequest) => {
    const raw = req.runtime?.node?.req;
    const found = raw ? contexts.get(raw) : undefined;
    if (!found) throw new Error('tus request without a Bulwark context');
    return found;
  };

  const tus = new TusServer({
    path: UPLOADS_PATH,
    datastore,
    // Same-origin only: no CORS headers for anyone.
    allowedOrigins: () => false,
    namingFunction: (req) => storageKeyOf(contextFor(req).uploadId),
    generateUrl: (_req, { path, id }) => `${path}/${id.slice(STORAGE_PREFIX.length)}`,
    getFileIdFromRequest: (req) => storageKeyOf(contextFor(req).uploadId),
    onUploadFinish: async (req, upload) => {
      const caseId = upload.metadata?.caseId;
      await finishUpload(contextFor(req).ctx, upload.id.slice(STORAGE_PREFIX.length), caseId ? caseId : null);
      return {};
    },
  });

  const passToTus = async (request: FastifyRequest, reply: FastifyReply, ctx: ServiceContext, uploadId: string) => {
    contexts.set(request.raw, { ctx, uploadId });
    reply.hijack();
    try {
      await tus.handle(request.raw, reply.raw);
    } catch (error) {
      request.log.error({ err: error }, 'an upload request failed');
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        reply.raw.end(JSON.stringify({ error: { code: 'internal', message: `An internal error occurred (request ${request.id}).` } }));
      } else {
        reply.raw.destroy();
      }
    }
  };

  // The bodies are the files: no parser reads them, so they stream to the tus server (and no body limit applies).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  const tags = ['support uploads'];

  app.post(
    UPLOADS_PATH,
    {
      schema: {
        tags,
        summary:
          'tus creation: Upload-Length, Upload-Metadata filename, filetype, batchId (at most 5 uploads per batch), caseId (optional; attach on finish)',
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const created = await createUpload(ctx, {
        uploadLength: header(request, 'upload-length'),
        uploadDeferLength: header(request, 'upload-defer-length'),
        uploadConcat: header(request, 'upload-concat'),
        uploadMetadata: header(request, 'upload-metadata'),
      });
      await passToTus(request, reply, ctx, created.uploadId);
      if (reply.raw.statusCode !== 201) {
        await forgetFailedCreation(ctx, created.uploadId).catch((error: unknown) =>
          request.log.warn({ err: error }, 'removing a failed upload creation failed'),
        );
      }
    },
  );

  app.route<{ Params: { id: string } }>({
    method: ['HEAD', 'PATCH'],
    url: `${UPLOADS_PATH}/:id`,
    schema: { tags, summary: 'tus HEAD (offset so far) and PATCH (the next bytes at Upload-Offset) of your own upload' },
    handler: async (request, reply) => {
      const ctx = contextOf(request);
      const row = await findOwnUploadOrThrow(ctx, request.params.id);
      if (request.method === 'HEAD' && row.status === 'uploading') {
        // A finish that failed after the last byte (the client then only asks HEAD): finish it now.
        const stored = await datastore.getUpload(row.storage_key).catch(() => null);
        if (stored && stored.size !== undefined && stored.offset === stored.size) {
          const caseId = stored.metadata?.caseId;
          await finishUpload(ctx, row.tus_id, caseId ? caseId : null);
        }
      }
      await passToTus(request, reply, ctx, row.tus_id);
      if (request.method === 'PATCH') {
        const stored = await datastore.getUpload(row.storage_key).catch(() => null);
        if (stored) await recordReceived(ctx, row.tus_id, stored.offset).catch(() => undefined);
      }
    },
  });

  app.delete<{ Params: { id: string } }>(
    `${UPLOADS_PATH}/:id`,
    { schema: { tags, summary: 'tus termination: removes your upload unless it is attached to a case (409)' } },
    async (request, reply) => {
      await removeUpload(contextOf(request), request.params.id);
      return reply.status(204).header('Tus-Resumable', TUS_RESUMABLE).send();
    },
  );
}
