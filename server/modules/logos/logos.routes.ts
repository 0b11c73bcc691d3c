import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  AssignLogoBody,
  AssignLogoResponse,
  LOGO_MAX_BYTES,
  LogoIdParams,
  LogoListResponse,
  LogoResponse,
} from '../../../common/schemas/logos.js';
import { authorize, contextOf } from '../../http/authenticate.js';
import { AppError } from '../../lib/app-error.js';
import { assignLogo, createLogo, deleteLogo, getLogo, listLogos, openLogoImage, updateLogo, type UploadedFile } from './logos.service.js';

/**
 * Reads the Add/Edit Logo form (multipart/form-data: `name`, `file`). The file is read whole, but
 * never past LOGO_MAX_BYTES: the parser stops there and marks it too large.
 */
async function readLogoForm(request: FastifyRequest): Promise<{ name?: string; file?: UploadedFile }> {
  if (!request.isMultipart()) {
    throw new AppError('unsupported_media_type', 'Send the logo as multipart/form-data with the fields name and file.');
  }
  const form: { name?: string; file?: UploadedFile } = {};
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      if (part.fieldname === 'file') form.file = { fileName: part.filename, bytes, isTooLarge: part.file.truncated };
    } else if (part.fieldname === 'name') {
      form.name = String(part.value);
    }
  }
  return form;
}

export async function logosRoutes(app: FastifyInstance): Promise<void> {
  // Scoped to this plugin: only the logo routes accept multipart bodies.
  await app.register(fastifyMultipart, {
    limits: { fileSize: LOGO_MAX_BYTES, files: 1, fields: 4, parts: 5, fieldSize: 1024 },
    throwFileSizeLimit: false,
  });
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/api/logos',
    {
      preHandler: authorize('logos:manage'),
      schema: { tags: ['logos'], summary: 'Every logo, with how many accounts use it', response: { 200: LogoListResponse } },
    },
    async (request) => listLogos(contextOf(request)),
  );

  routes.post(
    '/api/logos',
    {
      preHandler: authorize('logos:manage'),
      schema: {
        tags: ['logos'],
        summary: 'Add a logo: multipart/form-data with name and file (a PNG of at most 246 x 52 pixels, at most 1 MiB)',
        consumes: ['multipart/form-data'],
        response: { 201: LogoResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await createLogo(contextOf(request), await readLogoForm(request))),
  );

  routes.get(
    '/api/logos/:id',
    {
      preHandler: authorize('logos:manage'),
      schema: { tags: ['logos'], summary: 'One logo', params: LogoIdParams, response: { 200: LogoResponse } },
    },
    async (request) => getLogo(contextOf(request), request.params.id),
  );

  routes.patch(
    '/api/logos/:id',
    {
      preHandler: authorize('logos:manage'),
      schema: {
        tags: ['logos'],
        summary: 'Rename a logo and/or replace its file: multipart/form-data with name and/or file',
        consumes: ['multipart/form-data'],
        params: LogoIdParams,
        response: { 200: LogoResponse },
      },
    },
    async (request) => updateLogo(contextOf(request), request.params.id, await readLogoForm(request)),
  );

  routes.delete(
    '/api/logos/:id',
    {
      preHandler: authorize('logos:manage'),
      schema: { tags: ['logos'], summary: 'Delete a logo and remove it from every account', params: LogoIdParams },
    },
    async (request, reply) => {
      await deleteLogo(contextOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  routes.get(
    '/api/logos/:id/image',
    {
      // Any signed-in user; the service narrows: staff to their accounts' logos, contacts to their own account's.
      preHandler: authorize('self:read'),
      schema: { tags: ['logos'], summary: 'The PNG of a logo', params: LogoIdParams },
    },
    async (request, reply) => {
      const image = await openLogoImage(contextOf(request), request.params.id);
      return reply
        .header('content-type', 'image/png')
        .header('cache-control', 'private, max-age=86400')
        .header('last-modified', image.updatedAt.toUTCString())
        .send(image.stream);
    },
  );

  routes.put(
    '/api/accounts/logo',
    {
      preHandler: authorize('logos:manage'),
      schema: {
        tags: ['logos'],
        summary: 'Assign a logo to accounts; logoId null removes it ("(No Logo)")',
        body: AssignLogoBody,
        response: { 200: AssignLogoResponse },
      },
    },
    async (request) => assignLogo(contextOf(request), request.body),
  );
}
