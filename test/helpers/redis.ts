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

/** Every key under the prefix, one line each: its name, then everything it holds, whatever its type (a bitmap as a string). */
export async function dumpPrefix(redis: Redis, prefix: string): Promise<string> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    for (const k of keys) {
      const type = await redis.type(k);
      let value = '';
      if (type === 'string') value = (await redis.get(k)) ?? '';
      else if (type === 'hash') value = JSON.stringify(await redis.hgetall(k));
      else if (type === 'list') value = JSON.stringify(await redis.lrange(k, 0, -1));
      else if (type === 'set') value = JSON.stringify(await redis.smembers(k));
      else if (type === 'zset') value = JSON.stringify(await redis.zrange(k, 0, -1));
      else if (type === 'stream') value = JSON.stringify(await redis.xrange(k, '-', '+'));
      out.push(`${k} => ${value.replace(/\n/g, ' ')}`);
    }
  } while (cursor !== '0');
  return out.join('\n');
}
