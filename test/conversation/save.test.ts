// A turn's replies and its session are saved together: in one script on a single Redis, or queued
// first and saved second where the store cannot combine them (Redis Cluster). Real Redis, a recording
// platform behind the outbox.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ChannelSender, SendResult } from '../../src/channels/port.js';
import type { Outbound } from '../../src/content/render.js';
import { defineEffect, EFFECTS } from '../../src/conversation/effects.js';
import { ConversationService, type Inbound } from '../../src/conversation/service.js';
import { RedisOutbox } from '../../src/outbox/outbox.js';
import { DataCipher } from '../../src/store/cipher.js';
import { keyspace } from '../../src/store/keys.js';
import { connectRedis } from '../../src/store/redis.js';
import type { SessionStore } from '../../src/store/sessions.js';
import { bundleFrom, WORLD } from '../helpers/bundle.js';
import { contentFor } from '../helpers/content.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { redisStores, TEST_CIPHER } from '../helpers/stores.js';

const FLOW = `
spec_version: 1
id: main
start: ask
steps:
  ask: { type: input, say: [c.ask], input: { type: text, store: last }, next: work }
  work: { type: effect, effect: slow, args: { last: "$last" }, outcomes: { ok: told } }
  told: { type: say, say: [c.done], next: ask }
`;
const content = contentFor(bundleFrom({ ...WORLD, main: FLOW }));

class Platform implements ChannelSender {
  readonly name = 'test';
  readonly limits = { perSecond: 1000, perChatPerSecond: 1000, perChatBurst: 10 };
  readonly sent: { to: string; text: string }[] = [];
  render(m: Outbound): unknown[] {
    return [{ text: m.text }];
  }
  async send(to: string, message: string, hooks?: { written(): void }): Promise<SendResult> {
    hooks?.written();
    this.sent.push({ to, text: (JSON.parse(message) as { text: string }).text });
    return { ok: true };
  }
}

describe('saving a turn', () => {
  let redis: Redis;
  const prefix = testPrefix('save');
  let n = 0;
  const msg = (user: string, text: string): Inbound => ({ channel: 'test', userId: user, messageId: `m${++n}`, text, langHint: 'id' });
  let gate: Promise<void> = Promise.resolve();
  const slow = defineEffect({
    name: 'slow',
    outcomes: ['ok'],
    args: z.object({ last: z.string().nullable() }).strict(),
    async run() {
      await gate;
      return { outcome: 'ok' };
    },
  });

  function setup(sessions?: (s: SessionStore) => SessionStore) {
    const p = `${prefix}:${++n}`;
    const stores = redisStores(redis, p);
    const platform = new Platform();
    const outbox = new RedisOutbox({ redis, keys: keyspace(p), channels: [platform], render: (l, r) => content.renderer.reply(l, r), cipher: DataCipher.throwaway(), idlePollMs: 20 });
    const service = new ConversationService({ sessions: sessions ? sessions(stores.sessions) : stores.sessions, recruiters: stores.recruiters, content, effects: { ...EFFECTS, slow }, outbox });
    return { p, platform, outbox, service, sessions: stores.sessions };
  }

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('a run that lost its lock (it took too long) queues no reply and saves nothing, and is to be handled again', async () => {
    const { p, outbox, service } = setup();
    await outbox.start();
    await service.handle(msg('late', 'halo'));
    await service.handle(msg('late', 'agree'));
    const before = await redis.get(`${p}:session:{test:late}`);
    const queuedBefore = (await outbox.counts()).test!.queued;
    let release!: () => void;
    gate = new Promise((r) => (release = r));
    const handling = service.handle(msg('late', 'an answer'));
    await new Promise((r) => setTimeout(r, 50));
    // Another process took the lock over meanwhile.
    await redis.set(`${p}:lock:{test:late}`, 'someone-else');
    release();
    const handled = await handling;
    expect(handled).toMatchObject({ ok: false, retry: true });
    expect((await outbox.counts()).test!.queued).toBe(queuedBefore);
    expect(await redis.get(`${p}:session:{test:late}`)).toBe(before);
    await outbox.stop(0);
  });

  it('where the store cannot save replies and session in one script, the replies are queued, then the session saved', async () => {
    // A session store without commitWith, as on Redis Cluster.
    const { p, platform, outbox, service } = setup((s) => ({
      begin: s.begin.bind(s),
      commit: s.commit.bind(s),
      release: s.release.bind(s),
      askSafety: s.askSafety.bind(s),
      forgetUser: s.forgetUser.bind(s),
    }));
    await outbox.start();
    for (const text of ['halo', 'agree', 'first answer']) expect((await service.handle(msg('split', text))).ok).toBe(true);
    await expect.poll(() => platform.sent.filter((s) => s.to === 'split').map((s) => s.text).at(-1)).toContain('id:c.done');
    expect(TEST_CIPHER.open((await redis.get(`${p}:session:{test:split}`))!)).toContain('"step":"ask"');
    await outbox.stop(0);
  });

  it('there, replies the outbox refuses leave the session unsaved, and a save that fails after them sends nothing twice: the message handled again is answered once', async () => {
    const { p, platform, outbox, service } = setup((s) => ({
      begin: s.begin.bind(s),
      commit: async (...a: Parameters<SessionStore['commit']>) => {
        if (failSave) {
          failSave = false;
          throw new Error('Connection is closed.');
        }
        return s.commit(...a);
      },
      release: s.release.bind(s),
      askSafety: s.askSafety.bind(s),
      forgetUser: s.forgetUser.bind(s),
    }));
    let failSave = false;
    let failQueue = false;
    const enqueue = outbox.enqueue.bind(outbox);
    outbox.enqueue = async (prepared) => {
      if (failQueue) {
        failQueue = false;
        throw new Error('Connection is closed.');
      }
      return enqueue(prepared);
    };
    await outbox.start();
    for (const text of ['halo', 'agree']) expect((await service.handle(msg('again', text))).ok).toBe(true);
    const saved = () => redis.get(`${p}:session:{test:again}`);
    const answers = () => platform.sent.filter((s) => s.to === 'again' && s.text.includes('c.done')).length;
    // The outbox refuses: nothing saved, to be handled again.
    const first = msg('again', 'an answer');
    const before = await saved();
    failQueue = true;
    expect(await service.handle(first)).toMatchObject({ ok: false, unavailable: true, retry: true });
    expect(await saved()).toBe(before);
    // Handled again, the replies are queued and the save fails: still to be handled again.
    failSave = true;
    expect(await service.handle(first)).toMatchObject({ ok: false, unavailable: true, retry: true });
    expect(await saved()).toBe(before);
    // The third time it is saved; the replies queued the second time are the ones sent, once.
    expect((await service.handle(first)).ok).toBe(true);
    expect(await saved()).not.toBe(before);
    await expect.poll(answers).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(answers()).toBe(1);
    await outbox.stop(0);
  });
});
