// 10,000 generated updates posted with the right secret to a server process: well-formed ones of every
// kind and hostile ones (ids that are not ids, texts that are not texts, deep nesting, broken JSON,
// unknown kinds). None may get a 5xx or crash the server, nothing may be sent to an id that is not a
// chat id, and memory must settle back.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { DATA_KEY, dropPrefix, plainRedis, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { PRODUCTION_NODE_OPTIONS, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { SECRET, TOKEN } from '../helpers/telegram.js';

/** A small seeded generator (mulberry32): the same run every time. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}

const TEXTS = ['/start', '1', '2', 'menu', 'tolong', 'bahasa', 'hapus data', 'halo', '', ' ', '🆘🆘', 'ñ\u0000\u0007x', '\uD800', 'a'.repeat(5000), 'lowongan kerja di Taiwan gaji 20 juta visa turis paspor ditahan agen '.repeat(3)];
const BAD_IDS = ['@somechannel', '1'.repeat(30), 2 ** 60, -5, 1.5, null, {}, [], true, '123', 0, Number.MAX_SAFE_INTEGER + 2];
const BAD_VALUES = [{ a: 1 }, [1, 2], 12, null, true, '', 'x'.repeat(10)];

function generate(r: ReturnType<typeof prng>, n: number): { body: string; valid: boolean } {
  const user = 900_000 + r.int(300);
  const from = { id: user, is_bot: false, first_name: 'F', language_code: r.pick(['id', 'en', 'ms']) };
  const chat = { id: user, type: 'private' };
  const message = (extra: Record<string, unknown>) => ({ update_id: n, message: { message_id: n, date: 0, chat, from, ...extra } });
  switch (r.int(12)) {
    case 0:
    case 1:
      return { body: JSON.stringify(message({ text: r.pick(TEXTS) })), valid: true };
    case 2:
      return { body: JSON.stringify(message(r.pick([{ photo: [{ file_id: 'x' }] }, { voice: {} }, { sticker: {} }, { location: { latitude: 0, longitude: 0 } }, { contact: {} }, { video: {} }, { document: { mime_type: 'image/png' } }, { poll: {} }]))), valid: true };
    case 3: {
      const id = r.pick(BAD_IDS);
      return { body: JSON.stringify({ update_id: n, message: { message_id: 1, date: 0, chat: { id, type: 'private' }, from: { ...from, id }, text: 'tolong' } }), valid: false };
    }
    case 4:
      return { body: JSON.stringify(message({ text: r.pick(BAD_VALUES), from: { ...from, language_code: r.pick(BAD_VALUES) } })), valid: false };
    case 5: {
      const depth = 1000 + r.int(9000);
      return { body: `{"update_id":${n},"message":{"message_id":1,"date":0,"chat":{"id":${user},"type":"private"},"from":{"id":${user}},"text":${'['.repeat(depth)}1${']'.repeat(depth)}}}`, valid: false };
    }
    case 6:
      return { body: r.pick(['{"update_id": 1, "message": {', '[]', '42', '"x"', 'null', '', '{"update_id":', '\u0000\u0001', '{}']), valid: false };
    case 7:
      return { body: JSON.stringify({ update_id: r.pick([-1, 'abc', 1.5, 2 ** 60, null]), message: { chat, from, text: 'x' } }), valid: false };
    case 8:
      return {
        body: JSON.stringify({ update_id: n, callback_query: r.pick([{ id: 'q', from, data: '9'.repeat(200), message: { chat } }, { id: 'q', data: '1:x' }, { id: 5, from, data: null }, { id: 'q', from, data: '1:agree', message: { chat: { id: user + 1, type: 'private' } } }]) }),
        valid: false,
      };
    case 9:
      return { body: JSON.stringify({ update_id: n, my_chat_member: r.pick([null, { chat }, { chat, new_chat_member: { status: 'kicked' } }, { chat: { id: 'x' }, new_chat_member: {} }]) }), valid: false };
    case 10:
      return { body: JSON.stringify({ update_id: n, [r.pick(['edited_message', 'channel_post', 'poll', 'inline_query', 'chat_join_request'])]: { chat, from, text: 'x' } }), valid: false };
    default:
      return { body: `{"update_id":${n},"__proto__":{"polluted":1},"message":{"message_id":1,"date":0,"chat":{"id":${user},"type":"private"},"from":{"id":${user},"constructor":{"prototype":{"x":1}}},"text":"halo"}}`, valid: false };
  }
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

describe('10,000 generated updates with the right secret', () => {
  let fake: FakeTelegram;
  let server: ServerProcess;
  const prefix = testPrefix('fuzz');
  beforeAll(async () => {
    fake = await startFakeTelegram({ token: TOKEN });
    server = await startServerProcess({
      REDIS_URL,
      REDIS_PREFIX: prefix,
      HASH_SECRET: 'fuzz-hash-secret-0123456789',
      DATA_ENCRYPTION_KEY: DATA_KEY,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_RATE_PER_CHAT: '1000',
      TELEGRAM_RATE_GLOBAL: '100000',
    }, PRODUCTION_NODE_OPTIONS);
  });
  afterAll(async () => {
    server.kill('SIGTERM');
    await server.exited;
    await fake.close();
    const r = plainRedis();
    await dropPrefix(r, prefix);
    r.disconnect();
  });

  it('get no 5xx, leave the server up, send nothing to a non-id, and let memory settle back', async () => {
    const r = prng(20261130);
    const statuses = new Map<number, number>();
    const post = (body: string) =>
      fetch(`${server.url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body }).then(
        (res) => res.status,
        () => 0,
      );
    let n = 1;
    let baseline = 0;
    for (let batch = 0; batch < 100; batch++) {
      const codes = await Promise.all(Array.from({ length: 100 }, () => post(generate(r, n++).body)));
      for (const c of codes) statuses.set(c, (statuses.get(c) ?? 0) + 1);
      if (batch === 19) {
        await new Promise((res) => setTimeout(res, 3000));
        baseline = rssMb(server.pid);
      }
    }
    expect([...statuses.keys()].filter((c) => c >= 500 || c === 0)).toEqual([]);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // Replies finish, memory settles.
    await new Promise((res) => setTimeout(res, 5000));
    const sends = fake.calls.filter((c) => c.method === 'sendMessage');
    expect(sends.length).toBeGreaterThan(1000);
    expect(sends.filter((c) => !(Number.isSafeInteger(c.body.chat_id) && c.body.chat_id > 0 && c.body.chat_id < 2 ** 52))).toEqual([]);
    expect(rssMb(server.pid)).toBeLessThanOrEqual(baseline * 1.1);
  }, 240_000);
});
