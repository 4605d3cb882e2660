// Campaign pictures and videos on Telegram: through the durable outbox (so the written hook is the
// outbox's own) to the fake Bot API, with the files in real Redis (MediaStore) under a key prefix of
// this file's own.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTelegramReply, telegram, type TelegramChannel, type TelegramSettings } from '../../src/channels/telegram.js';
import { MAX_PHOTO_BYTES, MAX_VIDEO_BYTES, type TelegramMediaMessage } from '../../src/channels/telegram-media.js';
import type { SendResult } from '../../src/channels/port.js';
import { loadContent } from '../../src/content/index.js';
import type { MediaRef } from '../../src/engine/types.js';
import { silentLogger } from '../../src/log.js';
import { RedisOutbox, type OutboxItem } from '../../src/outbox/outbox.js';
import { RedisRecipients } from '../../src/outbox/recipients.js';
import { DataCipher } from '../../src/store/cipher.js';
import { keyspace } from '../../src/store/keys.js';
import { MediaStore } from '../../src/store/media.js';
import { connectRedis } from '../../src/store/redis.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { mp4, png } from '../helpers/media.js';
import { TOKEN } from '../helpers/telegram.js';

const content = loadContent();

const SETTINGS: TelegramSettings = {
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_MODE: 'webhook',
  TELEGRAM_API_ROOT: '',
  TELEGRAM_RATE_PER_CHAT: 1000,
  TELEGRAM_BURST_PER_CHAT: 10,
  TELEGRAM_RATE_GLOBAL: 100_000,
};

/** A campaign's message as the broadcast module makes it: the text (rendered with its footer) and the file. */
const campaign = (text: string, media: MediaRef): OutboxItem => ({ lang: 'id', reply: { say: [{ key: 'broadcast.message', vars: { text } }], campaign: true, media } });
const captionOf = (text: string) => content.renderer.reply('id', { say: [{ key: 'broadcast.message', vars: { text } }] }).text;

let chatSeq = 810_000;
const newChat = () => ++chatSeq;

describe('Telegram sends campaign pictures and short videos', () => {
  const prefix = testPrefix('tg-media');
  const keys = keyspace(prefix);
  let redis: Redis;
  let fake: FakeTelegram;
  let channel: TelegramChannel;
  let outbox: RedisOutbox;
  let media: MediaStore;
  const fileKey = (id: string) => `${keys.channel('telegram')}media:${id}`;
  const makeChannel = () =>
    telegram.create({ settings: { ...SETTINGS, TELEGRAM_API_ROOT: fake.apiRoot }, inbox: {} as never, recipients: new RedisRecipients(redis, keys), log: silentLogger, redis, keys }) as TelegramChannel;
  const counts = async () => (await outbox.counts())['telegram']!;

  beforeAll(async () => {
    fake = await startFakeTelegram({ token: TOKEN });
    redis = await connectRedis(REDIS_URL);
    media = new MediaStore(redis, keys);
    channel = makeChannel();
    outbox = new RedisOutbox({
      redis,
      keys,
      channels: [channel],
      render: (lang, reply) => content.renderer.reply(lang, reply),
      cipher: DataCipher.throwaway(),
      recipients: new RedisRecipients(redis, keys),
      idlePollMs: 20,
    });
    await outbox.start();
  });
  afterAll(async () => {
    await outbox?.stop(0);
    await fake?.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('a picture sent to 50 people is uploaded once and then sent by its file_id', async () => {
    const picture = await media.put(png(1200, 800));
    const chats = Array.from({ length: 50 }, newChat);
    const before = await counts();
    // The upload's answer comes late: the other sends are surely waiting for it meanwhile.
    fake.delayNext('sendPhoto', 1, 300);
    await Promise.all(chats.map((c) => outbox.deliver({ channel: 'telegram', user: String(c) }, [campaign('Waspada lowongan palsu ke Kamboja.', picture)], { priority: 'bulk' })));
    await fake.waitFor(() => chats.every((c) => fake.media(c).length === 1), 15_000);
    const sends = chats.map((c) => fake.media(c)[0]!);
    expect(sends.filter((s) => s.via === 'upload')).toHaveLength(1);
    expect(sends.filter((s) => s.via === 'file_id')).toHaveLength(49);
    const uploaded = sends.find((s) => s.via === 'upload')!;
    expect(uploaded).toMatchObject({ kind: 'photo', contentType: 'image/png', size: picture.bytes, filename: `${picture.id.slice(0, 16)}.png` });
    for (const s of sends) expect(s.caption).toBe(captionOf('Waspada lowongan palsu ke Kamboja.'));
    // The largest size's file_id is kept, without expiry, under the channel's keys; every later send used it.
    await expect.poll(() => redis.get(fileKey(picture.id))).toBe(uploaded.file_id);
    expect(await redis.ttl(fileKey(picture.id))).toBe(-1);
    const byId = fake.calls.filter((c) => c.method === 'sendPhoto' && typeof c.body.photo === 'string');
    expect(new Set(byId.map((c) => c.body.photo))).toEqual(new Set([uploaded.file_id]));
    // Exactly once each: sent, none in doubt, nothing retried.
    await expect.poll(async () => (await counts()).sent - before.sent).toBe(50);
    const after = await counts();
    expect(after.in_doubt - before.in_doubt).toBe(0);
    expect(after.retried - before.retried).toBe(0);
    for (const c of chats) expect(fake.received(c)).toHaveLength(1);
  });

  it('a video goes as a video with its caption, and another process sharing Redis sends it by the kept file_id', async () => {
    const video = await media.put(mp4());
    expect(video).toMatchObject({ kind: 'video', mime: 'video/mp4' });
    const first = newChat();
    await outbox.deliver({ channel: 'telegram', user: String(first) }, [campaign('Tonton sebelum berangkat.', video)]);
    await fake.waitFor(() => fake.media(first).length === 1);
    expect(fake.media(first)[0]).toMatchObject({ kind: 'video', via: 'upload', contentType: 'video/mp4', size: video.bytes, caption: captionOf('Tonton sebelum berangkat.') });
    const fileId = fake.media(first)[0]!.file_id;
    // Kept once Telegram's answer is read (the fake records the send as it answers).
    await expect.poll(() => redis.get(fileKey(video.id))).toBe(fileId);
    // A second process: nothing in its memory, the file_id from Redis.
    const other = makeChannel();
    const second = newChat();
    const [msg] = other.render({ text: 'Tonton.', media: video });
    expect(await other.send(String(second), JSON.stringify(msg))).toMatchObject({ ok: true });
    expect(fake.media(second)).toEqual([expect.objectContaining({ kind: 'video', via: 'file_id', file_id: fileId, caption: 'Tonton.' })]);
  });

  it('a caption over 1024 characters goes as the picture then the text', async () => {
    const picture = await media.put(png(640, 480));
    const long = Array.from({ length: 40 }, (_, i) => `Kalimat nomor ${i + 1} tentang tawaran kerja yang terlalu bagus.`).join(' ');
    const text = captionOf(long);
    expect(text.length).toBeGreaterThan(1024);
    const chat = newChat();
    await outbox.deliver({ channel: 'telegram', user: String(chat) }, [campaign(long, picture)]);
    await fake.waitFor(() => fake.received(chat).length >= 2);
    const got = fake.received(chat);
    expect(got[0]).toMatchObject({ kind: 'photo', via: 'upload' });
    expect(got[0]).not.toHaveProperty('caption');
    expect(got.slice(1).map((r) => (r.kind === 'text' ? r.text : r.kind)).join('')).toBe(text);
  });

  it('a caption that fits carries the buttons; without room, the buttons go with the last piece of text', () => {
    const picture: MediaRef = { id: 'a'.repeat(64), kind: 'image', mime: 'image/png', bytes: 100, width: 10, height: 10 };
    const choices = [{ id: 'stop', label: 'Berhenti' }];
    const [short] = renderTelegramReply({ text: 'Gaji <tinggi> & "mudah"', media: picture, choices, turn: 4 }) as TelegramMediaMessage[];
    expect(short).toEqual({ media: picture, caption: 'Gaji &lt;tinggi&gt; &amp; "mudah"', parse_mode: 'HTML', reply_markup: { inline_keyboard: [[{ text: 'Berhenti', callback_data: '4:stop' }]] } });
    expect(JSON.stringify(short).startsWith('{"media":')).toBe(true);
    expect(renderTelegramReply({ text: '', media: picture })).toEqual([{ media: picture }]);
    const long = renderTelegramReply({ text: 'x'.repeat(1025), media: picture, choices, turn: 4 });
    expect(long).toHaveLength(2);
    expect(long[0]).toEqual({ media: picture });
    expect(long[1]).toMatchObject({ text: 'x'.repeat(1025), reply_markup: { inline_keyboard: [[{ callback_data: '4:stop' }]] } });
    expect(renderTelegramReply({ text: 'x'.repeat(1024), media: picture })).toHaveLength(1);
  });

  it('a file_id Telegram no longer knows is uploaded again', async () => {
    const picture = await media.put(png(800, 600));
    const a = newChat();
    await outbox.deliver({ channel: 'telegram', user: String(a) }, [campaign('Satu.', picture)]);
    await fake.waitFor(() => fake.media(a).length === 1);
    const old = fake.media(a)[0]!.file_id;
    await expect.poll(() => redis.get(fileKey(picture.id))).toBe(old);
    fake.forgetFiles();
    const before = await counts();
    const b = newChat();
    await outbox.deliver({ channel: 'telegram', user: String(b) }, [campaign('Dua.', picture)]);
    await fake.waitFor(() => fake.media(b).length === 1, 10_000);
    expect(fake.media(b)[0]).toMatchObject({ via: 'upload', caption: captionOf('Dua.') });
    const forB = fake.calls.filter((c) => c.method === 'sendPhoto' && String(c.body.chat_id) === String(b));
    expect(forB.map((c) => [c.status, typeof c.body.photo === 'string' ? 'file_id' : 'upload'])).toEqual([
      [400, 'file_id'],
      [200, 'upload'],
    ]);
    await expect.poll(() => redis.get(fileKey(picture.id))).toBe(fake.media(b)[0]!.file_id);
    expect(fake.media(b)[0]!.file_id).not.toBe(old);
    await expect.poll(async () => (await counts()).sent - before.sent).toBe(1);
    expect((await counts()).retried - before.retried).toBe(1);
  });

  it('a picture over 10 MB is refused before sending, with the reason', async () => {
    const ref = (o: Partial<MediaRef>): MediaRef => ({ id: createHash('sha256').update(JSON.stringify(o)).digest('hex'), kind: 'image', mime: 'image/png', bytes: 1000, width: 800, height: 600, ...o });
    const big = ref({ bytes: MAX_PHOTO_BYTES + 1 });
    expect(channel.mediaProblem(big)).toMatch(/10\.0 MB; Telegram takes pictures of at most 10 MB/);
    expect(channel.mediaProblem(ref({ bytes: MAX_PHOTO_BYTES }))).toBeNull();
    expect(channel.mediaProblem(ref({ width: 9000, height: 1001 }))).toMatch(/9000×1001 .* add up to at most 10000/);
    expect(channel.mediaProblem(ref({ width: 2100, height: 100 }))).toMatch(/at most 20 times/);
    expect(channel.mediaProblem(ref({ width: 2000, height: 100 }))).toBeNull();
    expect(channel.mediaProblem(ref({ mime: 'image/gif' }))).toMatch(/JPEG or PNG, not image\/gif/);
    expect(channel.mediaProblem(ref({ kind: 'video', mime: 'video/3gpp', width: undefined, height: undefined }))).toMatch(/MP4, not video\/3gpp/);
    expect(channel.mediaProblem(ref({ kind: 'video', mime: 'video/mp4', bytes: MAX_VIDEO_BYTES + 1 }))).toMatch(/at most 50 MB/);
    expect(channel.mediaProblem(ref({ kind: 'video', mime: 'video/mp4', bytes: MAX_VIDEO_BYTES }))).toBeNull();
    // Sent anyway (a campaign made before the check): refused for good, with that reason, and Telegram never asked.
    const before = await counts();
    const calls = fake.calls.length;
    const chat = newChat();
    let written = false;
    const [msg] = channel.render({ text: 'Besar.', media: big });
    expect(await channel.send(String(chat), JSON.stringify(msg), { written: () => void (written = true) })).toEqual({ ok: false, kind: 'permanent', reason: channel.mediaProblem(big) });
    expect(written).toBe(false);
    await outbox.deliver({ channel: 'telegram', user: String(chat) }, [campaign('Besar.', big)]);
    await expect.poll(async () => (await counts()).failed - before.failed).toBe(1);
    expect(fake.calls.length).toBe(calls);
  });

  it('a picture no longer kept in Redis fails for good, saying so, without asking Telegram', async () => {
    const picture = await media.put(png(300, 300));
    await redis.del(keys.media(picture.id));
    const calls = fake.calls.length;
    let written = false;
    const [msg] = channel.render({ text: 'Hilang.', media: picture });
    const r = await channel.send(String(newChat()), JSON.stringify(msg), { written: () => void (written = true) });
    expect(r).toMatchObject({ ok: false, kind: 'permanent', reason: expect.stringMatching(/picture .* is no longer kept .* cannot be sent/) });
    expect(written).toBe(false);
    expect(fake.calls.length).toBe(calls);
  });

  it('the written hook fires before the request is on its way: before an upload\'s bytes, and before a send by file_id', async () => {
    const picture = await media.put(png(500, 500));
    const [msg] = channel.render({ text: 'Hook.', media: picture });
    const seen: { calls: number }[] = [];
    const hook = () => ({ written: () => void seen.push({ calls: fake.calls.filter((c) => c.method === 'sendPhoto').length }) });
    const before = fake.calls.filter((c) => c.method === 'sendPhoto').length;
    expect(await channel.send(String(newChat()), JSON.stringify(msg), hook())).toMatchObject({ ok: true });
    expect(await channel.send(String(newChat()), JSON.stringify(msg), hook())).toMatchObject({ ok: true });
    // Each hook ran once, when the fake had not yet received that request.
    expect(seen.map((s) => s.calls)).toEqual([before, before + 1]);
    expect(fake.calls.filter((c) => c.method === 'sendPhoto').slice(-2).map((c) => (typeof c.body.photo === 'string' ? 'file_id' : 'upload'))).toEqual(['upload', 'file_id']);
  });

  it('Telegram\'s errors mean what they mean for text: 429 wait, blocked gone, 400 refused, 5xx try again', async () => {
    const picture = await media.put(png(200, 100));
    const [msg] = channel.render({ text: 'Galat.', media: picture });
    const send = (chat: number): Promise<SendResult> => channel.send(String(chat), JSON.stringify(msg));
    fake.failNext('sendPhoto', 1, { code: 429, retryAfter: 5 });
    expect(await send(newChat())).toMatchObject({ ok: false, kind: 'retry', afterMs: 5000 });
    const blocked = newChat();
    fake.blockChat(blocked);
    expect(await send(blocked)).toMatchObject({ ok: false, kind: 'gone', reason: '403: Forbidden: bot was blocked by the user' });
    fake.failNext('sendPhoto', 1, { code: 400, description: 'Bad Request: PHOTO_INVALID_DIMENSIONS' });
    expect(await send(newChat())).toMatchObject({ ok: false, kind: 'permanent', reason: '400: Bad Request: PHOTO_INVALID_DIMENSIONS' });
    fake.failNext('sendPhoto', 1, { code: 500 });
    expect(await send(newChat())).toMatchObject({ ok: false, kind: 'transient' });
    // None of these uploads succeeded: nothing kept yet; the next one uploads and keeps the file_id.
    expect(await redis.get(fileKey(picture.id))).toBeNull();
    expect(await send(newChat())).toMatchObject({ ok: true });
    expect(await redis.get(fileKey(picture.id))).not.toBeNull();
    // By file_id too.
    fake.failNext('sendPhoto', 1, { code: 429, retryAfter: 2 });
    expect(await send(newChat())).toMatchObject({ ok: false, kind: 'retry', afterMs: 2000 });
  });

  it('when the upload fails, a send that waited for it uploads the file itself', async () => {
    const picture = await media.put(png(400, 300));
    const [msg] = channel.render({ text: 'Tunggu.', media: picture });
    const [a, b] = [newChat(), newChat()];
    fake.failNext('sendPhoto', 1, { code: 500 });
    const [ra, rb] = await Promise.all([channel.send(String(a), JSON.stringify(msg)), channel.send(String(b), JSON.stringify(msg))]);
    expect(ra).toMatchObject({ ok: false, kind: 'transient' });
    expect(rb).toMatchObject({ ok: true });
    expect(fake.media(b)).toEqual([expect.objectContaining({ via: 'upload', caption: 'Tunggu.' })]);
    expect(await redis.get(fileKey(picture.id))).toBe(fake.media(b)[0]!.file_id);
  });
});
