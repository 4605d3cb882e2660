// Pictures people send through the linked phone (whatsapp-web.js): nothing of the picture is stored
// when it arrives (the inbox keeps its message's id); when the message is handled, the process holding
// the linked phone finds the message again (getMessageById) and downloads the file (downloadMedia),
// refused over 5 MB by WhatsApp's size first. The channel runs on the fake client and real Redis.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsappWebChannel, type WhatsappWebSettings } from '../../src/channels/whatsapp-web.js';
import { messageToBody } from '../../src/channels/whatsapp-web-message.js';
import { loadConfig } from '../../src/config.js';
import { loadContent } from '../../src/content/index.js';
import { NotMine } from '../../src/conversation/inbox.js';
import { PICTURE_MAX_BYTES } from '../../src/conversation/picture.js';
import { silentLogger } from '../../src/log.js';
import { RedisRecipients } from '../../src/outbox/recipients.js';
import { startWaspada } from '../../src/runtime.js';
import { keyspace } from '../../src/store/keys.js';
import { connectRedis } from '../../src/store/redis.js';
import { FakeWhatsapp, waitUntil } from '../fakes/whatsapp-web-client.js';
import { drawText } from '../helpers/pictures.js';
import { DATA_KEY, dropPrefix, plainRedis, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { fakeWwebSettings } from '../helpers/whatsapp-web.js';
import { jpeg, KeepingInbox, MB, OFFER, png, problem, type ReadBack } from './picture-helpers.js';

const content = loadContent();
const t = (key: string) => content.texts.t('id', key);

let n = 0;
const newChat = () => `62814${String(process.pid).slice(-4)}${String(++n).padStart(4, '0')}@c.us`;

describe('whatsapp-web downloads the pictures people send when their message is handled', () => {
  const prefix = testPrefix('wweb-picture');
  const keys = keyspace(prefix);
  let redis: Redis;
  const inbox = new KeepingInbox();
  const settings = (wa: FakeWhatsapp): WhatsappWebSettings => fakeWwebSettings(wa, 'wweb-picture-test-secret-0123456789');
  const makeChannel = (wa: FakeWhatsapp) => new WhatsappWebChannel({ settings: settings(wa), inbox: inbox as never, recipients: new RedisRecipients(redis, keys), log: silentLogger, redis, keys });
  const wa = new FakeWhatsapp();
  let channel: WhatsappWebChannel;

  /** A linked channel of its own (its link is taken down in the test). */
  async function linked(world = new FakeWhatsapp()): Promise<{ wa: FakeWhatsapp; channel: WhatsappWebChannel }> {
    const c = makeChannel(world);
    c.start();
    await waitUntil(() => c.linkState === 'ready');
    return { wa: world, channel: c };
  }

  /** Waits for the message to be stored; what another process reads of it from the inbox. */
  async function received(via: WhatsappWebChannel, emit: () => unknown): Promise<ReadBack> {
    const before = inbox.stored.length;
    emit();
    await waitUntil(() => inbox.stored.length > before);
    return inbox.readBack(via);
  }

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    ({ channel } = await linked(wa));
  });
  afterAll(async () => {
    await channel?.stop();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('a picture is not downloaded when it arrives, and its bytes are downloaded exactly as sent when it is handled', async () => {
    const bytes = await jpeg(800, 600);
    const chat = newChat();
    let msg!: ReturnType<FakeWhatsapp['picture']>;
    const r = await received(channel, () => (msg = wa.picture(chat, bytes, { caption: 'Lowongan kerja di Kamboja, gaji 15 juta' })));
    const serialized = msg.id!._serialized!;
    // What the inbox keeps: the message's id and what WhatsApp said of the file, nothing of the file.
    expect(r.body).toEqual({ kind: 'message', chat, media: 'photo', text: 'Lowongan kerja di Kamboja, gaji 15 juta', picture: { msg: serialized, bytes: bytes.length, mime: 'image/jpeg' } });
    expect(wa.downloads).not.toContain(serialized);
    expect(r.picture).toMatchObject({ bytes: bytes.length, mime: 'image/jpeg' });
    expect((await r.picture!.fetch(PICTURE_MAX_BYTES)).equals(bytes)).toBe(true);
    expect(wa.lookups.at(-1)).toBe(serialized);
    expect(wa.downloads.filter((d) => d === serialized)).toHaveLength(1);
  });

  it('an image sent as a file is downloaded with its type', async () => {
    const bytes = await png(300, 200);
    const r = await received(channel, () => wa.picture(newChat(), bytes, { mimetype: 'image/png', document: true, filename: 'loker.png' }));
    expect(r.media).toBe('image');
    expect(r.picture!.mime).toBe('image/png');
    expect((await r.picture!.fetch(PICTURE_MAX_BYTES)).equals(bytes)).toBe(true);
  });

  it("a picture over 5 MB is refused by WhatsApp's size without downloading it", async () => {
    const big = await received(channel, () => wa.picture(newChat(), 6 * MB, { mimetype: 'image/png', document: true }));
    expect(big.picture!.bytes).toBe(6 * MB);
    const downloads = wa.downloads.length;
    expect((await problem(big.picture!.fetch(PICTURE_MAX_BYTES))).kind).toBe('too_large');
    // WhatsApp Web did not say the size when it arrived: it says it when the message is found again.
    const unsized = await received(channel, () => wa.picture(newChat(), 7 * MB, { extra: { _data: { mimetype: 'image/jpeg' } } }));
    expect(unsized.picture!.bytes).toBeUndefined();
    wa.files.get(unsized.body.picture.msg)!.message._data = { mimetype: 'image/jpeg', size: 7 * MB };
    expect((await problem(unsized.picture!.fetch(PICTURE_MAX_BYTES))).kind).toBe('too_large');
    expect(wa.downloads.length).toBe(downloads);
  });

  it('a download bigger than WhatsApp said is refused by its own size', async () => {
    const r = await received(channel, () => wa.picture(newChat(), 6 * MB, { extra: { _data: { mimetype: 'image/jpeg' } } }));
    expect((await problem(r.picture!.fetch(PICTURE_MAX_BYTES))).kind).toBe('too_large');
    expect(wa.downloads.at(-1)).toBe(r.body.picture.msg);
  });

  it("a message gone from the phone, a file gone from WhatsApp's servers or a failed download is 'unavailable'", async () => {
    const bytes = await jpeg(64, 64);
    const deleted = await received(channel, () => wa.picture(newChat(), bytes));
    wa.forget(deleted.body.picture.msg);
    expect(await problem(deleted.picture!.fetch(PICTURE_MAX_BYTES))).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/no longer on the linked phone/) });
    const expired = await received(channel, () => wa.picture(newChat(), bytes));
    wa.expire(expired.body.picture.msg);
    expect((await problem(expired.picture!.fetch(PICTURE_MAX_BYTES))).kind).toBe('unavailable');
    const crashed = await received(channel, () => wa.picture(newChat(), bytes));
    wa.failDownload(crashed.body.picture.msg, 'Protocol error (Runtime.callFunctionOn): Target closed.');
    expect((await problem(crashed.picture!.fetch(PICTURE_MAX_BYTES))).kind).toBe('unavailable');
    const given = await received(channel, () => wa.picture(newChat(), bytes));
    expect((await problem(given.picture!.fetch(PICTURE_MAX_BYTES, AbortSignal.abort()))).kind).toBe('unavailable');
  });

  it('a process that does not hold the linked phone leaves a picture to the one that does, and handles the rest', async () => {
    const r = await received(channel, () => wa.picture(newChat(), Buffer.from('x')));
    const other = makeChannel(new FakeWhatsapp());
    await expect(other.inbound(r.delivery)).rejects.toBeInstanceOf(NotMine);
    const text = await received(channel, () => wa.message(newChat(), 'halo'));
    await expect(other.inbound(text.delivery)).resolves.toMatchObject({ text: 'halo' });
    // A stopping process too.
    const stopping = await linked();
    await stopping.channel.stop();
    await expect(stopping.channel.inbound(r.delivery)).rejects.toBeInstanceOf(NotMine);
  });

  it('while the link comes back by itself the download waits for it; a link only a person can bring back is unavailable at once', async () => {
    const bytes = await jpeg(120, 90);
    const { wa: world, channel: c } = await linked();
    try {
      const r = await received(c, () => world.picture(newChat(), bytes));
      world.current.emit('disconnected', 'NAVIGATION');
      expect(c.linkState).toBe('disconnected');
      const clients = world.clients.length;
      const got = await r.picture!.fetch(PICTURE_MAX_BYTES);
      expect(got.equals(bytes)).toBe(true);
      // Downloaded through the client built when the link came back.
      expect(world.clients.length).toBe(clients + 1);
      expect(world.current.destroyed).toBe(false);
      // Logged out: nothing to wait for.
      world.current.emit('change_state', 'LOGOUT');
      expect(c.linkState).toBe('logged_out');
      expect(await problem(r.picture!.fetch(PICTURE_MAX_BYTES))).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/logged_out/) });
    } finally {
      await c.stop();
    }
  });

  it('malformed ids leave a picture message without a picture', () => {
    const chat = newChat();
    const base = { from: chat, body: 'lowongan', type: 'image', fromMe: false, hasMedia: true, _data: { mimetype: 'image/jpeg', size: 1000 } };
    const bad = [
      { ...base, id: { id: 'ABCDEF123456', _serialized: `false_${newChat()}_ABCDEF123456` } }, // another chat's
      { ...base, id: { id: 'ABCDEF123456', _serialized: `false_${chat}_OTHERID12345` } }, // another message's
      { ...base, id: { id: 'ABCDEF123456', _serialized: `true_${chat}_ABCDEF123456` } }, // one of ours
      { ...base, id: { id: 'ABCDEF123456', _serialized: 42 as unknown as string } },
      { ...base, id: { id: 'ABCDEF123456' } },
      { ...base, id: { id: 'ABCDEF123456', _serialized: `false_${chat}_ABCDEF123456` }, hasMedia: false },
    ];
    for (const m of bad) {
      const body = messageToBody(m);
      expect(body, JSON.stringify(m.id)).toMatchObject({ kind: 'message', chat, media: 'photo', text: 'lowongan' });
      expect(body!.picture, JSON.stringify(m.id)).toBeUndefined();
    }
    // A size or type that is not sane is left out; the picture stays.
    const odd = messageToBody({ ...base, id: { id: 'ABCDEF123456', _serialized: `false_${chat}_ABCDEF123456` }, _data: { mimetype: 'text/html', size: -3 } });
    expect(odd!.picture).toEqual({ msg: `false_${chat}_ABCDEF123456` });
  });
});

describe('a picture sent through the linked phone, through a whole process (real OCR)', () => {
  it('a flyer sent as a photo gets "reading…", then the verdict quoting its words', async () => {
    const wa = new FakeWhatsapp();
    const prefix = testPrefix('wweb-picture-e2e');
    const config = loadConfig({
      REDIS_URL,
      REDIS_PREFIX: prefix,
      HASH_SECRET: 'e2e-hash-secret-0123456789',
      DATA_ENCRYPTION_KEY: DATA_KEY,
      WHATSAPP_WEB_ENABLED: 'true',
      WHATSAPP_WEB_SECONDS_PER_CHAT: '0.05',
      WHATSAPP_WEB_RATE_PER_MINUTE: '600',
      WHATSAPP_WEB_JITTER_MS: '0',
      PORT: '0',
    });
    const app = await startWaspada({ ...config, whatsappWeb: { client: wa.factory, showQr: wa.showQr } }, { host: '127.0.0.1', content });
    try {
      const channel = app.channels.get('whatsapp-web') as WhatsappWebChannel;
      await waitUntil(() => channel.linkState === 'ready');
      const chat = newChat();
      wa.message(chat, 'halo');
      const before = (await wa.until(chat, 1)).length;
      const msg = wa.picture(chat, await drawText(OFFER, { jpeg: 85 }));
      await expect.poll(() => wa.sent(chat).join('\n'), { timeout: 60_000, interval: 50 }).toContain('RISIKO TINGGI');
      const said = wa.sent(chat).slice(before);
      expect(said[0]).toBe(t('conversation.picture_reading'));
      expect(said.join('\n')).toMatch(/Sihanoukville|visa turis/);
      expect(wa.downloads).toEqual([msg.id!._serialized]);
    } finally {
      await app.close(2000);
      const r = plainRedis();
      await dropPrefix(r, prefix);
      r.disconnect();
    }
  });
});
