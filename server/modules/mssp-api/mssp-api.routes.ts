import type { Readable } from 'node:stream';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { LOGO_MAX_BYTES } from '../../../common/schemas/logos.js';
import { authorize, contextOf } from '../../http/authenticate.js';
import { AppError } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { getAccount, listAllAccounts } from '../accounts/accounts.service.js';
import { generateChildApiKeys } from '../api-keys/api-keys.service.js';
import {
  assignLogo,
  createLogo,
  deleteLogo,
  getLogo,
  listLogos,
  openLogoImage,
  updateLogo,
  type UploadedFile,
} from '../logos/logos.service.js';
import { acceptEmptyJsonBodies } from '../instance-api/instance-api.js';
import { describeAccountFilters, filterAccounts } from './account-filters.js';
import { TENABLE_NOT_FOUND, TenableError, tenableErrorHandler } from './mssp-api.errors.js';
import { portalContainerUuid, presentChildApiKeys, presentMsspAccount, presentMsspLogo } from './mssp-api.presenters.js';
import { requirePortalKeys } from './portal-users.handlers.js';
import {
  AccountUuidParams,
  AssignMsspLogoBody,
  ChildKeysBody,
  ChildKeysResponse,
  EmptyResponse,
  ListMsspAccountsQuery,
  LogoUuidParams,
  LogoUuidResponse,
  MsspAccount,
  MsspAccountFilters,
  MsspAccountList,
  MsspLogo,
  MsspLogoList,
} from './mssp-api.schemas.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id in the path, when it can name anything: anything else is simply not found. */
function existingId(id: string): string {
  if (!UUID_PATTERN.test(id)) throw new TenableError(404, TENABLE_NOT_FOUND);
  return id.toLowerCase();
}

const MULTIPART_REFUSAL = { error: "request should be multipart and include a single 'name' part" };
const LOGO_NOT_FOUND_MESSAGE = 'logo_uuid was not found';

function logoNotFound(config: ServiceContext['config'], id: string): TenableError {
  return new TenableError(404, { error: `logo with uuid ${id} not found on container ${portalContainerUuid(config)}` });
}

/** Runs a logo service call, answering Tenable's own 404 text for a missing logo. */
async function withLogo<T>(ctx: ServiceContext, id: string, call: (logoId: string) => Promise<T>): Promise<T> {
  if (!UUID_PATTERN.test(id)) throw logoNotFound(ctx.config, id);
  try {
    return await call(id.toLowerCase());
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') throw logoNotFound(ctx.config, id);
    throw error;
  }
}

/**
 * Reads Tenable's logo form: multipart/form-data with one `name` part and one `logo` file part.
 * The file is read whole but never past LOGO_MAX_BYTES (the parser stops there and marks it).
 */
async function readLogoParts(request: FastifyRequest): Promise<{ name?: string; file?: UploadedFile }> {
  if (!request.isMultipart()) throw new TenableError(400, MULTIPART_REFUSAL);
  const form: { name?: string; file?: UploadedFile } = {};
  let nameCount = 0;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      if (part.fieldname === 'logo') form.file = { fileName: part.filename, bytes, isTooLarge: part.file.truncated };
    } else if (part.fieldname === 'name') {
      nameCount += 1;
      form.name = String(part.value);
    }
  }
  if (nameCount > 1) throw new TenableError(400, MULTIPART_REFUSAL);
  return form;
}

async function readWhole(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/**
 * The Tenable.io-compatible MSSP Portal API (tenable-api.md section 6) for scripts and tools,
 * authenticated by api-key-auth.ts with the X-ApiKeys header. Portal keys belong to staff:
 * contacts' keys and child keys are refused here. /users (section 5) serves portal keys and an
 * instance's keys alike, so it lives in instance-users-api/users-api.routes.ts, which calls
 * portal-users.handlers.ts for portal keys. Every call is one service call
 * of the modules behind the web app, so the rules, scopes and audit events are theirs; errors
 * answer in Tenable's shapes through this context's own error handler.
 */
export async function msspApiRoutes(app: FastifyInstance): Promise<void> {
  app.setErrorHandler(tenableErrorHandler);
  acceptEmptyJsonBodies(app);
  await app.register(fastifyMultipart, {
    limits: { fileSize: LOGO_MAX_BYTES, files: 1, fields: 4, parts: 5, fieldSize: 1024 },
    throwFileSizeLimit: false,
  });
  app.addHook('onRequest', requirePortalKeys);

  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tenable-mssp'];
  const onlyAdministrators = { logos: authorize('logos:manage'), users: authorize('users:manage') };

  /* ---- Accounts (6.1) ---- */

  routes.get(
    '/mssp/accounts',
    {
      schema: {
        tags,
        summary: 'Every account the key may see (Administrators: all; other staff: their assigned ones); f/ft/w/wf filter',
        querystring: ListMsspAccountsQuery,
        response: { 200: MsspAccountList },
      },
    },
    async (request) => {
      // No account groups exist in Bulwark: a script asking for one must not get every account.
      if (request.query.group !== undefined) throw new TenableError(404, TENABLE_NOT_FOUND);
      const accounts = (await listAllAccounts(contextOf(request))).map(presentMsspAccount);
      return { accounts: filterAccounts(accounts, request.query) };
    },
  );

  routes.get(
    '/mssp/accounts/:account_uuid',
    {
      schema: { tags, summary: 'One account; 404 when missing or not visible', params: AccountUuidParams, response: { 200: MsspAccount } },
    },
    async (request) => presentMsspAccount(await getAccount(contextOf(request), existingId(request.params.account_uuid))),
  );

  routes.post(
    '/mssp/accounts/mssp-child-keys',
    {
      schema: {
        tags,
        summary: "Temporary keys (1 to 3600 s, default 1800) reaching one visible account's instance with the key user's role",
        body: ChildKeysBody,
        response: { 200: ChildKeysResponse },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const keys = await generateChildApiKeys(ctx, {
        accountId: existingId(request.body.child_container_uuid),
        validitySeconds: request.body.keys_validity_duration_seconds,
      });
      return presentChildApiKeys(keys, portalContainerUuid(ctx.config));
    },
  );

  routes.get(
    '/filters/mssp/accounts',
    { schema: { tags, summary: 'The filters and wildcard fields of GET /mssp/accounts', response: { 200: MsspAccountFilters } } },
    async () => describeAccountFilters(),
  );

  routes.put(
    '/mssp/accounts/logos',
    {
      onRequest: onlyAdministrators.logos,
      schema: {
        tags,
        summary: 'Assign a logo to accounts; logo_uuid null removes their logo',
        body: AssignMsspLogoBody,
        response: { 200: EmptyResponse },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const logoId = request.body.logo_uuid;
      if (logoId !== null) {
        if (!UUID_PATTERN.test(logoId)) throw new TenableError(400, { error: LOGO_NOT_FOUND_MESSAGE });
        try {
          await getLogo(ctx, logoId.toLowerCase());
        } catch (error) {
          if (error instanceof AppError && error.code === 'not_found') throw new TenableError(400, { error: LOGO_NOT_FOUND_MESSAGE });
          throw error;
        }
      }
      await assignLogo(ctx, { logoId: logoId?.toLowerCase() ?? null, accountIds: request.body.account_uuids });
      return {};
    },
  );

  /* ---- Logos (6.2), Administrators ---- */

  routes.post(
    '/mssp/logos',
    {
      onRequest: onlyAdministrators.logos,
      schema: {
        tags,
        summary: 'Add a logo: multipart/form-data with parts logo (a PNG of at most 246 x 52 pixels) and name',
        consumes: ['multipart/form-data'],
        response: { 200: LogoUuidResponse },
      },
    },
    async (request) => {
      const form = await readLogoParts(request);
      if (form.name === undefined) throw new TenableError(400, MULTIPART_REFUSAL);
      return { uuid: (await createLogo(contextOf(request), form)).id };
    },
  );

  routes.get(
    '/mssp/logos',
    { onRequest: onlyAdministrators.logos, schema: { tags, summary: 'Every logo', response: { 200: MsspLogoList } } },
    async (request) => {
      const ctx = contextOf(request);
      const containerUuid = portalContainerUuid(ctx.config);
      return { logos: (await listLogos(ctx)).items.map((logo) => presentMsspLogo(logo, containerUuid)) };
    },
  );

  routes.get(
    '/mssp/logos/:logo_uuid',
    { onRequest: onlyAdministrators.logos, schema: { tags, summary: 'One logo', params: LogoUuidParams, response: { 200: MsspLogo } } },
    async (request) => {
      const ctx = contextOf(request);
      const logo = await withLogo(ctx, request.params.logo_uuid, (id) => getLogo(ctx, id));
      return presentMsspLogo(logo, portalContainerUuid(ctx.config));
    },
  );

  routes.patch(
    '/mssp/logos/:logo_uuid',
    {
      onRequest: onlyAdministrators.logos,
      schema: {
        tags,
        summary: 'Rename a logo and/or replace its file: multipart/form-data with parts name and/or logo',
        consumes: ['multipart/form-data'],
        params: LogoUuidParams,
        response: { 200: LogoUuidResponse },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      // Look the logo up first, so a missing one answers 404 whatever the body holds.
      await withLogo(ctx, request.params.logo_uuid, (id) => getLogo(ctx, id));
      const form = await readLogoParts(request);
      if (form.name === undefined && form.file === undefined) throw new TenableError(400, MULTIPART_REFUSAL);
      const logo = await withLogo(ctx, request.params.logo_uuid, (id) => updateLogo(ctx, id, form));
      return { uuid: logo.id };
    },
  );

  routes.delete(
    '/mssp/logos/:logo_uuid',
    {
      onRequest: onlyAdministrators.logos,
      schema: { tags, summary: 'Delete a logo and remove it from every account', params: LogoUuidParams, response: { 200: EmptyResponse } },
    },
    async (request) => {
      const ctx = contextOf(request);
      await withLogo(ctx, request.params.logo_uuid, (id) => deleteLogo(ctx, id));
      return {};
    },
  );

  routes.get(
    '/mssp/logos/:logo_uuid/logo.png',
    { onRequest: onlyAdministrators.logos, schema: { tags, summary: 'The PNG of a logo (image/png)', params: LogoUuidParams } },
    async (request, reply) => {
      const ctx = contextOf(request);
      const image = await withLogo(ctx, request.params.logo_uuid, (id) => openLogoImage(ctx, id));
      return reply.type('image/png').header('cache-control', 'private, no-cache').send(image.stream);
    },
  );

  routes.get(
    '/mssp/logos/:logo_uuid/logo.base64',
    {
      onRequest: onlyAdministrators.logos,
      schema: { tags, summary: 'The PNG of a logo as a data URL (text/plain)', params: LogoUuidParams },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const image = await withLogo(ctx, request.params.logo_uuid, (id) => openLogoImage(ctx, id));
      const bytes = await readWhole(image.stream);
      return reply.type('text/plain;charset=UTF-8').send(`data:image/png;base64,${bytes.toString('base64')}`);
    },
  );
}
