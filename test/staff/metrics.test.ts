// The staff dashboard's counters on a real Redis: events recorded where they happen (a conversation
// through the conversation service, a checked offer, a reported recruiter, a case opened from the chat
// and worked by staff, a subscription and its stop, pictures read and not), then read back by day.
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSubscribers } from '../../src/broadcast/subscribers.js';
import { loadContent } from '../../src/content/index.js';
import { RecruiterHasher } from '../../src/conversation/recruiters.js';
import { ConversationService, type Inbound, type PictureTextReader } from '../../src/conversation/service.js';
import { RedisCaseStore } from '../../src/hotline/cases.js';
import { loadPartners } from '../../src/hotline/partners.js';
import { HotlineService } from '../../src/hotline/service.js';
import { dayOf, Metrics, METRICS_TTL_S, type Dashboard } from '../../src/staff/metrics.js';
import { keyspace } from '../../src/store/keys.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, dumpPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { redisStores, TEST_CIPHER } from '../helpers/stores.js';

const content = loadContent();
const SECRET = 'metrics-test-secret-0123456789';
/** 18:30 UTC on 31 January is 01:30 on 1 February in Jakarta: the counters are on the 1st. */
const NOW = Date.UTC(2026, 0, 31, 18, 30);
const DAY = '2026-02-01';
const SCAM =
  'LOWONGAN CS ONLINE KAMBOJA 🔥 gaji 15jt/bulan, tanpa pengalaman, berangkat pakai visa turis, paspor dipegang agen selama kontrak. Biaya proses 5jt. Minat? WA 0812-3456-7890 segera, slot terbatas!';
/** People as their platforms know them: a WhatsApp user id is a phone number. */
const CHECKER = 'tg-424242';
const SUBSCRIBER = '6281299998888';
const PHOTOGRAPHER = 'tg-777001';
const admin = { name: 'ani', role: 'admin' as const };

/** Reads a picture whose bytes say what to answer: "ok" (some text) or a failure kind. */
const reader: PictureTextReader = {
  async read(bytes) {
    const what = bytes.toString();
    return what === 'ok' ? { ok: true, text: 'Selamat pagi semua', confidence: 90, ms: 5 } : { ok: false, failure: what as 'no_text', ms: 5 };
  },
};

let redis: Redis;
const prefix = testPrefix('metrics');
let metrics: Metrics;
let hotline: HotlineService;
let service: ConversationService;
let n = 0;
const sent: Record<string, number> = {};

async function say(channel: string, user: string, text: string, extra: Partial<Inbound> = {}): Promise<string> {
  const r = await service.handle({ channel, userId: user, messageId: `m${++n}`, text, langHint: 'id', ...extra });
  expect(r.ok).toBe(true);
  sent[channel] = (sent[channel] ?? 0) + 1;
  return r.replies.map((x) => x.text).join('\n---\n');
}

/** The day of the counters in a dashboard. */
const dayIn = (d: Dashboard, day = DAY) => d.days.find((x) => x.day === day)!;

beforeAll(async () => {
  redis = await connectRedis(REDIS_URL);
  const keys = keyspace(prefix);
  const subscribers = new RedisSubscribers(redis, keys, TEST_CIPHER, SECRET, () => NOW);
  metrics = new Metrics({ redis, keys, hashSecret: SECRET, subscribers, now: () => NOW });
  hotline = new HotlineService({
    store: new RedisCaseStore(redis, prefix, TEST_CIPHER),
    hashSecret: SECRET,
    partners: loadPartners(undefined, new Set(content.data.contacts.keys())),
    metrics,
    now: () => NOW,
  });
  service = new ConversationService({ ...redisStores(redis, prefix), content, hashSecret: SECRET, hotline, subscribers, metrics, pictures: reader, now: () => NOW });
});
afterAll(async () => {
  await metrics.close();
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

describe('the dashboard’s day', () => {
  it('is the day in Jakarta (UTC+7)', () => {
    expect(dayOf(Date.UTC(2026, 0, 31, 16, 59, 59))).toBe('2026-01-31');
    expect(dayOf(Date.UTC(2026, 0, 31, 17, 0, 0))).toBe('2026-02-01');
    expect(dayOf(NOW)).toBe(DAY);
  });
});

describe('dashboard counters, recorded where things happen', () => {
  let caseId = '';
  let dash: Dashboard;

  it('a conversation, a checked offer and a reported recruiter, with a hotline report opened from the chat', async () => {
    await say('telegram', CHECKER, 'halo');
    await say('telegram', CHECKER, '1'); // agree to the privacy notice
    await say('telegram', CHECKER, '1'); // check an offer
    expect(await say('telegram', CHECKER, SCAM)).toContain('RISIKO TINGGI');
    await say('telegram', CHECKER, '2'); // report the recruiter
    await say('telegram', CHECKER, '1'); // and to the hotline
    await say('telegram', CHECKER, 'Lewati');
    const saved = await say('telegram', CHECKER, 'Lewati');
    caseId = /WSP-[A-Z0-9]{4}-[A-Z0-9]{2}/.exec(saved)?.[0] ?? '';
    expect(caseId, saved).not.toBe('');
    // A message delivered twice is handled (and counted) once.
    const again = await service.handle({ channel: 'telegram', userId: CHECKER, messageId: `m${n}`, text: 'Lewati', langHint: 'id' });
    expect(again.duplicate).toBe(true);
  });

  it('staff refer and close the case; another, urgent case is opened', async () => {
    await hotline.refer(admin, caseId, [...hotline.partners.keys()][0]!);
    await hotline.close(admin, caseId, 'found');
    const urgent = { kind: 'missing' as const, urgent: true, lang: 'id' as const, consentShare: false, reporter: { channel: 'telegram', userId: 'tg-555', contact: null }, details: { name: 'Siti' } };
    await hotline.open(urgent, 'urgent-once');
    // Opened again under the same key (a message handled twice): the same case, not counted again.
    await hotline.open(urgent, 'urgent-once');
  });

  it('someone subscribes from the chat, stops, and subscribes again', async () => {
    const walk = ['halo', '1', 'menu', '6', '3', '1', 'Jatim', 'Malasya'];
    for (const text of walk) await say('whatsapp', SUBSCRIBER, text);
    expect(await say('whatsapp', SUBSCRIBER, '1')).toContain(content.texts.t('id', 'subscribe.saved'));
    await say('whatsapp', SUBSCRIBER, 'stop');
    for (const text of ['menu', '6', '3', '1', 'Jatim', 'Malasya', '1']) await say('whatsapp', SUBSCRIBER, text);
  });

  it('pictures read and not read', async () => {
    await say('telegram', PHOTOGRAPHER, 'halo');
    await say('telegram', PHOTOGRAPHER, '1');
    const picture = (what: string) => ({ media: 'photo' as const, picture: { fetch: async () => Buffer.from(what) } });
    await say('telegram', PHOTOGRAPHER, '', picture('ok'));
    await say('telegram', PHOTOGRAPHER, '', picture('no_text'));
    await say('telegram', PHOTOGRAPHER, '', picture('no_text'));
    await say('telegram', PHOTOGRAPHER, '', { media: 'photo', picture: { bytes: 50 * 2 ** 20, fetch: async () => Buffer.alloc(0) } });
  });

  it('the dashboard shows them all on the right day, the other days empty', async () => {
    await metrics.flush();
    dash = await metrics.dashboard();
    expect(dash.days).toHaveLength(30);
    expect(dash.days.at(-1)!.day).toBe(DAY);
    expect(dash.days[0]!.day).toBe('2026-01-03');
    const day = dayIn(dash);
    expect(day.conversations).toEqual({ telegram: 2, whatsapp: 1 });
    expect(day.messages).toEqual(sent);
    // The scam, and the picture that was read: checked as an offer, too short to judge.
    expect(day.offers).toEqual({ high: 1, medium: 0, low: 0, unclear: 1 });
    expect(day.reports).toBe(1);
    expect(day.cases).toEqual({ opened: 2, urgent: 1, referred: 1, closed: 1 });
    expect(day.pictures).toEqual({ read: 1, notRead: { no_text: 2, too_large: 1 } });
    // The second subscription is the same person again: one new subscriber, one stop.
    expect(day.subscriptions).toEqual({ new: { id: 1 }, stopped: 1 });
    expect(dash.subscribers).toEqual({ id: 1, en: 0 });
    for (const other of dash.days.slice(0, -1)) {
      expect(other.conversations).toEqual({});
      expect(other.cases).toEqual({ opened: 0, urgent: 0, referred: 0, closed: 0 });
    }
    expect(dash.totals.cases).toEqual(day.cases);
    expect(dash.totals.conversations).toEqual(day.conversations);
    expect(dash.totals.casesByKind).toEqual({ recruiter: 1, missing: 1 });
    expect(dash.totals.closedBy).toEqual({ found: 1 });
  });

  it('lists the red flags most seen and the contacts most reported, by the start of their keyed hash', () => {
    const flags = dash.topFlags.map((f) => f.id);
    expect(flags).toContain('tourist_visa');
    expect(flags).toContain('document_retention');
    expect(dash.topFlags.every((f) => f.count === 1)).toBe(true);
    const hash = new RecruiterHasher(SECRET).contacts(['0812-3456-7890'])[0]!.hash;
    expect(dash.topReported).toEqual([{ contact: hash.slice(0, 8), count: 1 }]);
  });

  it('an event of another day is counted on that day; the totals add the days up', async () => {
    metrics.offer('low', ['upfront_fee'], NOW - 86_400_000);
    metrics.offer('medium', [], NOW);
    // Either side of midnight in Jakarta (17:00 UTC).
    metrics.offer('low', [], Date.UTC(2026, 0, 31, 16, 59, 59, 999));
    metrics.offer('medium', [], Date.UTC(2026, 0, 31, 17, 0, 0));
    await metrics.flush();
    const d = await metrics.dashboard(2);
    expect(d.days.map((x) => x.day)).toEqual(['2026-01-31', DAY]);
    expect(d.days[0]!.offers.low).toBe(2);
    expect(d.days[1]!.offers.medium).toBe(2);
    expect(d.totals.offers).toEqual({ high: 1, medium: 2, low: 2, unclear: 1 });
    expect(d.topFlags.find((f) => f.id === 'upfront_fee')?.count).toBeGreaterThanOrEqual(1);
  });

  it('no counter’s key or value holds a user id, a phone number or text people wrote', async () => {
    const all = await dumpPrefix(redis, prefix);
    const counters = all.split('\n').filter((line) => line.includes(':{m:'));
    expect(counters.length).toBe(5);
    for (const line of counters) {
      for (const clear of [CHECKER, SUBSCRIBER, PHOTOGRAPHER, '424242', '99998888', '6281234567890', '3456', 'Jatim', 'Selamat', 'Siti']) expect(line, clear).not.toContain(clear);
      for (let i = 0; i + 12 <= SCAM.length; i += 6) expect(line).not.toContain(SCAM.slice(i, i + 12));
    }
    // Nor does any other key hold the recruiter's number in clear.
    for (const clear of ['6281234567890', '0812-3456-7890']) expect(all).not.toContain(clear);
  });

  it('every counter expires, 35 days after its last write', async () => {
    const keys = await redis.keys(`${prefix}:{m:*`);
    expect(keys.length).toBe(5);
    for (const key of keys) {
      const ttl = await redis.ttl(key);
      expect(ttl, key).toBeGreaterThan(METRICS_TTL_S - 3600);
      expect(ttl, key).toBeLessThanOrEqual(METRICS_TTL_S);
    }
  });
});

describe('recording never fails a conversation', () => {
  it('with Redis away, recording returns at once, the write is dropped and logged once', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    const away = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const m = new Metrics({ redis: away, keys: keyspace(prefix), hashSecret: SECRET, log, now: () => NOW });
    for (let i = 0; i < 3; i++) {
      m.message('telegram', `telegram:u${i}`);
      m.offer('high', ['tourist_visa']);
      await m.flush();
    }
    await m.close();
    away.disconnect();
    expect(lines.filter((l) => l.includes('dashboard counters not written'))).toHaveLength(1);
  });
});
