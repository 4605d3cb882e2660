import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Inbox, type Delivery } from '../../src/conversation/inbox.js';
import { keyspace } from '../../src/store/keys.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';

describe('inbox', () => {
  let redis: Redis;
  let prefix: string;
  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    prefix = testPrefix('inbox');
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('drops a delivery id it has seen, and hands each queued delivery out once, in order', async () => {
    const keys = keyspace(`${prefix}:a`);
    const inbox = new Inbox({ redis, keys, order: (d) => Number(d.id) });
    expect(await inbox.ingest({ channel: 't', id: '2', body: { n: 2 } })).toBe('queued');
    expect(await inbox.ingest({ channel: 't', id: '1', body: { n: 1 } })).toBe('queued');
    expect(await inbox.ingest({ channel: 't', id: '2', body: { n: 2 } })).toBe('duplicate');
    const got: Delivery[] = [];
    await inbox.start(async (d) => void got.push(d));
    await expect.poll(() => got.length).toBe(2);
    await inbox.stop();
    expect(got.map((d) => d.id)).toEqual(['1', '2']);
    expect(await redis.xlen(keys.inbox)).toBe(0);
  });

  it('a delivery taken by a worker that died is taken over by another after a while', async () => {
    const keys = keyspace(`${prefix}:b`);
    const dead = new Inbox({ redis, keys, claimAfterMs: 200 });
    // The first worker takes the deliveries and never finishes them (its process "died").
    await dead.start(() => new Promise<void>(() => undefined));
    for (const id of ['1', '2', '3']) await dead.ingest({ channel: 't', id, body: {} });
    await expect.poll(async () => (await dead.pending()) === 3).toBe(true);
    await dead.stop(50);
    const got: string[] = [];
    const heir = new Inbox({ redis, keys, claimAfterMs: 200 });
    await heir.start(async (d) => void got.push(d.id));
    await expect.poll(() => got.sort(), { timeout: 5000 }).toEqual(['1', '2', '3']);
    await heir.stop();
    expect(await heir.pending()).toBe(0);
  });
});
