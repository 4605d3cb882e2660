// All configuration comes from the environment, through here, validated once at start.
import { z } from 'zod';

const Schema = z.object({
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/|^unix:\/\//, 'REDIS_URL must look like redis://host:6379/0 (or rediss:// for TLS)')
    .optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'REDIS_PREFIX may use letters, digits, ":", "_" and "-" (at most 64)')
    .default('waspada'),
  /** Default: info for serve, silent for the terminal chat (where the conversation is the output). */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  HASH_SECRET: z.string().min(16, 'HASH_SECRET must be at least 16 characters (a random string kept secret)').optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'TELEGRAM_BOT_TOKEN must look like 123456:ABC-DEF… (from @BotFather)').optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, 'TELEGRAM_WEBHOOK_SECRET must be 16 to 256 characters of A-Z, a-z, 0-9, _ and -')
    .optional(),
  TELEGRAM_MODE: z.enum(['webhook', 'polling']).default('webhook'),
  TELEGRAM_API_ROOT: z.string().url('TELEGRAM_API_ROOT must be a URL such as https://api.telegram.org').default('https://api.telegram.org'),
  /** Messages per second to one chat and overall; Telegram's own limits by default. */
  TELEGRAM_RATE_PER_CHAT: z.coerce.number().positive().default(1),
  TELEGRAM_RATE_GLOBAL: z.coerce.number().positive().default(30),
});

export type Config = z.infer<typeof Schema>;

export class ConfigError extends Error {}

/** Reads the environment; throws a ConfigError naming each wrong variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = Schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  return result.data;
}

/** The settings `serve` needs on top of the rest, checked together so that one run names them all. */
export function requireServeConfig(c: Config): void {
  const missing: string[] = [];
  if (!c.REDIS_URL) missing.push('REDIS_URL: needed to serve (sessions, dedupe and the inbox live in Redis)');
  if (!c.HASH_SECRET) missing.push('HASH_SECRET: needed to serve (keys the hashes of recruiter numbers and links)');
  if (!c.TELEGRAM_BOT_TOKEN) missing.push('TELEGRAM_BOT_TOKEN: needed to serve Telegram');
  if (c.TELEGRAM_MODE === 'webhook' && !c.TELEGRAM_WEBHOOK_SECRET) missing.push('TELEGRAM_WEBHOOK_SECRET: needed in webhook mode (set TELEGRAM_MODE=polling to poll instead)');
  if (missing.length) throw new ConfigError(missing.join('\n'));
}
