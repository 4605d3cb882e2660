// Key rotation for cases: they outlive an old key's 30 days, so `hotline reseal` seals them again.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCaseStore } from '../../src/hotline/cases.js';
import { HotlineService } from '../../src/hotline/service.js';
import { DataCipher } from '../../src/store/cipher.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';

let redis: Redis;
const prefix = testPrefix('reseal');
beforeAll(async () => {
  redis = await connectRedis(REDIS_URL);
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

describe('rotating the encryption key of cases', () => {
  it('after reseal a case is read with the new key alone, and nothing else about it changed', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const admin = { name: 'ani', role: 'admin' as const };
    const before = new HotlineService({ store: new RedisCaseStore(redis, prefix, new DataCipher(oldKey)), hashSecret: 'reseal-secret-0123456789' });
    const { id } = await before.open({ kind: 'missing', urgent: false, lang: 'id', consentShare: false, reporter: { channel: 'telegram', userId: '1', contact: null }, details: { name: 'Siti' } }, 'k1');
    const original = await before.store.get(id);

    const rotated = new HotlineService({ store: new RedisCaseStore(redis, prefix, new DataCipher(newKey, [oldKey])), hashSecret: 'reseal-secret-0123456789' });
    await expect(rotated.reseal({ name: 'budi', role: 'agent' })).rejects.toThrow(/may not/);
    expect(await rotated.reseal(admin)).toBe(1);

    const onlyNew = new RedisCaseStore(redis, prefix, new DataCipher(newKey));
    const after = await onlyNew.get(id);
    expect(after?.details?.name).toBe('Siti');
    expect({ ...after, version: 0 }).toEqual({ ...original, version: 0 });
    expect((await onlyNew.auditOf(null)).map((a) => a.action)).toContain('reseal');
  });
});
