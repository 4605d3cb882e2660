// All configuration comes from the environment, through here, validated once at start. Each channel
// declares its own variables (src/channels/<platform>.ts); they are validated here with the rest.
import { z } from 'zod';
import type { ChannelModule } from './channels/port.js';
import { CHANNELS } from './channels/registry.js';
import { CipherError, parseKey } from './store/cipher.js';
import type { HostPort, RedisTarget } from './store/connection.js';

/** A valid encryption key (or list of keys), checked with the message parseKey gives. */
const keyList = (name: string) =>
  z.string().superRefine((v, ctx) => {
    try {
      for (const k of v.split(',').map((x) => x.trim()).filter(Boolean)) parseKey(k, name);
    } catch (e) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: e instanceof CipherError ? e.message : String(e) });
    }
  });

/** A list of Redis addresses, host:port comma-separated (an IPv6 address in brackets: [::1]:6379). */
const hostPorts = (name: string, example: string) =>
  z
    .string()
    .transform((v, ctx) => {
      const out: HostPort[] = [];
      for (const entry of v.split(',').map((x) => x.trim()).filter(Boolean)) {
        const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(entry);
        const port = Number(m?.[2]);
        if (!m || port < 1 || port > 65535) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${name} lists host:port addresses, comma-separated (e.g. ${example}); "${entry}" is not one` });
          return z.NEVER;
        }
        out.push({ host: m[1]!.replace(/^\[|\]$/g, ''), port });
      }
      if (!out.length) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${name} lists no address (e.g. ${example})` });
      return out;
    });

const Base = z.object({
  /** One Redis server (or one behind a proxy). For a Cluster or Sentinel: the variables below instead. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/|^unix:\/\//, 'REDIS_URL must look like redis://host:6379/0 (or rediss:// for TLS)')
    .optional(),
  /** Redis Cluster: some of its nodes (the rest are found through them). */
  REDIS_CLUSTER_NODES: hostPorts('REDIS_CLUSTER_NODES', '10.0.0.1:6379,10.0.0.2:6379,10.0.0.3:6379').optional(),
  /** Redis with Sentinel: the sentinels, and the name they know the master by. */
  REDIS_SENTINELS: hostPorts('REDIS_SENTINELS', '10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379').optional(),
  REDIS_SENTINEL_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'REDIS_SENTINEL_NAME is the name Sentinel knows the master by (e.g. mymaster)').optional(),
  /** The data nodes' user and password (ACL), and TLS, with REDIS_CLUSTER_NODES or REDIS_SENTINELS (REDIS_URL carries its own). */
  REDIS_USERNAME: z.string().max(256).optional(),
  REDIS_PASSWORD: z.string().max(1024).optional(),
  REDIS_TLS: z.enum(['true', 'false', '1', '0'], { message: 'REDIS_TLS must be true or false' }).transform((v) => v === 'true' || v === '1').optional(),
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
  /**
   * /metrics' cases by stage read every case's stage: each process reads them again no sooner than
   * this (and than 20 times as long as the last read took); scrapes between reuse the last counts.
   */
  METRICS_CASES_REFRESH_SECONDS: z.coerce.number().min(0).max(24 * 3600).default(60),
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
  /**
   * Messages from webhooks (platforms that deliver again what is not answered) are handled before the
   * platform is answered, where they can be: no inbox round trips. "false": every update goes through the inbox first.
   */
  DIRECT_HANDLING: z.enum(['true', 'false', '1', '0'], { message: 'DIRECT_HANDLING must be true or false' }).default('true').transform((v) => v === 'true' || v === '1'),
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

const Schema = Base.extend(Object.assign({}, ...CHANNELS.map((c) => c.settings)) as z.ZodRawShape).superRefine((c, ctx) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
  const given = (['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const).filter((k) => c[k] !== undefined);
  if (given.length > 1) issue(given[1]!, `give one of REDIS_URL (one Redis), REDIS_CLUSTER_NODES (a Cluster) or REDIS_SENTINELS (Sentinel), not ${given.join(' and ')}`);
  if (c.REDIS_SENTINELS && !c.REDIS_SENTINEL_NAME) issue('REDIS_SENTINEL_NAME', 'needed with REDIS_SENTINELS: the name Sentinel knows the master by (e.g. mymaster)');
  if (c.REDIS_SENTINEL_NAME && !c.REDIS_SENTINELS) issue('REDIS_SENTINEL_NAME', 'only used with REDIS_SENTINELS (the sentinels\' addresses)');
  for (const k of ['REDIS_USERNAME', 'REDIS_PASSWORD', 'REDIS_TLS'] as const) {
    if (c[k] === undefined || c.REDIS_CLUSTER_NODES || c.REDIS_SENTINELS) continue;
    issue(k, c.REDIS_URL ? 'with REDIS_URL, the user and password go in it (redis://user:password@host:6379/0), and rediss:// means TLS' : 'only used with REDIS_CLUSTER_NODES or REDIS_SENTINELS');
  }
});

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

/** The Redis the settings point at, or null when none is given (the demo keeps everything in memory). */
export function redisTarget(c: Config): RedisTarget | null {
  const auth = { ...(c.REDIS_USERNAME ? { username: c.REDIS_USERNAME } : {}), ...(c.REDIS_PASSWORD ? { password: c.REDIS_PASSWORD } : {}), tls: c.REDIS_TLS ?? false };
  if (c.REDIS_CLUSTER_NODES) return { mode: 'cluster', nodes: c.REDIS_CLUSTER_NODES, ...auth };
  if (c.REDIS_SENTINELS) return { mode: 'sentinel', sentinels: c.REDIS_SENTINELS, name: c.REDIS_SENTINEL_NAME!, ...auth };
  return c.REDIS_URL ? { mode: 'single', url: c.REDIS_URL } : null;
}

/** The message for a command that needs Redis and was given none: `why` says what lives there. */
export function redisMissing(why: string): string {
  return `REDIS_URL: needed ${why}; for a Redis Cluster give REDIS_CLUSTER_NODES instead, for Sentinel REDIS_SENTINELS and REDIS_SENTINEL_NAME`;
}

/** The Redis the settings point at; a ConfigError (redisMissing) when none is given. */
export function requireRedis(c: Config, why: string): RedisTarget {
  const target = redisTarget(c);
  if (!target) throw new ConfigError(redisMissing(why));
  return target;
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
  if (!redisTarget(c)) missing.push(redisMissing('to serve (sessions, dedupe, the inbox and the outbox live in Redis)'));
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
