// Pictures people send on Telegram, fetched when their message is handled: the channel keeps the
// file_id (of the largest photo size that fits) in the inbox, and the picture it hands the conversation
// fetches it from the fake Bot API (getFile, then the download), capped, with Telegram's errors mapped
// to PictureProblem. The channel runs on real Redis under this file's own key prefix.
import type { Redis } from 'ioredis';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { PICTURE_MAX_BYTES } from '../../src/conversation/picture.js';
import { telegram, updateToBody, type TelegramChannel, type TelegramSettings } from '../../src/channels/telegram.js';
import { pictureOf, telegramPicture } from '../../src/channels/telegram-picture.js';
import { silentLogger } from '../../src/log.js';
import { RedisRecipients } from '../../src/outbox/recipients.js';
import { keyspace } from '../../src/store/keys.js';
import { connectRedis } from '../../src/store/redis.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { drawText } from '../helpers/pictures.js';
import { jpeg, KeepingInbox, MB, OFFER, png, problem, type ReadBack } from './picture-helpers.js';
import { startHarness, TOKEN, type Harness } from '../helpers/telegram.js';

const content = loadContent();
const t = (key: string) => content.texts.t('id', key);
const SETTINGS: TelegramSettings = {
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_MODE: 'webhook',
  TELEGRAM_API_ROOT: '',
  TELEGRAM_RATE_PER_CHAT: 1000,
  TELEGRAM_BURST_PER_CHAT: 10,
  TELEGRAM_RATE_GLOBAL: 100_000,
};

let seq = 920_000;
/** A private message (from a new person unless `user` is given), with what it carries (photo, document, caption…). */
function message(fields: Record<string, unknown>, chat?: number) {
  const n = ++seq;
  const user = chat ?? n;
  return {
    update_id: n,
    message: { message_id: n, date: Math.floor(Date.now() / 1000), chat: { id: user, type: 'private', first_name: 'U' }, from: { id: user, is_bot: false, first_name: 'U', language_code: 'id' }, ...fields },
  };
}

describe('Telegram fetches the pictures people send', () => {
  const prefix = testPrefix('tg-picture');
  const keys = keyspace(prefix);
  let redis: Redis;
  let fake: FakeTelegram;
  let channel: TelegramChannel;
  const inbox = new KeepingInbox();
  const makeChannel = (settings: Partial<TelegramSettings> = {}) =>
    telegram.create({ settings: { ...SETTINGS, TELEGRAM_API_ROOT: fake.apiRoot, ...settings }, inbox: inbox as never, recipients: new RedisRecipients(redis, keys), log: silentLogger, redis, keys }) as TelegramChannel;

  /** Accepts an update as the webhook does; what another process reads of it from the inbox. */
  async function received(update: object, via = channel): Promise<ReadBack> {
    expect(await via.accept(update as never)).toBe('queued');
    return inbox.readBack(via);
  }
  const gets = () => fake.calls.filter((c) => c.method === 'getFile').length;

  beforeAll(async () => {
    fake = await startFakeTelegram({ token: TOKEN });
    redis = await connectRedis(REDIS_URL);
    channel = makeChannel();
  });
  afterAll(async () => {
    await fake?.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it("a photo's bytes are fetched exactly as uploaded, with its caption as the text", async () => {
    const bytes = await jpeg(640, 480);
    const r = await received(message({ photo: fake.userPhoto([{ width: 640, height: 480, bytes }]), caption: 'Lowongan kerja di Kamboja, gaji 15 juta' }));
    expect(r.media).toBe('photo');
    expect(r.text).toBe('Lowongan kerja di Kamboja, gaji 15 juta');
    expect(r.picture).toMatchObject({ bytes: bytes.length, mime: 'image/jpeg' });
    const got = await r.picture!.fetch(PICTURE_MAX_BYTES);
    expect(got.equals(bytes)).toBe(true);
    expect(fake.downloads.at(-1)).toMatchObject({ status: 200, bytes: bytes.length });
  });

  it('of the sizes Telegram sends, the largest within 5 MB is the one kept and fetched', async () => {
    const small = await jpeg(90, 68);
    const middle = await jpeg(1280, 960);
    const sizes = fake.userPhoto([
      { width: 90, height: 68, bytes: small },
      { width: 1280, height: 960, bytes: middle },
      { width: 2560, height: 1920, bytes: 6 * MB },
    ]);
    // Telegram does not promise an order: the sizes are looked at, not their places.
    const r = await received(message({ photo: [sizes[2], sizes[0], sizes[1]] }));
    expect(r.body.picture).toEqual({ file_id: sizes[1]!.file_id, file_size: middle.length, width: 1280, height: 960 });
    const before = fake.downloads.length;
    expect((await r.picture!.fetch(PICTURE_MAX_BYTES)).equals(middle)).toBe(true);
    expect(fake.downloads.slice(before)).toEqual([expect.objectContaining({ file_id: sizes[1]!.file_id, status: 200 })]);
  });

  it('a size over 25 megapixels is passed over for a smaller one', () => {
    const photo = [
      { file_id: 'AgACAgQAAxkBAAIBsmallsize', file_unique_id: 'a', width: 800, height: 600, file_size: 90_000 },
      { file_id: 'AgACAgQAAxkBAAIBhugesize0', file_unique_id: 'b', width: 8000, height: 4000, file_size: 3 * MB },
    ];
    expect(pictureOf({ photo })).toEqual({ file_id: 'AgACAgQAAxkBAAIBsmallsize', width: 800, height: 600, file_size: 90_000 });
  });

  it('an image sent as a file is fetched with the type Telegram gives', async () => {
    const bytes = await png(300, 200);
    const r = await received(message({ document: fake.userDocument(bytes, 'image/png', 'lowongan.png'), caption: 'cek ini' }));
    expect(r.media).toBe('image');
    expect(r.body.picture).toEqual({ file_id: expect.any(String), file_size: bytes.length, mime_type: 'image/png' });
    expect(r.picture).toMatchObject({ bytes: bytes.length, mime: 'image/png' });
    expect((await r.picture!.fetch(PICTURE_MAX_BYTES)).equals(bytes)).toBe(true);
  });

  it('a file that is not an image carries no picture', async () => {
    const r = await received(message({ document: fake.userDocument(Buffer.from('%PDF-1.7'), 'application/pdf', 'kontrak.pdf') }));
    expect(r.media).toBe('document');
    expect(r.picture).toBeUndefined();
  });

  it('a picture over 5 MB is refused as too_large without downloading it', async () => {
    const calls = gets();
    const downloads = fake.downloads.length;
    // Every size over the limit: the largest is kept, with its size, and refused by it.
    const sizes = fake.userPhoto([{ width: 1280, height: 960, bytes: 5 * MB + 1 }, { width: 2560, height: 1920, bytes: 9 * MB }]);
    const photo = await received(message({ photo: sizes }));
    expect(photo.picture!.bytes).toBe(9 * MB);
    expect((await problem(photo.picture!.fetch(PICTURE_MAX_BYTES))).kind).toBe('too_large');
    // An image file of 7 MB.
    const file = await received(message({ document: fake.userDocument(7 * MB, 'image/jpeg') }));
    expect((await problem(file.picture!.fetch(PICTURE_MAX_BYTES))).kind).toBe('too_large');
    expect(gets()).toBe(calls);
    expect(fake.downloads.length).toBe(downloads);
  });

  it("a file's size known only from getFile is refused before the download; over 20 MB Telegram itself refuses", async () => {
    const downloads = fake.downloads.length;
    // The update does not say the size (file_size is optional): getFile does.
    const { file_size: _, ...unsized } = fake.userDocument(6 * MB, 'image/png');
    const six = await received(message({ document: unsized }));
    expect(six.picture!.bytes).toBeUndefined();
    expect((await problem(six.picture!.fetch(PICTURE_MAX_BYTES))).kind).toBe('too_large');
    // Over the Bot API's 20 MB: "Bad Request: file is too big".
    const { file_size: __, ...huge } = fake.userDocument(21 * MB, 'image/jpeg');
    const big = await received(message({ document: huge }));
    const p = await problem(big.picture!.fetch(PICTURE_MAX_BYTES));
    expect(p.kind).toBe('too_large');
    expect(p.message).toMatch(/file is too big/);
    expect(fake.calls.filter((c) => c.method === 'getFile').slice(-2).map((c) => c.status)).toEqual([200, 400]);
    expect(fake.downloads.length).toBe(downloads);
  });

  it('a picture bigger than the update said is cut off at 5 MB', async () => {
    const [size] = fake.userPhoto([{ width: 1280, height: 960, bytes: 6 * MB }]);
    const r = await received(message({ photo: [{ ...size, file_size: 200_000 }] }));
    expect(r.picture!.bytes).toBe(200_000);
    // getFile tells the truth: refused before the download.
    expect((await problem(r.picture!.fetch(PICTURE_MAX_BYTES))).kind).toBe('too_large');
    // Without getFile's size (it is optional), the download itself is cut off.
    fake.fileSizes = false;
    try {
      const downloads = fake.downloads.length;
      expect((await problem(r.picture!.fetch(PICTURE_MAX_BYTES))).kind).toBe('too_large');
      expect(fake.downloads.length).toBe(downloads + 1);
    } finally {
      fake.fileSizes = true;
    }
  });

  it("Telegram's errors and a network failure become 'unavailable'", async () => {
    const bytes = await jpeg(200, 100);
    const fresh = async () => (await received(message({ photo: fake.userPhoto([{ width: 200, height: 100, bytes }]) }))).picture!;
    fake.failNext('getFile', 1, { code: 500 });
    expect((await problem((await fresh()).fetch(PICTURE_MAX_BYTES))).kind).toBe('unavailable');
    fake.failNext('getFile', 1, { code: 429, retryAfter: 3 });
    expect((await problem((await fresh()).fetch(PICTURE_MAX_BYTES))).kind).toBe('unavailable');
    fake.failNext('download', 1, { code: 500 });
    expect((await problem((await fresh()).fetch(PICTURE_MAX_BYTES))).kind).toBe('unavailable');
    // A file_id Telegram does not know ("Bad Request: invalid file_id").
    const unknown = await received(message({ photo: [{ file_id: 'AgACAgQAAxkBAAIBnotissued', file_unique_id: 'x', width: 10, height: 10, file_size: 100 }] }));
    const p = await problem(unknown.picture!.fetch(PICTURE_MAX_BYTES));
    expect(p).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/invalid file_id/) });
    // Nothing listens at the API root.
    const away = makeChannel({ TELEGRAM_API_ROOT: 'http://127.0.0.1:9' });
    const gone = await received(message({ photo: fake.userPhoto([{ width: 200, height: 100, bytes }]) }), away);
    expect((await problem(gone.picture!.fetch(PICTURE_MAX_BYTES))).kind).toBe('unavailable');
    // Given up when asked to.
    expect((await problem((await fresh()).fetch(PICTURE_MAX_BYTES, AbortSignal.abort()))).kind).toBe('unavailable');
  });

  it('the token never shows in an error message', async () => {
    const bytes = await jpeg(64, 64);
    const messages: string[] = [];
    const fail = async (via: TelegramChannel) => {
      const r = await received(message({ photo: fake.userPhoto([{ width: 64, height: 64, bytes }]) }), via);
      messages.push((await problem(r.picture!.fetch(PICTURE_MAX_BYTES))).message);
    };
    // A wrong token: getFile answers 401.
    const otherToken = '987654321:AAF-some-other-token-0123456789abc';
    await fail(makeChannel({ TELEGRAM_BOT_TOKEN: otherToken }));
    // An API root that is not a URL fetch takes: its message quotes the whole URL, token and all.
    const [size] = fake.userPhoto([{ width: 64, height: 64, bytes }]);
    messages.push((await problem(telegramPicture({ file_id: size!.file_id }, 'http://bad host', TOKEN).fetch(PICTURE_MAX_BYTES))).message);
    await fail(makeChannel({ TELEGRAM_API_ROOT: 'http://127.0.0.1:9' }));
    fake.failNext('download', 1, { code: 500 });
    await fail(channel);
    expect(messages).toHaveLength(4);
    for (const m of messages) {
      expect(m).not.toContain(TOKEN);
      expect(m).not.toContain(otherToken);
      expect(m).not.toContain(TOKEN.split(':')[1]);
    }
    expect(messages[1]).toContain('<secret>');
  });

  it('malformed picture fields leave the message a photo without a picture', () => {
    const good = { file_id: 'AgACAgQAAxkBAAIBgoodsize0', file_unique_id: 'g', width: 90, height: 90, file_size: 1000 };
    const bad: unknown[] = [
      'not an array',
      [{ ...good, file_id: 12345 }],
      [{ ...good, file_id: 'has spaces in it' }],
      [{ ...good, file_id: 'x'.repeat(300) }],
      [{ ...good, file_size: -1 }],
      [{ ...good, file_size: 1.5 }],
      [{ ...good, file_size: '1000' }],
      [{ ...good, file_size: 2 ** 60 }],
      [{ ...good, width: 'wide' }],
      [{ ...good, height: 0 }],
      [null, 7, []],
      [],
    ];
    for (const photo of bad) {
      const body = updateToBody(message({ photo, caption: 'lowongan' }) as never);
      expect(body, JSON.stringify(photo)).toMatchObject({ kind: 'message', media: 'photo', text: 'lowongan' });
      expect(body!.picture, JSON.stringify(photo)).toBeUndefined();
    }
    // A malformed size among good ones is passed over.
    expect(updateToBody(message({ photo: [{ ...good, file_id: 5 }, good] }) as never)!.picture).toEqual({ file_id: good.file_id, width: 90, height: 90, file_size: 1000 });
    const docs: unknown[] = [
      { file_id: 'BQACAgQAAxkBAAIBdocument', mime_type: 'image/png', file_size: 'big' },
      { file_id: 'BQACAgQAAxkBAAIBdocument', mime_type: 'image/png', file_size: -4 },
      { file_id: '../../etc/passwd', mime_type: 'image/png' },
      { mime_type: 'image/png' },
    ];
    for (const document of docs) {
      const body = updateToBody(message({ document }) as never);
      expect(body, JSON.stringify(document)).toMatchObject({ kind: 'message', media: 'image' });
      expect(body!.picture, JSON.stringify(document)).toBeUndefined();
    }
  });

});

describe('a picture sent on Telegram, through a whole process (real OCR)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a flyer sent as a photo gets "reading…", then the verdict quoting its words', async () => {
    const update = message({ text: '/start' });
    const chat = update.message.chat.id;
    await h.post(update);
    const before = (await h.until(chat, 1)).length;
    const bytes = await drawText(OFFER, { jpeg: 85 });
    const { width, height } = await sharp(bytes).metadata();
    expect((await h.post(message({ photo: h.fake.userPhoto([{ width: width!, height: height!, bytes }]) }, chat))).status).toBe(200);
    await h.fake.waitFor(() => h.texts(chat).join('\n').includes('RISIKO TINGGI'), 60_000);
    const said = h.texts(chat).slice(before);
    expect(said[0]).toBe(t('conversation.picture_reading'));
    expect(said.join('\n')).toMatch(/Sihanoukville|visa turis/);
    expect(h.fake.downloads.filter((d) => d.status === 200)).toHaveLength(1);
  });

  it('a photo with malformed fields is still answered', async () => {
    const update = message({ photo: [{ file_id: 42, width: 'x' }] });
    expect((await h.post(update)).status).toBe(200);
    const texts = await h.until(update.message.chat.id, 1);
    expect(texts.length).toBeGreaterThanOrEqual(1);
    expect(h.fake.calls.filter((c) => c.method === 'getFile' && c.body.file_id === 42)).toHaveLength(0);
  });
});
