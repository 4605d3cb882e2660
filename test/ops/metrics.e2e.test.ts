// /metrics of a whole Waspada on real Redis, over its Telegram webhook and the local fake Bot API: a
// short conversation (a button, a checked job offer, its recruiter reported: a case opened), refused
// webhooks, sends that fail, and a campaign's message held back by a 429; then the scrape's counters
// moved by exactly that, the outbox's backlog and its age while a message waits, cases by stage, the
// process's event-loop lag; nothing in it of what the person wrote, their name, number or chat id.
// The worker (`npm run worker`) answers the same on METRICS_PORT.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startWorker, type RunningWorker } from '../../src/worker.js';
import { DATA_KEY, dropPrefix, plainRedis, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { callbackUpdate, SECRET, startHarness, textUpdate, TOKEN, type Harness } from '../helpers/telegram.js';

const CHAT = 739_146_285;
/** A subscriber a campaign writes to; a third chat for the worker's campaign. */
const SUBSCRIBER = 739_146_286;
const WORKER_SUBSCRIBER = 739_146_287;
const METRICS_TOKEN = 'metrics-e2e-token-0123456789abcdef';
const OFFER_PHONE = '0813-7717-2299';
const OFFER =
  'LOWONGAN KERJA KAMBOJA! Admin online, gaji 15-20 juta per bulan, tidak perlu pengalaman, tiket dan visa ditanggung perusahaan. ' +
  `Berangkat minggu depan lewat Bangkok, cukup paspor. Biaya proses 5 juta. Hubungi WA ${OFFER_PHONE} sekarang, kuota terbatas!`;

let h: Harness;
beforeAll(async () => {
  // Cases by stage read again at every scrape (a deployment's default: at most once a minute).
  h = await startHarness({ METRICS_TOKEN, METRICS_CASES_REFRESH_SECONDS: '0' }, { campaigns: false });
});
afterAll(async () => {
  await h?.close();
});

const scrapeAt = (base: string, headers: Record<string, string> = {}) => fetch(`${base}/metrics`, { headers });
async function scrape(): Promise<string> {
  const res = await scrapeAt(h.app.url, { authorization: `Bearer ${METRICS_TOKEN}` });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of the series `name` whose labels are exactly `labels` (undefined: no such series). */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = JSON.stringify(Object.entries(labels).sort());
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]);
    if (JSON.stringify(got.sort()) === want) return Number(m[3]);
  }
  return undefined;
}

/** How much each series moved between two scrapes (a series absent before counts from 0). */
const moved = (before: string, after: string) => (name: string, labels: Record<string, string> = {}) => (value(after, name, labels) ?? 0) - (value(before, name, labels) ?? 0);

const said: string[] = [];
let accepted = 0;
/** Sends an update as the person and waits for Waspada's answer (all of its messages). */
async function send(update: object, text: string): Promise<void> {
  said.push(text);
  const before = h.fake.sent(CHAT).length;
  expect((await h.post(update)).status).toBe(200);
  accepted++;
  await h.until(CHAT, before + 1);
  await new Promise((r) => setTimeout(r, 100));
}
const say = (text: string) => send(textUpdate(CHAT, text), text);

describe('/metrics after a conversation', () => {
  let before: string;
  let after: string;
  let during: string;
  let caseId: string | undefined;

  it('counts updates by kind, webhook answers, replies, failed and rate-limited sends, verdicts, cases; shows the outbox waiting on a 429', async () => {
    before = await scrape();
    await say('/start');
    // The privacy notice's first button (agree), pressed.
    const buttons = h.fake.sent(CHAT).at(-1)?.reply_markup?.inline_keyboard?.flat() as { callback_data: string }[] | undefined;
    expect(buttons?.length).toBeGreaterThan(0);
    await send(callbackUpdate(CHAT, buttons![0]!.callback_data), '(button)');
    await say('menu');
    // A reply refused once (500: tried again), another asked to wait (429).
    h.fake.failNext('sendMessage', 1, { code: 500 });
    h.fake.failNext('sendMessage', 1, { code: 429, retryAfter: 1 });
    await say(OFFER);
    expect(h.texts(CHAT).join('\n')).toContain('LOWONGAN KERJA KAMBOJA');
    for (const answer of ['2', 'ya', OFFER_PHONE, 'Lewati']) await say(answer);
    caseId = /WSP-[A-Z0-9]{4}-[A-Z0-9]{2}/.exec(h.texts(CHAT).at(-1) ?? '')?.[0];
    expect(caseId, h.texts(CHAT).at(-1)).toBeDefined();

    // Webhooks refused: a wrong secret, a body that is not JSON.
    expect((await h.post(textUpdate(CHAT, 'halo'), 'wrong-secret-wrong-secret')).status).toBe(401);
    expect((await h.post('{not json')).status).toBe(400);

    // A campaign's message (tagged, bulk) that Telegram asks to hold back for 2 s: it waits in the outbox.
    h.fake.failNext('sendMessage', 1, { code: 429, retryAfter: 2 });
    await h.app.outbox.deliver({ channel: 'telegram', user: String(SUBSCRIBER) }, [{ lang: 'id', reply: { say: [{ key: 'main.title' }] } }], { priority: 'bulk', tag: 'metrics-e2e' });
    await expect.poll(async () => value((during = await scrape()), 'waspada_send_rate_limited_total', { channel: 'telegram', kind: 'campaign' }), { timeout: 3000, interval: 50 }).toBe(1);
    expect(value(during, 'waspada_outbox_pending', { channel: 'telegram' })).toBe(1);
    expect(value(during, 'waspada_outbox_oldest_waiting_seconds', { channel: 'telegram' })).toBeGreaterThan(0);
    await h.fake.waitFor(() => h.fake.sent(SUBSCRIBER).length === 1, 5000);
    await new Promise((r) => setTimeout(r, 100));
    after = await scrape();

    const delta = moved(before, after);
    const tg = { channel: 'telegram' };
    expect(delta('waspada_updates_total', { ...tg, kind: 'text' })).toBe(said.length - 1);
    expect(delta('waspada_updates_total', { ...tg, kind: 'choice' })).toBe(1);
    expect(delta('waspada_webhook_requests_total', { ...tg, outcome: 'accepted' })).toBe(accepted);
    expect(delta('waspada_webhook_requests_total', { ...tg, outcome: 'unauthorized' })).toBe(1);
    expect(delta('waspada_webhook_requests_total', { ...tg, outcome: 'bad_request' })).toBe(1);
    // Every message the person got was a reply; the campaign's one message went out after its 429.
    expect(delta('waspada_messages_sent_total', { ...tg, kind: 'reply' })).toBe(h.fake.sent(CHAT).length);
    expect(delta('waspada_messages_sent_total', { ...tg, kind: 'push' })).toBe(0);
    expect(delta('waspada_messages_sent_total', { ...tg, kind: 'campaign' })).toBe(1);
    expect(delta('waspada_send_rate_limited_total', { ...tg, kind: 'reply' })).toBe(1);
    expect(delta('waspada_send_rate_limited_total', { ...tg, kind: 'campaign' })).toBe(1);
    expect(delta('waspada_send_failures_total', { ...tg, kind: 'reply', reason: 'transient' })).toBe(1);
    expect(delta('waspada_update_failures_total', { ...tg, reason: 'error' })).toBe(0);
    // One offer checked, at one level; one case opened (the recruiter reported), waiting at "received".
    const levels = ['high', 'medium', 'low', 'unclear'].map((level) => delta('waspada_checker_verdicts_total', { level }));
    expect(levels.reduce((a, b) => a + b)).toBe(1);
    expect(delta('waspada_checker_verdicts_total', { level: 'high' })).toBe(1);
    expect(delta('waspada_cases_opened_total', { kind: 'recruiter' })).toBe(1);
    expect(value(after, 'waspada_cases', { stage: 'received' })).toBe(1);
    expect(value(after, 'waspada_cases', { stage: 'closed' })).toBe(0);
    // Nothing waits any more; the outbox's own counts (in Redis) saw every message.
    expect(value(after, 'waspada_outbox_pending', tg)).toBe(0);
    expect(value(after, 'waspada_outbox_oldest_waiting_seconds', tg)).toBe(0);
    expect(value(after, 'waspada_outbox_messages', { ...tg, outcome: 'sent' })).toBe(h.fake.sent(CHAT).length + 1);
    // The process: Redis answered, the event loop's lag is there.
    expect(value(after, 'waspada_redis_up')).toBe(1);
    expect(value(after, 'waspada_redis_ping_seconds_count')).toBeGreaterThanOrEqual(3);
    expect(value(after, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(value(after, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(value(after, 'waspada_metrics_read_failures_total', { part: 'outbox' })).toBeUndefined();
  }, 20_000);

  it('holds nothing the person wrote, their name, number or chat id, nor the case number', () => {
    const all = [before, during, after].join('\n');
    const digits = (x: string) => x.replace(/\D/g, '');
    const personal = [
      ...said.filter((t) => t.length >= 6),
      'LOWONGAN', 'Bangkok', digits(OFFER_PHONE), digits(OFFER_PHONE).slice(1), '7717',
      String(CHAT), String(SUBSCRIBER), `U${CHAT}`, `telegram:${CHAT}`, caseId!, 'metrics-e2e',
    ];
    expect(personal.filter((p) => all.includes(p))).toEqual([]);
  });

  it('answers 401 without the token or with a wrong one (with a JSON reason), 200 with it, from anywhere', async () => {
    const none = await scrapeAt(h.app.url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.json()).toEqual({ error: expect.stringContaining('METRICS_TOKEN') });
    expect((await scrapeAt(h.app.url, { authorization: `Bearer ${METRICS_TOKEN}x` })).status).toBe(401);
    expect((await scrapeAt(h.app.url, { authorization: METRICS_TOKEN })).status).toBe(401);
    expect((await scrapeAt(h.app.url, { authorization: `Bearer ${METRICS_TOKEN}`, 'x-forwarded-for': '203.0.113.9' })).status).toBe(200);
  });

  it('/healthz gives each channel\'s outbox backlog and the age of its oldest waiting message', async () => {
    const res = await fetch(`${h.app.url}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { channels: { telegram: { outbox: Record<string, unknown> } } };
    expect(body.channels.telegram.outbox).toMatchObject({ pending: 0, oldest_waiting_ms: null, inflight: 0 });
  });
});

describe('the worker on METRICS_PORT', () => {
  let worker: RunningWorker;
  const prefix = testPrefix('metrics-worker');

  beforeAll(async () => {
    const config = loadConfig({
      REDIS_URL, REDIS_PREFIX: prefix, HASH_SECRET: 'metrics-worker-hash-secret-0123', DATA_ENCRYPTION_KEY: DATA_KEY,
      TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: h.fake.apiRoot, METRICS_PORT: '0',
    });
    worker = await startWorker(config);
  });
  afterAll(async () => {
    await worker?.close(1000);
    const r = plainRedis();
    await dropPrefix(r, prefix);
    r.disconnect();
  });

  it('counts the campaign messages it sends, answers this machine without a token, refuses what came through a proxy', async () => {
    expect(worker.metricsUrl).not.toBeNull();
    const base = worker.metricsUrl!;
    await worker.outbox.deliver({ channel: 'telegram', user: String(WORKER_SUBSCRIBER) }, [{ lang: 'id', reply: { say: [{ key: 'main.title' }] } }], { priority: 'bulk', tag: 'metrics-worker' });
    await h.fake.waitFor(() => h.fake.sent(WORKER_SUBSCRIBER).length === 1, 5000);
    await new Promise((r) => setTimeout(r, 50));
    const res = await scrapeAt(base);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(value(text, 'waspada_messages_sent_total', { channel: 'telegram', kind: 'campaign' })).toBe(1);
    expect(value(text, 'waspada_outbox_pending', { channel: 'telegram' })).toBe(0);
    expect(value(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(text).not.toContain(String(WORKER_SUBSCRIBER));
    const proxied = await scrapeAt(base, { 'x-forwarded-for': '203.0.113.9' });
    expect(proxied.status).toBe(403);
    expect(await proxied.json()).toEqual({ error: expect.stringContaining('METRICS_TOKEN') });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/staff`)).status).toBe(404);
  });
});
