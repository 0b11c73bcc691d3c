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
import { ask } from './prompt.js';

interface Command {
  summary: string;
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; description: string }>;
  run(ctx: ServiceContext, values: Record<string, string | boolean | undefined>): Promise<void>;
}

const CLI_ORIGIN = { ip: null, userAgent: 'bulwark-cli' };

const COMMANDS: Record<string, Command> = {
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
  try {
    ({ values } = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, strict: true }));
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
  const mailer = createMailer(config.mail, log);
  try {
    database = await openDatabase(config.database);
    if (name !== 'migrate') await migrateToLatest(database.db);
    await command.run(
      { db: database.db, config, log, mailer, storage: createFileStorage(config.storage), actor: null, origin: CLI_ORIGIN },
      values,
    );
    return 0;
  } catch (error) {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    mailer.close();
    await database?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
