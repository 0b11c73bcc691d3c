import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { z } from 'zod';

/**
 * The only reader of process.env. Every bad variable is listed at once; secrets missing from the
 * environment are generated once and kept in DATA_DIR so a restart keeps sessions and data readable.
 */

const booleanFromString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInt = z.coerce.number().int().positive();

const Environment = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  PUBLIC_URL: z.url().optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Bulwark <bulwark@localhost>'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  MASTER_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters (32 bytes)')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().max(1440).default(30),
  SESSION_MAX_DAYS: z.coerce.number().positive().max(365).default(30),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(12),
  PASSWORD_MIN_CLASSES: z.coerce.number().int().min(1).max(4).default(4),
  SIGN_IN_MAX_FAILURES_PER_USER: positiveInt.default(5),
  SIGN_IN_LOCKOUT_MINUTES: z
    .string()
    .regex(/^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$/, 'must be a comma-separated list of minutes, e.g. 1,5,15,60')
    .transform((value) => value.split(',').map((minutes) => Number(minutes.trim())))
    .refine((list) => list.every((minutes, index) => minutes > 0 && (index === 0 || minutes >= (list[index - 1] ?? 0))), {
      message: 'each period must be positive and at least as long as the one before',
    })
    .default([1, 5, 15, 60]),
  SIGN_IN_MAX_ATTEMPTS_PER_IP: positiveInt.default(50),
  SIGN_IN_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  STORAGE: z.enum(['local', 's3']).default('local'),
  S3_BUCKET: z.string().min(3).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: booleanFromString.default(true),
  TRUST_PROXY: booleanFromString.default(false),
  BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),
  IMPORT_MAX_BYTES: positiveInt.default(5 * 1024 * 1024 * 1024),
  EXPORT_CHUNK_TTL_HOURS: z.coerce.number().positive().default(24),
  EXPORTS_MAX_CONCURRENT: positiveInt.default(10),
  EXPORT_INLINE_MAX_ROWS: z.coerce.number().int().min(0).default(20_000),
  ASSIST_MAX_MINUTES: z.coerce.number().int().min(1).max(480).default(30),
  ASSIST_NOTIFY_USER: booleanFromString.default(false),
  SMS_PROVIDER: z.enum(['outbox', 'twilio']).default('outbox'),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hexadecimal characters')
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  TWILIO_FROM: z.string().min(2).optional(),
  TWILIO_BASE_URL: z.url().default('https://api.twilio.com'),
  REQUIRE_STAFF_TWO_FACTOR: booleanFromString.default(false),
  API_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(300),
  INTEGRATIONS_TICK_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
});

export type Config = ReturnType<typeof buildConfig>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function buildConfig(env: z.infer<typeof Environment>, secrets: { sessionSecret: string; masterKey: Buffer; generated: string[] }) {
  const dataDir = path.resolve(env.DATA_DIR);
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  return {
    port: env.PORT,
    host: env.HOST,
    dataDir,
    publicUrl,
    isHttps: publicUrl.startsWith('https://'),
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    imports: { maxBytes: env.IMPORT_MAX_BYTES },
    /** Bulk exports (issue 6): chunk lifetime, running exports per instance, and the size written during the request. */
    exports: {
      chunkTtlHours: env.EXPORT_CHUNK_TTL_HOURS,
      maxConcurrent: env.EXPORTS_MAX_CONCURRENT,
      inlineMaxRows: env.EXPORT_INLINE_MAX_ROWS,
    },
    /** Integrations (issue 8): how often each node looks for due streams. */
    integrations: { tickSeconds: env.INTEGRATIONS_TICK_SECONDS },
    database: env.DATABASE_URL
      ? ({ kind: 'postgres', url: env.DATABASE_URL } as const)
      : ({ kind: 'pglite', directory: path.join(dataDir, 'pglite') } as const),
    mail: { smtpUrl: env.SMTP_URL ?? null, from: env.MAIL_FROM, outboxDir: path.join(dataDir, 'outbox') },
    secrets: {
      sessionSecret: secrets.sessionSecret,
      masterKey: secrets.masterKey,
      /** Names of the secrets kept in DATA_DIR/secrets (generated there) rather than given in the environment. */
      generated: secrets.generated,
    },
    session: {
      idleMinutes: env.SESSION_IDLE_MINUTES,
      maxDays: env.SESSION_MAX_DAYS,
    },
    passwordPolicy: { minLength: env.PASSWORD_MIN_LENGTH, minClasses: env.PASSWORD_MIN_CLASSES },
    /** User assist (issue 4): how long an assist lasts, and whether the assisted user is mailed when one starts. */
    assist: { maxMinutes: env.ASSIST_MAX_MINUTES, notifyUser: env.ASSIST_NOTIFY_USER },
    signInThrottle: {
      maxFailuresPerUser: env.SIGN_IN_MAX_FAILURES_PER_USER,
      /** Lock periods in minutes: the first lock, the second, ...; further locks double the last, up to 24 hours. */
      lockoutMinutes: env.SIGN_IN_LOCKOUT_MINUTES,
      maxAttemptsPerIp: env.SIGN_IN_MAX_ATTEMPTS_PER_IP,
      windowSeconds: Math.round(env.SIGN_IN_WINDOW_MINUTES * 60),
    },
    storage:
      env.STORAGE === 's3'
        ? ({
            kind: 's3',
            bucket: env.S3_BUCKET ?? '',
            region: env.S3_REGION,
            endpoint: env.S3_ENDPOINT ?? null,
            accessKeyId: env.S3_ACCESS_KEY_ID ?? null,
            secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? null,
            forcePathStyle: env.S3_FORCE_PATH_STYLE,
          } as const)
        : ({ kind: 'local', directory: path.join(dataDir, 'files') } as const),
    /** Text messages (two-factor codes): written to DATA_DIR/outbox, or sent through Twilio. */
    sms:
      env.SMS_PROVIDER === 'twilio'
        ? ({
            kind: 'twilio',
            accountSid: env.TWILIO_ACCOUNT_SID ?? '',
            authToken: env.TWILIO_AUTH_TOKEN ?? '',
            from: env.TWILIO_FROM ?? '',
            baseUrl: env.TWILIO_BASE_URL.replace(/\/+$/, ''),
          } as const)
        : ({ kind: 'outbox', directory: path.join(dataDir, 'outbox') } as const),
    twoFactor: { isRequiredForStaff: env.REQUIRE_STAFF_TWO_FACTOR },
    /** Instance API (issue 6): requests per API user per minute, unless the account sets its own. */
    apiRateLimit: { requestsPerMinute: env.API_REQUESTS_PER_MINUTE },
  };
}

/** Reads a secret from the environment, else from DATA_DIR/secrets, else generates and keeps one. */
function loadOrGenerateSecret(
  dataDir: string,
  name: string,
  fromEnv: string | undefined,
  generate: () => string,
  generated: string[],
): string {
  if (fromEnv) return fromEnv;
  generated.push(name);
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, name);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const value = generate();
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return value;
}

/**
 * Parses the environment. Throws ConfigError listing every problem; never reads process.env
 * outside this function. Overrides are for tests and tools that build a config in-process.
 */
export function loadConfig(
  source: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Record<keyof z.infer<typeof Environment>, string>> = {},
) {
  const raw: Record<string, string | undefined> = {};
  for (const key of Object.keys(Environment.shape)) {
    const value = overrides[key as keyof typeof overrides] ?? source[key];
    raw[key] = value === '' ? undefined : value;
  }
  const parsed = Environment.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const env = parsed.data;
  if (env.STORAGE === 's3' && !env.S3_BUCKET) throw new ConfigError(['S3_BUCKET: required when STORAGE=s3']);
  if (env.SMS_PROVIDER === 'twilio') {
    const missing = (['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'] as const).filter((name) => !env[name]);
    if (missing.length > 0) throw new ConfigError(missing.map((name) => `${name}: required when SMS_PROVIDER=twilio`));
  }
  const dataDir = path.resolve(env.DATA_DIR);
  const generated: string[] = [];
  const sessionSecret = loadOrGenerateSecret(
    dataDir,
    'session-secret',
    env.SESSION_SECRET,
    () => crypto.randomBytes(48).toString('base64url'),
    generated,
  );
  const masterKeyHex = loadOrGenerateSecret(dataDir, 'master-key', env.MASTER_KEY, () => crypto.randomBytes(32).toString('hex'), generated);
  return Object.freeze(buildConfig(env, { sessionSecret, masterKey: Buffer.from(masterKeyHex, 'hex'), generated }));
}

/** Names and one-line descriptions, for README and `--help`. */
export const CONFIG_VARIABLES = Object.keys(Environment.shape);

/** loadConfig() for entry points: prints every problem and returns null on a bad environment. */
export function loadConfigOrReport(): Config | null {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return null;
    }
    throw error;
  }
}
