// One behaviour, several implementations: a contract suite runs the same cases against each. Every
// case gets a fresh store (on Redis: under its own random key prefix, deleted after).
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe } from 'vitest';
import { keyspace, type Keyspace } from '../../src/store/keys.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';

export type Make<T> = () => Promise<{ store: T; cleanup: () => Promise<void> }>;

/** Describes `name`, handing `cases` a getter for the fresh store of the case running. */
export function contract<T>(name: string, make: Make<T>, cases: (store: () => T) => void): void {
  describe(name, () => {
    let store: T;
    let cleanup: () => Promise<void> = async () => undefined;
    beforeEach(async () => {
      await cleanup();
      ({ store, cleanup } = await make());
    });
    afterAll(async () => {
      await cleanup();
    });
    cases(() => store);
  });
}

export function inMemory<T>(build: () => T): Make<T> {
  return async () => ({ store: build(), cleanup: async () => undefined });
}

/** A store on its own connection and its own random prefix; cleanup deletes the prefix's keys. */
export function onRedis<T>(build: (redis: Redis, keys: Keyspace) => T): Make<T> {
  return async () => {
    const redis = await connectRedis(REDIS_URL);
    const prefix = testPrefix('contract');
    return {
      store: build(redis, keyspace(prefix)),
      cleanup: async () => {
        await dropPrefix(redis, prefix);
        redis.disconnect();
      },
    };
  };
}
