import { TEST_CIPHER } from '../helpers/stores.js';
import { describe, expect, it } from 'vitest';
import { newSession } from '../../src/engine/types.js';
import { keyspace } from '../../src/store/keys.js';
import { connectRedis } from '../../src/store/redis.js';
import { MemorySessionStore, RedisSessionStore } from '../../src/store/sessions.js';
import { dropPrefix, plainRedis, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { inMemory, onRedis } from './contract.js';
import { sessionsContract } from './sessions.contract.js';

sessionsContract('memory', inMemory(() => new MemorySessionStore()));
sessionsContract('redis', onRedis((redis, keys) => new RedisSessionStore(redis, keys, TEST_CIPHER)));

describe('redis session store specifics', () => {
  it('keeps one key per person under the prefix, with the user in a hash tag (the handled ids are inside it)', async () => {
    const redis = await connectRedis(REDIS_URL);
    const prefix = testPrefix('keys');
    const store = new RedisSessionStore(redis, keyspace(prefix), TEST_CIPHER);
    await store.begin('telegram:42', 'u1', 't', 5000);
    await store.commit('telegram:42', 't', 'u1', { v: 1, lang: 'id', consent: true, at: null, stack: [], vars: {}, failures: 0, turn: 0, lastAt: 0, pending: null });
    const probe = plainRedis();
    const keys = (await probe.keys(`${prefix}:*`)).sort();
    expect(keys).toEqual([`${prefix}:session:{telegram:42}`]);
    expect(await probe.ttl(`${prefix}:session:{telegram:42}`)).toBeGreaterThan(29 * 24 * 3600);
    await dropPrefix(probe, prefix);
    probe.disconnect();
    redis.disconnect();
  });

  it('a message straight from a webhook is not taken while the person has messages waiting in the inbox: the lock stays free for those', async () => {
    const redis = await connectRedis(REDIS_URL);
    const prefix = testPrefix('behind');
    const keys = keyspace(prefix);
    const store = new RedisSessionStore(redis, keys, TEST_CIPHER);
    const probe = plainRedis();
    await probe.set(keys.inboxHold('telegram:7'), '1', 'PX', 30_000);
    expect(await store.begin('telegram:7', 'm2', 'direct', 5000, { behind: true })).toEqual({ behind: true });
    expect(await probe.exists(keys.lock('telegram:7'))).toBe(0);
    // The inbox's own worker takes the waiting ones, hold or not.
    const fromInbox = await store.begin('telegram:7', 'm1', 'worker', 5000, {});
    expect(fromInbox && 'lease' in fromInbox && fromInbox.lease).toBe('worker');
    await store.release('telegram:7', 'worker');
    // Someone else, with nothing waiting, is taken directly.
    const other = await store.begin('telegram:8', 'm3', 'direct2', 5000, { behind: true });
    expect(other && 'lease' in other && other.lease).toBe('direct2');
    // "Delete my data" takes the hold too (its key names the person).
    await store.forgetUser('telegram:7');
    expect(await probe.exists(keys.inboxHold('telegram:7'))).toBe(0);
    await dropPrefix(probe, prefix);
    probe.disconnect();
    redis.disconnect();
  });

  it('a turn that outlived its lease and commits after another process took the lock leaves that lock held for a whole lease, not the late turn’s', async () => {
    const redis = await connectRedis(REDIS_URL);
    const prefix = testPrefix('late-commit');
    const keys = keyspace(prefix);
    const store = new RedisSessionStore(redis, keys, TEST_CIPHER);
    const probe = plainRedis();
    try {
      await store.begin('telegram:77', 'm1', 'late', 30);
      await new Promise((r) => setTimeout(r, 60));
      expect(await store.begin('telegram:77', 'm2', 'next', 5000)).not.toBeNull();
      expect(await store.commit('telegram:77', 'late', 'm1', newSession(1))).toBe(false);
      expect(await probe.get(keys.lock('telegram:77'))).toBe('next');
      expect(await probe.pttl(keys.lock('telegram:77'))).toBeGreaterThan(4000);
      await store.release('telegram:77', 'late');
      expect(await probe.get(keys.lock('telegram:77'))).toBe('next');
      expect(await store.commit('telegram:77', 'next', 'm2', newSession(1))).toBe(true);
      expect(await probe.exists(keys.lock('telegram:77'))).toBe(0);
    } finally {
      await dropPrefix(probe, prefix);
      probe.disconnect();
      redis.disconnect();
    }
  });

  it('a session saved before handled ids were kept (the bare session, sealed) still opens', async () => {
    const redis = await connectRedis(REDIS_URL);
    const prefix = testPrefix('bare');
    const store = new RedisSessionStore(redis, keyspace(prefix), TEST_CIPHER);
    const bare = { v: 1, lang: 'en', consent: true, at: null, stack: [], vars: {}, failures: 0, turn: 3, lastAt: 0, pending: null };
    await redis.set(`${prefix}:session:{terminal:old}`, TEST_CIPHER.seal(JSON.stringify(bare)));
    expect(await store.begin('terminal:old', 'm', 't', 5000)).toEqual({ lease: 't', session: bare, seen: false });
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('saves a session with another module’s write while other commands are being gathered into the same pipeline', async () => {
    const redis = await connectRedis(REDIS_URL);
    const prefix = testPrefix('also');
    const store = new RedisSessionStore(redis, keyspace(prefix), TEST_CIPHER);
    const also = (n: number) => ({ lua: `local function also(k, a) redis.call('SET', KEYS[k], ARGV[a]) return 'ok${n}' end`, keys: [`${prefix}:also:{terminal:p}`], args: [`v${n}`] });
    store.defineAlso!(also(1).lua);
    const s = newSession(1);
    await store.begin('terminal:p', 'm1', 't1', 5000);
    await store.begin('terminal:q', 'm1', 'u1', 5000);
    // Commands already waiting in this tick's automatic pipeline, then saves with a defined script and with one never defined.
    const [, a, b] = await Promise.all([redis.get(`${prefix}:x`), store.commitWith!('terminal:p', 't1', 'm1', s, also(1)), store.commitWith!('terminal:q', 'u1', 'm1', s, also(2))]);
    expect(a).toEqual({ saved: true, also: 'ok1' });
    expect(b).toEqual({ saved: true, also: 'ok2' });
    expect(await redis.get(`${prefix}:also:{terminal:p}`)).toBe('v2');
    await dropPrefix(redis, prefix);
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
