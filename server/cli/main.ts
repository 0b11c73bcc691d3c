import { createJobQueue, type JobQueue } from '../jobs/job-queue.js';
import { parseArgs } from 'node:util';
import { loadConfigOrReport } from '../config.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../db/database.js';
import { AppError } from '../lib/app-error.js';
import type { ServiceContext } from '../lib/context.js';
import { createLogger } from '../lib/logger.js';
import { createMailer } from '../mail/mailer.js';
import { recordAudit } from '../modules/audit/audit.service.js';
import { issuePasswordResetLink } from '../modules/auth/auth.service.js';
import { findUserByUsername } from '../modules/users/users.repository.js';
import { createAdministrator } from '../modules/users/users.service.js';
import { createFileStorage } from '../storage/storage.js';
import { API_LIMIT_COMMAND } from './api-limit-command.js';
import { IMPORT_COMMAND } from './import-command.js';
import { ask } from './prompt.js';
import { CreateAccountBody } from '../../common/schemas/accounts.js';
import { CreateContactBody } from '../../common/schemas/contacts.js';
import { findAccountByIdOrName } from '../modules/accounts/accounts.repository.js';
import { createAccount } from '../modules/accounts/accounts.service.js';
import { createContact } from '../modules/contacts/contacts.service.js';

interface Command {
  summary: string;
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; description: string }>;
  /** Set when the command takes arguments after its options (file names, say). */
  positionals?: string;
  run(ctx: ServiceContext, values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<void>;
}

const CLI_ORIGIN = { ip: null, userAgent: 'bulwark-cli' };

const COMMANDS: Record<string, Command> = {
  import: IMPORT_COMMAND,
  'api-limit': API_LIMIT_COMMAND,
  'create-admin': {
    summary: 'Create an Administrator and approve the domain of its username',
    usage: 'create-admin --username NAME@DOMAIN --password PASS [--name NAME] [--email EMAIL]',
    options: {
      username: { type: 'string', description: 'name@domain; the domain becomes an approved domain' },
      password: { type: 'string', description: 'must meet the password policy (asked for, hidden, when missing)' },
      name: { type: 'string', description: 'full name (defaults to the part before @)' },
      email: { type: 'string', description: 'email address for password resets (optional)' },
    },
    async run(ctx, values) {
      const username = stringValue(values.username) ?? (await ask('Username (name@domain): '));
      const password = stringValue(values.password) ?? (await ask('Password: ', { isHidden: true }));
      const name = stringValue(values.name) ?? username.split('@')[0] ?? username;
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(username))
        throw new AppError('validation_failed', 'The username must be in the format name@domain.');
      const user = await createAdministrator(ctx, { username, password, name, email: stringValue(values.email) ?? null });
      await recordAudit(ctx, {
        action: 'cli.admin_created',
        actor: { userId: null, username: 'cli' },
        targetType: 'user',
        targetId: user.id,
        details: { username: user.username },
      });
      console.log(`Created Administrator ${user.username} (${user.id}). Sign in at ${ctx.config.publicUrl}/login`);
    },
  },
  'api-keys': {
    summary: "Generate a user's API keys (replacing any previous pair) and print them once",
    usage: 'api-keys --username USERNAME',
    options: { username: { type: 'string', description: 'the user whose API keys are generated' } },
    async run(ctx, values) {
      const username = stringValue(values.username) ?? (await ask('Username: '));
      const user = await findUserByUsername(ctx.db, username);
      if (!user) throw new AppError('not_found', `No user named ${username}.`);
      const { generateApiKeysFor } = await import('../modules/api-keys/api-keys.service.js');
      const keys = await generateApiKeysFor(ctx, user, { userId: null, username: 'cli' });
      // A pair reaches exactly one place: a contact's, their account's instance; staff's, the MSSP API.
      const reach =
        user.kind === 'contact' ? `the instance of account ${user.account_id ?? ''}` : 'the MSSP portal API (never a customer instance)';
      console.log(
        `API keys for ${user.username}, reaching ${reach} (any previous pair no longer works; the secret key is not shown again):`,
      );
      console.log(
        `accessKey=${keys.accessKey}\nsecretKey=${keys.secretKey}\nX-ApiKeys: accessKey=${keys.accessKey}; secretKey=${keys.secretKey}`,
      );
    },
  },
  'create-account': {
    summary: 'Create a customer account (and its instance); prints the account UUID',
    usage: 'create-account --name NAME [--site-id S] [--region R] [--apps vm,was,cs]',
    options: {
      name: { type: 'string', description: 'the customer name' },
      'site-id': { type: 'string', description: 'site identifier (optional)' },
      region: { type: 'string', description: 'region, for example US or EU (optional)' },
      apps: { type: 'string', description: 'licensed apps, comma-separated: vm, was, cs (optional)' },
    },
    async run(ctx, values) {
      const apps = (stringValue(values.apps) ?? '')
        .split(',')
        .map((app) => app.trim().toLowerCase())
        .filter(Boolean);
      const input = CreateAccountBody.safeParse({
        name: stringValue(values.name) ?? '',
        siteId: stringValue(values['site-id']) ?? null,
        region: stringValue(values.region) ?? null,
        licenses: apps.map((app) => ({ app, assetLimit: 0 })),
      });
      if (!input.success)
        throw new AppError('validation_failed', input.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
      const account = await createAccount(ctx, input.data);
      console.log(account.id);
    },
  },
  'create-contact': {
    summary: 'Create a contact of a customer account',
    usage:
      'create-contact --account UUID-or-NAME --username U --password P [--name N] [--role 16|24|32|40|64] [--manage-cases] [--primary]',
    options: {
      account: { type: 'string', description: "the account's UUID or its exact customer name" },
      username: { type: 'string', description: "the contact's email address" },
      password: { type: 'string', description: 'must meet the password policy (asked for, hidden, when missing)' },
      name: { type: 'string', description: 'full name (defaults to the part before @)' },
      role: { type: 'string', description: 'instance role: 16, 24, 32 (default), 40 or 64' },
      'manage-cases': { type: 'boolean', description: 'may open Technical Support cases' },
      primary: { type: 'boolean', description: "the account's Primary Contact (replaces any other)" },
    },
    async run(ctx, values) {
      const accountKey = stringValue(values.account);
      if (!accountKey) throw new AppError('validation_failed', 'Name the account with --account UUID-or-NAME.');
      const accounts = await findAccountByIdOrName(ctx.db, accountKey);
      if (accounts.length === 0) throw new AppError('not_found', `No customer account ${accountKey}.`);
      if (accounts.length > 1) throw new AppError('conflict', `Several accounts are named ${accountKey}; use the UUID.`);
      const username = stringValue(values.username) ?? (await ask('Username (email): '));
      const password = stringValue(values.password) ?? (await ask('Password: ', { isHidden: true }));
      const input = CreateContactBody.safeParse({
        username,
        name: stringValue(values.name) ?? username.split('@')[0] ?? username,
        role: values.role === undefined ? undefined : Number(values.role),
        canManageCases: values['manage-cases'] === true,
        isPrimaryContact: values.primary === true,
      });
      if (!input.success)
        throw new AppError('validation_failed', input.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
      const contact = await createContact(ctx, accounts[0]?.id ?? '', { ...input.data, password });
      console.log(`Created contact ${contact.username} (${contact.id}) with Support PIN ${contact.supportPin ?? ''}.`);
    },
  },
  migrate: {
    summary: 'Run pending database migrations (npm start does this too)',
    usage: 'migrate',
    options: {},
    async run(ctx) {
      const results = await migrateToLatest(ctx.db);
      if (results.length === 0) console.log('The database is up to date.');
      for (const result of results) console.log(`${result.status === 'Success' ? 'applied' : result.status}: ${result.migrationName}`);
    },
  },
  'reset-password': {
    summary: 'Print a single-use password reset link (valid one hour) for a user',
    usage: 'reset-password --username USERNAME',
    options: { username: { type: 'string', description: 'the user whose password is to be reset' } },
    async run(ctx, values) {
      const username = stringValue(values.username) ?? (await ask('Username: '));
      const user = await findUserByUsername(ctx.db, username);
      if (!user) throw new AppError('not_found', `No user named ${username}.`);
      const { link, expiresAt } = await issuePasswordResetLink(ctx, user);
      await recordAudit(ctx, {
        action: 'cli.password_reset_link_issued',
        actor: { userId: null, username: 'cli' },
        targetType: 'user',
        targetId: user.id,
        details: { username: user.username },
      });
      console.log(`Password reset link for ${user.username} (valid until ${expiresAt.toISOString()}, works once):\n${link}`);
    },
  },
};

function stringValue(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function printHelp(): void {
  console.log('Usage: npm run cli -- <command> [options]\n\nCommands:');
  for (const [name, command] of Object.entries(COMMANDS)) console.log(`  ${name.padEnd(16)} ${command.summary}`);
  console.log('\nRun npm run cli -- <command> --help for its options. Configuration comes from the environment (see README.md).');
}

function printCommandHelp(name: string, command: Command): void {
  console.log(`Usage: npm run cli -- ${command.usage}\n\n${command.summary}\n`);
  for (const [option, spec] of Object.entries(command.options)) console.log(`  --${option.padEnd(12)} ${spec.description}`);
  if (command.positionals) console.log(`  ${command.positionals}`);
  if (Object.keys(command.options).length === 0) console.log(`  (${name} takes no options)`);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    printHelp();
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Unknown command: ${name}\n`);
    printHelp();
    return 1;
  }
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: command.positionals !== undefined,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n`);
    printCommandHelp(name, command);
    return 1;
  }
  if (values.help) {
    printCommandHelp(name, command);
    return 0;
  }

  const config = loadConfigOrReport();
  if (!config) return 1;
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  let database: DatabaseHandle | null = null;
  let jobs: JobQueue | null = null;
  const mailer = createMailer(config.mail, log);
  try {
    database = await openDatabase(config.database);
    if (name !== 'migrate') await migrateToLatest(database.db);
    jobs = createJobQueue(database, log, config.database.kind === 'postgres' ? config.database.url : null);
    await command.run(
      { db: database.db, config, log, mailer, storage: createFileStorage(config.storage), jobs, actor: null, origin: CLI_ORIGIN },
      values,
      positionals,
    );
    return 0;
  } catch (error) {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    mailer.close();
    await jobs?.stop();
    await database?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
