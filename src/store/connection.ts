// Connections to Redis, made here for every process and command: one server (REDIS_URL), a Redis
// Cluster (REDIS_CLUSTER_NODES) or a master watched by Sentinel (REDIS_SENTINELS), through ioredis.
// The same code runs on all three because every multi-key script, transaction and pipeline keeps its
// keys in one hash slot (src/store/keys.ts). What differs is here: on a Cluster the client is an
// ioredis Cluster, whose duplicate() takes other arguments and whose keyless commands (INFO,
// BGREWRITEAOF) reach one node only.
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

export interface HostPort {
  host: string;
  port: number;
}

/** Where Redis is (src/config.ts reads it from the settings): one server, a Cluster, or a master that Sentinel watches. */
export type RedisTarget =
  | { mode: 'single'; url: string }
  | { mode: 'cluster'; nodes: HostPort[]; username?: string; password?: string; tls: boolean }
  | { mode: 'sentinel'; sentinels: HostPort[]; name: string; username?: string; password?: string; tls: boolean };

/** A connection to Redis: one server's (also Sentinel's master) or a Cluster's. */
export type RedisClient = Redis | Cluster;

export function isCluster(r: RedisClient): r is Cluster {
  return r.isCluster;
}

/** The options of the processes' shared connection (per node, on a Cluster). */
export function redisOptions(): RedisOptions {
  return {
    lazyConnect: true,
    // Fail fast while disconnected: the user is told to try again instead of waiting on a queue.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    enableAutoPipelining: true,
    connectTimeout: 3000,
    retryStrategy: (times) => Math.min(50 * 2 ** times, 2000),
  };
}

/**
 * How often a Cluster client asks for the slots' owners even when nothing failed: after a failover
 * it finds the promoted replica this soon at the latest (a command to the dead master finds it sooner).
 */
const SLOTS_REFRESH_MS = 2000;

const single = (target: RedisTarget | string): RedisTarget => (typeof target === 'string' ? { mode: 'single', url: target } : target);

/**
 * A client for the target, not connected yet: redisOptions() with `overrides` (on a Cluster they
 * apply to each node's connection, the offline queue, retries and auto-pipelining to the whole).
 */
export function openRedis(url: string, overrides?: Partial<RedisOptions>): Redis;
export function openRedis(target: RedisTarget | string, overrides?: Partial<RedisOptions>): RedisClient;
export function openRedis(target: RedisTarget | string, overrides: Partial<RedisOptions> = {}): RedisClient {
  const t = single(target);
  const opts = { ...redisOptions(), ...overrides };
  if (t.mode === 'single') return new Redis(t.url, opts);
  const auth = { ...(t.username ? { username: t.username } : {}), ...(t.password ? { password: t.password } : {}) };
  if (t.mode === 'sentinel') {
    const tls = t.tls ? { tls: {}, enableTLSForSentinelMode: true, sentinelTLS: {} } : {};
    return new Redis({ ...opts, ...auth, ...tls, sentinels: t.sentinels, name: t.name, failoverDetector: true });
  }
  const { enableOfflineQueue, enableAutoPipelining, retryStrategy, lazyConnect, ...node } = opts;
  const options: ClusterOptions = {
    lazyConnect,
    enableOfflineQueue,
    enableAutoPipelining,
    slotsRefreshInterval: SLOTS_REFRESH_MS,
    ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) } : {}),
    redisOptions: { ...node, ...auth, ...(t.tls ? { tls: {} } : {}) },
  };
  return new Cluster(t.nodes, options);
}

/** The target in words for an error message, without a password. */
export function describeTarget(target: RedisTarget | string): string {
  const t = single(target);
  const list = (nodes: HostPort[]) => nodes.map((n) => `${n.host}:${n.port}`).join(',');
  if (t.mode === 'single') return `Redis at ${t.url.replace(/\/\/[^@/]*@/, '//***@')}`;
  if (t.mode === 'cluster') return `the Redis Cluster at ${list(t.nodes)}`;
  return `the Redis master "${t.name}" through the sentinels at ${list(t.sentinels)}`;
}

/** Connects, or throws an error that says which address could not be reached. A URL: one server. */
export async function connectRedis(url: string, timeoutMs?: number): Promise<Redis>;
export async function connectRedis(target: RedisTarget | string, timeoutMs?: number): Promise<RedisClient>;
export async function connectRedis(target: RedisTarget | string, timeoutMs = 3000): Promise<RedisClient> {
  const redis = openRedis(target, { connectTimeout: timeoutMs });
  redis.on('error', () => {
    /* reported by the callers that fail; ioredis reconnects by itself */
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    // A Cluster whose nodes all refuse keeps retrying: give up after the same time a server gets.
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs * 2);
    });
    await Promise.race([redis.connect().then(() => redis.ping()), gaveUp]);
  } catch (e) {
    redis.disconnect();
    throw new Error(`cannot reach ${describeTarget(target)}: ${(e as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  // One node of a Cluster given as REDIS_URL would answer MOVED for most keys, read as "Redis away"
  // and retried for ever: refuse at start instead.
  if (!isCluster(redis) && /^cluster_enabled:1/m.test(await redis.info('cluster').catch(() => ''))) {
    redis.disconnect();
    throw new Error(`${describeTarget(target)} is a node of a Redis Cluster: give its nodes in REDIS_CLUSTER_NODES (host:port,host:port) instead of REDIS_URL`);
  }
  return redis;
}

/**
 * Another connection to the same Redis with other options (a blocking read needs one of its own). On
 * a Cluster, the node options in `overrides` are merged into each node's.
 */
export function duplicateConnection(r: RedisClient, overrides: Partial<RedisOptions>): RedisClient {
  if (!isCluster(r)) return r.duplicate(overrides);
  const { enableOfflineQueue, ...node } = overrides;
  return r.duplicate(undefined, {
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    redisOptions: { ...r.options.redisOptions, ...node },
  });
}

/**
 * The servers behind a connection, for commands that concern each server rather than a key (INFO,
 * BGREWRITEAOF): the one server, or every node of a Cluster, replicas too (they keep the same data
 * on their disks).
 */
export function redisServers(r: RedisClient): Redis[] {
  return isCluster(r) ? r.nodes('all') : [r];
}
