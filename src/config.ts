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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
