// Each test file works in its own random key prefix on the real Redis, and removes its keys after.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** The encryption key test servers are given (DATA_ENCRYPTION_KEY): 32 bytes, base64. */
export const DATA_KEY = Buffer.alloc(32, 5).toString('base64');

export function testPrefix(name: string): string {
  return `waspada-test:${name}:${randomUUID().slice(0, 8)}`;
}

export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

export function plainRedis(): Redis {
  return new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2 });
}
