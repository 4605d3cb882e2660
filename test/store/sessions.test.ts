import { TEST_CIPHER } from '../helpers/stores.js';
import { describe, expect, it } from 'vitest';
import { keyspace } from '../../src/store/keys.js';
import { connectRedis } from '../../src/store/redis.js';
import { MemorySessionStore, RedisSessionStore } from '../../src/store/sessions.js';
import { dropPrefix, plainRedis, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { inMemory, onRedis } from './contract.js';
import { sessionsContract } from './sessions.contract.js';

sessionsContract('memory', inMemory(() => new MemorySessionStore()));
sessionsContract('redis', onRedis((redis, keys) => new RedisSessionStore(redis, keys, TEST_CIPHER)));

describe('redis session store specifics', () => {
  it('keeps every key under the prefix, with the user in a hash tag', async () => {
    const redis = await connectRedis(REDIS_URL);
    const prefix = testPrefix('keys');
    const store = new RedisSessionStore(redis, keyspace(prefix), TEST_CIPHER);
    await store.begin('telegram:42', 'u1', 't', 5000);
    await store.commit('telegram:42', 't', 'u1', { v: 1, lang: 'id', consent: true, at: null, stack: [], vars: {}, failures: 0, turn: 0, lastAt: 0, pending: null });
    const probe = plainRedis();
    const keys = (await probe.keys(`${prefix}:*`)).sort();
    expect(keys).toEqual([`${prefix}:seen:{telegram:42}:u1`, `${prefix}:session:{telegram:42}`]);
    expect(await probe.ttl(`${prefix}:session:{telegram:42}`)).toBeGreaterThan(29 * 24 * 3600);
    expect(await probe.ttl(`${prefix}:seen:{telegram:42}:u1`)).toBeGreaterThan(47 * 3600);
    await dropPrefix(probe, prefix);
    probe.disconnect();
    redis.disconnect();
  });

  it('a corrupt stored session is treated as no session instead of crashing', async () => {
    const redis = await connectRedis(REDIS_URL);
    const prefix = testPrefix('corrupt');
    const store = new RedisSessionStore(redis, keyspace(prefix), TEST_CIPHER);
    await redis.set(`${prefix}:session:{terminal:x}`, '{not json');
    expect((await store.begin('terminal:x', 'm', 't', 5000))!.session).toBeNull();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('connecting to an address where no Redis answers fails with a message naming it', async () => {
    await expect(connectRedis('redis://user:secret@127.0.0.1:1/0', 500)).rejects.toThrow(/cannot reach Redis at redis:\/\/\*\*\*@127\.0\.0\.1:1\/0/);
  });
});
