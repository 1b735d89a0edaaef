import path from 'node:path';
import { z } from 'zod';

const onOff = z.enum(['on', 'off']);
const weight = z.coerce.number().min(0).max(100);
const booleanFlag = z.enum(['true', 'false']).transform((value) => value === 'true');

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
  MONGODB_DB_NAME: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/).default('consult'),
  MONGOD_BIN: z.string().min(1).optional(),
  FERRETDB_POSTGRESQL_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  GO_BIN: z.string().min(1).optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,60}$/).default('consult'),
  DATA_DIR: z.string().min(1).default('./data'),
  ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WORKERS: onOff.default('on'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(60000).default(10000),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  TRUST_PROXY: booleanFlag.default(false),
  AUTO_INVITE: onOff.default('on'),
  MAX_INVITATIONS: z.coerce.number().int().min(1).max(50).default(5),
  MAX_OPEN_REQUESTS_PER_OWNER: z.coerce.number().int().min(1).default(20),
  MAX_OPEN_REQUESTS_PER_PARTNER: z.coerce.number().int().min(1).default(500),
  INVITATION_TTL_SECONDS: z.coerce.number().int().min(1).default(259200),
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(60000),
  WEBHOOK_ALLOW_PRIVATE: booleanFlag.default(false),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(20000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(10000),
  WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().max(300).regex(/^[^\r\n<>]*<?[^\s<>@]+@[^\s<>@]+>?$/, 'must be an address, optionally with a name: Name <address@domain>').default('South Baltic Consultations <no-reply@localhost>'),
  MAIL: onOff.default('on'),
  MAIL_RETRY_BASE_MS: z.coerce.number().int().min(10).default(30000),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(12),
  /** Signs the experts' session cookie; unset, a random one per start (sessions then end with a restart and stay on one instance). */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).refine((url) => !/[?#]/.test(url), 'must have no query or fragment').optional(),
  MATCH_WEIGHT_SKILLS: weight.optional(),
  MATCH_WEIGHT_LANGUAGE: weight.optional(),
  MATCH_WEIGHT_LOCATION: weight.optional(),
  MATCH_WEIGHT_AVAILABILITY: weight.optional(),
  MATCH_CROSS_BORDER_BONUS: weight.optional(),
}).superRefine((config, context) => {
  // The embedded mailbox keeps mails on disk for a developer to read: in production they would silently go nowhere.
  if (config.NODE_ENV === 'production' && config.MAIL === 'on' && !config.SMTP_URL) {
    context.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required in production (or set MAIL=off to send no mail)' });
  }
});

export type Config = Readonly<z.infer<typeof configSchema> & { DATA_DIR: string; PUBLIC_BASE_URL: string }>;

export class ConfigError extends Error {}

/** Parses the environment once; a bad value fails with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  // Where people reach the service (links in mails): no trailing slash, so paths append cleanly.
  const publicBaseUrl = (parsed.data.PUBLIC_BASE_URL ?? `http://localhost:${parsed.data.PORT}`).replace(/\/+$/, '');
  return Object.freeze({ ...parsed.data, DATA_DIR: path.resolve(parsed.data.DATA_DIR), PUBLIC_BASE_URL: publicBaseUrl });
}
