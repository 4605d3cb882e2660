// The stores on a Redis connection (src/store/connection.ts makes it). Each multi-key change is one Lua
// script (in the store's file).
import { RedisCaseStore } from '../hotline/cases.js';
import type { DataCipher } from './cipher.js';
import type { RedisClient } from './connection.js';
import { keyspace } from './keys.js';
import { RedisRecruiterRegistry } from './recruiters.js';
import { RedisSessionStore } from './sessions.js';
import type { Store } from './store.js';

export { connectRedis, type RedisClient } from './connection.js';

/** Sessions and the recruiter registry on one connection, all keys under `prefix`; close() disconnects. */
export class RedisStore implements Store {
  readonly sessions: RedisSessionStore;
  readonly recruiters: RedisRecruiterRegistry;
  readonly cases: RedisCaseStore;

  constructor(
    private readonly redis: RedisClient,
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
