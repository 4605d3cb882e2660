// Replies survive the server being killed: real processes, real signals, real Redis, and the fake Bot
// API enforcing Telegram's limits strictly (30 messages in any second, one a second per chat, 429
// with retry_after above them). Every accepted message is answered exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { DATA_KEY, dropPrefix, plainRedis, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { SECRET, TOKEN, textUpdate } from '../helpers/telegram.js';

const content = loadContent();
const EMERGENCY = content.texts.t('id', 'emergency.intro');
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('the outbox when the server is killed', () => {
  let fake: FakeTelegram;
  const prefixes: string[] = [];
  const servers: ServerProcess[] = [];
  let base = 300_000;

  beforeAll(async () => {
    fake = await startFakeTelegram({ token: TOKEN, globalPerSecond: 30, perChatPerSecond: 1, strict: true });
  });
  afterAll(async () => {
    for (const s of servers) s.kill('SIGKILL');
    await fake.close();
    const r = plainRedis();
    for (const p of prefixes) await dropPrefix(r, p);
    r.disconnect();
  });

  function env(prefix: string, extra: Record<string, string> = {}) {
    return {
      REDIS_URL,
      REDIS_PREFIX: prefix,
      HASH_SECRET: 'crash-hash-secret-0123456789',
      DATA_ENCRYPTION_KEY: DATA_KEY,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      ...extra,
    };
  }

  async function start(prefix: string, extra: Record<string, string> = {}) {
    const s = await startServerProcess(env(prefix, extra));
    servers.push(s);
    return s;
  }

  /** One update per user, kept: Telegram delivers the same update again until it gets a 200. */
  const updates = new Map<number, ReturnType<typeof textUpdate>>();
  const post = (s: ServerProcess, user: number, text: string) => {
    if (!updates.has(user)) updates.set(user, textUpdate(user, text));
    return fetch(`${s.url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(updates.get(user)),
    }).then(
      (r) => r.status,
      () => 0,
    );
  };

  const users = (n: number) => Array.from({ length: n }, () => ++base);
  const sentTo = (list: number[]) => list.reduce((a, u) => a + fake.sent(u).length, 0);

  /** Every user got exactly one message, the emergency reply; nothing more arrives after a pause. */
  async function answeredOnce(list: number[], timeoutMs = 40_000) {
    await fake.waitFor(() => list.every((u) => fake.sent(u).length >= 1), timeoutMs);
    // Longer than a lease: a message that would be sent twice has had its chance.
    await new Promise((r) => setTimeout(r, 2500));
    const wrong = list.filter((u) => fake.sent(u).length !== 1 || !unescape(fake.sent(u)[0].text).includes(EMERGENCY));
    expect(wrong).toEqual([]);
  }

  async function health(s: ServerProcess) {
    return (await (await fetch(`${s.url}/healthz`)).json()) as { channels: { telegram: { outbox: Record<string, number> } } };
  }

  it.each([
    ['after taking a message and before sending it: the next process sends it, once', 'claimed', 'reclaimed'],
    ['after Telegram took a message and before that was recorded: the next process does not send it again', 'answered', 'in_doubt'],
  ])('killed (kill -9) %s', async (_what, point, counter) => {
    const prefix = testPrefix(`crash-${point}`);
    prefixes.push(prefix);
    const doomed = await start(prefix, { WASPADA_TEST_KILL: `${point}:5` });
    const list = users(20);
    const statuses = [];
    for (const u of list) statuses.push(await post(doomed, u, 'tolong'));
    expect(await doomed.exited).toBeNull();
    expect(sentTo(list)).toBeLessThan(20);
    const heir = await start(prefix);
    // Updates the dead process never answered are delivered again, as Telegram does.
    for (const [i, u] of list.entries()) if (statuses[i] !== 200) expect(await post(heir, u, 'tolong')).toBe(200);
    await answeredOnce(list);
    expect((await health(heir)).channels.telegram.outbox).toMatchObject({ [counter]: 1, pending: 0 });
    heir.kill('SIGTERM');
    expect(await heir.exited).toBe(0);
    // A dead sender's lease must run out before its message is taken back: most of the time here.
  }, 60_000);

  it('killed (kill -9) the moment Telegram receives a message: the next process does not send it again', async () => {
    const prefix = testPrefix('crash-received');
    prefixes.push(prefix);
    const doomed = await start(prefix);
    const list = users(8);
    // The signal comes from outside, as soon as the message's bytes arrive: the sender has had no time
    // to record anything after writing them.
    const off = fake.onSend(list[4]!, () => doomed.kill('SIGKILL'));
    const statuses = [];
    for (const u of list) statuses.push(await post(doomed, u, 'tolong'));
    expect(await doomed.exited).toBeNull();
    off();
    const heir = await start(prefix);
    for (const [i, u] of list.entries()) if (statuses[i] !== 200) expect(await post(heir, u, 'tolong')).toBe(200);
    await answeredOnce(list);
  }, 60_000);

  it('kill -9 in the middle of sending 300 replies: after a restart each is answered exactly once', async () => {
    const prefix = testPrefix('crash-load');
    prefixes.push(prefix);
    const first = await start(prefix);
    const list = users(300);
    const statuses = await Promise.all(list.map((u) => post(first, u, 'tolong')));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await fake.waitFor(() => sentTo(list) >= 40, 20_000);
    first.kill('SIGKILL');
    await first.exited;
    const before = sentTo(list);
    expect(before).toBeLessThan(300);
    await start(prefix);
    await answeredOnce(list, 60_000);
  }, 90_000);

  it('a deploy (SIGTERM) in the middle of sending: the process stops within its time, the next one finishes, nothing lost or doubled', async () => {
    const prefix = testPrefix('crash-term');
    prefixes.push(prefix);
    const first = await start(prefix);
    const list = users(400);
    const statuses = await Promise.all(list.map((u) => post(first, u, 'tolong')));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await fake.waitFor(() => sentTo(list) >= 30, 20_000);
    first.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // It drained what it could in its time (about 8 s at 30 a second) and left the rest queued.
    expect(sentTo(list)).toBeLessThan(400);
    await start(prefix);
    await answeredOnce(list, 60_000);
  }, 90_000);
});
