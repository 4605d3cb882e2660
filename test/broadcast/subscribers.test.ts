// Subscribers: the same cases against the in-memory store (demo, terminal chat) and the Redis one, then
// what only Redis shows: nothing that names a person is kept in clear, in any key or value.
import { describe, expect, it } from 'vitest';
import { MemorySubscribers, RedisSubscribers, type SubscriberInput, type Subscribers } from '../../src/broadcast/subscribers.js';
import { keyspace } from '../../src/store/keys.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, dumpPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { TEST_CIPHER } from '../helpers/stores.js';
import { contract, inMemory, onRedis } from '../store/contract.js';

const SECRET = 'subscribers-test-secret-0123456789';
const T0 = Date.UTC(2026, 10, 30, 8, 0, 0);
const NOW = T0 + 86_400_000;

/** A WhatsApp user id is the phone number: the one thing that must never be kept in clear. */
const PHONE = '6281255501234';

const rina: SubscriberInput = { channel: 'whatsapp', user: PHONE, lang: 'id', topics: ['scam-alerts', 'safe-migration'], region: 'NB', destination: 'MY', consentedAt: T0 };
const budi: SubscriberInput = { channel: 'telegram', user: '5550001', lang: 'en', topics: ['safe-migration'], region: 'JI', destination: 'TW', consentedAt: T0 };
const sari: SubscriberInput = { channel: 'telegram', user: '5550002', lang: 'id', topics: ['scam-alerts'], region: null, destination: null, consentedAt: T0 };

function subscribersContract(name: string, make: Parameters<typeof contract<Subscribers>>[1]) {
  contract<Subscribers>(`subscribers (${name})`, make, (store) => {
    it('keeps what a person subscribed with, and an unknown person is nobody', async () => {
      expect(await store().subscribe(rina)).toBe('new');
      expect(await store().get('whatsapp', PHONE)).toEqual({ ...rina, optedOutAt: null, lastDeliveryAt: null, previousDeliveryAt: null });
      expect(await store().get('whatsapp', '6281200000000')).toBeNull();
      expect(await store().get('telegram', PHONE)).toBeNull();
    });

    it('subscribing again replaces the topics, language and places', async () => {
      await store().subscribe(rina);
      const changed = { ...rina, lang: 'en', topics: ['safe-migration' as const], region: null, destination: 'SA' };
      expect(await store().subscribe(changed)).toBe('updated');
      expect(await store().get('whatsapp', PHONE)).toMatchObject({ lang: 'en', topics: ['safe-migration'], region: null, destination: 'SA' });
      expect(await store().count({ topics: ['scam-alerts'] })).toBe(0);
      expect(await store().count({ region: 'NB' })).toBe(0);
      expect(await store().count({ destination: 'SA' })).toBe(1);
    });

    it('counts a segment by each attribute, topics by any of them, and all of them together', async () => {
      for (const s of [rina, budi, sari]) await store().subscribe(s);
      expect(await store().count({})).toBe(3);
      expect(await store().count({ channel: 'telegram' })).toBe(2);
      expect(await store().count({ channel: 'whatsapp' })).toBe(1);
      expect(await store().count({ lang: 'id' })).toBe(2);
      expect(await store().count({ lang: 'en' })).toBe(1);
      expect(await store().count({ topics: ['scam-alerts'] })).toBe(2);
      expect(await store().count({ topics: ['safe-migration'] })).toBe(2);
      expect(await store().count({ topics: ['scam-alerts', 'safe-migration'] })).toBe(3);
      expect(await store().count({ region: 'NB' })).toBe(1);
      expect(await store().count({ region: 'JI' })).toBe(1);
      expect(await store().count({ destination: 'TW' })).toBe(1);
      expect(await store().count({ destination: 'KH' })).toBe(0);
      expect(await store().count({ channel: 'telegram', lang: 'id', topics: ['scam-alerts'] })).toBe(1);
      expect(await store().count({ channel: 'telegram', lang: 'en', topics: ['scam-alerts'] })).toBe(0);
    });

    it('stopping ends every topic at once: counted nowhere, the record kept without topics, and said only the first time', async () => {
      await store().subscribe(rina);
      await store().subscribe(sari);
      expect(await store().optOut('whatsapp', PHONE)).toBe(true);
      expect(await store().optOut('whatsapp', PHONE)).toBe(false);
      expect(await store().get('whatsapp', PHONE)).toMatchObject({ topics: [], optedOutAt: NOW, region: 'NB' });
      expect(await store().count({ topics: ['scam-alerts'] })).toBe(1);
      expect(await store().count({ topics: ['safe-migration'] })).toBe(0);
      expect(await store().count({ region: 'NB' })).toBe(0);
      expect(await store().count({})).toBe(1);
      expect(await store().optOut('telegram', 'never-subscribed')).toBe(false);
    });

    it('after a stop an import of the same person is refused, while subscribing again from the chat works', async () => {
      await store().subscribe(rina);
      await store().optOut('whatsapp', PHONE);
      expect(await store().add({ ...rina, consentedAt: NOW })).toBe('opted_out');
      expect(await store().count({ topics: ['scam-alerts'] })).toBe(0);
      expect(await store().subscribe({ ...rina, consentedAt: NOW })).toBe('updated');
      expect(await store().get('whatsapp', PHONE)).toMatchObject({ optedOutAt: null, consentedAt: NOW, topics: rina.topics });
      expect(await store().count({ topics: ['scam-alerts'] })).toBe(1);
      // Someone who never stopped is imported as anyone else.
      expect(await store().add(budi)).toBe('new');
      expect(await store().add({ ...budi, topics: ['scam-alerts'] })).toBe('updated');
    });

    it('forgetting takes the record; a stop before it is still remembered, so an import stays refused', async () => {
      await store().subscribe(rina);
      await store().subscribe(budi);
      await store().forget('telegram', budi.user);
      expect(await store().get('telegram', budi.user)).toBeNull();
      expect(await store().count({ lang: 'en' })).toBe(0);
      await store().optOut('whatsapp', PHONE);
      await store().forget('whatsapp', PHONE);
      expect(await store().get('whatsapp', PHONE)).toBeNull();
      expect(await store().count({})).toBe(0);
      expect(await store().add(rina)).toBe('opted_out');
      await store().forget('whatsapp', 'nobody');
    });
  });
}

subscribersContract('memory', inMemory(() => new MemorySubscribers(() => NOW)));
subscribersContract('redis', onRedis((redis, keys) => new RedisSubscribers(redis, keys, TEST_CIPHER, SECRET, () => NOW)));

describe('redis subscribers specifics', () => {
  it('no phone number or chat id is in any key or value under the prefix, in clear: records are sealed, lookups keyed', async () => {
    const redis = await connectRedis(REDIS_URL);
    const prefix = testPrefix('subscribers');
    try {
      const store = new RedisSubscribers(redis, keyspace(prefix), TEST_CIPHER, SECRET, () => NOW);
      for (const s of [rina, budi, sari]) await store.subscribe(s);
      await store.optOut('telegram', sari.user);
      const all = await dumpPrefix(redis, prefix);
      expect(all.split('\n').length).toBeGreaterThan(5);
      for (const clear of [PHONE, '81255501234', '5550001', '5550002']) expect(all, clear).not.toContain(clear);
      // What is in clear are the attributes segments are made of (language, topics, places), never who.
      expect(all).toContain('scam-alerts');
      // Opened with the key, the record is whole again.
      expect(await store.get('whatsapp', PHONE)).toMatchObject({ user: PHONE, region: 'NB' });
    } finally {
      await dropPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  it('another hash secret finds nobody: the lookup is keyed, not a plain hash of the number', async () => {
    const redis = await connectRedis(REDIS_URL);
    const prefix = testPrefix('subscribers');
    try {
      await new RedisSubscribers(redis, keyspace(prefix), TEST_CIPHER, SECRET).subscribe(rina);
      const other = new RedisSubscribers(redis, keyspace(prefix), TEST_CIPHER, 'another-secret-0123456789abcdef');
      expect(await other.get('whatsapp', PHONE)).toBeNull();
    } finally {
      await dropPrefix(redis, prefix);
      redis.disconnect();
    }
  });
});
