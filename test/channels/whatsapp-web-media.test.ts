// Campaign pictures and videos through a linked phone: the channel on the fake whatsapp-web.js client,
// messages handed over by the durable outbox (its written hook), the files in real Redis (MediaStore)
// under a key prefix of this file's own.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsappWebChannel, whatsappWeb, type WhatsappWebSettings } from '../../src/channels/whatsapp-web.js';
import { importSubscribers } from '../../src/broadcast/import.js';
import { MemorySubscribers } from '../../src/broadcast/subscribers.js';
import { MAX_IMAGE_BYTES, MAX_VIDEO_BYTES, renderWweb } from '../../src/channels/whatsapp-web-message.js';
import { loadContent } from '../../src/content/index.js';
import type { MediaRef } from '../../src/engine/types.js';
import { silentLogger } from '../../src/log.js';
import { RedisOutbox, type OutboxItem } from '../../src/outbox/outbox.js';
import { RedisRecipients } from '../../src/outbox/recipients.js';
import { DataCipher } from '../../src/store/cipher.js';
import { keyspace } from '../../src/store/keys.js';
import { MediaStore } from '../../src/store/media.js';
import { connectRedis } from '../../src/store/redis.js';
import { FakeWhatsapp, waitUntil } from '../fakes/whatsapp-web-client.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { fakeWwebSettings } from '../helpers/whatsapp-web.js';
import { mp4, png } from '../helpers/media.js';

const content = loadContent();

/** A campaign's message as the broadcast module makes it: the text (rendered with its footer) and the file. */
const campaign = (text: string, media: MediaRef): OutboxItem => ({ lang: 'id', reply: { say: [{ key: 'broadcast.message', vars: { text } }], campaign: true, media } });
const captionOf = (text: string) => content.renderer.reply('id', { say: [{ key: 'broadcast.message', vars: { text } }] }).text;

let n = 0;
const newChat = () => `62813${String(process.pid).slice(-4)}${String(++n).padStart(4, '0')}@c.us`;

describe('WhatsApp Web sends campaign pictures and short videos', () => {
  const prefix = testPrefix('wweb-media');
  const keys = keyspace(prefix);
  const wa = new FakeWhatsapp();
  let redis: Redis;
  let channel: WhatsappWebChannel;
  let outbox: RedisOutbox;
  let media: MediaStore;
  const counts = async () => (await outbox.counts())['whatsapp-web']!;
  const settings: WhatsappWebSettings = fakeWwebSettings(wa, 'wweb-media-test-secret-0123456789');

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    media = new MediaStore(redis, keys);
    channel = new WhatsappWebChannel({ settings, inbox: {} as never, recipients: new RedisRecipients(redis, keys), log: silentLogger, redis, keys });
    outbox = new RedisOutbox({
      redis,
      keys,
      channels: [channel],
      render: (lang, reply) => content.renderer.reply(lang, reply),
      cipher: DataCipher.throwaway(),
      recipients: new RedisRecipients(redis, keys),
      idlePollMs: 20,
    });
    channel.start();
    await waitUntil(() => channel.linkState === 'ready');
    await outbox.start();
  });
  afterAll(async () => {
    await outbox?.stop(0);
    await channel?.stop();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('an imported subscriber who agreed elsewhere may be written to (recorded from another process, as the CLI does); a chat that never wrote nor agreed is refused', async () => {
    const imported = newChat();
    const stranger = newChat();
    // What `broadcast -- import` does for a whatsapp-web row with a consent date, without the channel's process.
    const rows = `channel,user_id,language,topics,consented_at\nwhatsapp-web,${imported},id,scam-alerts,2026-10-01T00:00:00Z`;
    const added: string[] = [];
    const r = await importSubscribers(rows, new MemorySubscribers(), { 'whatsapp-web': whatsappWeb.userId }, Date.now(), async (ch, user) => {
      added.push(user);
      await whatsappWeb.optIn!({ settings, redis, keys }, user);
    });
    expect(r).toMatchObject({ added: 1, refused: [] });
    expect(added).toEqual([imported]);
    expect(await channel.mayWrite(imported)).toBe(true);
    expect(await channel.mayWrite(stranger)).toBe(false);
    const before = await counts();
    for (const to of [imported, stranger]) await outbox.deliver({ channel: 'whatsapp-web', user: to }, [{ lang: 'id', reply: { say: [{ key: 'broadcast.message', vars: { text: 'Tips migrasi aman.' } }] } }], { priority: 'bulk' });
    await expect.poll(async () => {
      const c = await counts();
      return c.sent + c.failed - before.sent - before.failed;
    }).toBe(2);
    expect(wa.sent(imported)).toHaveLength(1);
    expect(wa.sent(stranger)).toHaveLength(0);
    expect((await counts()).failed - before.failed).toBe(1);
  });

  it('a video reaches a WhatsApp Web chat with its caption', async () => {
    const video = await media.put(mp4());
    const chat = newChat();
    await channel.allow(chat);
    const before = await counts();
    await outbox.deliver({ channel: 'whatsapp-web', user: chat }, [campaign('Tonton sebelum berangkat kerja ke luar negeri.', video)], { priority: 'bulk' });
    await wa.until(chat, 1);
    expect(wa.sends.filter((s) => s.chat === chat)).toEqual([
      expect.objectContaining({
        text: captionOf('Tonton sebelum berangkat kerja ke luar negeri.'),
        media: { mimetype: 'video/mp4', filename: `${video.id.slice(0, 16)}.mp4`, bytes: video.bytes, sha256: video.id },
      }),
    ]);
    await expect.poll(async () => (await counts()).sent - before.sent).toBe(1);
    expect((await counts()).in_doubt - before.in_doubt).toBe(0);
  });

  it('a picture reaches each chat as the library\'s MessageMedia with its bytes unchanged: this client uploads it for every send', async () => {
    const picture = await media.put(png(800, 600));
    const chats = [newChat(), newChat()];
    for (const c of chats) await channel.allow(c);
    await Promise.all(chats.map((c) => outbox.deliver({ channel: 'whatsapp-web', user: c }, [campaign('Cek agen di SIAPkerja.', picture)])));
    for (const c of chats) {
      await wa.until(c, 1);
      expect(wa.sends.filter((s) => s.chat === c)).toEqual([
        expect.objectContaining({ text: captionOf('Cek agen di SIAPkerja.'), media: { mimetype: 'image/png', filename: `${picture.id.slice(0, 16)}.png`, bytes: picture.bytes, sha256: picture.id } }),
      ]);
    }
  });

  it('a caption over 1024 characters goes as the picture then the text', async () => {
    const picture = await media.put(png(640, 480));
    const long = Array.from({ length: 40 }, (_, i) => `Kalimat nomor ${i + 1} tentang tawaran kerja yang terlalu bagus.`).join(' ');
    const text = captionOf(long);
    expect(text.length).toBeGreaterThan(1024);
    const chat = newChat();
    await channel.allow(chat);
    await outbox.deliver({ channel: 'whatsapp-web', user: chat }, [campaign(long, picture)]);
    await wa.until(chat, 2);
    const got = wa.sends.filter((s) => s.chat === chat);
    expect(got[0]).toMatchObject({ text: '', media: { mimetype: 'image/png', sha256: picture.id } });
    expect(got.slice(1).every((s) => !s.media)).toBe(true);
    expect(got.slice(1).map((s) => s.text).join('')).toBe(text);
  });

  it('the caption carries the numbered choices; an empty text sends the file without caption', () => {
    const picture: MediaRef = { id: 'b'.repeat(64), kind: 'image', mime: 'image/jpeg', bytes: 100 };
    expect(renderWweb({ text: 'Mau berhenti?', media: picture, choices: [{ id: 'stop', label: 'Berhenti' }], turn: 2 })).toEqual([{ text: 'Mau berhenti?\n\n1. Berhenti', media: picture }]);
    expect(renderWweb({ text: '', media: picture })).toEqual([{ text: '', media: picture }]);
    expect(renderWweb({ text: 'x'.repeat(1024), media: picture })).toHaveLength(1);
    expect(renderWweb({ text: 'x'.repeat(1025), media: picture })).toEqual([{ text: '', media: picture }, { text: 'x'.repeat(1025) }]);
  });

  it('a picture over 5 MB or a video over 16 MB is refused before sending, with the reason', async () => {
    const ref = (o: Partial<MediaRef>): MediaRef => ({ id: createHash('sha256').update(JSON.stringify(o)).digest('hex'), kind: 'image', mime: 'image/jpeg', bytes: 1000, ...o });
    const big = ref({ bytes: MAX_IMAGE_BYTES + 1 });
    expect(channel.mediaProblem(big)).toMatch(/5\.0 MB; WhatsApp takes pictures of at most 5 MB/);
    expect(channel.mediaProblem(ref({ bytes: MAX_IMAGE_BYTES }))).toBeNull();
    expect(channel.mediaProblem(ref({ mime: 'image/webp' }))).toMatch(/JPEG or PNG, not image\/webp/);
    expect(channel.mediaProblem(ref({ kind: 'video', mime: 'video/mp4', bytes: MAX_VIDEO_BYTES + 1 }))).toMatch(/16\.0 MB; WhatsApp takes videos of at most 16 MB/);
    expect(channel.mediaProblem(ref({ kind: 'video', mime: 'video/mp4', bytes: MAX_VIDEO_BYTES }))).toBeNull();
    expect(channel.mediaProblem(ref({ kind: 'video', mime: 'video/3gpp' }))).toBeNull();
    expect(channel.mediaProblem(ref({ kind: 'video', mime: 'video/quicktime' }))).toMatch(/MP4 or 3GPP, not video\/quicktime/);
    // Sent anyway (a campaign made before the check): refused for good with that reason; WhatsApp never sees it.
    const chat = newChat();
    await channel.allow(chat);
    let written = false;
    const [msg] = channel.render({ text: 'Besar.', media: big });
    expect(await channel.send(chat, JSON.stringify(msg), { written: () => void (written = true) })).toEqual({ ok: false, kind: 'permanent', reason: channel.mediaProblem(big) });
    expect(written).toBe(false);
    const before = await counts();
    await outbox.deliver({ channel: 'whatsapp-web', user: chat }, [campaign('Besar.', big)]);
    await expect.poll(async () => (await counts()).failed - before.failed).toBe(1);
    expect(wa.sent(chat)).toEqual([]);
  });

  it('a file no longer kept in Redis fails for good, saying so, and nothing is sent', async () => {
    const video = await media.put(mp4());
    await redis.del(keys.media(video.id));
    const chat = newChat();
    await channel.allow(chat);
    let written = false;
    const [msg] = channel.render({ text: 'Hilang.', media: video });
    expect(await channel.send(chat, JSON.stringify(msg), { written: () => void (written = true) })).toMatchObject({
      ok: false,
      kind: 'permanent',
      reason: expect.stringMatching(/video .* is no longer kept .* cannot be sent/),
    });
    expect(written).toBe(false);
    expect(wa.sent(chat)).toEqual([]);
  });

  it('the written hook fires once, right before the file is handed to the client', async () => {
    const picture = await media.put(png(100, 100));
    const chat = newChat();
    await channel.allow(chat);
    const sendsAtHook: number[] = [];
    const [msg] = channel.render({ text: 'Kait.', media: picture });
    const r = await channel.send(chat, JSON.stringify(msg), { written: () => void sendsAtHook.push(wa.sent(chat).length) });
    expect(r).toEqual({ ok: true });
    expect(sendsAtHook).toEqual([0]);
    expect(wa.sends.filter((s) => s.chat === chat)).toEqual([expect.objectContaining({ text: 'Kait.', media: expect.objectContaining({ sha256: picture.id }) })]);
  });
});
