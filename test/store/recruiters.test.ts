import { describe, expect, it } from 'vitest';
import { keyspace } from '../../src/store/keys.js';
import { MemoryRecruiterRegistry, RedisRecruiterRegistry } from '../../src/store/recruiters.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { inMemory, onRedis } from './contract.js';
import { recruitersContract } from './recruiters.contract.js';

recruitersContract('memory', inMemory(() => new MemoryRecruiterRegistry()));
recruitersContract('redis', onRedis((redis, keys) => new RedisRecruiterRegistry(redis, keys)));

describe('redis recruiter registry specifics', () => {
  it('keeps a contact’s keys under its hash tag: the count for a year, the idempotency mark as long as a message may come again', async () => {
    const redis = await connectRedis(REDIS_URL);
    const prefix = testPrefix('recruiter-keys');
    const registry = new RedisRecruiterRegistry(redis, keyspace(prefix));
    await registry.record('reported', ['HASH'], 'person', 'KEY');
    const keys = (await redis.keys(`${prefix}:*`)).sort();
    expect(keys).toEqual([`${prefix}:recruiter:{HASH}:reported`, `${prefix}:recruiter:{HASH}:reported:once:KEY`]);
    expect(await redis.ttl(`${prefix}:recruiter:{HASH}:reported`)).toBeGreaterThan(364 * 24 * 3600);
    const mark = await redis.ttl(`${prefix}:recruiter:{HASH}:reported:once:KEY`);
    expect(mark).toBeGreaterThan(47 * 3600);
    expect(mark).toBeLessThanOrEqual(48 * 3600);
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });
});
