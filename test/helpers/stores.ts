// The conversation service's stores on one Redis connection, under one prefix.
import type { Redis } from 'ioredis';
import { keyspace } from '../../src/store/keys.js';
import { RedisRecruiterRegistry } from '../../src/store/recruiters.js';
import { RedisSessionStore } from '../../src/store/sessions.js';

export function redisStores(redis: Redis, prefix: string) {
  const keys = keyspace(prefix);
  return { sessions: new RedisSessionStore(redis, keys), recruiters: new RedisRecruiterRegistry(redis, keys) };
}
