// A report is never lost or doubled: real server processes killed with SIGKILL during the report and
// during its submission, a Redis with an append-only file killed and restarted after it, and the
// local fake Bot API standing in for Telegram.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCaseStore } from '../../src/hotline/cases.js';
import { StaffTokens } from '../../src/staff/tokens.js';
import { DataCipher } from '../../src/store/cipher.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { DATA_KEY } from '../helpers/redis.js';
import { PrivateRedis } from '../helpers/redis-server.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { SECRET, TOKEN, textUpdate } from '../helpers/telegram.js';

const USER = 7001;
const PREFIX = 'waspada-durable';

describe('a report across kill -9 and a Redis restart', () => {
  let fake: FakeTelegram;
  let redis: PrivateRedis;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    fake = await startFakeTelegram({ token: TOKEN });
    redis = await PrivateRedis.start();
  });
  afterAll(async () => {
    for (const s of servers) s.kill('SIGKILL');
    await fake.close();
    await redis.stop();
  });

  async function start(kill = ''): Promise<ServerProcess> {
    const s = await startServerProcess({
      REDIS_URL: redis.url,
      REDIS_PREFIX: PREFIX,
      HASH_SECRET: 'durable-hash-secret-0123456789',
      DATA_ENCRYPTION_KEY: DATA_KEY,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      WASPADA_TEST_TAKEOVER_MS: '1000',
      ...(kill ? { WASPADA_TEST_KILL: kill } : {}),
    });
    servers.push(s);
    return s;
  }

  const texts = () => fake.sent(USER).map((m: { text: string }) => m.text);

  /** Posts an update as Telegram does; its answer's status. */
  function post(s: ServerProcess, update: ReturnType<typeof textUpdate>): Promise<number> {
    return fetch(`${s.url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    }).then((r) => r.status);
  }

  /** Posts a message and waits until the replies to it have arrived (and then stay quiet). */
  async function say(s: ServerProcess, text: string, expectReply = true, quietMs = 300): Promise<string> {
    const before = texts().length;
    expect(await post(s, textUpdate(USER, text))).toBe(200);
    if (!expectReply) return '';
    return waitReplies(before, 15_000, quietMs);
  }

  /** Replies after the first `before`, once some came and then none for `quietMs` (the outbox paces a chat at 1 a second). */
  async function waitReplies(before: number, ms = 15_000, quietMs = 300): Promise<string> {
    const until = Date.now() + ms;
    let last = -1;
    let quietSince = Date.now();
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
      const n = texts().length;
      if (n !== last) {
        last = n;
        quietSince = Date.now();
      } else if (n > before && Date.now() - quietSince > quietMs) break;
    }
    return texts().slice(before).join('\n---\n');
  }

  async function cases(): Promise<string[]> {
    const r = new Redis(redis.url);
    const ids = await r.zrange(`${PREFIX}:{hotline}:all`, 0, -1);
    r.disconnect();
    return ids;
  }

  it('killed during the report and during its submission, the family finishes and gets one case, which survives a Redis restart', async () => {
    const first = await start();
    await say(first, '/start');
    await say(first, '1');
    await say(first, 'menu');
    expect(await say(first, '4')).toContain('nama lengkap');
    for (const a of ['Rina Wulandari', '24', 'kakak']) await say(first, a);
    // Killed halfway through the report: what was answered is in Redis.
    first.kill('SIGKILL');
    await first.exited;

    const second = await start('opened:1');
    expect(await say(second, 'Kamboja')).toContain('kota');
    for (const a of ['Sihanoukville', 'lewati', 'lewati', '3 minggu lalu', 'Paspornya ditahan.', 'ya', 'lewati']) await say(second, a);
    expect(await say(second, 'ya', true, 2500)).toContain('benar?');
    // "Send": the case is opened in Redis, then the process dies before the family is told, and before
    // Telegram was answered (the message is handled before that).
    const before = texts().length;
    const send = textUpdate(USER, '1');
    const answered = await post(second, send).then(() => true, () => false);
    expect(answered).toBe(false);
    expect(await second.exited).toBeNull();
    expect(texts().slice(before).join('\n')).not.toContain('Nomor kasus');
    expect(await cases()).toHaveLength(1);

    // Telegram delivers the unanswered update again, to the next process, which handles it (once the
    // dead one's lock on the person runs out, 15 s): the same case, and now the family is told.
    const third = await start();
    expect(await post(third, send)).toBe(200);
    const told = await waitReplies(before, 45_000);
    const id = /Nomor kasus: (WSP-[A-Z0-9]{4}-[A-Z0-9]{2})/.exec(told)?.[1];
    expect(id, told).toBeDefined();
    expect(await cases()).toEqual([id]);
    expect(texts().filter((t) => t.includes('Nomor kasus'))).toHaveLength(1);

    // Staff see it through the API (no personal field in the list).
    const admin = new Redis(redis.url);
    const token = await new StaffTokens(admin, PREFIX).create('ani', 'agent');
    admin.disconnect();
    const listed = await fetch(`${third.url}/staff/api/cases`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text());
    expect(JSON.parse(listed).cases.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(listed).not.toContain('Rina');

    // Redis killed (kill -9) and restarted from its append-only file: the case is still there, readable.
    third.kill('SIGTERM');
    await third.exited;
    await redis.kill();
    await redis.start();
    const r = new Redis(redis.url);
    const c = await new RedisCaseStore(r, PREFIX, DataCipher.fromConfig(DATA_KEY)).get(id!);
    r.disconnect();
    expect(c).toMatchObject({ id, stage: 'received', details: { name: 'Rina Wulandari', age: 24, country: 'KH', city: 'Sihanoukville' } });
  }, 150_000);
});
