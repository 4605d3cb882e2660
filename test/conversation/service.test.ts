import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEffect, EFFECTS } from '../../src/conversation/effects.js';
import { ConversationService, MAX_TEXT, type Inbound } from '../../src/conversation/service.js';
import { connectRedis } from '../../src/store/redis.js';
import { bundleFrom, WORLD } from '../helpers/bundle.js';
import { contentFor } from '../helpers/content.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { PrivateRedis } from '../helpers/redis-server.js';
import { redisStores } from '../helpers/stores.js';

const COUNTER = `
spec_version: 1
id: main
start: ask
steps:
  ask: { type: input, say: [c.ask], input: { type: text, store: last, max: 30000 }, next: tick }
  tick: { type: effect, effect: tick, args: { n: "$tick.n", last: "$last" }, store: tick, outcomes: { ok: told, error: "@end" } }
  told: { type: say, say: [{ key: c.n, vars: { n: "$tick.n", len: "$tick.len" } }], next: ask }
`;
const content = contentFor(bundleFrom({ ...WORLD, main: COUNTER }));
const seenByTick: string[] = [];
const tick = defineEffect({
  name: 'tick',
  outcomes: ['ok', 'error'],
  args: z.object({ n: z.number().nullable(), last: z.string().nullable() }).strict(),
  async run(_ctx, args) {
    seenByTick.push(String(args.last));
    // A little real work between load and save widens the window in which a lost update would show.
    await new Promise((r) => setImmediate(r));
    return { outcome: 'ok', data: { n: (args.n ?? 0) + 1, len: (args.last ?? '').length } };
  },
});
const effects = { ...EFFECTS, tick };

let n = 0;
/** The first part of the first message (what a step said before the next question joined it). */
const first = (r: { replies: { text: string }[] }) => r.replies[0]!.text.split('\n\n')[0];
const msg = (user: string, text: string, extra: Partial<Inbound> = {}): Inbound => ({ channel: 'test', userId: user, messageId: `m${++n}`, text, langHint: 'id', ...extra });

describe('conversation service on Redis', () => {
  let redis: Redis;
  let prefix: string;
  let service: ConversationService;
  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    prefix = testPrefix('service');
    service = new ConversationService({ ...redisStores(redis, prefix), content, effects });
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  async function onboard(svc: ConversationService, user: string) {
    await svc.handle(msg(user, 'halo'));
    const r = await svc.handle(msg(user, 'agree'));
    expect(r.replies.at(-1)!.text.endsWith('id:c.ask')).toBe(true);
  }

  it('a replayed message is answered once', async () => {
    await onboard(service, 'replay');
    const m = msg('replay', 'first');
    const a = await service.handle(m);
    const b = await service.handle({ ...m });
    expect(a.replies.map((r) => r.text)).toEqual(['id:c.n{"n":1,"len":5}\n\nid:c.ask']);
    expect(b).toMatchObject({ duplicate: true, replies: [] });
    const c = await service.handle(msg('replay', 'second'));
    expect(first(c)).toBe('id:c.n{"n":2,"len":6}');
  });

  it('messages of one user sent at once are handled in arrival order, never interleaved', async () => {
    await onboard(service, 'order');
    seenByTick.length = 0;
    const texts = Array.from({ length: 12 }, (_, i) => `pesan ${i}`);
    const results = await Promise.all(texts.map((t) => service.handle(msg('order', t))));
    expect(seenByTick).toEqual(texts);
    expect(results.map(first)).toEqual(texts.map((t, i) => `id:c.n{"n":${i + 1},"len":${t.length}}`));
  });

  it('two processes sharing Redis never lose an update of the same user', async () => {
    const other = new ConversationService({ ...redisStores(await connectRedis(REDIS_URL), prefix), content, effects });
    await onboard(service, 'shared');
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? service : other).handle(msg('shared', `x${i}`))));
    const last = await service.handle(msg('shared', 'final'));
    expect(first(last)).toBe('id:c.n{"n":21,"len":5}');
  });

  it('many users at once each keep their own conversation', async () => {
    const users = Array.from({ length: 50 }, (_, i) => `many-${i}`);
    await Promise.all(users.map((u) => onboard(service, u)));
    const out = await Promise.all(users.map((u) => service.handle(msg(u, u))));
    out.forEach((r, i) => expect(first(r)).toBe(`id:c.n{"n":1,"len":${users[i]!.length}}`));
  });

  it('text longer than the limit is cut, binary garbage is removed, and the message is still handled', async () => {
    await onboard(service, 'big');
    const r = await service.handle(msg('big', 'a'.repeat(MAX_TEXT + 5000)));
    expect(first(r)).toBe(`id:c.n{"n":1,"len":${MAX_TEXT}}`);
    const bin = await service.handle(msg('big', 'ab\u0000\u0001\u0007c\uD800d'));
    expect(first(bin)).toBe('id:c.n{"n":2,"len":5}');
  });

  it('"delete my data" erases the stored session in Redis', async () => {
    await onboard(service, 'forgetme');
    expect(await redis.exists(`${prefix}:session:{test:forgetme}`)).toBe(1);
    await service.handle(msg('forgetme', 'hapus data'));
    const r = await service.handle(msg('forgetme', 'yes'));
    expect(r.replies.map((x) => x.text)).toEqual(['id:f.done']);
    expect(await redis.exists(`${prefix}:session:{test:forgetme}`)).toBe(0);
    expect((await service.handle(msg('forgetme', 'halo'))).replies[0]!.text).toBe('id:w.privacy');
  });

  it('a button press reaches the engine with its turn, and a stale one is recognised', async () => {
    await service.handle(msg('buttons', 'halo'));
    const r = await service.handle(msg('buttons', '', { text: undefined, choice: { id: 'agree', turn: 0 } }));
    expect(r.replies.map((x) => x.text)).toEqual(['id:engine.stale\n\nid:w.privacy']);
    const turn = r.replies[0]!.turn;
    const ok = await service.handle(msg('buttons', '', { text: undefined, choice: { id: 'agree', turn } }));
    expect(ok.replies.at(-1)!.text.endsWith('id:c.ask')).toBe(true);
  });
});

describe('conversation service when Redis goes away', () => {
  let server: PrivateRedis;
  beforeAll(async () => {
    server = await PrivateRedis.start();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('tells the user to try again while Redis is down, stays up, and carries on once Redis is back', async () => {
    const redis = await connectRedis(server.url);
    const service = new ConversationService({ ...redisStores(redis, 'w'), content, effects });
    await service.handle(msg('down', 'halo'));
    await service.handle(msg('down', 'agree'));
    await server.kill();
    const r = await service.handle(msg('down', 'while down'));
    expect(r).toMatchObject({ ok: false, replies: [{ text: 'id:conversation.try_again' }] });
    await server.start();
    await new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
    const back = await service.handle(msg('down', 'after'));
    expect(first(back)).toBe('id:c.n{"n":1,"len":5}');
    redis.disconnect();
  });

  it('nothing is half-written when Redis dies in the middle of a message, and the re-delivery is handled in full', async () => {
    const redis = await connectRedis(server.url);
    let killNext = false;
    const killer = defineEffect({
      ...tick,
      async run(ctx, args) {
        if (killNext) {
          killNext = false;
          await server.kill();
        }
        return tick.run(ctx, args);
      },
    });
    const service = new ConversationService({ ...redisStores(redis, 'half'), content, effects: { ...EFFECTS, tick: killer } });
    await service.handle(msg('half', 'halo'));
    await service.handle(msg('half', 'agree'));
    await service.handle(msg('half', 'one'));
    const before = await redis.get('half:session:{test:half}');
    killNext = true;
    const m = msg('half', 'two');
    const r = await service.handle(m);
    expect(r.ok).toBe(false);
    await server.start();
    await new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
    expect(await redis.get('half:session:{test:half}')).toBe(before);
    expect(await redis.exists(`half:seen:{test:half}:${m.messageId}`)).toBe(0);
    const again = await service.handle(m);
    expect(first(again)).toBe('id:c.n{"n":2,"len":3}');
    redis.disconnect();
  });
});
