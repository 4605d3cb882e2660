// All configuration comes from the environment, through here, validated once at start. Each channel
// declares its own variables (src/channels/<platform>.ts); they are validated here with the rest.
import { z } from 'zod';
import type { ChannelModule } from './channels/port.js';
import { CHANNELS } from './channels/registry.js';
import { CipherError, parseKey } from './store/cipher.js';

/** A valid encryption key (or list of keys), checked with the message parseKey gives. */
const keyList = (name: string) =>
  z.string().superRefine((v, ctx) => {
    try {
      for (const k of v.split(',').map((x) => x.trim()).filter(Boolean)) parseKey(k, name);
    } catch (e) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: e instanceof CipherError ? e.message : String(e) });
    }
  });

const Base = z.object({
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
  /** Seals what people wrote before it reaches Redis (inbox, outbox, sessions): AES-256-GCM. */
  DATA_ENCRYPTION_KEY: keyList('DATA_ENCRYPTION_KEY').refine((v) => !v.includes(','), 'DATA_ENCRYPTION_KEY is one key; older ones go in DATA_ENCRYPTION_KEYS_OLD').optional(),
  /** Keys used before a rotation, comma-separated: records sealed with them can still be read. */
  DATA_ENCRYPTION_KEYS_OLD: keyList('DATA_ENCRYPTION_KEYS_OLD').optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * The address staff open the console at (https://… behind the proxy), for the sign-in links that
   * `npm run staff` prints; default http://127.0.0.1:PORT.
   */
  STAFF_CONSOLE_URL: z.string().url('STAFF_CONSOLE_URL must be a URL, e.g. https://waspada.example.org').optional(),
  /**
   * Express's "trust proxy": which proxy's X-Forwarded-For (the client's IP, for the sign-in limit) and
   * X-Forwarded-Proto (https: the console's Secure cookie) to believe. A number of hops, "loopback",
   * or addresses/subnets, comma-separated. Unset: none (the console sees the proxy's address and http).
   */
  TRUST_PROXY: z
    .string()
    .regex(/^[A-Za-z0-9.:/, -]{1,500}$/, 'TRUST_PROXY is a number of hops, "loopback", or IP addresses or subnets, comma-separated')
    .transform((v) => (/^\d+$/.test(v) ? Number(v) : v))
    .optional(),
  /**
   * /metrics answers only requests with `Authorization: Bearer <METRICS_TOKEN>`. Unset: only callers
   * on this machine or a private network, not through a proxy (src/ops/endpoint.ts).
   */
  METRICS_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9._~+/=-]{24,256}$/, 'METRICS_TOKEN must be 24-256 characters of A-Z a-z 0-9 . _ ~ + / = - (e.g. openssl rand -hex 24)')
    .optional(),
  /** `npm run worker` serves /metrics and /healthz on this port (0: any free one); unset, the worker serves no HTTP. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** The channels to serve, comma-separated; by default every channel whose settings are given. */
  CHANNELS: z
    .string()
    .transform((s) => s.split(',').map((c) => c.trim()).filter(Boolean))
    .refine((names) => names.every((n) => CHANNELS.some((c) => c.name === n)), {
      message: `CHANNELS must list some of: ${CHANNELS.map((c) => c.name).join(', ')}`,
    })
    .optional(),
  /** After "delete my data", Redis rewrites its append-only file (so the data leaves the disk) at most this often. */
  AOF_REWRITE_MIN_INTERVAL_MINUTES: z.coerce.number().min(0).max(24 * 60).default(60),
  /** Closed hotline cases keep their personal fields this long, then lose them (recorded on the case). */
  CASE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /** A case claimed by staff and not acted on for this long returns to the queue. */
  HOTLINE_CLAIM_MINUTES: z.coerce.number().min(1).max(24 * 60).default(30),
  /** Workers reading the text of pictures (each a thread with its own models, ~100 MB); default: cores − 1, at least 1. */
  OCR_WORKERS: z.coerce.number().int().min(1).max(32).optional(),
  /** Pictures that may wait for a worker; one more gets "busy, try again in a minute". Default: 4 per worker. */
  OCR_QUEUE: z.coerce.number().int().min(0).max(1000).optional(),
  /** Longest one picture may take to read. */
  OCR_TIMEOUT_SECONDS: z.coerce.number().positive().max(120).default(15),
  /** Where the folder of links to the OCR models is made (default: under the system's temporary folder). */
  OCR_LANG_DIR: z.string().optional(),
  /** A message the outbox could not send for this long is given up (and counted). */
  OUTBOX_MAX_AGE_HOURS: z.coerce.number().positive().max(24 * 30).default(24),
  /**
   * Campaigns write to nobody in these local hours (from-until, e.g. 21-7) unless staff mark them
   * urgent; "off": at any hour (a deployment whose staff schedule every campaign themselves).
   */
  BROADCAST_QUIET_HOURS: z
    .string()
    .regex(/^(?:off|(?:[01]?\d|2[0-3])-(?:[01]?\d|2[0-3]))$/, 'BROADCAST_QUIET_HOURS must be from-until in whole hours (e.g. 21-7), or off')
    .transform((v) => (v === 'off' ? null : { from: Number(v.split('-')[0]), until: Number(v.split('-')[1]) }))
    .default('21-7'),
});

const Schema = Base.extend(Object.assign({}, ...CHANNELS.map((c) => c.settings)) as z.ZodRawShape);

/** The validated settings: the common ones typed here, each channel's read by its own module. */
export type Config = z.infer<typeof Base> & Record<string, unknown>;

export class ConfigError extends Error {}

/** Reads the environment; throws a ConfigError naming each wrong variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = Schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  return result.data as Config;
}

/** The channels a deployment asked for: those in CHANNELS, or else those with any of their settings given. */
export function requestedChannels(c: Config): ChannelModule[] {
  if (c.CHANNELS) return CHANNELS.filter((m) => c.CHANNELS!.includes(m.name));
  return CHANNELS.filter((m) => m.signals.some((v) => c[v] !== undefined));
}

/**
 * The settings `serve` needs on top of the rest, checked together so that one run names them all.
 * Returns the channels to serve.
 */
export function requireServeConfig(c: Config): ChannelModule[] {
  const missing: string[] = [];
  if (!c.REDIS_URL) missing.push('REDIS_URL: needed to serve (sessions, dedupe, the inbox and the outbox live in Redis)');
  if (!c.HASH_SECRET) missing.push('HASH_SECRET: needed to serve (keys the hashes of recruiter numbers and links)');
  if (!c.DATA_ENCRYPTION_KEY) missing.push('DATA_ENCRYPTION_KEY: needed to serve (encrypts what people write before it is stored); make one with: openssl rand -base64 32');
  const channels = requestedChannels(c);
  if (!channels.length) {
    missing.push(
      `CHANNELS: no channel to serve; set the settings of at least one (${CHANNELS.map((m) => `${m.name}: ${m.signals.join(', ')}`).join('; ')}) or list them in CHANNELS`,
    );
  }
  for (const m of channels) missing.push(...m.missing(c));
  if (missing.length) throw new ConfigError(missing.join('\n'));
  return channels;
}
