// After an erasure, Redis is asked to rewrite its append-only file, at most once per interval, and
// only when it keeps one.
import { readdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { keyspace } from '../../src/store/keys.js';
import { startAofRewrites } from '../../src/store/maintenance.js';
import { PrivateRedis } from '../helpers/redis-server.js';

const rewritesDone = async (r: Redis) => Number(/aof_rewrites:(\d+)/.exec(await r.info('persistence'))?.[1] ?? 0);
const idle = async (r: Redis) => {
  for (let i = 0; i < 200; i++) {
    const info = await r.info('persistence');
    if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) return;
    await new Promise((res) => setTimeout(res, 50));
  }
};

describe('append-only file rewrites after an erasure', () => {
  it('asks nothing of a Redis that keeps no append-only file (it would write one), and forgets the request', async () => {
    const server = await PrivateRedis.start({ appendonly: false });
    const r = new Redis(server.url);
    const keys = keyspace('waspada-aof');
    await r.set(keys.aofRewritePending, '1');
    const rewrites = startAofRewrites(r, keys, 60_000);
    try {
      expect(await rewrites.check()).toBe(false);
      expect(await r.exists(keys.aofRewritePending)).toBe(0);
      await new Promise((res) => setTimeout(res, 300));
      expect(readdirSync(server.dir)).toEqual([]);
    } finally {
      rewrites.stop();
      r.disconnect();
      await server.stop();
    }
  });

  it('rewrites once per erasure, and not again within the interval however many erasures follow', async () => {
    const server = await PrivateRedis.start();
    const r = new Redis(server.url);
    const keys = keyspace('waspada-aof');
    const rewrites = startAofRewrites(r, keys, 60_000);
    try {
      expect(await rewrites.check()).toBe(false); // nothing erased yet
      await r.set(keys.aofRewritePending, '1');
      const before = await rewritesDone(r);
      expect(await rewrites.check()).toBe(true);
      await idle(r);
      expect(await rewritesDone(r)).toBe(before + 1);
      await r.set(keys.aofRewritePending, '1');
      expect(await rewrites.check()).toBe(false); // within the interval: it waits
      expect(await r.exists(keys.aofRewritePending)).toBe(1); // and is still wanted
      await r.del(keys.aofRewriteLast); // the interval has passed
      expect(await rewrites.check()).toBe(true);
      await idle(r);
      expect(await rewritesDone(r)).toBe(before + 2);
    } finally {
      rewrites.stop();
      r.disconnect();
      await server.stop();
    }
  });
});
