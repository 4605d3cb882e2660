// Every kind of message through the Telegram webhook, hostile callers refused, a flood held back,
// and "delete my data" leaving nothing of the person in Redis or its append-only file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { PrivateRedis } from '../helpers/redis-server.js';
import { SECRET, startHarness, textUpdate, type Harness } from '../helpers/telegram.js';

const content = loadContent();
const t = (key: string, lang: 'id' | 'en' = 'id') => content.texts.t(lang, key);
const OFFER =
  'Lowongan admin CS di Sihanoukville Kamboja, gaji 18 juta per bulan, tanpa pengalaman, tiket dan visa turis ditanggung perusahaan, berangkat minggu depan, hubungi WA 0812-7788-9900 segera, slot terbatas';

let updateId = 7_000_000;
const withMedia = (user: number, media: Record<string, unknown>) => ({
  update_id: ++updateId,
  message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: user, type: 'private' }, from: { id: user, is_bot: false, first_name: 'W', language_code: 'id' }, ...media },
});

/** Sends raw bytes over a new connection; resolves with what came back when the server closed it. */
function raw(port: number, request: string, trickle?: string): Promise<{ answer: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d));
    socket.on('close', () => resolve({ answer, closed: true }));
    socket.on('error', () => undefined);
    socket.write(request);
    if (trickle) socket.write(trickle);
    // Guard: a server that keeps the connection open is what this checks against.
    setTimeout(() => {
      socket.destroy();
      resolve({ answer, closed: false });
    }, 5000).unref();
  });
}

describe('every kind of message through the Telegram webhook', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const say = async (user: number, update: unknown, n: number) => {
    await h.post(update);
    return (await h.until(user, n)).slice(-1)[0]!;
  };

  it('a job offer as the very first message gets a verdict', async () => {
    const user = 610_001;
    await h.post(textUpdate(user, OFFER));
    await h.fake.waitFor(() => h.texts(user).some((x) => /RISIKO/.test(x)));
  });

  it('a job offer pasted at the main menu gets a verdict, not "reply with a number"', async () => {
    const user = 610_002;
    await say(user, textUpdate(user, '/start'), 1);
    await say(user, textUpdate(user, '1'), 2);
    await h.post(textUpdate(user, OFFER));
    await h.fake.waitFor(() => h.texts(user).some((x) => /RISIKO/.test(x)));
    expect(h.texts(user).slice(2).some((x) => x.includes('angka 1 sampai'))).toBe(false);
  });

  it('a photo, a voice note, a sticker and a location each get their own answer, and the question stays', async () => {
    const replies: string[] = [];
    for (const [i, media] of [
      { photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }] },
      { voice: { file_id: 'v', file_unique_id: 'v', duration: 3 } },
      { sticker: { file_id: 's', file_unique_id: 's', width: 1, height: 1, is_animated: false, is_video: false, type: 'regular' } },
      { location: { latitude: 1.5, longitude: 110.3 } },
    ].entries()) {
      const user = 610_100 + i;
      await say(user, textUpdate(user, '/start'), 1);
      const menu = await say(user, textUpdate(user, '1'), 2);
      const reply = await say(user, withMedia(user, media), 3);
      expect(reply).not.toContain('angka 1 sampai');
      // The menu is still the question: "1" now picks its first item.
      await say(user, textUpdate(user, '1'), 4);
      expect(h.texts(user)[3]).toContain(t('checker.flow.ask'));
      expect(menu).toBe(t('main.title'));
      replies.push(reply);
    }
    expect(replies[0]).toContain(t('engine.media.picture'));
    expect(new Set(replies).size).toBe(4);
  });

  it('a photo\'s caption that is an offer is checked', async () => {
    const user = 610_200;
    await say(user, textUpdate(user, '/start'), 1);
    await say(user, textUpdate(user, '1'), 2);
    await h.post(withMedia(user, { photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }], caption: OFFER }));
    await h.fake.waitFor(() => h.texts(user).some((x) => /RISIKO/.test(x)));
  });

  it('more than 30 messages in 10 s from one person: one polite warning, then nothing for a while; others and pleas go on', async () => {
    const user = 610_300;
    for (let i = 0; i < 36; i++) expect((await h.post(textUpdate(user, `pesan ${i}`))).status).toBe(200);
    await h.fake.waitFor(() => h.texts(user).includes(t('conversation.flood')));
    const other = 610_301;
    await h.post(textUpdate(other, '/start'));
    expect(await h.until(other, 1)).toHaveLength(1);
    await h.post(textUpdate(user, 'tolong'));
    await h.fake.waitFor(() => h.texts(user).some((x) => x.includes(t('emergency.intro'))));
    await new Promise((r) => setTimeout(r, 500));
    const texts = h.texts(user);
    expect(texts.filter((x) => x === t('conversation.flood'))).toHaveLength(1);
    // 30 answered, the 31st warned about, the rest not handled at all; then the plea.
    expect(texts.length).toBeLessThanOrEqual(32);
  });

  it('a wrong secret with a body still arriving gets 401 and its connection closed at once', async () => {
    const res = await raw(
      h.app.port,
      `POST /webhooks/telegram HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Telegram-Bot-Api-Secret-Token: wrong-secret-0000000000\r\nContent-Length: 100000\r\n\r\n`,
      '{"update_id": 1, "mes',
    );
    expect(res.answer).toMatch(/^HTTP\/1\.1 401/);
    expect(res.closed).toBe(true);
  });

  it('a body announced larger than 1 MiB gets 413 and its connection closed, with the right secret too', async () => {
    const res = await raw(
      h.app.port,
      `POST /webhooks/telegram HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Telegram-Bot-Api-Secret-Token: ${SECRET}\r\nContent-Length: ${3 << 20}\r\n\r\n`,
      '{"update_id": 1',
    );
    expect(res.answer).toMatch(/^HTTP\/1\.1 413/);
    expect(res.closed).toBe(true);
  });
});

describe('delete my data, on a Redis with an append-only file', () => {
  it('leaves no key naming the person, and after the rewrite Redis asks for, none of their words on disk', async () => {
    const server = await PrivateRedis.start();
    const h = await startHarness({ REDIS_URL: server.url, AOF_REWRITE_MIN_INTERVAL_MINUTES: '0' });
    try {
      const user = 8_800_123;
      const name = 'Ratnasari Wulandaritama';
      const phone = '+60 11-2345 9876';
      const steps = ['/start', '1', `tolong saya ${name}, paspor saya ditahan majikan di Kuching, nomor saya ${phone}`, 'menu', '1', OFFER, 'hapus data'];
      let n = 0;
      for (const text of steps) {
        await h.post(textUpdate(user, text));
        await h.fake.waitFor(() => h.texts(user).length > n, 10_000);
        n = h.texts(user).length;
      }
      await h.post(textUpdate(user, '1'));
      await h.fake.waitFor(() => h.texts(user).some((x) => x.includes(t('forget.done'))));
      // The confirmation is recorded as sent and the chat's rate has run out.
      await expect.poll(async () => (await h.app.outbox.counts()).telegram!.pending, { timeout: 10_000 }).toBe(0);
      await new Promise((r) => setTimeout(r, 3500));
      const { Redis } = await import('ioredis');
      const redis = new Redis(server.url);
      try {
        const keys = await redis.keys('*');
        expect(keys.filter((k) => k.includes(String(user)))).toEqual([]);
        for (const k of keys) {
          const type = await redis.type(k);
          const dump = type === 'string' ? String(await redis.get(k)) : type === 'hash' ? JSON.stringify(await redis.hgetall(k)) : '';
          expect(dump).not.toContain(String(user));
          expect(dump).not.toContain('Ratnasari');
        }
        expect(await h.app.rewrites.check()).toBe(true);
        await expect.poll(async () => /aof_rewrite_in_progress:0/.test(await redis.info('persistence')), { timeout: 10_000 }).toBe(true);
        await expect.poll(async () => /aof_rewrite_scheduled:0/.test(await redis.info('persistence')), { timeout: 10_000 }).toBe(true);
      } finally {
        redis.disconnect();
      }
      const files: string[] = [];
      const walk = (d: string) => readdirSync(d).forEach((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : files.push(join(d, f))));
      walk(server.dir);
      const disk = files.map((f) => readFileSync(f).toString('latin1')).join('\n');
      expect(files.some((f) => f.includes('appendonly'))).toBe(true);
      for (const trace of ['Ratnasari', 'Wulandaritama', '2345 9876', 'paspor saya ditahan', 'Sihanoukville', '7788-9900', String(user)]) {
        expect(disk.includes(trace), trace).toBe(false);
      }
    } finally {
      await h.close();
      await server.stop();
    }
  }, 60_000);
});
