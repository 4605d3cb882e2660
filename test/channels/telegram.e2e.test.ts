import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { plainRedis } from '../helpers/redis.js';
import { callbackUpdate, gatedOfferCheck, SECRET, startHarness, textUpdate, type Harness } from '../helpers/telegram.js';

const content = loadContent();
const t = (lang: 'id' | 'en', key: string, vars?: Record<string, unknown>) => content.texts.t(lang, key, vars);

describe('Telegram through the webhook', () => {
  let h: Harness;
  let chat = 5000;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('a wrong or missing secret gets 401 and no reply', async () => {
    const user = ++chat;
    expect((await h.post(textUpdate(user, '/start'), 'wrong-secret-0000000000')).status).toBe(401);
    expect((await h.post(textUpdate(user, '/start'), null)).status).toBe(401);
    // A good update after them is the first and only thing this chat is answered for.
    expect((await h.post(textUpdate(user, 'tolong'))).status).toBe(200);
    const texts = await h.until(user, 1);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain(t('id', 'emergency.intro'));
  });

  it('malformed, foreign and oversized bodies get a precise 4xx', async () => {
    expect((await h.post('{not json')).status).toBe(400);
    expect((await h.post({ hello: 1 })).status).toBe(400);
    expect((await h.post({ update_id: -1 })).status).toBe(400);
    const big = JSON.stringify(textUpdate(++chat, 'x'.repeat(2 << 20)));
    expect((await h.post(big)).status).toBe(413);
    const ignored = await h.post({ update_id: 77, edited_message: {} });
    expect(ignored.status).toBe(200);
    expect(await ignored.json()).toEqual({ ok: true, outcome: 'ignored' });
  });

  it('a replayed update is answered once', async () => {
    const user = ++chat;
    const u = textUpdate(user, '/start');
    const answers = await Promise.all([h.post(u), h.post(u), h.post(u)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await h.post(textUpdate(user, '1'));
    const texts = await h.until(user, 2);
    expect(texts[0]).toContain(t('id', 'welcome.privacy'));
    expect(texts[1]).toBe(t('id', 'main.title'));
    expect(texts).toHaveLength(2);
  });

  it('“delete my data” confirmed, then the same update delivered again by Telegram: answered once, and nothing of the person saved again', async () => {
    const user = ++chat;
    for (const [text, n] of [['/start', 1], ['hapus data', 2]] as const) {
      await h.post(textUpdate(user, text));
      await h.until(user, n);
    }
    const confirm = textUpdate(user, '1');
    expect((await h.post(confirm)).status).toBe(200);
    await h.fake.waitFor(() => h.texts(user).some((x) => x.includes(t('id', 'forget.done'))));
    const again = await h.post(confirm);
    expect(await again.json()).toEqual({ ok: true, outcome: 'duplicate' });
    await expect.poll(async () => (await h.app.outbox.counts()).telegram!.pending).toBe(0);
    expect(h.texts(user)).toHaveLength(3);
    const redis = plainRedis();
    try {
      // (The chat's sending rate lives a second or two longer.)
      await expect.poll(async () => (await redis.keys(`${h.prefix}:*`)).filter((k) => k.includes(String(user))), { timeout: 5000 }).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('two messages of one user sent together are answered in order', async () => {
    const user = ++chat;
    await h.post(textUpdate(user, '/start'));
    await h.until(user, 1);
    await Promise.all([h.post(textUpdate(user, '1')), h.post(textUpdate(user, '8'))]);
    const texts = await h.until(user, 3);
    expect(texts.slice(1)).toEqual([t('id', 'main.title'), t('id', 'main.settings_title')]);
  });

  it('429 is waited out and the message arrives', async () => {
    const user = ++chat;
    h.fake.failNext('sendMessage', 1, { code: 429, retryAfter: 1 });
    await h.post(textUpdate(user, 'sos'));
    const texts = await h.until(user, 1, 8000);
    expect(texts[0]).toContain(t('id', 'emergency.intro'));
    const calls = h.fake.calls.filter((c) => c.method === 'sendMessage' && String(c.body.chat_id) === String(user));
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('a user who blocked the bot is marked unreachable instead of retried forever', async () => {
    const user = ++chat;
    h.fake.blockChat(user);
    await h.post(textUpdate(user, '/start'));
    const r = plainRedis();
    await h.fake.waitFor(() => h.fake.calls.some((c) => c.method === 'sendMessage' && String(c.body.chat_id) === String(user)));
    await expect.poll(() => r.zscore(`${h.prefix}:{out:telegram}:gone`, String(user))).not.toBeNull();
    expect(h.fake.calls.filter((c) => c.method === 'sendMessage' && String(c.body.chat_id) === String(user))).toHaveLength(1);
    r.disconnect();
  });

  it('buttons: a press is answered once (not again when Telegram delivers it again) and advances; a button from an old message is called stale', async () => {
    const user = ++chat;
    await h.post(textUpdate(user, '/start'));
    await h.until(user, 1);
    const first = h.fake.sent(user)[0];
    const agree = first.reply_markup.inline_keyboard.map((row: { callback_data: string }[]) => row[0]!.callback_data).find((d: string) => d.endsWith(':agree'));
    const press = callbackUpdate(user, agree);
    await h.post(press);
    expect((await h.until(user, 2))[1]).toBe(t('id', 'main.title'));
    await h.fake.waitFor(() => h.fake.calls.some((c) => c.method === 'answerCallbackQuery' && c.body.callback_query_id === press.callback_query.id));
    // The same update again (Telegram did not hear our answer): recognised, not answered a second time.
    await h.post(press);
    await h.post(callbackUpdate(user, agree));
    const texts = await h.until(user, 3);
    expect(texts[2]).toBe(`${t('id', 'engine.stale')}\n\n${t('id', 'main.title')}`);
    expect(h.fake.calls.filter((c) => c.method === 'answerCallbackQuery' && c.body.callback_query_id === press.callback_query.id)).toHaveLength(1);
  });

  it('a whole conversation: menu, guide by country, emergency in the middle, language switch, checking an offer', async () => {
    const user = ++chat;
    const steps: [string, string][] = [
      ['/start', t('id', 'welcome.privacy')],
      ['1', t('id', 'main.title')],
      ['2', t('id', 'guide.menu.prompt')],
      ['7', t('id', 'guide.country.ask')],
      ['tolong', t('id', 'emergency.intro')],
      // Where they are: the embassy there first; then "continue" (2) goes back to the question.
      ['Kamboja', 'KBRI Phnom Penh'],
      ['2', t('id', 'guide.country.ask')],
      ['Kamboja', t('id', 'guide.country.no_agreement')],
      ['language', t('id', 'language.ask')],
      ['2', t('en', 'guide.country.no_agreement')],
      ['menu', t('en', 'main.title')],
      ['1', t('en', 'checker.flow.ask')],
      ['Customer service job in Cambodia, USD 1500/month, no experience needed, travel on a tourist visa, the agent keeps your passport. Processing fee 3 million. WhatsApp +62 812 9999 0000 now, limited slots!', t('en', 'checker.verdict.flags_title')],
      ['3', t('en', 'checker.flag.tourist_visa.explain')],
    ];
    let seen = 0;
    for (const [text, expected] of steps) {
      await h.post(textUpdate(user, text));
      // Wait for this step's reply (a step may send several messages), then move past it.
      await h.fake.waitFor(() => h.texts(user).slice(seen).some((x) => x.includes(expected)));
      seen = h.texts(user).findIndex((x, i) => i >= seen && x.includes(expected)) + 1;
    }
    expect(h.texts(user).some((x) => x.startsWith(t('en', 'language.changed')))).toBe(true);
    expect(h.texts(user).some((x) => x.startsWith('🔴 HIGH RISK'))).toBe(true);
    // Every message fitted Telegram's limit and its HTML was accepted by the fake.
    expect(h.fake.calls.filter((c) => c.method === 'sendMessage' && String(c.body.chat_id) === String(user) && c.status !== 200)).toEqual([]);
  });

  it('300 users talking at once all get the right replies in their language', async () => {
    const users = Array.from({ length: 300 }, (_, i) => 90_000 + i);
    const lang = (u: number) => (u % 2 ? 'en' : 'id');
    await Promise.all(users.map((u) => h.post(textUpdate(u, '/start', { lang: lang(u) }))));
    await Promise.all(users.map((u) => h.until(u, 1, 20_000)));
    await Promise.all(users.map((u) => h.post(textUpdate(u, '1', { lang: lang(u) }))));
    await Promise.all(users.map((u) => h.until(u, 2, 20_000)));
    for (const u of users) {
      const texts = h.texts(u);
      expect(texts).toHaveLength(2);
      expect(texts[0]).toContain(t(lang(u), 'welcome.privacy'));
      expect(texts[1]).toBe(t(lang(u), 'main.title'));
    }
  });

  it('/healthz reports Redis and the channel', async () => {
    const res = await fetch(`${h.app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', redis: 'up', channels: { telegram: { mode: 'webhook' } } });
  });

  it('unknown paths get 404 and a GET on the webhook is not served', async () => {
    expect((await fetch(`${h.app.url}/nope`)).status).toBe(404);
    expect((await fetch(`${h.app.url}/webhooks/telegram`)).status).toBe(404);
  });

  it('keeps the secret out of every response', async () => {
    const res = await h.post(textUpdate(++chat, '/start'), 'nope-nope-nope-nope-nope');
    expect(JSON.stringify(await res.json())).not.toContain(SECRET);
  });
});

describe('Telegram through long polling', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ TELEGRAM_MODE: 'polling' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('polls updates and answers them: menu, emergency, checking an offer, language switch', async () => {
    const user = 7001;
    h.fake.pushUpdate(textUpdate(user, '/start', { lang: 'en' }));
    expect((await h.until(user, 1))[0]).toContain(t('en', 'welcome.privacy'));
    h.fake.pushUpdate(textUpdate(user, '1', { lang: 'en' }));
    expect((await h.until(user, 2))[1]).toBe(t('en', 'main.title'));
    h.fake.pushUpdate(textUpdate(user, 'help', { lang: 'en' }));
    expect((await h.until(user, 3))[2]).toContain(t('en', 'emergency.intro'));
    h.fake.pushUpdate(textUpdate(user, 'menu', { lang: 'en' }));
    expect((await h.until(user, 4))[3]).toBe(t('en', 'main.title'));
    h.fake.pushUpdate(textUpdate(user, '1', { lang: 'en' }));
    expect((await h.until(user, 5))[4]).toBe(t('en', 'checker.flow.ask'));
    h.fake.pushUpdate(textUpdate(user, 'bahasa', { lang: 'en' }));
    h.fake.pushUpdate(textUpdate(user, '1', { lang: 'en' }));
    await h.fake.waitFor(() => h.texts(user).some((x) => x.includes(t('id', 'checker.flow.ask'))));
    h.fake.pushUpdate(textUpdate(user, 'Lowongan CS online di Kamboja, gaji 15 juta, tanpa pengalaman, berangkat pakai visa turis, paspor dipegang agen.', { lang: 'en' }));
    await h.fake.waitFor(() => h.texts(user).some((x) => x.startsWith('🔴 RISIKO TINGGI')));
    expect(h.fake.calls.some((c) => c.method === 'getUpdates')).toBe(true);
  });

  it('does not serve the webhook route in polling mode', async () => {
    expect((await h.post(textUpdate(7002, '/start'))).status).toBe(404);
  });
});

describe('Telegram when Redis goes away', () => {
  it('answers 503 (so Telegram re-delivers), reports it in /healthz, and handles the re-delivered update once Redis is back', async () => {
    const { PrivateRedis } = await import('../helpers/redis-server.js');
    const server = await PrivateRedis.start();
    const h = await startHarness({ REDIS_URL: server.url });
    try {
      const user = 8101;
      await server.kill();
      const u = textUpdate(user, 'sos');
      expect((await h.post(u)).status).toBe(503);
      const health = await fetch(`${h.app.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'degraded', redis: 'down' });
      await server.start();
      await expect.poll(async () => (await h.post(u)).status, { timeout: 5000 }).toBe(200);
      expect((await h.until(user, 1))[0]).toContain(t('id', 'emergency.intro'));
      expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
    } finally {
      await h.close();
      await server.stop();
    }
  });
});

describe('Telegram when Redis goes away while a message is being handled', () => {
  it('the person is told their message will be answered, and it is, once Redis is back', async () => {
    const { PrivateRedis } = await import('../helpers/redis-server.js');
    const server = await PrivateRedis.start();
    const { effects, started, release } = gatedOfferCheck();
    const h = await startHarness({ REDIS_URL: server.url }, { effects });
    try {
      const user = 8151;
      for (const [text, n] of [['/start', 1], ['1', 2], ['1', 3]] as const) {
        await h.post(textUpdate(user, text));
        await h.until(user, n);
      }
      expect((await h.post(textUpdate(user, 'Kerja CS di Kamboja gaji 20jt, visa turis, paspor ditahan agen'))).status).toBe(200);
      await expect.poll(started).toBe(true);
      // Redis dies (its append-only file keeps what it had accepted) while the offer is being checked.
      await server.kill();
      release();
      expect((await h.until(user, 4))[3]).toBe(t('id', 'conversation.delayed'));
      await server.start();
      await h.fake.waitFor(() => h.texts(user).some((x) => x.includes('RISIKO TINGGI')), 20_000);
      // Told once, answered once.
      expect(h.texts(user).filter((x) => x === t('id', 'conversation.delayed'))).toHaveLength(1);
      expect(h.texts(user).filter((x) => x.includes('RISIKO TINGGI'))).toHaveLength(1);
    } finally {
      release();
      await h.close();
      await server.stop();
    }
  }, 40_000);
});

describe('Telegram rate limits', () => {
  it('messages to one chat go out about one per second past a small burst, and an emergency reply overtakes those waiting', async () => {
    const h = await startHarness({ TELEGRAM_RATE_PER_CHAT: '1' });
    try {
      const user = 8201;
      // Five prompts in a row: /start, then three unclear answers (hint, hint, back to the start), then help.
      for (const text of ['/start', 'x', 'q', 'z', 'tolong']) await h.post(textUpdate(user, text));
      await h.until(user, 5, 10_000);
      const times = h.fake.calls.filter((c) => c.method === 'sendMessage' && String(c.body.chat_id) === String(user)).map((c) => c.at);
      expect(times).toHaveLength(5);
      // The burst of three goes at once; the fourth and fifth wait for the chat's rate.
      expect(times[3]! - times[0]!).toBeGreaterThanOrEqual(900);
      expect(times[4]! - times[3]!).toBeGreaterThanOrEqual(900);
      // "tolong" came last but its answer goes before what was still waiting; the rest keep their order.
      const texts = h.texts(user);
      const plea = texts.findIndex((x) => x.includes(t('id', 'emergency.intro')));
      expect(plea).toBeGreaterThanOrEqual(0);
      expect(plea).toBeLessThan(4);
      const rest = texts.filter((_, i) => i !== plea);
      expect(rest[0]).toContain(t('id', 'welcome.privacy'));
      expect(rest[3]).toContain(t('id', 'welcome.privacy'));
    } finally {
      await h.close();
    }
  });
});

describe('Telegram webhook under slow work', () => {
  it('answers Telegram at once while a step is still working, and the reply follows when it is done', async () => {
    const { effects, started, release } = gatedOfferCheck();
    const h = await startHarness({}, { effects });
    try {
      const user = 8301;
      for (const [text, n] of [['/start', 1], ['1', 2], ['1', 3]] as const) {
        await h.post(textUpdate(user, text));
        await h.until(user, n);
      }
      const res = await h.post(textUpdate(user, 'Kerja CS di Kamboja gaji 20jt, visa turis, paspor ditahan agen'));
      expect(res.status).toBe(200);
      await expect.poll(started).toBe(true);
      // The step is still working: Telegram got its answer, the user has no verdict yet.
      expect(h.texts(user)).toHaveLength(3);
      release();
      expect((await h.until(user, 4))[3]).toContain('RISIKO TINGGI');
    } finally {
      release();
      await h.close();
    }
  });
});

describe('npm run telegram:set-webhook', () => {
  it('registers the webhook with the secret and the update kinds Waspada handles', async () => {
    const { startFakeTelegram } = await import('../fakes/telegram-api.js');
    const { runCli } = await import('../helpers/cli.js');
    const { TOKEN } = await import('../helpers/telegram.js');
    const fake = await startFakeTelegram({ token: TOKEN });
    try {
      const env = { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot };
      const bad = await runCli(['telegram:set-webhook', '--url', 'http://example.org/hook'], '', env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('--url must be the public https address of /webhooks/telegram');
      const r = await runCli(['telegram:set-webhook', '--url', 'https://waspada.example.org/webhooks/telegram'], '', env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('webhook set: https://waspada.example.org/webhooks/telegram');
      expect(fake.webhook).toEqual(expect.objectContaining({ url: 'https://waspada.example.org/webhooks/telegram', secret: SECRET }));
      const call = fake.calls.find((c) => c.method === 'setWebhook')!;
      expect(call.body.allowed_updates).toEqual(['message', 'callback_query', 'my_chat_member']);
    } finally {
      await fake.close();
    }
  });
});

describe('Telegram odd updates and stopping', () => {
  it('an update with the right secret but a broken shape is acknowledged as ignored, not retried (503)', async () => {
    const h = await startHarness();
    try {
      for (const bad of [{ update_id: 5, message: {} }, { update_id: 6, callback_query: {} }, { update_id: 7, my_chat_member: { chat: {} } }]) {
        const res = await h.post(bad);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ ok: true, outcome: 'ignored' });
      }
    } finally {
      await h.close();
    }
  });

  it('on stop, messages already accepted are handled and answered before the process ends', async () => {
    const h = await startHarness();
    const users = Array.from({ length: 40 }, (_, i) => 8400 + i);
    await Promise.all(users.map((u) => h.post(textUpdate(u, 'tolong'))));
    await h.app.close(10_000);
    for (const u of users) expect(h.texts(u)).toHaveLength(1);
    await h.fake.close();
    const r = plainRedis();
    await (await import('../helpers/redis.js')).dropPrefix(r, h.prefix);
    r.disconnect();
  });
});
