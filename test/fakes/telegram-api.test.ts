// The Telegram fake answers like the Bot API: checked with plain fetch and with telegraf's own client.
import { createServer, Agent, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Telegram, TelegramError } from 'telegraf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWizardServer } from '../../bench/telegraf-wizard.js';
import { driveWebhook } from '../../bench/webhook-harness.js';
import { REDIS_URL } from '../helpers/redis.js';
import { parseTelegramHtml, startFakeTelegram, type FakeTelegram } from './telegram-api.js';
import { mp4, png } from '../helpers/media.js';

let fake: FakeTelegram;
let tg: Telegram;

beforeEach(async () => {
  fake = await startFakeTelegram();
  tg = new Telegram(fake.token, { apiRoot: fake.apiRoot });
});
afterEach(async () => {
  await fake.close();
});

async function call(method: string, body: unknown, token = fake.token): Promise<{ status: number; json: any }> {
  const r = await fetch(`${fake.apiRoot}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, json: await r.json() };
}

async function rejection(p: Promise<unknown>): Promise<TelegramError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TelegramError);
    return e as TelegramError;
  }
  throw new Error('expected the call to be rejected');
}

const keyboard = (...data: string[]) => ({ inline_keyboard: [data.map((d, i) => ({ text: `b${i}`, callback_data: d }))] });

describe('sendMessage', () => {
  it('answers a Message with an incrementing message_id, the chat, a date and the text, and records it per chat', async () => {
    const a = await call('sendMessage', { chat_id: 42, text: 'halo' });
    const b = await call('sendMessage', { chat_id: 43, text: 'apa kabar' });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ ok: true, result: { chat: { id: 42, type: 'private' }, text: 'halo', from: { is_bot: true } } });
    expect(b.json.result.message_id).toBe(a.json.result.message_id + 1);
    expect(Math.abs(a.json.result.date - Date.now() / 1000)).toBeLessThan(5);
    expect(fake.sent(42).map((m) => m.text)).toEqual(['halo']);
    expect(fake.sent().map((m) => m.text)).toEqual(['halo', 'apa kabar']);
    expect(fake.calls.map((c) => [c.method, c.status])).toEqual([
      ['sendMessage', 200],
      ['sendMessage', 200],
    ]);
  });

  it('sends through telegraf and returns the inline keyboard on the message', async () => {
    const m = await tg.sendMessage(7, 'Pilih bahasa', { reply_markup: keyboard('lang:id', 'lang:en') });
    expect(m.text).toBe('Pilih bahasa');
    expect(m.reply_markup?.inline_keyboard[0]).toHaveLength(2);
    expect(fake.sent(7)[0].reply_markup.inline_keyboard[0][1].callback_data).toBe('lang:en');
  });

  it('takes form-encoded bodies and query parameters, with reply_markup as a JSON string', async () => {
    const form = new URLSearchParams({ chat_id: '5', text: 'dari form', reply_markup: JSON.stringify(keyboard('x')) });
    const r1 = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, { method: 'POST', body: form });
    expect(r1.status).toBe(200);
    const r2 = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage?chat_id=5&text=dari%20query`);
    expect(r2.status).toBe(200);
    expect(fake.sent(5).map((m) => m.text)).toEqual(['dari form', 'dari query']);
    expect(fake.sent(5)[0].reply_markup.inline_keyboard[0][0].callback_data).toBe('x');
  });

  it('refuses an empty or blank text with "message text is empty"', async () => {
    for (const text of ['', '   \n']) {
      const r = await call('sendMessage', { chat_id: 1, text });
      expect(r).toEqual({ status: 400, json: { ok: false, error_code: 400, description: 'Bad Request: message text is empty' } });
    }
    expect(fake.sent()).toEqual([]);
  });

  it('takes 4096 characters and refuses 4097 with "message is too long"', async () => {
    expect((await call('sendMessage', { chat_id: 1, text: 'a'.repeat(4096) })).status).toBe(200);
    const e = await rejection(tg.sendMessage(1, 'a'.repeat(4097)));
    expect(e.code).toBe(400);
    expect(e.description).toBe('Bad Request: message is too long');
  });

  it('counts the length after HTML parsing, so tags do not count', async () => {
    expect((await call('sendMessage', { chat_id: 1, text: `<b>${'a'.repeat(4096)}</b>`, parse_mode: 'HTML' })).status).toBe(200);
  });

  it('refuses a missing or unknown chat_id', async () => {
    expect((await call('sendMessage', { text: 'x' })).json.description).toBe('Bad Request: chat_id is empty');
    expect((await call('sendMessage', { chat_id: '@nobody', text: 'x' })).json.description).toBe('Bad Request: chat not found');
  });

  it('refuses callback_data outside 1–64 bytes, counting UTF-8 bytes, with BUTTON_DATA_INVALID', async () => {
    expect((await call('sendMessage', { chat_id: 1, text: 'ok', reply_markup: keyboard('a'.repeat(64)) })).status).toBe(200);
    for (const data of ['a'.repeat(65), '', 'é'.repeat(33)]) {
      const r = await call('sendMessage', { chat_id: 1, text: 'x', reply_markup: keyboard(data) });
      expect(r.json).toEqual({ ok: false, error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });
    }
    const e = await rejection(tg.sendMessage(1, 'x', { reply_markup: keyboard('k'.repeat(65)) }));
    expect(e.description).toBe('Bad Request: BUTTON_DATA_INVALID');
  });

  it('refuses an inline button with no action', async () => {
    const r = await call('sendMessage', { chat_id: 1, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'plain' }]] } });
    expect(r.json.description).toBe("Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  });
});

describe('parse_mode HTML', () => {
  it("accepts Telegram's tags and entities and reports the visible text and its entities", async () => {
    const html =
      '<b>tebal</b> <strong>s</strong> <i>miring</i> <em>e</em> <u>u</u> <ins>n</ins> <s>s</s> <strike>t</strike> <del>d</del> ' +
      '<a href="https://bp2mi.go.id/?a=1&amp;b=2">BP2MI</a> <code>kode</code> <pre><code class="language-ts">x</code></pre> ' +
      '<tg-spoiler>rahasia</tg-spoiler> <span class="tg-spoiler">r</span> <blockquote>kutipan</blockquote> &lt;&gt;&amp;&quot; &#128578;';
    const r = await call('sendMessage', { chat_id: 9, text: html, parse_mode: 'HTML' });
    expect(r.status).toBe(200);
    const msg = r.json.result;
    expect(msg.text).toContain('tebal s miring');
    expect(msg.text).toContain('<>&" 🙂');
    expect(msg.text).not.toContain('<b>');
    const link = msg.entities.find((e: any) => e.type === 'text_link');
    expect(link.url).toBe('https://bp2mi.go.id/?a=1&b=2');
    expect(msg.text.slice(link.offset, link.offset + link.length)).toBe('BP2MI');
    expect(new Set(msg.entities.map((e: any) => e.type))).toEqual(
      new Set(['bold', 'italic', 'underline', 'strikethrough', 'text_link', 'code', 'pre', 'spoiler', 'blockquote']),
    );
  });

  it.each([
    ['<p>para</p>', 'Unsupported start tag "p" at byte offset 0'],
    ['<br>', 'Unsupported start tag "br" at byte offset 0'],
    ['a < b', 'Unsupported start tag "" at byte offset 2'],
    ['x <b', 'Unclosed start tag at byte offset 2'],
    ['<b>tebal', 'Can\'t find end tag corresponding to start tag "b"'],
    ['<b>x</i>', 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'],
    ['x</b>', 'Unexpected end tag at byte offset 1'],
    ['<span>x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
    ['<b>x</b', 'Unclosed end tag at byte offset 4'],
    ['gaji 5 juta & makan', 'Unescaped "&" at byte offset 12'],
  ])("refuses %j with \"can't parse entities\"", async (text, detail) => {
    const r = await call('sendMessage', { chat_id: 1, text, parse_mode: 'HTML' });
    expect(r.status).toBe(400);
    expect(r.json.description).toMatch(/^Bad Request: can't parse entities: /);
    expect(r.json.description).toContain(detail);
  });

  it('reports byte offsets in UTF-8, as Telegram does', () => {
    expect(() => parseTelegramHtml('🏟 🏟&lt;<abac>')).toThrow('Unsupported start tag "abac" at byte offset 13');
  });

  it('leaves the text alone without parse_mode', async () => {
    expect((await call('sendMessage', { chat_id: 1, text: 'a < b & <p>' })).status).toBe(200);
  });
});

describe('errors as Telegram reports them', () => {
  it('answers 401 Unauthorized to a wrong token and 404 Not Found to an unknown method', async () => {
    expect(await call('getMe', {}, '1:wrong')).toEqual({ status: 401, json: { ok: false, error_code: 401, description: 'Unauthorized' } });
    expect(await call('sendTelepathy', {})).toEqual({ status: 404, json: { ok: false, error_code: 404, description: 'Not Found' } });
    const e = await rejection(new Telegram('1:wrong', { apiRoot: fake.apiRoot }).getMe());
    expect(e.code).toBe(401);
  });

  it('treats method names case-insensitively', async () => {
    expect((await call('SENDMESSAGE', { chat_id: 1, text: 'x' })).status).toBe(200);
    expect(fake.calls[0]!.method).toBe('sendMessage');
  });

  it('makes telegraf reject with retry_after in response.parameters after failNext 429, then lets the retry through', async () => {
    fake.failNext('sendMessage', 1, { code: 429, retryAfter: 3 });
    const e = await rejection(tg.sendMessage(1, 'x'));
    expect(e.code).toBe(429);
    expect(e.description).toBe('Too Many Requests: retry after 3');
    expect(e.response.parameters?.retry_after).toBe(3);
    expect(fake.calls[0]!.status).toBe(429);
    await expect(tg.sendMessage(1, 'x')).resolves.toMatchObject({ text: 'x' });
    expect(fake.sent(1)).toHaveLength(1);
  });

  it('fails exactly n calls, and only of the named method', async () => {
    fake.failNext('sendMessage', 2, { code: 403 });
    expect((await tg.getMe()).is_bot).toBe(true);
    expect((await rejection(tg.sendMessage(1, 'a'))).code).toBe(403);
    expect((await rejection(tg.sendMessage(1, 'b'))).code).toBe(403);
    await expect(tg.sendMessage(1, 'c')).resolves.toBeTruthy();
  });

  it('passes a 500 and a custom 400 through; telegraf reports 5xx with the HTTP status text', async () => {
    fake.failNext('sendMessage', 1, { code: 500 });
    fake.failNext('sendMessage', 1, { code: 400, description: 'Bad Request: chat not found' });
    const e500 = await rejection(tg.sendMessage(1, 'x'));
    expect(e500.code).toBe(500);
    expect(e500.description).toBe('Internal Server Error');
    expect((await rejection(tg.sendMessage(1, 'x'))).description).toBe('Bad Request: chat not found');
  });

  it('answers 403 "bot was blocked by the user" for a blocked chat until it is unblocked', async () => {
    fake.blockChat(77);
    const e = await rejection(tg.sendMessage(77, 'halo'));
    expect(e.code).toBe(403);
    expect(e.description).toBe('Forbidden: bot was blocked by the user');
    await expect(tg.sendMessage(78, 'other chat')).resolves.toBeTruthy();
    expect((await rejection(tg.sendChatAction(77, 'typing'))).code).toBe(403);
    fake.unblockChat(77);
    await expect(tg.sendMessage(77, 'halo')).resolves.toBeTruthy();
    expect(fake.sent(77)).toHaveLength(1);
  });
});

describe('rate limits', () => {
  it('answers 429 with retry_after once a chat gets more than perChatPerSecond messages, other chats unaffected', async () => {
    const limited = await startFakeTelegram({ perChatPerSecond: 2 });
    try {
      const t = new Telegram(limited.token, { apiRoot: limited.apiRoot });
      await t.sendMessage(1, 'a');
      await t.sendMessage(1, 'b');
      const e = await rejection(t.sendMessage(1, 'c'));
      expect(e.code).toBe(429);
      expect(e.response.parameters?.retry_after).toBeGreaterThanOrEqual(1);
      expect(e.description).toBe(`Too Many Requests: retry after ${e.response.parameters?.retry_after}`);
      await expect(t.sendMessage(2, 'other')).resolves.toBeTruthy();
      await new Promise((r) => setTimeout(r, 550));
      await expect(t.sendMessage(1, 'after waiting')).resolves.toBeTruthy();
    } finally {
      await limited.close();
    }
  });

  it('applies globalPerSecond across chats', async () => {
    const limited = await startFakeTelegram({ globalPerSecond: 3 });
    try {
      const statuses = [];
      for (let chat = 1; chat <= 5; chat++) {
        const r = await fetch(`${limited.apiRoot}/bot${limited.token}/sendMessage?chat_id=${chat}&text=x`);
        statuses.push(r.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('getUpdates', () => {
  it('holds a long poll until an update is pushed, assigning update_id', async () => {
    const t0 = Date.now();
    const polled = tg.getUpdates(5, 100, 0, undefined);
    setTimeout(() => fake.pushUpdate({ message: { message_id: 1, chat: { id: 3, type: 'private' }, date: 0, text: 'halo' } }), 100);
    const updates = await polled;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ update_id: 1, message: { text: 'halo' } });
  });

  it('keeps updates until a later offset confirms them, and honours limit', async () => {
    const a = fake.pushUpdate({ message: { text: 'a' } });
    fake.pushUpdate({ message: { text: 'b' } });
    fake.pushUpdate({ update_id: 50, message: { text: 'c' } });
    expect((await tg.getUpdates(0, 100, 0, undefined)).map((u) => u.update_id)).toEqual([a, a + 1, 50]);
    expect((await tg.getUpdates(0, 1, 0, undefined)).map((u) => u.update_id)).toEqual([a]);
    expect((await tg.getUpdates(0, 100, a + 1, undefined)).map((u) => u.update_id)).toEqual([a + 1, 50]);
    expect(fake.pushUpdate({ message: { text: 'd' } })).toBe(51);
    expect((await tg.getUpdates(0, 100, 51, undefined)).map((u) => u.update_id)).toEqual([51]);
  });

  it('answers an empty list when the timeout passes', async () => {
    const t0 = Date.now();
    expect(await tg.getUpdates(1, 100, 0, undefined)).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it('ends an older long poll with 409 when another getUpdates arrives', async () => {
    const first = rejection(tg.getUpdates(5, 100, 0, undefined));
    await fake.waitFor(() => true);
    await new Promise((r) => setTimeout(r, 50));
    const second = tg.getUpdates(0, 100, 0, undefined);
    const e = await first;
    expect(e.code).toBe(409);
    expect(e.description).toBe('Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
    expect(await second).toEqual([]);
  });
});

describe('webhooks', () => {
  it('stores url and secret_token, and answers getUpdates with 409 while the webhook is set', async () => {
    await tg.setWebhook('https://waspada.example/webhooks/telegram', { secret_token: 's3cret_-X' });
    expect(fake.webhook).toEqual({ url: 'https://waspada.example/webhooks/telegram', secret: 's3cret_-X' });
    expect((await tg.getWebhookInfo()).url).toBe('https://waspada.example/webhooks/telegram');
    const e = await rejection(tg.getUpdates(0, 100, 0, undefined));
    expect(e.code).toBe(409);
    expect(e.description).toBe("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    await tg.deleteWebhook();
    expect(fake.webhook).toBeNull();
    expect(await tg.getUpdates(0, 100, 0, undefined)).toEqual([]);
  });

  it('refuses a non-http(s) url and a secret with unallowed characters', async () => {
    expect((await rejection(tg.setWebhook('ftp://x.example/hook'))).description).toBe('Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    expect((await rejection(tg.setWebhook('https://x.example/hook', { secret_token: 'no spaces!' }))).code).toBe(400);
    expect(fake.webhook).toBeNull();
  });

  it('posts pushed updates to the webhook with the secret header and performs a method returned in the response', async () => {
    const seen: { secret: string | undefined; body: any }[] = [];
    const hook: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ secret: req.headers['x-telegram-bot-api-secret-token'] as string | undefined, body: JSON.parse(body) });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: 'sendMessage', chat_id: 12, text: 'dibalas lewat webhook' }));
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    try {
      const { port } = hook.address() as AddressInfo;
      await tg.setWebhook(`http://127.0.0.1:${port}/hook`, { secret_token: 'abc' });
      const id = fake.pushUpdate({ message: { message_id: 1, chat: { id: 12, type: 'private' }, date: 0, text: 'halo' } });
      await fake.waitFor(() => fake.sent(12).length === 1);
      expect(seen).toEqual([{ secret: 'abc', body: expect.objectContaining({ update_id: id }) }]);
      expect(fake.deliveries).toEqual([{ update_id: id, status: 200 }]);
      expect(fake.calls.at(-1)).toMatchObject({ method: 'sendMessage', status: 200, via: 'webhook-reply' });
    } finally {
      hook.close();
    }
  });
});

describe('other methods', () => {
  it('answers getMe with a bot user whose id is the token prefix', async () => {
    const me = await tg.getMe();
    expect(me).toMatchObject({ id: Number(fake.token.split(':')[0]), is_bot: true, username: 'waspada_test_bot' });
  });

  it('answers answerCallbackQuery and sendChatAction with true', async () => {
    expect(await tg.answerCbQuery('q1', 'Tersimpan')).toBe(true);
    expect(await tg.sendChatAction(1, 'typing')).toBe(true);
    expect((await call('answerCallbackQuery', {})).status).toBe(400);
    expect((await call('sendChatAction', { chat_id: 1, action: 'dancing' })).json.description).toBe('Bad Request: wrong parameter action in request');
  });

  it('edits a sent message, refusing an unknown one and an edit that changes nothing', async () => {
    const m = await tg.sendMessage(4, 'Menu', { reply_markup: keyboard('a', 'b') });
    const edited = await tg.editMessageText(4, m.message_id, undefined, 'Menu baru');
    expect(edited).toMatchObject({ message_id: m.message_id, text: 'Menu baru' });
    const same = await rejection(tg.editMessageText(4, m.message_id, undefined, 'Menu baru'));
    expect(same.description).toMatch(/^Bad Request: message is not modified/);
    await tg.editMessageReplyMarkup(4, m.message_id, undefined, keyboard('c'));
    expect((await rejection(tg.editMessageText(4, 999_999, undefined, 'x'))).description).toBe('Bad Request: message to edit not found');
  });
});

describe('the harness side', () => {
  it('calls onSend listeners for their chat only, synchronously with the send', async () => {
    const got: string[] = [];
    const off = fake.onSend(21, (body, message) => got.push(`${body.text}#${message.message_id > 0}`));
    await tg.sendMessage(22, 'not mine');
    await tg.sendMessage(21, 'mine');
    off();
    await tg.sendMessage(21, 'after unsubscribe');
    expect(got).toEqual(['mine#true']);
  });

  it('waitFor resolves when the condition becomes true and rejects with a useful message on timeout', async () => {
    setTimeout(() => void tg.sendMessage(1, 'x'), 30);
    await fake.waitFor(() => fake.sent(1).length === 1, 2000);
    await expect(fake.waitFor(() => fake.sent(2).length > 0, 100)).rejects.toThrow(/still false after \d+ ms.*1 messages sent/);
  });

  it('reset forgets calls, messages, failures, blocks, updates and the webhook', async () => {
    await tg.sendMessage(1, 'x');
    fake.failNext('sendMessage', 5, { code: 500 });
    fake.blockChat(1);
    fake.pushUpdate({ message: { text: 'x' } });
    await tg.setWebhook('https://x.example/hook');
    fake.reset();
    expect(fake.calls).toEqual([]);
    expect(fake.sent()).toEqual([]);
    expect(fake.webhook).toBeNull();
    await expect(tg.sendMessage(1, 'y')).resolves.toBeTruthy();
    expect(await tg.getUpdates(0, 100, 0, undefined)).toEqual([]);
  });

  it('keeps connections alive between requests', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const reused: boolean[] = [];
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        const req = request(`${fake.apiRoot}/bot${fake.token}/getMe`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        });
        req.on('error', reject);
        reused.push(req.reusedSocket);
        req.end();
      });
    }
    agent.destroy();
    expect(reused).toEqual([false, true, true]);
    expect(fake.connectionsAccepted).toBe(1);
  });

  it('serves a telegraf webhook bot end to end: five steps answered with 2, 3, 8, 3 and no buttons', async () => {
    const wizard = await startWizardServer({ apiRoot: fake.apiRoot, token: fake.token, secret: 'bench-secret', redisUrl: REDIS_URL });
    try {
      const local = async () => ({ ...process.cpuUsage(), rss: process.memoryUsage().rss });
      const figures = await driveWebhook({
        url: wizard.url,
        secret: 'bench-secret',
        users: 4,
        steps: ['/start', '1', '8', '1', '2'],
        concurrency: 2,
        fake,
        userIdBase: 555_000,
        cpu: local,
        expectedRepliesPerUser: 5,
      });
      expect(figures).toMatchObject({ updates: 20, failed: 0 });
      expect(figures.p50_ms).toBeGreaterThan(0);
      const buttons = fake.sent(555_003).map((m) => (m.reply_markup?.inline_keyboard ?? []).flat().length);
      expect(buttons).toEqual([2, 3, 8, 3, 0]);
      // telegraf checks the secret: a wrong one is refused and nothing is sent.
      const before = fake.sent().length;
      const r = await fetch(wizard.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'wrong' },
        body: JSON.stringify({ update_id: 1, message: { message_id: 1, chat: { id: 1, type: 'private' }, from: { id: 1 }, date: 0, text: 'x' } }),
      });
      expect(r.status).toBe(404);
      expect(fake.sent()).toHaveLength(before);
    } finally {
      await wizard.close();
    }
  });
});

// ---- pictures and videos ------------------------------------------------------------------------


async function upload(method: 'sendPhoto' | 'sendVideo', fields: Record<string, string>, file?: { bytes: Buffer; type: string; name: string }): Promise<{ status: number; json: any }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append(method === 'sendPhoto' ? 'photo' : 'video', new Blob([file.bytes], { type: file.type }), file.name);
  const r = await fetch(`${fake.apiRoot}/bot${fake.token}/${method}`, { method: 'POST', body: form });
  return { status: r.status, json: await r.json() };
}

describe('sendPhoto and sendVideo', () => {
  it('an uploaded picture is answered with its sizes (each a new file_id, the largest last) and recorded with its size, type and caption', async () => {
    const bytes = png(1000, 500);
    const r = await upload('sendPhoto', { chat_id: '42', caption: 'Hati-hati <b>lowongan</b>', parse_mode: 'HTML' }, { bytes, type: 'image/png', name: 'a.png' });
    expect(r.status).toBe(200);
    const photo = r.json.result.photo as { file_id: string; width: number; height: number }[];
    expect(photo.map((p) => [p.width, p.height])).toEqual([[90, 45], [320, 160], [800, 400], [1000, 500]]);
    expect(new Set(photo.map((p) => p.file_id)).size).toBe(4);
    expect(r.json.result).toMatchObject({ chat: { id: 42 }, caption: 'Hati-hati lowongan', caption_entities: [{ type: 'bold', offset: 10, length: 8 }] });
    expect(fake.media(42)).toEqual([
      expect.objectContaining({ kind: 'photo', via: 'upload', caption: 'Hati-hati lowongan', filename: 'a.png', contentType: 'image/png', size: bytes.length, file_id: photo[3]!.file_id }),
    ]);
    // The call is recorded without the bytes.
    expect(fake.calls.at(-1)).toMatchObject({ method: 'sendPhoto', status: 200, body: { photo: { filename: 'a.png', size: bytes.length, contentType: 'image/png' } } });
  });

  it('a file_id it issued sends the file again; one it never issued, or forgot, or of the other kind, is refused as Telegram refuses it', async () => {
    const first = await upload('sendPhoto', { chat_id: '42' }, { bytes: png(300, 200), type: 'image/png', name: 'a.png' });
    const small = first.json.result.photo[0].file_id as string;
    const again = await call('sendPhoto', { chat_id: 43, photo: small, caption: 'lagi' });
    expect(again.status).toBe(200);
    expect(again.json.result.caption).toBe('lagi');
    expect(fake.media(43)).toEqual([expect.objectContaining({ kind: 'photo', via: 'file_id', caption: 'lagi' })]);
    expect(fake.media(43)[0]).not.toHaveProperty('size');
    expect(await call('sendPhoto', { chat_id: 43, photo: 'AgACAgQAAxkDAAInever' })).toEqual({
      status: 400,
      json: { ok: false, error_code: 400, description: 'Bad Request: wrong file identifier/HTTP URL specified' },
    });
    const video = await upload('sendVideo', { chat_id: '42' }, { bytes: mp4(), type: 'video/mp4', name: 'v.mp4' });
    expect((await call('sendPhoto', { chat_id: 43, photo: video.json.result.video.file_id })).json.description).toBe("Bad Request: can't use file of type Video as Photo");
    fake.forgetFiles();
    expect((await call('sendPhoto', { chat_id: 43, photo: small })).json.description).toBe('Bad Request: wrong file identifier/HTTP URL specified');
    expect(fake.media(43)).toHaveLength(1);
  });

  it('an uploaded video is answered with a video and its file_id, recorded with its size and type', async () => {
    const bytes = mp4();
    const r = await upload('sendVideo', { chat_id: '44', caption: 'Tonton' }, { bytes, type: 'video/mp4', name: 'v.mp4' });
    expect(r.status).toBe(200);
    expect(r.json.result).toMatchObject({ caption: 'Tonton', video: { file_id: expect.any(String), mime_type: 'video/mp4', file_size: bytes.length } });
    expect(fake.media(44)).toEqual([expect.objectContaining({ kind: 'video', via: 'upload', caption: 'Tonton', contentType: 'video/mp4', size: bytes.length, file_id: r.json.result.video.file_id })]);
    const again = await call('sendVideo', { chat_id: 45, video: r.json.result.video.file_id });
    expect(again.status).toBe(200);
    expect(fake.media(45)).toEqual([expect.objectContaining({ kind: 'video', via: 'file_id' })]);
  });

  it('refuses a picture over 10 MB, of dimensions Telegram refuses, or that is no picture, a caption over 1024 characters and a request without the file, with Telegram\'s errors', async () => {
    const desc = async (...a: Parameters<typeof upload>) => (await upload(...a)).json.description as string;
    const big = png(800, 600, { atLeast: 10 * 1024 * 1024 + 200 });
    expect(big.length).toBeGreaterThan(10 * 1024 * 1024);
    expect(await desc('sendPhoto', { chat_id: '46' }, { bytes: big, type: 'image/png', name: 'big.png' })).toBe('Bad Request: PHOTO_SAVE_FILE_INVALID');
    expect(await desc('sendPhoto', { chat_id: '46' }, { bytes: png(8000, 2001), type: 'image/png', name: 'wide.png' })).toBe('Bad Request: PHOTO_INVALID_DIMENSIONS');
    expect(await desc('sendPhoto', { chat_id: '46' }, { bytes: png(2100, 100), type: 'image/png', name: 'strip.png' })).toBe('Bad Request: PHOTO_INVALID_DIMENSIONS');
    expect(await desc('sendPhoto', { chat_id: '46' }, { bytes: Buffer.from('not a picture'), type: 'image/png', name: 'x.png' })).toBe('Bad Request: IMAGE_PROCESS_FAILED');
    expect(await desc('sendPhoto', { chat_id: '46', caption: 'x'.repeat(1025) }, { bytes: png(10, 10), type: 'image/png', name: 'a.png' })).toBe('Bad Request: message caption is too long');
    expect(await desc('sendVideo', { chat_id: '46' })).toBe('Bad Request: there is no video in the request');
    // The limits themselves pass.
    expect((await upload('sendPhoto', { chat_id: '46', caption: 'x'.repeat(1024) }, { bytes: png(8000, 2000), type: 'image/png', name: 'edge.png' })).status).toBe(200);
    expect((await upload('sendPhoto', { chat_id: '46' }, { bytes: png(2000, 100), type: 'image/png', name: 'edge.png' })).status).toBe(200);
    expect(fake.media(46)).toHaveLength(2);
  });

  it('a blocked chat, the rate limits and injected failures answer as for sendMessage; telegraf\'s own upload is understood', async () => {
    fake.blockChat(47);
    expect((await upload('sendPhoto', { chat_id: '47' }, { bytes: png(10, 10), type: 'image/png', name: 'a.png' })).json).toMatchObject({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    fake.failNext('sendPhoto', 1, { code: 429, retryAfter: 3 });
    expect((await upload('sendPhoto', { chat_id: '48' }, { bytes: png(10, 10), type: 'image/png', name: 'a.png' })).json).toMatchObject({ error_code: 429, parameters: { retry_after: 3 } });
    const m = await tg.sendPhoto(48, { source: png(640, 480), filename: 'tg.png' }, { caption: 'dari telegraf' });
    expect(m.photo.at(-1)).toMatchObject({ width: 640, height: 480 });
    expect(fake.received(48)).toEqual([expect.objectContaining({ kind: 'photo', via: 'upload', caption: 'dari telegraf', filename: 'tg.png' })]);
    const limited = await startFakeTelegram({ perChatPerSecond: 1 });
    try {
      const t = new Telegram(limited.token, { apiRoot: limited.apiRoot });
      await t.sendMessage(1, 'a');
      expect((await rejection(t.sendPhoto(1, { source: png(10, 10) }))).code).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('records what a chat received in order, texts and media together', async () => {
    await call('sendMessage', { chat_id: 49, text: 'satu' });
    await upload('sendPhoto', { chat_id: '49', caption: 'dua' }, { bytes: png(10, 10), type: 'image/png', name: 'a.png' });
    await call('sendMessage', { chat_id: 49, text: 'tiga' });
    expect(fake.received(49).map((r) => (r.kind === 'text' ? r.text : `${r.kind}:${r.caption}`))).toEqual(['satu', 'photo:dua', 'tiga']);
    expect(fake.sent(49).map((m) => m.text)).toEqual(['satu', 'tiga']);
    fake.reset();
    expect(fake.received(49)).toEqual([]);
    expect(fake.media()).toEqual([]);
  });
});

describe('files people send the bot', () => {
  it('getFile gives a file_path whose download is the file, to the right token only; telegraf reads it the same', async () => {
    const bytes = png(40, 30);
    const [small, large] = fake.userPhoto([{ width: 40, height: 30, bytes }, { width: 2560, height: 1920, bytes: 3_000_000 }]);
    expect(small).toMatchObject({ width: 40, height: 30, file_size: bytes.length, file_id: expect.stringMatching(/^[A-Za-z0-9_-]+$/) });
    const got = await call('getFile', { file_id: small!.file_id });
    expect(got).toMatchObject({ status: 200, json: { ok: true, result: { file_id: small!.file_id, file_size: bytes.length, file_path: expect.stringMatching(/^photos\/file_\d+\.jpg$/) } } });
    const path = got.json.result.file_path as string;
    const download = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${path}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    // A big file given by its size is served at that size.
    const big = (await tg.getFile(large!.file_id)) as { file_path: string; file_size: number };
    expect(big.file_size).toBe(3_000_000);
    const res = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${big.file_path}`);
    expect(res.headers.get('content-length')).toBe('3000000');
    expect((await res.arrayBuffer()).byteLength).toBe(3_000_000);
    // The wrong token; a path getFile never gave; one expired.
    expect((await fetch(`${fake.apiRoot}/file/bot123:wrong/${path}`)).status).toBe(401);
    expect((await fetch(`${fake.apiRoot}/file/bot${fake.token}/photos/file_999.jpg`)).status).toBe(404);
    fake.expireFilePaths();
    expect((await fetch(`${fake.apiRoot}/file/bot${fake.token}/${path}`)).status).toBe(404);
    expect(fake.downloads.map((d) => d.status)).toEqual([200, 200, 401, 404, 404]);
  });

  it("getFile refuses an id it never issued and a file over the Bot API's 20 MB, with Telegram's words", async () => {
    const doc = fake.userDocument(21 * 1024 * 1024, 'image/png', 'poster.png');
    expect(doc).toMatchObject({ mime_type: 'image/png', file_name: 'poster.png', file_size: 21 * 1024 * 1024 });
    expect(await call('getFile', { file_id: doc.file_id })).toMatchObject({ status: 400, json: { ok: false, error_code: 400, description: 'Bad Request: file is too big' } });
    expect(await call('getFile', { file_id: 'AgACAgQAAxkBAAInever' })).toMatchObject({ status: 400, json: { description: 'Bad Request: invalid file_id' } });
    expect((await rejection(tg.getFile('AgACAgQAAxkBAAInever'))).response.error_code).toBe(400);
    // Injected failures, as for any method.
    fake.failNext('getFile', 1, { code: 500 });
    expect((await call('getFile', { file_id: fake.userDocument(png(), 'image/png').file_id })).status).toBe(500);
  });
});
