// Campaign messages on the WhatsApp Cloud API, end to end through the outbox on real Redis: approved
// templates (outside the 24-hour window too), pictures and videos uploaded once and sent by media id,
// and everything Meta would refuse refused before it is sent, with the reason.
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WhatsAppCloudChannel } from '../../src/channels/whatsapp-cloud.js';
import { MEDIA_ID_TTL_S } from '../../src/channels/whatsapp-cloud.js';
import { CAMPAIGN_TEMPLATES, campaignTextLimit, campaignTextProblem, readTemplates, renderOutbound, templateParam } from '../../src/channels/whatsapp-cloud-render.js';
import { loadContent } from '../../src/content/index.js';
import type { MediaRef, Reply } from '../../src/engine/types.js';
import { keyspace } from '../../src/store/keys.js';
import { MediaStore } from '../../src/store/media.js';
import { campaignReply } from '../../src/broadcast/campaigns.js';
import { plainRedis } from '../helpers/redis.js';
import { startWhatsAppHarness, WA, type WaHarness } from '../helpers/whatsapp.js';

const DAY = 24 * 3600_000;
const content = loadContent();

/** A valid PNG header: the signature, an IHDR chunk (its size) and IEND, each chunk with its CRC. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([len, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IEND', Buffer.alloc(0))]);
}

/** An MP4 of `size` bytes: an 'ftyp' box with brand 'isom', then one 'mdat' box (`seed` makes it unique). */
function mp4(size: number, seed: number): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypisom', 4, 'latin1');
  ftyp.writeUInt32BE(512, 12);
  ftyp.write('isommp41', 16, 'latin1');
  const mdat = Buffer.alloc(size - 24);
  mdat.writeUInt32BE(mdat.length, 0);
  mdat.write('mdat', 4, 'latin1');
  mdat.writeUInt32BE(seed, 8);
  return Buffer.concat([ftyp, mdat]);
}

/** A campaign message as the campaign side hands it over: its text, and a picture or video if it has one. */
const campaign = (text: string, media?: MediaRef): Reply => ({ say: [{ key: 'broadcast.message', vars: { text } }], campaign: true, ...(media ? { media } : {}) });

describe('campaign messages on the WhatsApp Cloud API', () => {
  let h: WaHarness;
  let channel: WhatsAppCloudChannel;
  let store: MediaStore;
  const r = plainRedis();
  let n = 6281250000000;
  let keys = 0;
  const person = () => String(++n);
  const deliver = (user: string, reply: Reply, inReplyTo = false) =>
    h.app.outbox.deliver({ channel: 'whatsapp', user }, [{ lang: 'id', reply }], { key: `campaign-test-${++keys}`, priority: inReplyTo ? 'reply' : 'bulk', inReplyTo });
  const mediaKey = (sha: string) => `${h.prefix}:{ch:whatsapp}:media:${sha}`;
  const failed = async () => (await h.app.outbox.counts(['whatsapp'])).whatsapp!.failed;
  const callsTo = (user: string) => h.fake.calls.filter((c) => c.body.to === user);

  beforeAll(async () => {
    h = await startWhatsAppHarness();
    channel = h.app.channels.get('whatsapp') as WhatsAppCloudChannel;
    store = new MediaStore(r, keyspace(h.prefix));
  });
  afterAll(async () => {
    await h.close();
    r.disconnect();
  });

  it('a campaign message to someone who has not written for days goes as the approved template and is accepted', async () => {
    const user = person();
    h.fake.wrote(user, Date.now() - 3 * DAY);
    await deliver(user, campaign('Hati-hati dengan lowongan kerja ke Kamboja yang menjanjikan gaji 15 juta.'));
    await h.until(user, 1);
    const sent = h.fake.sent(user)[0]!;
    expect(sent.type).toBe('template');
    expect(sent.body.template).toMatchObject({ name: 'waspada_alert', language: { code: 'id' }, components: [{ type: 'body' }] });
    expect(sent.params).toHaveLength(1);
    expect(sent.params![0]).toContain('Hati-hati dengan lowongan kerja ke Kamboja yang menjanjikan gaji 15 juta.');
    // The window is real: a free-form message to the same person is taken, then reported failed (131047).
    await deliver(user, { say: [{ key: 'main.title' }] });
    await h.fake.waitFor(() => h.fake.reported.some((x) => x.to === user && x.code === 131047));
    expect(h.fake.reported.filter((x) => x.id === sent.id)).toEqual([]);
  });

  it('a campaign with a picture uploads it once for 40 people and sends it by its media id in the template header', async () => {
    const picture = await store.put(png(800, 418));
    const users = Array.from({ length: 40 }, person);
    for (const u of users) h.fake.wrote(u, Date.now() - 2 * DAY);
    const uploadsBefore = h.fake.uploads.length;
    await Promise.all(users.map((u) => deliver(u, campaign('Poster ini palsu: BP2MI tidak memungut biaya pendaftaran.', picture))));
    await h.fake.waitFor(() => users.every((u) => h.fake.sent(u).length === 1), 30_000);
    const uploads = h.fake.uploads.slice(uploadsBefore);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({ mime: 'image/png', size: picture.bytes });
    for (const u of users) {
      const sent = h.fake.sent(u)[0]!;
      expect(sent.body.template).toMatchObject({
        name: 'waspada_alert_image',
        components: [{ type: 'header', parameters: [{ type: 'image', image: { id: uploads[0]!.id } }] }, { type: 'body' }],
      });
    }
    // The id is kept for every process, for less time than Meta keeps the file.
    expect(await r.get(mediaKey(picture.id))).toBe(uploads[0]!.id);
    const ttl = await r.ttl(mediaKey(picture.id));
    expect(ttl).toBeGreaterThan(MEDIA_ID_TTL_S - 60);
    expect(ttl).toBeLessThanOrEqual(30 * 24 * 3600 - 24 * 3600);
  }, 40_000);

  it('a campaign with a short video goes as the video template, the video uploaded as MP4', async () => {
    const video = await store.put(mp4(4096, 1));
    const user = person();
    const uploadsBefore = h.fake.uploads.length;
    await deliver(user, campaign('Tonton cara mengenali calo.', video));
    await h.until(user, 1);
    const [upload] = h.fake.uploads.slice(uploadsBefore);
    expect(upload).toMatchObject({ mime: 'video/mp4', size: 4096 });
    expect(h.fake.sent(user)[0]!.body.template).toMatchObject({
      name: 'waspada_alert_video',
      components: [{ type: 'header', parameters: [{ type: 'video', video: { id: upload!.id } }] }, { type: 'body' }],
    });
  });

  it('line breaks in a campaign text do not break the template (no 132018): they become visible separators', async () => {
    const user = person();
    await deliver(user, campaign('Baris satu\nBaris dua\r\n\n\tParagraf      dua'));
    await h.until(user, 1);
    expect(callsTo(user).map((c) => c.code ?? c.status)).toEqual([200]);
    const param = h.fake.sent(user)[0]!.params![0]!;
    expect(param.startsWith('Baris satu · Baris dua | Paragraf dua | ')).toBe(true);
    expect(param).not.toMatch(/[\n\r\t]| {5,}/);
    // What Meta (and the fake) does with a raw line break in a parameter:
    const raw = { type: 'template', template: { name: 'waspada_alert', language: { code: 'id' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'a\nb' }] }] } };
    const refused = await channel.send(user, JSON.stringify(raw));
    expect(refused).toMatchObject({ ok: false, kind: 'permanent' });
    expect(!refused.ok && refused.reason).toMatch(/^132018: /);
  });

  it('a campaign text too long for the template is refused before sending, with the reason', async () => {
    const user = person();
    const text = 'Jangan berangkat lewat calo tanpa dokumen resmi. '.repeat(25);
    expect(campaignTextProblem(text)).toMatch(/the WhatsApp template "waspada_alert\w*" has room for \d+/);
    expect(channel.campaignProblem({ text, campaign: true })).toMatch(/has room for \d+/);
    const before = await failed();
    await deliver(user, campaign(text));
    await expect.poll(failed).toBe(before + 1);
    expect(callsTo(user)).toEqual([]);
    // The limit is the template's room: a text of exactly that many characters is taken by Meta.
    const limit = campaignTextLimit('text');
    expect(campaignTextProblem('a'.repeat(limit + 1), 'text')).not.toBeNull();
    expect(campaignTextProblem('a'.repeat(limit), 'text')).toBeNull();
    const [fits] = channel.render({ text: 'a'.repeat(limit), campaign: true });
    expect(await channel.send(user, JSON.stringify(fits))).toMatchObject({ ok: true });
  });

  it('a media id Meta no longer knows is forgotten, and the file uploaded again', async () => {
    const picture = await store.put(png(640, 640));
    const [a, b] = [person(), person()];
    const uploadsBefore = h.fake.uploads.length;
    await deliver(a, campaign('Awas penipuan.', picture));
    await h.until(a, 1);
    const first = h.fake.sent(a)[0]!.mediaId!;
    h.fake.forgetMedia(first);
    await deliver(b, campaign('Awas penipuan.', picture));
    await h.until(b, 1, 15_000);
    // The first attempt names the forgotten id (Meta: 100), the next one the file uploaded again.
    expect(callsTo(b).map((c) => c.code ?? c.status)).toEqual([100, 200]);
    const second = h.fake.sent(b)[0]!.mediaId!;
    expect(second).not.toBe(first);
    expect(h.fake.uploads.slice(uploadsBefore).map((u) => u.id)).toEqual([first, second]);
    expect(await r.get(mediaKey(picture.id))).toBe(second);
  }, 20_000);

  it('a picture no longer kept in Redis fails for good with a clear reason, and nothing is uploaded or sent', async () => {
    const picture = await store.put(png(320, 200));
    await r.del(keyspace(h.prefix).media(picture.id));
    const user = person();
    const uploadsBefore = h.fake.uploads.length;
    const [message] = channel.render({ text: 'Awas', campaign: true, media: picture });
    const result = await channel.send(user, JSON.stringify(message));
    expect(result).toMatchObject({ ok: false, kind: 'permanent' });
    expect(!result.ok && result.reason).toMatch(/picture of this message .* is no longer kept in Redis/);
    expect(h.fake.uploads.length).toBe(uploadsBefore);
    expect(callsTo(user)).toEqual([]);
  });

  it('a video over 16 MB is refused before sending (and Meta would refuse its upload)', async () => {
    const big = mp4(16_500_000, 2);
    const video = await store.put(big);
    expect(channel.mediaProblem(video)).toBe('the video has 16.5 MB; WhatsApp takes a video of at most 16 MB');
    expect(channel.campaignProblem({ text: 'Tonton', campaign: true, media: video })).toMatch(/at most 16 MB/);
    const user = person();
    const uploadsBefore = h.fake.uploads.length;
    const before = await failed();
    await deliver(user, campaign('Tonton', video));
    await expect.poll(failed).toBe(before + 1);
    expect(h.fake.uploads.length).toBe(uploadsBefore);
    expect(callsTo(user)).toEqual([]);
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', 'video/mp4');
    form.set('file', new Blob([big], { type: 'video/mp4' }), 'big.mp4');
    const res = await fetch(`${h.fake.apiRoot}/${WA.phoneNumberId}/media`, { method: 'POST', headers: { authorization: `Bearer ${WA.token}` }, body: form });
    expect(res.status).toBe(400);
    expect(h.fake.uploads.length).toBe(uploadsBefore);
  }, 20_000);

  it('the sent mark is made once, when the message itself leaves: after the upload, never for it', async () => {
    const picture = await store.put(png(1024, 512));
    const user = person();
    const uploadsBefore = h.fake.uploads.length;
    const [message] = channel.render({ text: 'Awas', campaign: true, media: picture });
    const marks: { uploads: number; messages: number }[] = [];
    const result = await channel.send(user, JSON.stringify(message), {
      written: () => marks.push({ uploads: h.fake.uploads.length - uploadsBefore, messages: callsTo(user).length }),
    });
    expect(result).toMatchObject({ ok: true });
    expect(marks).toEqual([{ uploads: 1, messages: 0 }]);
  });

  it('a picture in a reply (not a campaign) goes as an image message by its media id, the text as its caption', async () => {
    const picture = await store.put(png(400, 300));
    const user = person();
    h.fake.wrote(user);
    await deliver(user, { say: [{ key: 'main.title' }], media: picture }, true);
    await h.until(user, 1);
    const sent = h.fake.sent(user)[0]!;
    expect(sent.type).toBe('image');
    expect(sent.body.image).toEqual({ id: await r.get(mediaKey(picture.id)), caption: content.texts.t('id', 'main.title') });
    expect(h.fake.reported.filter((x) => x.to === user)).toEqual([]);
  });

  it('the fake Graph API refuses templates as Meta does: an unknown one (132001), a wrong number of parameters (132000), a header missing (132012)', async () => {
    const user = person();
    const send = async (template: Record<string, unknown>) => {
      const res = await channel.send(user, JSON.stringify({ type: 'template', template: { language: { code: 'id' }, ...template } }));
      return res.ok ? 'ok' : res.reason.split(':')[0];
    };
    const body = (...texts: string[]) => ({ type: 'body', parameters: texts.map((text) => ({ type: 'text', text })) });
    expect(await send({ name: 'waspada_unknown', components: [body('x')] })).toBe('132001');
    expect(await send({ name: 'waspada_alert', language: { code: 'en' }, components: [body('x')] })).toBe('132001');
    expect(await send({ name: 'waspada_alert', components: [] })).toBe('132000');
    expect(await send({ name: 'waspada_alert', components: [body('x', 'y')] })).toBe('132000');
    expect(await send({ name: 'waspada_alert_image', components: [body('x')] })).toBe('132012');
    expect(await send({ name: 'waspada_alert', components: [body('x')] })).toBe('ok');
  });
});

describe('campaign messages as Cloud API messages', () => {
  const picture: MediaRef = { id: 'a'.repeat(64), kind: 'image', mime: 'image/jpeg', bytes: 200_000 };

  it('a campaign is one template message, its text the body parameter, the picture waiting for its media id in the header', () => {
    const out = renderOutbound({ text: 'Satu\nDua', campaign: true, media: picture });
    expect(out).toEqual([
      {
        upload: { id: picture.id, kind: 'image', mime: 'image/jpeg', bytes: 200_000 },
        type: 'template',
        template: {
          name: 'waspada_alert_image',
          language: { code: 'id' },
          components: [{ type: 'header', parameters: [{ type: 'image', image: {} }] }, { type: 'body', parameters: [{ type: 'text', text: 'Satu · Dua' }] }],
        },
      },
    ]);
    expect(renderOutbound({ text: 'Satu', campaign: true })).toEqual([
      { type: 'template', template: { name: 'waspada_alert', language: { code: 'id' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Satu' }] }] } },
    ]);
  });

  it('a campaign as the broadcast module makes it carries the staff text alone: the template has its own closing "reply STOP" line, said once', () => {
    const content = loadContent();
    const out = content.renderer.reply('id', campaignReply('Hati-hati lowongan palsu.', null));
    expect(out.text).toMatch(/Balas STOP/);
    const [message] = renderOutbound(out) as unknown as [{ template: { components: { parameters: { text: string }[] }[] } }];
    expect(message.template.components[0]!.parameters[0]!.text).toBe('Hati-hati lowongan palsu.');
  });

  it('a parameter never has a new line, a tab or more than four spaces in a row', () => {
    expect(templateParam(' a\t\tb\u2028c\n\n\n  d     e \r\n')).toBe('a b · c | d e');
    expect(templateParam('\n \t\n')).toBe('');
    expect(campaignTextProblem('\n \n')).toBe('a campaign message needs a text');
  });

  it('a picture too big, or of a type WhatsApp does not take, is refused in render with the reason; the text of a reply still goes', () => {
    expect(renderOutbound({ text: 'x', campaign: true, media: { ...picture, bytes: 5_000_001 } })).toEqual([
      { refused: 'campaign message not sent: the picture has 5.0 MB; WhatsApp takes a picture of at most 5 MB' },
    ]);
    const [refused, text] = renderOutbound({ text: 'Halo', media: { ...picture, mime: 'image/gif' } });
    expect(refused).toEqual({ refused: 'picture not sent: WhatsApp takes pictures as JPEG or PNG and videos as MP4 or 3GPP, not image/gif' });
    expect(text).toEqual({ type: 'text', text: { body: 'Halo', preview_url: false } });
  });

  it('a reply with a picture and choices: the picture first, then the text with its buttons', () => {
    const out = renderOutbound({ text: 'Pilih', media: picture, choices: [{ id: 'y', label: 'Ya' }], turn: 3 });
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual({ upload: { id: picture.id, kind: 'image', mime: 'image/jpeg', bytes: 200_000 }, type: 'image', image: {} });
    expect(out[1]).toMatchObject({ type: 'interactive', interactive: { type: 'button', body: { text: 'Pilih' } } });
  });
});

describe('the campaign templates in data/whatsapp-templates.yaml', () => {
  it('are MARKETING templates in Indonesian, text only, with a picture or with a video, each with the text as its one parameter and a line telling how to stop', () => {
    const templates = readTemplates();
    const headers = { text: undefined, image: 'IMAGE', video: 'VIDEO' };
    for (const [form, key] of Object.entries(CAMPAIGN_TEMPLATES)) {
      const t = templates[key]!;
      expect(t).toMatchObject({ language: 'id', category: 'MARKETING' });
      expect(t.header).toBe(headers[form as keyof typeof headers]);
      expect(t.body.match(/\{\{\d+\}\}/g)).toEqual(['{{1}}']);
      expect(t.examples).toHaveLength(1);
      // The chat's stop words, in both languages.
      expect(t.body).toMatch(/BERHENTI/);
      expect(t.body).toMatch(/STOP/);
      expect(campaignTextLimit(form as keyof typeof CAMPAIGN_TEMPLATES)).toBeGreaterThan(800);
    }
  });
});
