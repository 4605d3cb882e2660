import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Inbox, type Delivery } from '../../src/conversation/inbox.js';
import { DataCipher } from '../../src/store/cipher.js';
import { keyspace } from '../../src/store/keys.js';

const cipher = DataCipher.throwaway();
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
    const inbox = new Inbox({ redis, keys, cipher, order: (d) => Number(d.id) });
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

  it('its seen-marks hold no platform id (a WhatsApp message id holds the sender\u2019s number), and still drop a repeat', async () => {
    const keys = keyspace(`${prefix}:m`);
    const inbox = new Inbox({ redis, keys, cipher, hashSecret: 'inbox-test-secret-0123456789' });
    const id = 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjA=';
    expect(await inbox.ingest({ channel: 'whatsapp', id, body: {} })).toBe('queued');
    expect(await inbox.ingest({ channel: 'whatsapp', id, body: {} })).toBe('duplicate');
    const names = await redis.keys(`${prefix}:m:*`);
    expect(names.some((k) => k.includes(':seen:'))).toBe(true);
    expect(names.filter((k) => k.includes('HBgN'))).toEqual([]);
  });

  it('a delivery taken by a worker that died is taken over by another after a while', async () => {
    const keys = keyspace(`${prefix}:b`);
    const dead = new Inbox({ redis, keys, cipher, claimAfterMs: 200 });
    // The first worker takes the deliveries and never finishes them (its process "died").
    await dead.start(() => new Promise<void>(() => undefined));
    for (const id of ['1', '2', '3']) await dead.ingest({ channel: 't', id, body: {} });
    await expect.poll(async () => (await dead.pending()) === 3).toBe(true);
    await dead.stop(50);
    const got: string[] = [];
    const heir = new Inbox({ redis, keys, cipher, claimAfterMs: 200 });
    await heir.start(async (d) => void got.push(d.id));
    await expect.poll(() => got.sort(), { timeout: 5000 }).toEqual(['1', '2', '3']);
    await heir.stop();
    expect(await heir.pending()).toBe(0);
  });

  it('a delivery still being handled by a live worker is not taken over, however long it takes', async () => {
    const keys = keyspace(`${prefix}:c`);
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const busy = new Inbox({ redis, keys, cipher, claimAfterMs: 200 });
    let started = 0;
    await busy.start(async () => {
      started++;
      await slow;
    });
    await busy.ingest({ channel: 't', id: '1', body: {} });
    await expect.poll(() => started).toBe(1);
    const other: string[] = [];
    const rival = new Inbox({ redis, keys, cipher, claimAfterMs: 200 });
    await rival.start(async (d) => void other.push(d.id));
    await new Promise((r) => setTimeout(r, 1000));
    expect(other).toEqual([]);
    release();
    await busy.stop();
    await rival.stop();
    expect(await busy.pending()).toBe(0);
  });

  it('a delivery whose handler asks to retry later (Redis away) is handed out again, not acknowledged', async () => {
    const keys = keyspace(`${prefix}:d`);
    const { RetryLater } = await import('../../src/conversation/inbox.js');
    const inbox = new Inbox({ redis, keys, cipher });
    let calls = 0;
    await inbox.start(async () => {
      if (++calls < 3) throw new RetryLater('not now');
    });
    await inbox.ingest({ channel: 't', id: '1', body: {} });
    await expect.poll(() => calls, { timeout: 8000 }).toBe(3);
    await expect.poll(() => inbox.pending()).toBe(0);
    await inbox.stop();
  });

  it('a delivery put off while Redis was away is tried again as soon as Redis is ready again, not when its back-off ends', async () => {
    const keys = keyspace(`${prefix}:r`);
    const { RetryLater } = await import('../../src/conversation/inbox.js');
    // A connection of its own: its 'ready' (what ioredis says on reconnecting) is the inbox's alone.
    const own = await connectRedis(REDIS_URL);
    const inbox = new Inbox({ redis: own, keys, cipher });
    let calls = 0;
    await inbox.start(async () => {
      if (++calls < 3) throw new RetryLater('Redis away');
    });
    await inbox.ingest({ channel: 't', id: '1', body: {} });
    // Two tries failed: the next waits 2 s, unless Redis comes back first.
    await expect.poll(() => calls, { timeout: 3000 }).toBe(2);
    own.emit('ready');
    expect(calls).toBe(3);
    await expect.poll(() => inbox.pending()).toBe(0);
    await inbox.stop();
    own.disconnect();
  });

  it('stops within its deadline while Redis is away (its reading connection waiting to reconnect)', async () => {
    const { PrivateRedis } = await import('../helpers/redis-server.js');
    const server = await PrivateRedis.start({ appendonly: false });
    const own = await connectRedis(server.url);
    own.on('error', () => undefined);
    try {
      const inbox = new Inbox({ redis: own, keys: keyspace(`${prefix}:away`), cipher });
      await inbox.start(async () => undefined);
      await server.kill();
      // The reading connection has lost Redis and waits to try again (ioredis then answers none of the
      // commands it holds, even when disconnected).
      const reader = (inbox as unknown as { reader: Redis }).reader;
      await expect.poll(() => reader.status, { timeout: 5000, interval: 5 }).toBe('reconnecting');
      const stopped = await Promise.race([inbox.stop(500).then(() => 'stopped'), new Promise((r) => setTimeout(() => r('still waiting'), 5000))]);
      expect(stopped).toBe('stopped');
    } finally {
      own.disconnect();
      await server.stop();
    }
  });

  it('a message that may be a plea for help is handed out before a queue of others', async () => {
    const keys = keyspace(`${prefix}:e`);
    const inbox = new Inbox({ redis, keys, cipher, concurrency: 4 });
    for (let i = 1; i <= 40; i++) await inbox.ingest({ channel: 't', id: String(i), body: {} }, { text: 'lowongan kerja di Taiwan, gaji 20 juta' });
    await inbox.ingest({ channel: 't', id: 'plea', body: {} }, { text: 'tolong, paspor saya ditahan' });
    const order: string[] = [];
    await inbox.start(async (d) => void order.push(d.id));
    await expect.poll(() => order.length).toBe(41);
    await inbox.stop();
    expect(order[0]).toBe('plea');
    expect(await inbox.pending()).toBe(0);
  });

  it('a worker renews only the deliveries it still owns: one taken over after a stall stays with its new owner', async () => {
    const keys = keyspace(`${prefix}:f`);
    // One at a time: with its one delivery stalled, it takes nothing over itself (only its renewals run).
    const stalled = new Inbox({ redis, keys, cipher, claimAfterMs: 150, concurrency: 1 });
    await stalled.start(() => new Promise<void>(() => undefined));
    await stalled.ingest({ channel: 't', id: '1', body: {} });
    await expect.poll(() => stalled.pending()).toBe(1);
    const owners = async () => ((await redis.xpending(keys.inbox, 'workers', '-', '+', 10)) as [string, string][]).map(([id, owner]) => ({ id, owner }));
    const [entry] = await owners();
    await redis.xclaim(keys.inbox, 'workers', 'heir', 0, entry!.id, 'JUSTID');
    await new Promise((r) => setTimeout(r, 400));
    expect(await owners()).toEqual([{ id: entry!.id, owner: 'heir' }]);
    await stalled.stop(0);
  });

  it('a delivery a process cannot handle (a channel it does not serve) is left for one that can', async () => {
    const keys = keyspace(`${prefix}:g`);
    const { NotMine } = await import('../../src/conversation/inbox.js');
    const other = new Inbox({ redis, keys, cipher, claimAfterMs: 300 });
    let refused = 0;
    await other.start(async () => {
      refused++;
      throw new NotMine('whatsapp');
    });
    await other.ingest({ channel: 'whatsapp', id: '1', body: {} });
    await expect.poll(() => refused).toBe(1);
    await other.stop();
    const got: string[] = [];
    const serving = new Inbox({ redis, keys, cipher, claimAfterMs: 300 });
    await serving.start(async (d) => void got.push(`${d.channel}:${d.id}`));
    await expect.poll(() => got, { timeout: 5000 }).toEqual(['whatsapp:1']);
    await serving.stop();
    expect(await serving.pending()).toBe(0);
  });

  it('a sender past the flood limit (here 5 in the window) is queued once more, marked, then not at all for a while; others are not slowed, pleas never held back', async () => {
    const keys = keyspace(`${prefix}:h`);
    const inbox = new Inbox({ redis, keys, cipher, flood: { limit: 5, windowS: 10, silenceS: 60 } });
    const outcomes: string[] = [];
    for (let i = 1; i <= 8; i++) outcomes.push(await inbox.ingest({ channel: 't', id: `a${i}`, body: {} }, { user: 'flooder', text: `pesan ${i}` }));
    expect(outcomes).toEqual(['queued', 'queued', 'queued', 'queued', 'queued', 'flooding', 'flooding', 'flooding']);
    expect(await inbox.ingest({ channel: 't', id: 'b1', body: {} }, { user: 'calm', text: 'halo' })).toBe('queued');
    expect(await inbox.ingest({ channel: 't', id: 'a9', body: {} }, { user: 'flooder', text: 'tolong' })).toBe('queued');
    const got: { id: string; flood?: boolean }[] = [];
    await inbox.start(async (d) => void got.push({ id: d.id, ...(d.flood ? { flood: true } : {}) }));
    await expect.poll(() => got.length).toBe(8);
    await inbox.stop();
    expect(got.filter((d) => d.flood)).toEqual([{ id: 'a6', flood: true }]);
    expect(got.map((d) => d.id).sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a9', 'b1']);
    // No key names the sender.
    const names = await redis.keys(`${prefix}:h:*`);
    expect(names.filter((k) => k.includes('flooder'))).toEqual([]);
  });
  describe('straight from a webhook (direct)', () => {
    it('a delivery marked direct is handled before ingest returns, with the flood limit to count it against, and never stored', async () => {
      const keys = keyspace(`${prefix}:i`);
      const inbox = new Inbox({ redis, keys, cipher, flood: { limit: 5, windowS: 10, silenceS: 60 } });
      const queued: string[] = [];
      await inbox.start(async (d) => void queued.push(d.id));
      const direct: { id: string; limit?: number }[] = [];
      inbox.direct(async (d, ctx) => {
        direct.push({ id: d.id, limit: ctx.count?.limit });
        return d.id === 'seen' ? 'duplicate' : 'handled';
      });
      expect(await inbox.ingest({ channel: 't', id: '1', body: {} }, { user: 'u1', text: 'halo', direct: true })).toBe('handled');
      expect(await inbox.ingest({ channel: 't', id: 'seen', body: {} }, { user: 'u1', text: 'halo', direct: true })).toBe('duplicate');
      // A plea and a button are never counted; a delivery not marked direct (a picture) is queued.
      expect(await inbox.ingest({ channel: 't', id: '2', body: {} }, { user: 'u2', text: 'tolong', direct: true })).toBe('handled');
      expect(await inbox.ingest({ channel: 't', id: '3', body: {} }, { user: 'u3', count: false, direct: true })).toBe('handled');
      expect(await inbox.ingest({ channel: 't', id: '4', body: {} }, { user: 'u4', text: 'foto' })).toBe('queued');
      expect(direct).toEqual([{ id: '1', limit: 5 }, { id: 'seen', limit: 5 }, { id: '2' }, { id: '3' }]);
      await expect.poll(() => queued).toEqual(['4']);
      await inbox.stop();
      // Only the queued one left a seen-mark: those handled directly are recognised by their session.
      expect(await redis.keys(`${prefix}:i:*seen*`)).toHaveLength(1);
    });

    it('a delivery that cannot be handled now goes into the inbox and is handled from there; its sender’s next ones follow it there, in order', async () => {
      const keys = keyspace(`${prefix}:j`);
      const { RetryLater } = await import('../../src/conversation/inbox.js');
      const inbox = new Inbox({ redis, keys, cipher, order: (d) => Number(d.id) });
      const queued: string[] = [];
      await inbox.start(async (d) => void queued.push(d.id));
      const direct: string[] = [];
      inbox.direct(async (d) => {
        if (d.id === '1') throw new RetryLater('lock busy');
        direct.push(d.id);
        return 'handled';
      });
      expect(await inbox.ingest({ channel: 't', id: '1', body: {} }, { user: 'u1', text: 'a', direct: true })).toBe('queued');
      expect(await inbox.ingest({ channel: 't', id: '2', body: {} }, { user: 'u1', text: 'b', direct: true })).toBe('queued');
      expect(await inbox.ingest({ channel: 't', id: '3', body: {} }, { user: 'u2', text: 'c', direct: true })).toBe('handled');
      await expect.poll(() => queued).toEqual(['1', '2']);
      expect(direct).toEqual(['3']);
      await inbox.stop();
      expect(await inbox.pending()).toBe(0);
    });

    it('a sender whose message went into the inbox in one process has their next one put there in another process too, not handled ahead of it', async () => {
      const keys = keyspace(`${prefix}:x`);
      const { RetryLater } = await import('../../src/conversation/inbox.js');
      const { RedisSessionStore } = await import('../../src/store/sessions.js');
      const { newSession } = await import('../../src/engine/types.js');
      const viaInbox: string[] = [];
      const direct: string[] = [];
      // Two processes: each its own connection, inbox and session store, sharing Redis.
      const process = async (busy: Set<string>) => {
        const conn = await connectRedis(REDIS_URL);
        const store = new RedisSessionStore(conn, keys, cipher);
        const inbox = new Inbox({ redis: conn, keys, cipher });
        await inbox.start(async (d) => void viaInbox.push(d.id));
        inbox.direct(async (d) => {
          if (busy.has(d.id)) throw new RetryLater('lock busy');
          const user = `t:${(d.body as { user: string }).user}`;
          const claim = await store.begin(user, d.id, `lease-${d.id}`, 5000, { behind: true });
          if (!claim || 'behind' in claim || 'over' in claim) throw new RetryLater('not now');
          await store.commit(user, claim.lease, d.id, newSession(0));
          direct.push(d.id);
          return 'handled';
        });
        return { conn, inbox };
      };
      const a = await process(new Set(['1']));
      const b = await process(new Set());
      expect(await a.inbox.ingest({ channel: 't', id: '1', body: { user: 'u1' } }, { user: 'u1', text: 'a', direct: true })).toBe('queued');
      expect(await b.inbox.ingest({ channel: 't', id: '2', body: { user: 'u1' } }, { user: 'u1', text: 'b', direct: true })).toBe('queued');
      expect(await b.inbox.ingest({ channel: 't', id: '3', body: { user: 'u2' } }, { user: 'u2', text: 'c', direct: true })).toBe('handled');
      await expect.poll(() => [...viaInbox].sort()).toEqual(['1', '2']);
      expect(direct).toEqual(['3']);
      for (const p of [a, b]) {
        await p.inbox.stop();
        p.conn.disconnect();
      }
    });

    it('a delivery whose handling takes longer than the platform should wait is stored too and answered queued; the handling goes on', async () => {
      const keys = keyspace(`${prefix}:l`);
      const inbox = new Inbox({ redis, keys, cipher, directWaitMs: 100 });
      const queued: string[] = [];
      await inbox.start(async (d) => void queued.push(d.id));
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const storedWhenDone: boolean[] = [];
      inbox.direct(async (_d, ctx) => {
        await held;
        storedWhenDone.push(ctx.stored());
        return 'handled';
      });
      expect(await inbox.ingest({ channel: 't', id: '1', body: {} }, { user: 'u1', direct: true })).toBe('queued');
      await expect.poll(() => queued).toEqual(['1']);
      release();
      await expect.poll(() => storedWhenDone).toEqual([true]);
      await inbox.stop();
    });

    it('past the number handled at once, deliveries go into the inbox; a handler that fails outright is logged, not queued again', async () => {
      const keys = keyspace(`${prefix}:k`);
      const inbox = new Inbox({ redis, keys, cipher });
      const queued: string[] = [];
      await inbox.start(async (d) => void queued.push(d.id));
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      inbox.direct(async (d) => {
        if (d.id === 'bug') throw new Error('a bug');
        await held;
        return 'handled';
      }, 2);
      const first = [inbox.ingest({ channel: 't', id: '1', body: {} }, { user: 'u1', direct: true }), inbox.ingest({ channel: 't', id: '2', body: {} }, { user: 'u2', direct: true })];
      expect(await inbox.ingest({ channel: 't', id: '3', body: {} }, { user: 'u3', direct: true })).toBe('queued');
      release();
      expect(await Promise.all(first)).toEqual(['handled', 'handled']);
      expect(await inbox.ingest({ channel: 't', id: 'bug', body: {} }, { user: 'u4', direct: true })).toBe('handled');
      await expect.poll(() => queued).toEqual(['3']);
      await inbox.stop();
    });
  });
});
