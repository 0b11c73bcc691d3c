import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { apiKeyAuthPlugin } from './http/api-key-auth.js';
import { authenticationPlugin } from './http/authenticate.js';
import { registerErrorHandler } from './http/error-handler.js';
import { registerWebAssets } from './http/web-assets.js';
import { createJobQueue, type JobQueue } from './jobs/job-queue.js';
import type { Mailer } from './mail/mailer.js';
import { accountsRoutes } from './modules/accounts/accounts.routes.js';
import { contactsRoutes } from './modules/contacts/contacts.routes.js';
import { logosRoutes } from './modules/logos/logos.routes.js';
import { myAccountRoutes } from './modules/my-account/my-account.routes.js';
import { msspApiRoutes } from './modules/mssp-api/mssp-api.routes.js';
import { exportsApiRoutes } from './modules/exports/exports.routes.js';
import { instanceUsersApiRoutes } from './modules/instance-users-api/instance-users-api.routes.js';
import { scansApiRoutes } from './modules/scans-api/scans-api.routes.js';
import { secretScanRoutes } from './modules/secret-scan/secret-scan.routes.js';
import { phoneSupportRoutes } from './modules/phone-support/phone-support.routes.js';
import { supportCasesRoutes } from './modules/support-cases/support-cases.routes.js';
import { supportChatRoutes } from './modules/support-chat/support-chat.routes.js';
import { supportUploadsRoutes } from './modules/support-uploads/support-uploads.routes.js';
import { workbenchesApiRoutes } from './modules/workbenches/workbenches.routes.js';
import { apiKeysRoutes } from './modules/api-keys/api-keys.routes.js';
import { assistRoutes } from './modules/assist/assist.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { domainsRoutes } from './modules/domains/domains.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { helpRoutes } from './modules/help/help.routes.js';
import { importsRoutes } from './modules/imports/imports.routes.js';
import type { ConnectorDefinition } from './modules/integrations/connector.js';
import { CONNECTORS } from './modules/integrations/connectors/index.js';
import { integrationsRoutes } from './modules/integrations/integrations.routes.js';
import { instancesRoutes } from './modules/instances/instances.routes.js';
import { knowledgeBaseRoutes } from './modules/knowledge-base/knowledge-base.routes.js';
import { setupRoutes } from './modules/setup/setup.routes.js';
import { signalsRoutes } from './modules/signals/signals.routes.js';
import { twoFactorRoutes } from './modules/two-factor/two-factor.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import type { FileStorage } from './storage/storage.js';
import { VERSION } from './version.js';

export interface AppDependencies {
  database: DatabaseHandle;
  mailer: Mailer;
  storage: FileStorage;
  logger: Logger;
  /** Background jobs; by default a queue on the app's database, stopped when the app closes. */
  jobs?: JobQueue;
  /** The built web app to serve; defaults to dist/web. */
  webRoot?: string;
  /** The integration connectors offered (issue 8); defaults to CONNECTORS. Tests add their own here. */
  connectors?: readonly ConnectorDefinition[];
}

/** Registers every plugin and module by hand: this file lists the whole API. */
export async function buildApp(config: Config, dependencies: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: dependencies.logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
  });
  const jobs =
    dependencies.jobs ??
    createJobQueue(dependencies.database, dependencies.logger, config.database.kind === 'postgres' ? config.database.url : null);
  // Bulwark's own API speaks JSON only; file uploads register their own streaming parsers.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('services', {
    db: dependencies.database.db,
    config,
    log: dependencies.logger,
    mailer: dependencies.mailer,
    storage: dependencies.storage,
    jobs,
  });
  app.decorate('integrationConnectors', dependencies.connectors ?? CONNECTORS);
  app.addHook('onClose', async () => {
    if (!dependencies.jobs) await jobs.stop();
  });

  registerErrorHandler(app);
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Bulwark API',
        version: VERSION,
        description: "Bulwark's own JSON API. Session cookie authentication; writes need the X-CSRF-Token header.",
      },
    },
    transform: jsonSchemaTransform,
  });
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...(route.config ?? {}), isPublic: true };
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  await app.register(authenticationPlugin);
  await app.register(apiKeyAuthPlugin);

  await app.register(healthRoutes, { databaseKind: dependencies.database.kind });
  await app.register(setupRoutes);
  await app.register(authRoutes);
  await app.register(auditRoutes);
  await app.register(accountsRoutes);
  await app.register(contactsRoutes);
  await app.register(logosRoutes);
  await app.register(helpRoutes);
  await app.register(usersRoutes);
  await app.register(domainsRoutes);
  await app.register(apiKeysRoutes);
  await app.register(twoFactorRoutes);
  await app.register(myAccountRoutes);
  await app.register(assistRoutes);
  await app.register(secretScanRoutes);
  await app.register(phoneSupportRoutes);
  await app.register(importsRoutes);
  await app.register(instancesRoutes);
  await app.register(knowledgeBaseRoutes);
  // Support (issue 7): cases, resumable uploads (tus) and chat (WebSocket).
  await app.register(supportCasesRoutes);
  await app.register(supportUploadsRoutes);
  await app.register(supportChatRoutes);
  // Integrations (issue 8): connectors, their runs and logs.
  await app.register(integrationsRoutes);
  // Signals (issue 8): search, detail, export and retention of what connectors fetched.
  await app.register(signalsRoutes);
  // The Tenable.io-compatible MSSP API for scripts (X-ApiKeys, Tenable's shapes).
  await app.register(msspApiRoutes);
  // A customer instance's Tenable-compatible API (issue 6): the keys decide the instance.
  await app.register(exportsApiRoutes);
  await app.register(workbenchesApiRoutes);
  await app.register(scansApiRoutes);
  await app.register(instanceUsersApiRoutes);

  await registerWebAssets(app, dependencies.webRoot);
  return app;
}
