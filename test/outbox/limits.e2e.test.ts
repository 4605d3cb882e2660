// The outbox against Telegram's limits, through whole server processes sharing one Redis, and its
// proactive port: the fake Bot API enforces 30 messages in any second and one a second per chat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { DATA_KEY, dropPrefix, plainRedis, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { SECRET, startHarness, TOKEN, textUpdate, unescape } from '../helpers/telegram.js';
import { startFake } from '../../bench/outbox.js';
import { SECRET as BENCH_SECRET, TOKEN as BENCH_TOKEN } from '../../bench/waspada-env.js';

const content = loadContent();
const t = (key: string) => content.texts.t('id', key);

/** Two server processes sharing one Redis prefix, talking to the fake Bot API at `apiRoot`. */
async function startPair(prefix: string, apiRoot: string, token: string, secret: string) {
  const env = {
    REDIS_URL,
    REDIS_PREFIX: prefix,
    HASH_SECRET: 'limits-hash-secret-0123456789',
    DATA_ENCRYPTION_KEY: DATA_KEY,
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_WEBHOOK_SECRET: secret,
    TELEGRAM_API_ROOT: apiRoot,
  };
  const servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  return {
    servers,
    /** Posts an update to a server's webhook; its HTTP status. */
    post: (s: ServerProcess, update: unknown) =>
      fetch(`${s.url}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify(update),
      }).then((r) => r.status),
    async stop() {
      for (const s of servers) s.kill('SIGTERM');
      await Promise.all(servers.map((s) => s.exited));
      const r = plainRedis();
      await dropPrefix(r, prefix);
      r.disconnect();
    },
  };
}

// The rate is judged where the messages arrive: the fake Bot API runs in a process of its own (as in
// `npm run bench -- outbox`). In this test's process its clock would read late whenever this process is
// busy (posting 240 updates, collecting answers) and see messages sent 34 ms apart arrive bunched.
describe('two server processes and Telegram’s limits, judged by a fake in a process of its own', () => {
  let fake: Awaited<ReturnType<typeof startFake>>;
  let pair: Awaited<ReturnType<typeof startPair>>;

  beforeAll(async () => {
    fake = await startFake();
    pair = await startPair(testPrefix('limitsrate'), fake.apiRoot, BENCH_TOKEN, BENCH_SECRET);
  });
  afterAll(async () => {
    await pair.stop();
    fake.child.kill('SIGTERM');
  });

  it('together they stay within 30 messages a second: no 429 after the first second, every reply once', async () => {
    const { servers } = pair;
    const post = (server: ServerProcess, u: number) => pair.post(server, textUpdate(u, '/start'));
    // As in service: each server has answered someone, and has loaded what it loads once it listens
    // (the job-offer checker, a few hundred ms of work a freshly started process does at once).
    const warm = [409_990, 409_991];
    await Promise.all(warm.map((u, i) => post(servers[i]!, u)));
    await expect.poll(() => warm.every((u) => fake.sends.some((c) => c.chat === String(u) && c.status === 200)), { timeout: 15_000, interval: 50 }).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    const users = Array.from({ length: 240 }, (_, i) => 410_000 + i);
    const statuses = await Promise.all(users.map((u, i) => post(servers[i % 2]!, u)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const okTo = (u: number) => fake.sends.filter((c) => c.chat === String(u) && c.status === 200).length;
    await expect.poll(() => users.every((u) => okTo(u) >= 1), { timeout: 30_000, interval: 100 }).toBe(true);
    // A moment for any second copy to show (there must be none).
    await new Promise((r) => setTimeout(r, 500));
    expect(users.filter((u) => okTo(u) !== 1)).toEqual([]);
    const burst = fake.sends.filter((c) => !warm.includes(Number(c.chat)));
    const first = Math.min(...burst.map((c) => c.at));
    expect(burst.filter((c) => c.status === 429 && c.at > first + 1000)).toEqual([]);
    const ok = burst.filter((c) => c.status === 200).map((c) => c.at);
    for (const at of ok) expect(ok.filter((x) => x >= at && x < at + 1000).length).toBeLessThanOrEqual(30);
  }, 60_000);
});

describe('two server processes and Telegram’s limits', () => {
  let fake: FakeTelegram;
  const prefix = testPrefix('limits');
  const servers: ServerProcess[] = [];
  let pair: Awaited<ReturnType<typeof startPair>>;

  beforeAll(async () => {
    fake = await startFakeTelegram({ token: TOKEN, globalPerSecond: 30, perChatPerSecond: 1, strict: true });
    pair = await startPair(prefix, fake.apiRoot, TOKEN, SECRET);
    servers.push(...pair.servers);
  });
  afterAll(async () => {
    await pair.stop();
    await fake.close();
  });

  const post = (s: ServerProcess, update: unknown) => pair.post(s, update);

  it('a plea for help is answered before the replies already waiting for hundreds of others', async () => {
    fake.reset();
    const crowd = Array.from({ length: 400 }, (_, i) => 420_000 + i);
    await Promise.all(crowd.map((u, i) => post(servers[i % 2]!, textUpdate(u, '/start'))));
    // Every /start handled: their answers wait in the outbox (about 13 s of them at 30 a second).
    const r = plainRedis();
    await expect.poll(() => r.xlen(`${prefix}:{inbox}:stream`), { timeout: 20_000 }).toBe(0);
    r.disconnect();
    const asking = 429_999;
    expect(await post(servers[0]!, textUpdate(asking, 'tolong, paspor saya ditahan'))).toBe(200);
    const askedAt = Date.now();
    await fake.waitFor(() => fake.sent(asking).length === 1, 10_000);
    expect(unescape(fake.sent(asking)[0].text)).toContain(t('emergency.intro'));
    const answer = fake.calls.find((c) => c.method === 'sendMessage' && c.status === 200 && String(c.body.chat_id) === String(asking))!;
    // Only the messages already in flight went before it, not the hundreds still waiting.
    const overtaken = fake.calls.filter((c) => c.method === 'sendMessage' && c.status === 200 && c.at >= askedAt && c.at < answer.at);
    expect(overtaken.length).toBeLessThanOrEqual(5);
    expect(crowd.filter((u) => fake.sent(u).length === 0).length).toBeGreaterThan(200);
  }, 60_000);
});

describe('the outbox through one server', () => {
  it('a 429 storm (every message refused for seconds) loses nothing and doubles nothing', async () => {
    const h = await startHarness({ TELEGRAM_RATE_PER_CHAT: '1', TELEGRAM_RATE_GLOBAL: '30' });
    try {
      const users = Array.from({ length: 40 }, (_, i) => 430_000 + i);
      h.fake.failFor('sendMessage', 4000, { code: 429, retryAfter: 1 });
      await Promise.all(users.map((u) => h.post(textUpdate(u, 'tolong'))));
      await h.fake.waitFor(() => users.every((u) => h.fake.sent(u).length >= 1), 30_000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(users.filter((u) => h.fake.sent(u).length !== 1)).toEqual([]);
      const counts = (await h.app.outbox.counts()).telegram!;
      expect(counts.rate_limited).toBeGreaterThan(40);
      expect(counts).toMatchObject({ sent: 40, failed: 0, expired: 0, pending: 0 });
    } finally {
      await h.close();
    }
  }, 60_000);

  it('delivers a message nobody asked for just now (a status push) to a person who never wrote, once per key', async () => {
    const h = await startHarness();
    try {
      const to = { channel: 'telegram', user: '440001' };
      const push = [{ lang: 'id' as const, reply: { say: [{ key: 'emergency.intro' }] } }];
      expect(await h.app.outbox.deliver(to, push, { key: 'case-1:stage-2', priority: 'reply' })).toBe('queued');
      expect(await h.app.outbox.deliver(to, push, { key: 'case-1:stage-2', priority: 'reply' })).toBe('duplicate');
      expect((await h.until(440001, 1))[0]).toBe(t('emergency.intro'));
      await new Promise((r) => setTimeout(r, 300));
      expect(h.texts(440001)).toHaveLength(1);
      // Someone who blocked the bot gets no push; their waiting messages are dropped, not retried.
      h.fake.blockChat(440002);
      const gone = { channel: 'telegram', user: '440002' };
      expect(await h.app.outbox.deliver(gone, push, { key: 'case-2:stage-1' })).toBe('queued');
      await expect.poll(async () => (await h.app.outbox.counts()).telegram!.gone).toBe(1);
      expect(await h.app.outbox.deliver(gone, push, { key: 'case-2:stage-2' })).toBe('gone');
    } finally {
      await h.close();
    }
  });
});
