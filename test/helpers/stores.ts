// The conversation service's stores on one Redis connection, under one prefix.
import type { Redis } from 'ioredis';
import { DataCipher } from '../../src/store/cipher.js';
import { keyspace } from '../../src/store/keys.js';

/** One key for the whole test run: what one service seals, another (a second "process") opens. */
export const TEST_CIPHER = DataCipher.throwaway();
import { RedisRecruiterRegistry } from '../../src/store/recruiters.js';
import { RedisSessionStore } from '../../src/store/sessions.js';

export function redisStores(redis: Redis, prefix: string) {
  const keys = keyspace(prefix);
  return { sessions: new RedisSessionStore(redis, keys, TEST_CIPHER), recruiters: new RedisRecruiterRegistry(redis, keys) };
}
