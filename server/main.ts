import { buildApp } from './app.js';
import { loadConfigOrReport } from './config.js';
import { migrateToLatest, openDatabase } from './db/database.js';
import { ensureWebBuilt } from './http/web-assets.js';
import { createLogger } from './lib/logger.js';
import { createMailer } from './mail/mailer.js';
import { startExportWorker } from './modules/exports/export-jobs.js';
import { startImportWorker } from './modules/imports/import-jobs.js';
import { startIntegrationHistorySweeper } from './modules/integrations/integrations.sweeper.js';
import { startIntegrationScheduler } from './modules/integrations/scheduler.js';
import { startScanFilesSweeper } from './modules/scans-api/scans-api.sweeper.js';
import { issueSetupLinkIfNeeded } from './modules/setup/setup.service.js';
import { startSignalsSweeper } from './modules/signals/signals.sweeper.js';
import { startSupportUploadsSweeper } from './modules/support-uploads/support-uploads.sweeper.js';
import { createFileStorage } from './storage/storage.js';

// Parse config, build the app, listen, shut down gracefully; nothing else.
const config = loadConfigOrReport() ?? process.exit(1);

const log = createLogger(config.logLevel);
const database = await openDatabase(config.database);
await migrateToLatest(database.db);
await ensureWebBuilt(log);
const mailer = createMailer(config.mail, log);
const app = await buildApp(config, { database, mailer, storage: createFileStorage(config.storage), logger: log });

if (database.kind === 'postgres' && config.secrets.generated.length > 0) {
  log.warn(
    { secrets: config.secrets.generated, dataDir: config.dataDir },
    'SESSION_SECRET and MASTER_KEY should come from the environment with PostgreSQL: every node must share them. Using the ones kept in DATA_DIR/secrets.',
  );
}

await app.listen({ port: config.port, host: config.host });
const stopImportWorker = await startImportWorker(app.services);
const stopExportWorker = await startExportWorker(app.services);
const stopIntegrationScheduler = await startIntegrationScheduler(app.services, app.integrationConnectors);
const stopScanFilesSweeper = startScanFilesSweeper(app.services);
const stopSupportUploadsSweeper = startSupportUploadsSweeper(app.services);
const stopSignalsSweeper = startSignalsSweeper(app.services);
const stopIntegrationHistorySweeper = startIntegrationHistorySweeper(app.services);
log.info({ url: config.publicUrl, database: database.kind }, `Bulwark is running at ${config.publicUrl}`);

const setup = await issueSetupLinkIfNeeded({ db: database.db, config });
if (setup) {
  log.info(
    { setupLink: setup.link, expiresAt: setup.expiresAt.toISOString() },
    `No administrator yet. Open this one-time link within 24 hours to create the first Administrator: ${setup.link} (or run: npm run cli -- create-admin)`,
  );
}

let isShuttingDown = false;
async function shutDown(signal: string): Promise<void> {
  if (isShuttingDown) return;
  isShuttingDown = true;
  log.info({ signal }, 'shutting down');
  stopImportWorker();
  stopExportWorker();
  stopIntegrationScheduler();
  stopScanFilesSweeper();
  stopSupportUploadsSweeper();
  stopSignalsSweeper();
  stopIntegrationHistorySweeper();
  await app.close();
  mailer.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutDown('SIGINT'));
process.on('SIGTERM', () => void shutDown('SIGTERM'));
