// The WhatsApp Cloud API channel end to end: signed webhook posts shaped as Meta's examples, the
// server on real Redis, replies on a fake Graph API that enforces Meta's rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import type { WhatsAppCloudChannel } from '../../src/channels/whatsapp-cloud.js';
import { sign } from '../fakes/whatsapp-cloud-api.js';
import { plainRedis } from '../helpers/redis.js';
import { msg, startWhatsAppHarness, statusPost, WA, wamid, webhook, type WaHarness } from '../helpers/whatsapp.js';

const content = loadContent();
const t = (lang: 'id' | 'en', key: string, vars?: Record<string, unknown>) => content.texts.t(lang, key, vars);

const SCAM =
  'LOWONGAN KERJA KAMBOJA! Admin online, gaji 15-20 juta per bulan, tidak perlu pengalaman, tiket dan visa ditanggung perusahaan. ' +
  'Berangkat minggu depan lewat Bangkok, cukup paspor. Hubungi WA 0812-3456-7890 sekarang, kuota terbatas!';

describe('WhatsApp through the Cloud API webhook', () => {
  let h: WaHarness;
  let n = 6281230000000;
  const person = () => String(++n);

  beforeAll(async () => {
    h = await startWhatsAppHarness({ WHATSAPP_REFUSED_RETRY_SECONDS: '2' });
  });
  afterAll(async () => {
    await h.close();
  });

  it("answers Meta's verification with the challenge, and refuses a wrong token with 403", async () => {
    const ok = await fetch(`${h.url}?hub.mode=subscribe&hub.verify_token=${WA.verifyToken}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await fetch(`${h.url}?hub.mode=subscribe&hub.verify_token=wrong-token-000000&hub.challenge=1`)).status).toBe(403);
    expect((await fetch(`${h.url}?hub.mode=unsubscribe&hub.verify_token=${WA.verifyToken}&hub.challenge=1`)).status).toBe(403);
  });

  it('refuses unsigned, forged, oversized and malformed posts with the right status, and none reaches the conversation', async () => {
    const user = person();
    const raw = JSON.stringify(webhook([msg.text(user, 'tolong')]));
    const post = (body: string, headers: Record<string, string>) => fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await post(raw, {})).status).toBe(401);
    expect((await post(raw, { 'x-hub-signature-256': sign(raw, 'another-apps-secret-000000000000') })).status).toBe(401);
    expect((await post(raw, { 'x-hub-signature-256': 'sha1=abc' })).status).toBe(401);
    const tampered = raw.replace('tolong', 'halo!!');
    expect((await post(tampered, { 'x-hub-signature-256': sign(raw, WA.appSecret) })).status).toBe(401);
    const big = JSON.stringify(webhook([msg.text(user, 'x'.repeat(2 << 20))]));
    expect((await post(big, { 'x-hub-signature-256': sign(big, WA.appSecret) })).status).toBe(413);
    const junk = '{"object":"whatsapp_business_account","entry":[';
    expect((await post(junk, { 'x-hub-signature-256': sign(junk, WA.appSecret) })).status).toBe(400);
    const foreign = JSON.stringify({ object: 'page', entry: [] });
    expect((await post(foreign, { 'x-hub-signature-256': sign(foreign, WA.appSecret) })).status).toBe(400);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.sent(user)).toEqual([]);
  });

  /** The buttons' or the list's reply ids of the nth message to a person. */
  const replyIds = (user: string, nth: number) => {
    const i = h.fake.sent(user)[nth]!.body.interactive as { type: string; action: { buttons?: { reply: { id: string } }[]; sections?: { rows: { id: string }[] }[] } };
    return { type: i.type, ids: i.type === 'button' ? i.action.buttons!.map((b) => b.reply.id) : i.action.sections![0]!.rows.map((r) => r.id) };
  };

  it('a first message is answered with the language question as reply buttons, and a pressed button is a choice', async () => {
    const user = person();
    expect((await h.post(webhook([msg.text(user, 'halo')]))).status).toBe(200);
    await h.until(user, 1);
    const language = replyIds(user, 0);
    expect(language).toMatchObject({ type: 'button', ids: ['1:id', '1:en'] });
    await h.post(webhook([msg.button(user, '1:en', 'English')]));
    const texts = await h.until(user, 2);
    expect(texts[1]).toContain(t('en', 'welcome.privacy'));
    expect(replyIds(user, 1).type).toBe('button');
  });

  it('the main menu goes as a list (more than three choices); a list pick and a typed number both choose', async () => {
    const user = person();
    await h.post(webhook([msg.text(user, 'halo')]));
    await h.until(user, 1);
    await h.post(webhook([msg.text(user, '1')]));
    await h.until(user, 2);
    await h.post(webhook([msg.text(user, '1')]));
    const texts = await h.until(user, 3);
    expect(texts[2]).toBe(t('id', 'main.title'));
    const menu = h.fake.sent(user)[2]!.body.interactive as { type: string; action: { button: string; sections: { rows: { id: string; title: string }[] }[] } };
    expect(menu.type).toBe('list');
    expect(menu.action.button).toBe(t('id', 'common.choose'));
    const rows = menu.action.sections[0]!.rows;
    expect(rows.length).toBeGreaterThan(3);
    // The settings item picked from the list, then back, then by its number as on Telegram and in the terminal.
    await h.post(webhook([msg.list(user, rows.at(-1)!.id, rows.at(-1)!.title)]));
    expect((await h.until(user, 4))[3]).toBe(t('id', 'main.settings_title'));
    await h.post(webhook([msg.text(user, 'menu')]));
    await h.until(user, 5);
    await h.post(webhook([msg.text(user, String(rows.length))]));
    expect((await h.until(user, 6))[5]).toBe(t('id', 'main.settings_title'));
  });

  it('a button of an earlier turn is recognised as stale, not taken for a choice of the present one', async () => {
    const user = person();
    await h.post(webhook([msg.text(user, 'halo')]));
    await h.until(user, 1);
    await h.post(webhook([msg.button(user, '1:id')]));
    await h.until(user, 2);
    await h.post(webhook([msg.button(user, '1:en')]));
    const texts = await h.until(user, 3);
    expect(texts[2]).not.toContain(t('en', 'welcome.privacy'));
  });

  it('an emergency word is answered first with a number to call, in the middle of anything', async () => {
    const user = person();
    await h.post(webhook([msg.text(user, 'halo')]));
    await h.until(user, 1);
    await h.post(webhook([msg.text(user, 'tolong')]));
    const texts = await h.until(user, 2);
    expect(texts[1]).toContain(t('id', 'emergency.intro'));
    expect(texts.slice(1).join('\n')).toMatch(/\+62|\b1\d\d\b/);
  });

  it('a pasted job offer is checked and its red flags come back', async () => {
    const user = person();
    await h.post(webhook([msg.text(user, SCAM)]));
    await h.fake.waitFor(() => h.texts(user).some((x) => x.includes('Kamboja') || /risiko|risk/i.test(x)), 10_000);
    const all = h.texts(user).join('\n');
    expect(all).toMatch(/tinggi|high/i);
  });

  it('an urgent report walked on WhatsApp opens a case, and "My report status" shows it to the family', async () => {
    const user = person();
    const say = async (text: string) => {
      const before = h.fake.sent(user).length;
      await h.post(webhook([msg.text(user, text)]));
      return (await h.until(user, before + 1)).slice(before);
    };
    /** Presses the choice `id` of the latest message that offers it (buttons or a list). */
    const press = async (id: string) => {
      type Choices = { action?: { buttons?: { reply: { id: string } }[]; sections?: { rows: { id: string }[] }[] } };
      const idsOf = (i: Choices | undefined) => i?.action?.buttons?.map((b) => b.reply.id) ?? i?.action?.sections?.[0]?.rows.map((r) => r.id) ?? [];
      const last = () => h.fake.sent(user).at(-1)!.body.interactive as Choices | undefined;
      await h.fake.waitFor(() => idsOf(last()).some((x) => x.endsWith(`:${id}`)));
      const full = idsOf(last()).find((x) => x.endsWith(`:${id}`))!;
      const before = h.fake.sent(user).length;
      await h.post(webhook([last()!.action!.buttons ? msg.button(user, full) : msg.list(user, full)]));
      return (await h.until(user, before + 1)).slice(before);
    };
    await say('halo');
    await press('id');
    await press('agree');
    await say('tolong');
    // Where they are: Malaysia's embassy first, before the lines that answer from anywhere.
    const nearest = (await say('Malaysia')).join('\n');
    expect(nearest.indexOf('KBRI Kuala Lumpur')).toBeGreaterThan(-1);
    expect(nearest.indexOf('KBRI Kuala Lumpur')).toBeLessThan(nearest.indexOf('Kementerian Luar Negeri'));
    await press('report');
    await press('yes'); // safe to write here
    await h.fake.waitFor(() => h.texts(user).some((x) => x.includes(t('id', 'hotline.urgent.ask.name'))));
    await say('Siti Aminah');
    await say('Malaysia');
    await say('Dia dikurung majikan dan paspornya ditahan');
    await say('081234567890');
    await say('ya');
    await h.fake.waitFor(() => h.texts(user).some((x) => /WSP-[A-Z0-9]{4}-[A-Z0-9]{2}/.test(x)));
    const id = /WSP-[A-Z0-9]{4}-[A-Z0-9]{2}/.exec(h.texts(user).join('\n'))![0];
    const cases = await h.app.hotline.list({ name: 'e2e', role: 'agent' });
    expect(cases.map((c: { id: string }) => c.id)).toContain(id);
    await say('menu');
    await press('status');
    await h.fake.waitFor(() => h.texts(user).some((x, i) => i > 0 && x.includes(id) && !x.includes('Kode')));
  });

  it('a replayed message (Meta posts again until it gets a 200) is answered once', async () => {
    const user = person();
    const payload = webhook([msg.text(user, 'sos')]);
    const statuses = await Promise.all([h.post(payload), h.post(payload), h.post(payload)]);
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 200]);
    await h.until(user, 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.fake.sent(user)).toHaveLength(1);
  });

  it('marks the person\'s message read, once, also when Meta posts it again', async () => {
    const user = person();
    const m = msg.text(user, 'halo');
    await h.post(webhook([m]));
    await h.until(user, 1);
    await h.fake.waitFor(() => h.fake.reads.includes(m.id));
    expect((await h.post(webhook([m]))).status).toBe(200);
    // Their next message is marked read in turn: by then a second receipt for the first would be there too.
    const next = msg.text(user, 'menu');
    await h.post(webhook([next]));
    await h.fake.waitFor(() => h.fake.reads.includes(next.id));
    expect(h.fake.reads.filter((r) => r === m.id)).toHaveLength(1);
  });

  it('pictures, voice notes, stickers, places and contacts get the polite answers; a reaction gets none', async () => {
    const user = person();
    await h.post(webhook([msg.text(user, 'halo')]));
    await h.until(user, 1);
    // A picture is fetched to be read: Meta (the fake) no longer has this media id, so the person is
    // told it could not be fetched (whatsapp-cloud-picture.test.ts reads pictures it has).
    await h.post(webhook([msg.image(user)]));
    let texts = await h.until(user, 3);
    expect(texts[1]).toBe(t('id', 'conversation.picture_reading'));
    expect(texts[2]).toContain(t('id', 'engine.picture.unavailable'));
    for (const [m, key] of [
      [msg.voice(user), 'engine.media.voice'],
      [msg.sticker(user), 'engine.media.sticker'],
      [msg.location(user), 'engine.media.location'],
      [msg.contacts(user), 'engine.media.contact'],
    ] as const) {
      const before = h.fake.sent(user).length;
      await h.post(webhook([m]));
      texts = await h.until(user, before + 1);
      expect(texts[before]).toContain(t('id', key).slice(0, 30));
    }
    const before = h.fake.sent(user).length;
    expect((await h.post(webhook([msg.reaction(user)]))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.fake.sent(user)).toHaveLength(before);
  });

  it('a message of a kind WhatsApp itself does not support is answered, not dropped', async () => {
    const user = person();
    await h.post(webhook([msg.unsupported(user)]));
    const texts = await h.until(user, 1);
    expect(texts[0]!.length).toBeGreaterThan(0);
  });

  it('a post for another phone number of the same app is accepted and left alone', async () => {
    const user = person();
    expect((await h.post(webhook([msg.text(user, 'tolong')], '999999999'))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    expect(h.fake.sent(user)).toEqual([]);
  });

  it('1,500 signed posts of hostile shapes: never a 5xx, nothing sent to an id that is not a WhatsApp id, and the server still answers', async () => {
    // mulberry32: the same run every time.
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let x = Math.imul(seed ^ (seed >>> 15), seed | 1);
      x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
      return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4294967296) * n);
    };
    const pick = <T,>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
    const BAD = [null, 1, -1, 1.5, '', 'x'.repeat(300), [], {}, true, { a: { b: [1] } }, '62812; rm', '６２８１２３４５６７８'];
    const users = Array.from({ length: 20 }, () => person());
    const mutate = (o: Record<string, unknown>): Record<string, unknown> => {
      const copy = structuredClone(o);
      const keys = Object.keys(copy);
      const k = pick(keys);
      if (rnd(3) === 0) delete copy[k];
      else copy[k] = pick(BAD);
      return copy;
    };
    const makers = [
      (u: string) => msg.text(u, pick(['halo', '1', 'tolong', '', '🆘', 'a'.repeat(5000), 'menu'])),
      (u: string) => msg.button(u, pick(['1:id', '9:agree', 'x', '99999999999:y'])),
      (u: string) => msg.image(u, 'caption'),
      (u: string) => msg.voice(u),
      (u: string) => msg.location(u),
      (u: string) => msg.unsupported(u),
      (u: string) => ({ ...msg.text(u, 'x'), type: pick(['order', 'system', 'ephemeral', 'nfm', 'interactive', 'video', 'document']) }),
    ];
    const codes = new Map<number, number>();
    for (let i = 0; i < 1500; i++) {
      let m: Record<string, unknown> = pick(makers)(pick(users));
      if (rnd(2) === 0) m = mutate(m);
      let post: unknown = webhook([m]);
      const shape = rnd(8);
      if (shape === 0) post = { object: 'whatsapp_business_account', entry: pick(BAD) };
      if (shape === 1) post = { object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { messages: pick(BAD), statuses: pick(BAD) } }] }] };
      if (shape === 2) post = pick(BAD);
      const status = (await h.post(post)).status;
      codes.set(status, (codes.get(status) ?? 0) + 1);
    }
    expect([...codes.keys()].every((c) => c === 200 || c === 400)).toBe(true);
    expect(codes.get(200)).toBeGreaterThan(1000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.fake.calls.filter((c) => typeof c.body.to === 'string' && !/^\d{5,20}$/.test(c.body.to))).toEqual([]);
    const user = person();
    await h.post(webhook([msg.text(user, 'tolong')]));
    expect((await h.until(user, 1))[0]).toContain(t('id', 'emergency.intro'));
  }, 60_000);

  it("Meta's statuses of a reply (delivered, read) are recorded against that message, by Meta's id, with nothing about the person", async () => {
    const user = person();
    await h.post(webhook([msg.text(user, 'halo')]));
    await h.until(user, 1);
    const sent = h.fake.sent(user)[0]!;
    const channel = h.app.channels.get('whatsapp') as WhatsAppCloudChannel;
    await expect.poll(() => channel.statusOf(sent.id)).toMatchObject({ status: 'accepted' });
    for (const status of ['sent', 'delivered', 'read']) expect((await h.post(statusPost(sent.id, user, status))).status).toBe(200);
    expect(await channel.statusOf(sent.id)).toMatchObject({ status: 'read' });
    // A status of a message that is not ours (or no longer kept) records nothing.
    await h.post(statusPost('wamid.notours000', user, 'delivered'));
    expect(await channel.statusOf('wamid.notours000')).toBeNull();
    // Kept under a hash of Meta's id (which holds the recipient's number), holding nothing of the person.
    const r = plainRedis();
    const names = await r.keys(`${h.prefix}:{ch:whatsapp}:st:*`);
    const stored = await Promise.all(names.map((k) => r.get(k)));
    r.disconnect();
    expect(stored.some((v) => v?.startsWith('read|'))).toBe(true);
    expect(names.filter((k) => k.includes(sent.id) || k.includes(user))).toEqual([]);
    for (const v of stored) expect(v).not.toContain(user);
  });

  it('a status-only post (sent, delivered, read) is accepted quietly', async () => {
    const user = person();
    for (const s of ['sent', 'delivered', 'read']) expect((await h.post(statusPost(wamid(), user, s))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.sent(user)).toEqual([]);
  });

  it('a reply Meta later reports undeliverable (131026) marks the person unreachable', async () => {
    const user = person();
    h.fake.makeUnreachable(user);
    await h.post(webhook([msg.text(user, 'halo')]));
    await h.until(user, 1);
    const r = plainRedis();
    await expect.poll(() => r.zscore(`${h.prefix}:{out:whatsapp}:gone`, user), { timeout: 5000 }).not.toBeNull();
    r.disconnect();
  });

  it('a message outside the 24-hour window fails (131047), and the approved template tells the person something waits', async () => {
    const user = person();
    await h.post(webhook([msg.text(user, 'halo')]));
    await h.until(user, 1);
    await h.post(webhook([msg.text(user, '1')]));
    await h.until(user, 2);
    // A day passes; then a message nobody asked for just now (a case update) is sent.
    h.fake.wrote(user, Date.now() - 25 * 3600_000);
    await h.app.outbox.deliver({ channel: 'whatsapp', user }, [{ lang: 'id', reply: { say: [{ key: 'main.title' }] } }], { key: `late-${user}` });
    const texts = await h.until(user, 4);
    expect(texts[3]).toBe('waspada_message_waiting');
    const template = h.fake.sent(user)[3]!.body.template as { language: { code: string }; components: { parameters: { payload: string }[] }[] };
    expect(template.language.code).toBe('id');
    expect(template.components[0]!.parameters[0]!.payload).toBe('/menu');
    // Pressing its button opens the window and brings the menu.
    await h.post(webhook([msg.templateButton(user, '/menu', 'Buka / Open')]));
    const after = await h.until(user, 5);
    expect(after[4]).not.toBe('waspada_message_waiting');
    expect(h.fake.sent(user)).toHaveLength(5);
  });

  it('the pair rate (131056) is waited out and the reply arrives once', async () => {
    const user = person();
    // Only this person's message: other tests' messages may still be on their way.
    h.fake.failNext(1, 400, 131056, '(#131056) (Business Account, Consumer Account) pair rate limit hit', user);
    await h.post(webhook([msg.text(user, 'sos')]));
    const texts = await h.until(user, 1, 15_000);
    expect(texts[0]).toContain(t('id', 'emergency.intro'));
    const calls = h.fake.calls.filter((c) => c.body.to === user);
    expect(calls.map((c) => c.code ?? c.status)).toEqual([131056, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(5900);
  }, 20_000);

  it('a refused access token (190) is said in /healthz, nothing is dropped, and the reply goes once the token works', async () => {
    const user = person();
    h.fake.tokenValid = false;
    await h.post(webhook([msg.text(user, 'sos')]));
    await h.fake.waitFor(() => h.fake.calls.some((c) => c.body.to === user && c.code === 190));
    await expect
      .poll(async () => ((await (await fetch(`${h.app.url}/healthz`)).json()) as { channels: { whatsapp: { token: string } } }).channels.whatsapp.token)
      .toBe('refused');
    h.fake.tokenValid = true;
    const texts = await h.until(user, 1, 10_000);
    expect(texts[0]).toContain(t('id', 'emergency.intro'));
    expect(h.fake.sent(user)).toHaveLength(1);
    await expect
      .poll(async () => ((await (await fetch(`${h.app.url}/healthz`)).json()) as { channels: { whatsapp: { token: string } } }).channels.whatsapp.token)
      .toBe('ok');
  }, 20_000);
});
