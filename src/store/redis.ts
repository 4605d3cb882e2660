// The Redis connection, and both stores on it. Each multi-key change is one Lua script (in the store's file).
import { Redis, type RedisOptions } from 'ioredis';
import { RedisCaseStore } from '../hotline/cases.js';
import type { DataCipher } from './cipher.js';
import { keyspace } from './keys.js';
import { RedisRecruiterRegistry } from './recruiters.js';
import { RedisSessionStore } from './sessions.js';
import type { Store } from './store.js';

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

/** Sessions and the recruiter registry on one connection, all keys under `prefix`; close() disconnects. */
export class RedisStore implements Store {
  readonly sessions: RedisSessionStore;
  readonly recruiters: RedisRecruiterRegistry;
  readonly cases: RedisCaseStore;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    cipher: DataCipher,
  ) {
    const keys = keyspace(prefix);
    this.sessions = new RedisSessionStore(redis, keys, cipher);
    this.recruiters = new RedisRecruiterRegistry(redis, keys);
    this.cases = new RedisCaseStore(redis, prefix, cipher);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** Connects, or throws an error that says which address could not be reached. */
export async function connectRedis(url: string, timeoutMs = 3000): Promise<Redis> {
  const redis = new Redis(url, { ...redisOptions(), connectTimeout: timeoutMs });
  redis.on('error', () => {
    /* reported by the callers that fail; ioredis reconnects by itself */
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    const safe = url.replace(/\/\/[^@/]*@/, '//***@');
    throw new Error(`cannot reach Redis at ${safe}: ${(e as Error).message}`);
  }
  return redis;
}
