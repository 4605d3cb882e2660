// Pictures people send on the WhatsApp Cloud API, fetched when their message is handled: the channel
// keeps the media id in the inbox, and the picture it hands the conversation asks the fake Graph API
// for the media URL (bearer token), refuses by Meta's file_size, then downloads the URL with the same
// token, capped; Meta's errors become PictureProblem. The channel runs on real Redis.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWebhook, whatsappCloud, type WhatsAppCloudChannel, type WhatsAppCloudSettings } from '../../src/channels/whatsapp-cloud.js';
import { loadContent } from '../../src/content/index.js';
import { PICTURE_MAX_BYTES } from '../../src/conversation/picture.js';
import { silentLogger } from '../../src/log.js';
import { RedisRecipients } from '../../src/outbox/recipients.js';
import { keyspace } from '../../src/store/keys.js';
import { connectRedis } from '../../src/store/redis.js';
import { startFakeGraph, type FakeGraph } from '../fakes/whatsapp-cloud-api.js';
import { drawText } from '../helpers/pictures.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { msg, startWhatsAppHarness, WA, wamid, webhook, type WaHarness } from '../helpers/whatsapp.js';
import { jpeg, KeepingInbox, MB, OFFER, png, problem, type ReadBack } from './picture-helpers.js';

const content = loadContent();
const t = (key: string) => content.texts.t('id', key);

let n = 6281290000000;
const person = () => String(++n);
const stamp = () => String(Math.floor(Date.now() / 1000));
/** An image message as Meta's webhook carries it (the `image` part given). */
const image = (from: string, part: Record<string, unknown>) => ({ from, id: wamid(), timestamp: stamp(), type: 'image', image: part });
const document = (from: string, part: Record<string, unknown>) => ({ from, id: wamid(), timestamp: stamp(), type: 'document', document: part });

describe('the WhatsApp Cloud API channel fetches the pictures people send', () => {
  const prefix = testPrefix('wa-picture');
  const keys = keyspace(prefix);
  let redis: Redis;
  let fake: FakeGraph;
  let channel: WhatsAppCloudChannel;
  const inbox = new KeepingInbox();
  const settings = (over: Partial<WhatsAppCloudSettings> = {}): WhatsAppCloudSettings => ({
    WHATSAPP_ACCESS_TOKEN: WA.token,
    WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId,
    WHATSAPP_APP_SECRET: WA.appSecret,
    WHATSAPP_VERIFY_TOKEN: WA.verifyToken,
    WHATSAPP_CLOUD_API_ROOT: fake.apiRoot,
    WHATSAPP_RATE_GLOBAL: 1000,
    WHATSAPP_SECONDS_PER_CHAT: 0.01,
    WHATSAPP_BURST_PER_CHAT: 20,
    WHATSAPP_REFUSED_RETRY_SECONDS: 60,
    ...over,
  });
  const makeChannel = (over: Partial<WhatsAppCloudSettings> = {}) =>
    whatsappCloud.create({ settings: settings(over), inbox: inbox as never, recipients: new RedisRecipients(redis, keys), log: silentLogger, redis, keys }) as WhatsAppCloudChannel;

  /** A webhook post with one message, accepted; what another process reads of it from the inbox. */
  async function received(message: Record<string, unknown>, via = channel): Promise<ReadBack> {
    const before = inbox.stored.length;
    await via.accept(readWebhook(webhook([message]), WA.phoneNumberId));
    expect(inbox.stored.length).toBe(before + 1);
    return inbox.readBack(via);
  }
  const mediaCalls = () => fake.calls.filter((c) => 'media' in c.body);

  beforeAll(async () => {
    fake = await startFakeGraph({ token: WA.token, phoneNumberId: WA.phoneNumberId });
    redis = await connectRedis(REDIS_URL);
    channel = makeChannel();
  });
  afterAll(async () => {
    await fake?.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it("an image's bytes are fetched exactly as sent, with its caption as the text", async () => {
    const bytes = await jpeg(800, 600);
    const id = fake.receive(bytes, 'image/jpeg');
    const r = await received(image(person(), { caption: 'Lowongan di Kamboja, gaji 15 juta', mime_type: 'image/jpeg', sha256: 'x', id }));
    expect(r).toMatchObject({ media: 'photo', text: 'Lowongan di Kamboja, gaji 15 juta' });
    expect(r.body.picture).toEqual({ id, mime: 'image/jpeg' });
    expect(r.picture!.mime).toBe('image/jpeg');
    expect((await r.picture!.fetch(PICTURE_MAX_BYTES)).equals(bytes)).toBe(true);
    // The media URL asked for with the token, then downloaded with it.
    expect(mediaCalls().at(-1)).toMatchObject({ status: 200, auth: `Bearer ${WA.token}`, body: { media: id } });
    expect(fake.downloads.at(-1)).toEqual({ id, status: 200, bytes: bytes.length });
  });

  it('an image sent as a document is fetched; a PDF carries no picture', async () => {
    const bytes = await png(320, 240);
    const id = fake.receive(bytes, 'image/png');
    const r = await received(document(person(), { filename: 'loker.png', mime_type: 'image/png', sha256: 'x', id }));
    expect(r.media).toBe('image');
    expect((await r.picture!.fetch(PICTURE_MAX_BYTES)).equals(bytes)).toBe(true);
    const pdf = await received(document(person(), { filename: 'kontrak.pdf', mime_type: 'application/pdf', sha256: 'x', id: fake.receive(Buffer.from('%PDF'), 'application/pdf') }));
    expect(pdf.media).toBe('document');
    expect(pdf.picture).toBeUndefined();
  });

  it('each fetch asks for a new media URL: one expired since is never used', async () => {
    const bytes = await jpeg(100, 100);
    const r = await received(image(person(), { mime_type: 'image/jpeg', id: fake.receive(bytes, 'image/jpeg') }));
    expect((await r.picture!.fetch(PICTURE_MAX_BYTES)).equals(bytes)).toBe(true);
    fake.expireMediaUrls();
    const urls = mediaCalls().length;
    expect((await r.picture!.fetch(PICTURE_MAX_BYTES)).equals(bytes)).toBe(true);
    expect(mediaCalls().length).toBe(urls + 1);
  });

  it("a picture over 5 MB is refused by Meta's file_size, without downloading it", async () => {
    const downloads = fake.downloads.length;
    const r = await received(image(person(), { mime_type: 'image/jpeg', id: fake.receive(6 * MB, 'image/jpeg') }));
    // The webhook does not say the size: the media URL's answer does.
    expect(r.picture!.bytes).toBeUndefined();
    expect((await problem(r.picture!.fetch(PICTURE_MAX_BYTES))).kind).toBe('too_large');
    expect(fake.downloads.length).toBe(downloads);
    // A document of 60 MB, likewise.
    const doc = await received(document(person(), { mime_type: 'image/png', id: fake.receive(60 * MB, 'image/png') }));
    expect((await problem(doc.picture!.fetch(PICTURE_MAX_BYTES))).kind).toBe('too_large');
    expect(fake.downloads.length).toBe(downloads);
  });

  it('a type Waspada does not read is refused without a download', async () => {
    const downloads = fake.downloads.length;
    const heic = await received(document(person(), { mime_type: 'image/heic', id: fake.receive(Buffer.from('....ftypheic'), 'image/heic') }));
    expect(heic.media).toBe('image');
    expect((await problem(heic.picture!.fetch(PICTURE_MAX_BYTES))).kind).toBe('unsupported');
    expect(fake.downloads.length).toBe(downloads);
  });

  it("Meta's errors and a network failure become 'unavailable'", async () => {
    const bytes = await jpeg(64, 64);
    const fresh = async (via = channel) => (await received(image(person(), { mime_type: 'image/jpeg', id: fake.receive(bytes, 'image/jpeg') }), via)).picture!;
    // A media id Meta does not have (expired after 7 days, or never ours).
    const unknown = await received(image(person(), { mime_type: 'image/jpeg', id: '1234567890123456' }));
    expect(await problem(unknown.picture!.fetch(PICTURE_MAX_BYTES))).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/does not exist/) });
    fake.failNextMedia(1, 500, 2, 'Service temporarily unavailable');
    expect((await problem((await fresh()).fetch(PICTURE_MAX_BYTES))).kind).toBe('unavailable');
    fake.failNextMedia(1, 502);
    expect((await problem((await fresh()).fetch(PICTURE_MAX_BYTES))).kind).toBe('unavailable');
    fake.failNextDownloads(1, 404);
    expect((await problem((await fresh()).fetch(PICTURE_MAX_BYTES))).kind).toBe('unavailable');
    fake.failNextDownloads(1, 503);
    expect((await problem((await fresh()).fetch(PICTURE_MAX_BYTES))).kind).toBe('unavailable');
    const away = makeChannel({ WHATSAPP_CLOUD_API_ROOT: 'http://127.0.0.1:9/v23.0' });
    expect((await problem((await fresh(away)).fetch(PICTURE_MAX_BYTES))).kind).toBe('unavailable');
    expect((await problem((await fresh()).fetch(PICTURE_MAX_BYTES, AbortSignal.abort()))).kind).toBe('unavailable');
  });

  it('a refused access token is unavailable and shows in health, as for a send', async () => {
    const own = makeChannel();
    const r = await received(image(person(), { mime_type: 'image/jpeg', id: fake.receive(await jpeg(32, 32), 'image/jpeg') }), own);
    fake.tokenValid = false;
    try {
      expect((await problem(r.picture!.fetch(PICTURE_MAX_BYTES))).kind).toBe('unavailable');
      expect(own.health()).toMatchObject({ token: 'refused' });
    } finally {
      fake.tokenValid = true;
    }
  });

  it('the access token never shows in an error message', async () => {
    const bytes = await jpeg(32, 32);
    const other = 'EAAGanotherAccessToken0123456789xyz';
    const messages: string[] = [];
    for (const via of [makeChannel({ WHATSAPP_ACCESS_TOKEN: other }), makeChannel({ WHATSAPP_CLOUD_API_ROOT: 'http://127.0.0.1:9/v23.0' }), channel]) {
      fake.failNextDownloads(via === channel ? 1 : 0, 401);
      const r = await received(image(person(), { mime_type: 'image/jpeg', id: fake.receive(bytes, 'image/jpeg') }), via);
      messages.push((await problem(r.picture!.fetch(PICTURE_MAX_BYTES))).message);
    }
    expect(messages[0]).toMatch(/190/);
    for (const m of messages) {
      expect(m).not.toContain(WA.token);
      expect(m).not.toContain(other);
    }
  });

  it('malformed picture fields leave the message an image without a picture', () => {
    const from = person();
    const parts: Record<string, unknown>[] = [
      { mime_type: 'image/jpeg' },
      { id: 1003383421387256, mime_type: 'image/jpeg' },
      { id: 'has spaces', mime_type: 'image/jpeg' },
      { id: '1'.repeat(300), mime_type: 'image/jpeg' },
      { id: '1003383421387256', mime_type: 42 },
      { id: '1003383421387256', mime_type: 'text/html' },
    ];
    for (const part of parts) {
      const { messages } = readWebhook(webhook([image(from, { ...part, caption: 'lowongan' })]), WA.phoneNumberId);
      expect(messages, JSON.stringify(part)).toHaveLength(1);
      expect(messages[0]!.body, JSON.stringify(part)).toMatchObject({ kind: 'message', media: 'photo', text: 'lowongan' });
      expect(messages[0]!.body.picture, JSON.stringify(part)).toBeUndefined();
    }
    const { messages } = readWebhook(webhook([{ from, id: wamid(), timestamp: stamp(), type: 'image', image: 'not an object' }]), WA.phoneNumberId);
    expect(messages[0]!.body).toEqual({ kind: 'message', user: from, media: 'photo' });
  });
});

describe('a picture sent on the WhatsApp Cloud API, through a whole process (real OCR)', () => {
  let h: WaHarness;
  beforeAll(async () => {
    h = await startWhatsAppHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a flyer sent as an image gets "reading…", then the verdict quoting its words', async () => {
    const user = person();
    await h.post(webhook([msg.text(user, 'halo')]));
    const before = (await h.until(user, 1)).length;
    const id = h.fake.receive(await drawText(OFFER, { jpeg: 85 }), 'image/jpeg');
    expect((await h.post(webhook([image(user, { mime_type: 'image/jpeg', sha256: 'x', id })]))).status).toBe(200);
    await h.fake.waitFor(() => h.texts(user).join('\n').includes('RISIKO TINGGI'), 60_000);
    const said = h.texts(user).slice(before);
    expect(said[0]).toBe(t('conversation.picture_reading'));
    expect(said.join('\n')).toMatch(/Sihanoukville|visa turis/);
    expect(h.fake.downloads.filter((d) => d.id === id)).toEqual([{ id, status: 200, bytes: expect.any(Number) }]);
  });

  it('an image with a malformed media id is still answered, without a download', async () => {
    const user = person();
    const asked = h.fake.calls.filter((c) => 'media' in c.body).length;
    expect((await h.post(webhook([image(user, { mime_type: 'image/jpeg', id: 'not a media id!' })]))).status).toBe(200);
    expect((await h.until(user, 1)).length).toBeGreaterThanOrEqual(1);
    expect(h.fake.calls.filter((c) => 'media' in c.body)).toHaveLength(asked);
  });
});
