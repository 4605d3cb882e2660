// A picture of a job offer sent in the chat: "reading…", what was read, then the checker's verdict, as
// for the same offer pasted as text. Real OCR (tesseract.js, one worker), real Redis.
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { PictureProblem, type PictureSource } from '../../src/conversation/picture.js';
import { ConversationService, type Inbound } from '../../src/conversation/service.js';
import { PictureReader } from '../../src/ocr/index.js';
import { connectRedis } from '../../src/store/redis.js';
import { drawNoText, drawText } from '../helpers/pictures.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { redisStores } from '../helpers/stores.js';

const content = loadContent();
const t = (key: string, vars?: Record<string, unknown>) => content.texts.t('id', key, vars);
const OFFER =
  'LOWONGAN KERJA KAMBOJA\nAdmin CS di Sihanoukville, gaji 18 juta per bulan, tanpa pengalaman. Tiket dan visa turis ditanggung perusahaan. Berangkat minggu depan, hubungi WA 0812-7788-9900 segera, slot terbatas!';

/** A picture as a channel gives it, counting its downloads. */
function source(bytes: Buffer | (() => never), size?: number): PictureSource & { fetched: number } {
  const s = {
    fetched: 0,
    bytes: size,
    async fetch(max: number) {
      s.fetched++;
      if (typeof bytes === 'function') return bytes();
      if (bytes.length > max) throw new PictureProblem('too_large', 'over the limit');
      return bytes;
    },
  };
  return s;
}

let n = 0;

describe('a picture of a job offer in the chat', () => {
  let redis: Redis;
  let prefix: string;
  let reader: PictureReader;
  let service: ConversationService;
  /** Everything the service logged, as written. */
  let logged = '';
  const send = (user: string, extra: Partial<Inbound>) =>
    service.handle({ channel: 'test', userId: user, messageId: `p${++n}`, langHint: 'id', ...extra });
  const texts = (r: { replies: { text: string }[] }) => r.replies.map((x) => x.text);
  const atMenu = async (user: string) => {
    await send(user, { text: 'halo' });
    const r = await send(user, { text: '1' });
    expect(r.replies.at(-1)!.text).toBe(t('main.title'));
    return user;
  };

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    prefix = testPrefix('picchat');
    reader = new PictureReader({ workers: 1, queue: 4 });
    const sink = new Writable({ write: (c: Buffer, _e, done) => ((logged += c.toString()), done()) });
    const log = pino({ level: 'trace' }, sink);
    service = new ConversationService({ ...redisStores(redis, prefix), content, hashSecret: 'test-hash-secret-0123456789', pictures: reader, log });
  });
  afterAll(async () => {
    await reader.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('is read and checked: "reading…", the first lines read, then the same verdict as the pasted text', async () => {
    const u = await atMenu('flyer');
    const pic = source(await drawText(OFFER, { jpeg: 80, rotate: 1 }));
    const r = await send(u, { media: 'photo', picture: pic });
    expect(pic.fetched).toBe(1);
    const said = texts(r);
    expect(said[0]).toBe(t('conversation.picture_reading'));
    expect(said[1]).toMatch(/LOWONGAN KERJA KAMBOJA/);
    expect(said[1]).toContain(t('engine.picture.read', { excerpt: '' }).split('«')[0]!);
    const pasted = await send(await atMenu('pasted'), { text: OFFER });
    expect(said.join('\n')).toContain('RISIKO TINGGI');
    expect(texts(pasted)[0]).toContain('RISIKO TINGGI');
    // The verdict quotes the picture's words.
    expect(said.join('\n')).toMatch(/Sihanoukville|visa turis/);
  });

  it('its caption is checked with it', async () => {
    const u = await atMenu('captioned');
    const pic = source(await drawText('Dibutuhkan admin CS.\nGaji 18 juta per bulan, tanpa pengalaman.'));
    const r = await send(u, { media: 'photo', text: 'Lokasi kerja Kamboja, tiket dan visa turis ditanggung, WA 0812-7788-9900', picture: pic });
    expect(texts(r).join('\n')).toContain('RISIKO TINGGI');
  });

  it('mid-question, the person is asked first whether to check it, and the question stays', async () => {
    const u = await atMenu('midq');
    await send(u, { text: '2' });
    const asked = await send(u, { text: '7' });
    expect(asked.replies.at(-1)!.text).toBe(t('guide.country.ask'));
    const r = await send(u, { media: 'image', picture: source(await drawText(OFFER)) });
    expect(texts(r)[0]).toBe(t('conversation.picture_reading'));
    expect(texts(r).at(-1)).toContain(t('engine.offer.confirm'));
    const yes = await send(u, { text: t('engine.offer.yes') });
    expect(texts(yes).join('\n')).toContain('RISIKO TINGGI');
  });

  it('a picture without writing gets a kind reply asking for the text; the menu stays', async () => {
    const u = await atMenu('landscape');
    const r = await send(u, { media: 'photo', picture: source(await drawNoText()) });
    expect(texts(r)).toEqual([t('conversation.picture_reading'), `${t('engine.picture.no_text')}\n\n${t('main.title')}`]);
  });

  it('a picture the platform says is over 5 MB is refused without downloading it', async () => {
    const u = await atMenu('huge');
    const pic = source(Buffer.alloc(10), 6 * 1024 * 1024);
    const r = await send(u, { media: 'photo', picture: pic });
    expect(pic.fetched).toBe(0);
    expect(texts(r).at(-1)).toContain(t('engine.picture.too_large'));
  });

  it('a download that fails says so and asks to send it again', async () => {
    const u = await atMenu('gone');
    const r = await send(u, { media: 'photo', picture: source(() => { throw new PictureProblem('unavailable', 'HTTP 502'); }) });
    expect(texts(r).at(-1)).toContain(t('engine.picture.unavailable'));
  });

  it('a file that is not a picture is refused by its bytes, whatever it claims', async () => {
    const u = await atMenu('notpic');
    const r = await send(u, { media: 'image', picture: source(Buffer.from('%PDF-1.7 this is a document, not a picture')) });
    expect(texts(r).at(-1)).toContain(t('engine.picture.not_picture'));
  });

  it('a plea in the caption is answered at once, without reading the picture', async () => {
    const u = await atMenu('plea');
    const pic = source(await drawText(OFFER));
    const r = await send(u, { media: 'photo', text: 'tolong saya', picture: pic });
    expect(pic.fetched).toBe(0);
    expect(texts(r).join('\n')).not.toContain(t('conversation.picture_reading'));
    expect(texts(r).join('\n')).toContain(t('emergency.intro'));
  });

  it('the same message delivered twice is read once and answered once', async () => {
    const u = await atMenu('twice');
    const pic = source(await drawText(OFFER));
    const inbound: Inbound = { channel: 'test', userId: u, messageId: 'same-picture', langHint: 'id', media: 'photo', picture: pic };
    const first = await service.handle(inbound);
    const again = await service.handle(inbound);
    expect(first.replies.length).toBeGreaterThan(1);
    expect(again).toMatchObject({ duplicate: true, replies: [] });
    expect(pic.fetched).toBe(1);
  });

  it('words in a picture never act as commands or pleas ("Help wanted", "menu"): the picture is checked as an offer', async () => {
    const u = await atMenu('words');
    const r = await send(u, { media: 'photo', picture: source(await drawText('HELP WANTED\nmenu\nKami mencari staf gudang di Surabaya, gaji UMR, kirim lamaran ke kantor kami.')) });
    const said = texts(r);
    expect(said.join('\n')).not.toContain(t('engine.emergency_alert'));
    expect(said[1]).toMatch(/HELP WANTED/);
    // A verdict came (its risk line), not the main menu that "menu" would have brought.
    expect(said.join('\n')).toMatch(/RISIKO/);
    expect(said.at(-1)).not.toBe(t('main.title'));
  });

  it('a plea in the caption that only the full reading catches (a typo: "tlong saya") is answered at once too, unread', async () => {
    const u = await atMenu('tlong');
    const pic = source(await drawText(OFFER));
    const r = await send(u, { media: 'photo', text: 'tlong saya', picture: pic });
    expect(pic.fetched).toBe(0);
    expect(texts(r)[0]).toMatch(/^🆘/);
    expect(texts(r).join('\n')).not.toContain(t('conversation.picture_reading'));
  });

  it('a plea sent while a picture is being read is answered first, without waiting for the picture', async () => {
    const u = await atMenu('while');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slow: PictureSource = { fetch: async () => { await held; return drawText(OFFER); } };
    const order: string[] = [];
    const picture = send(u, { media: 'photo', picture: slow }).then((r) => (order.push('picture'), r));
    const plea = send(u, { text: 'tolong saya disekap majikan' }).then((r) => (order.push('plea'), r));
    const answered = await plea;
    expect(texts(answered)[0]).toMatch(/^🆘/);
    release();
    const read = await picture;
    expect(order).toEqual(['plea', 'picture']);
    expect(texts(read).join('\n')).toContain('RISIKO TINGGI');
  });

  it('in safety mode, a picture still being read when the exit word closes the conversation is not answered after it', async () => {
    const u = await atMenu('exit');
    await send(u, { text: 'mode aman' });
    await send(u, { text: '1' });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slow: PictureSource = { fetch: async () => { await held; return drawText(OFFER); } };
    const picture = send(u, { media: 'photo', picture: slow });
    const exit = await send(u, { text: 'x' });
    expect(texts(exit).join('\n')).toContain(t('engine.exit.manual'));
    release();
    expect(texts(await picture)).toEqual([]);
    // A picture sent after the exit word is answered as usual.
    expect(texts(await send(u, { media: 'photo', picture: source(await drawText(OFFER)) })).join('\n')).toContain('RISIKO TINGGI');
  });

  it('logs how each picture went, and nothing of what was in it', () => {
    expect(logged).toMatch(/picture read/);
    expect(logged).toMatch(/picture not read/);
    for (const words of ['Sihanoukville', '7788', 'LOWONGAN', 'Kamboja', 'HELP WANTED', 'gudang']) expect(logged).not.toContain(words);
  });
});
