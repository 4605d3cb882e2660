// Campaigns end to end in one process: subscribers on real Redis, the BullMQ worker, the outbox's
// senders and a fake Bot API that enforces Telegram's limits strictly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Campaigns, parseSegment, quietFor } from '../../src/broadcast/campaigns.js';
import { keyspace } from '../../src/store/keys.js';
import { RedisRecipients } from '../../src/outbox/recipients.js';
import { importSubscribers } from '../../src/broadcast/import.js';
import { MemorySubscribers } from '../../src/broadcast/subscribers.js';
import { loadConfig } from '../../src/config.js';
import { startWorker, type RunningWorker } from '../../src/worker.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { DATA_KEY, dropPrefix, plainRedis, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { SECRET, TOKEN } from '../helpers/telegram.js';
import { png } from '../helpers/media.js';

const TG = { telegram: /^\d{1,15}$/ };
const csv = (ids: number[], extra = '') =>
  ['channel,user_id,language,topics,consented_at,region'].concat(ids.map((id, i) => `telegram,${id},${i % 5 === 0 ? 'en' : 'id'},scam-alerts,2026-10-01T00:00:00Z,${extra}`)).join('\n');

describe('segments and quiet hours', () => {
  it('a segment is written key=value, and a wrong one is refused with what is allowed', () => {
    expect(parseSegment('lang=id,topic=scam-alerts|safe-migration,channel=telegram,region=nb,destination=my')).toEqual({
      lang: 'id', topics: ['scam-alerts', 'safe-migration'], channel: 'telegram', region: 'NB', destination: 'MY',
    });
    expect(() => parseSegment('topic=jobs')).toThrow(/unknown topic/);
    expect(() => parseSegment('colour=red')).toThrow(/unknown key/);
  });

  it('quiet hours are 21:00 to 07:00 where the person lives', () => {
    const at = (iso: string) => Date.parse(iso);
    expect(quietFor('Asia/Jakarta', at('2026-12-01T10:00:00+07:00'))).toBe(0);
    expect(quietFor('Asia/Jakarta', at('2026-12-01T20:59:00+07:00'))).toBe(0);
    expect(quietFor('Asia/Jakarta', at('2026-12-01T21:00:00+07:00'))).toBe(10 * 3600_000);
    expect(quietFor('Asia/Jakarta', at('2026-12-01T06:30:00+07:00'))).toBe(30 * 60_000);
    // The same moment is day in Jakarta and night in Riyadh? 03:00 in Jakarta is 23:00 in Riyadh.
    expect(quietFor('Asia/Riyadh', at('2026-12-02T03:00:00+07:00'))).toBe(8 * 3600_000);
    expect(quietFor('Asia/Jayapura', at('2026-12-01T19:30:00+07:00'))).toBeGreaterThan(0);
    // A deployment's own hours (BROADCAST_QUIET_HOURS=22-6), or none (off).
    expect(quietFor('Asia/Jakarta', at('2026-12-01T21:30:00+07:00'), { from: 22, until: 6 })).toBe(0);
    expect(quietFor('Asia/Jakarta', at('2026-12-01T05:00:00+07:00'), { from: 22, until: 6 })).toBe(3600_000);
    expect(quietFor('Asia/Jakarta', at('2026-12-01T23:00:00+07:00'), null)).toBe(0);
  });
});

describe('importing people who opted in elsewhere', () => {
  it('refuses rows without consent, with unknown values or a future date, naming their lines, and never re-adds someone who opted out', async () => {
    const subs = new MemorySubscribers();
    await subs.optOut('telegram', '77');
    const r = await importSubscribers(
      [
        'channel,user_id,language,topics,consented_at',
        'telegram,11,id,scam-alerts,2026-10-01T00:00:00Z',
        'telegram,12,id,scam-alerts|safe-migration,2026-10-01',
        'sms,13,id,scam-alerts,2026-10-01',
        'telegram,@bob,id,scam-alerts,2026-10-01',
        'telegram,14,jv,scam-alerts,2026-10-01',
        'telegram,15,id,lottery,2026-10-01',
        'telegram,16,id,scam-alerts,',
        'telegram,17,id,scam-alerts,2099-01-01',
        'telegram,18,id,scam-alerts,yesterday',
        'telegram,77,id,scam-alerts,2026-10-01',
        '',
      ].join('\n'),
      subs,
      { telegram: /^\d{1,15}$/, whatsapp: /^\d{5,20}$/ },
      Date.parse('2026-11-30T00:00:00Z'),
    );
    expect(r.added).toBe(2);
    expect(r.optedOut).toBe(1);
    expect(r.refused.map((x) => x.line)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(r.refused.find((x) => x.line === 8)!.reason).toMatch(/consent/);
    expect(await subs.count({ topics: ['scam-alerts'] })).toBe(2);
    const header = await importSubscribers('user,lang\n1,id', subs, TG);
    expect(header.refused[0]).toMatchObject({ line: 1 });
  });
});

describe('a campaign through the worker', () => {
  let fake: FakeTelegram;
  let worker: RunningWorker;
  const prefix = testPrefix('bc');
  const redis = plainRedis();

  beforeAll(async () => {
    // Telegram's limits ten times over (300 a second, strictly): the same mechanics, a tenth of the time.
    fake = await startFakeTelegram({ token: TOKEN, globalPerSecond: 300, perChatPerSecond: 1, strict: true });
    const config = loadConfig({
      REDIS_URL, REDIS_PREFIX: prefix, HASH_SECRET: 'bc-hash-secret-0123456789', DATA_ENCRYPTION_KEY: DATA_KEY,
      TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot, TELEGRAM_RATE_GLOBAL: '300',
    });
    worker = await startWorker(config);
  });
  afterAll(async () => {
    await worker.close(1000);
    await fake.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('3,000 subscribers: each gets it once, opted-out people nothing, no 429 after the first second, and a reply waiting meanwhile goes first', async () => {
    const ids = Array.from({ length: 3000 }, (_, i) => 4_000_000 + i);
    const { subscribers, campaigns, queue } = worker.broadcast;
    // Near midday in Jakarta, so that no quiet hours apply (the campaign is not urgent).
    const r = await importSubscribers(csv(ids), subscribers, TG);
    expect(r).toMatchObject({ added: 3000, refused: [] });
    const out = new Set([4_000_007, 4_000_100, 4_002_999]);
    for (const id of out) await subscribers.optOut('telegram', String(id));
    expect(await campaigns.dryRun(parseSegment('topic=scam-alerts'), ['telegram'])).toEqual({ telegram: { id: 2398, en: 599 } });
    const c = await campaigns.create({ texts: { id: 'Hati-hati lowongan kerja admin di Kamboja.', en: 'Beware of admin jobs in Cambodia.' }, segment: parseSegment('topic=scam-alerts'), by: 'test', urgent: true });
    const t0 = Date.now();
    await queue.schedule(c);
    await fake.waitFor(() => fake.calls.filter((x) => x.method === 'sendMessage' && x.status === 200).length >= 500, 20_000);
    // A person writes in the middle of the campaign: their reply goes ahead of the campaign's messages
    // already waiting in the outbox (fewer of those are sent before it than were waiting).
    const waiting = (await worker.outbox.counts(['telegram'])).telegram!.pending;
    expect(waiting).toBeGreaterThan(20);
    const sentBefore = fake.calls.filter((x) => x.method === 'sendMessage' && x.status === 200).length;
    await worker.outbox.deliver({ channel: 'telegram', user: '5550001' }, [{ lang: 'id', reply: { say: [{ key: 'main.title' }] } }], { inReplyTo: true });
    await fake.waitFor(() => fake.sent(5550001).length === 1, 5000);
    const replyAt = fake.calls.findIndex((x) => x.method === 'sendMessage' && x.body.chat_id === 5550001);
    const campaignSentMeanwhile = fake.calls.slice(0, replyAt).filter((x) => x.method === 'sendMessage' && x.status === 200).length - sentBefore;
    expect(campaignSentMeanwhile).toBeLessThan(waiting);
    await fake.waitFor(() => ids.filter((id) => !out.has(id)).every((id) => fake.sent(id).length >= 1), 40_000);
    await new Promise((res) => setTimeout(res, 500));
    expect(ids.filter((id) => fake.sent(id).length > 1)).toEqual([]);
    expect([...out].filter((id) => fake.sent(id).length)).toEqual([]);
    expect(fake.calls.filter((x) => x.status === 429 && x.at > t0 + 1000)).toEqual([]);
    expect(fake.sent(ids[0]!)[0]!.text).toContain('Beware of admin jobs');
    expect(fake.sent(ids[1]!)[0]!.text).toContain('Hati-hati lowongan');
    const done = await campaigns.get(c.id);
    expect(done).toMatchObject({ state: 'done', counts: { targets: 2997, queued: 2997, duplicate: 0 } });
    // What Telegram made of them, counted as it answered.
    await expect.poll(async () => (await campaigns.get(c.id))!.counts, { timeout: 5000 }).toMatchObject({ sent: 2997, failed: 0, unreachable: 0, expired: 0 });
  }, 60_000);

  it('a subscriber in safety mode gets nothing from a campaign, counted as withheld; the others get it', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => 4_900_000 + i);
    const { subscribers, campaigns, queue } = worker.broadcast;
    await importSubscribers(csv(ids, 'BA'), subscribers, TG);
    const quiet = ids[2]!;
    await new RedisRecipients(redis, keyspace(prefix)).setSafety('telegram', String(quiet), true);
    const c = await campaigns.create({ texts: { id: 'Info lowongan resmi minggu ini.', en: 'Official vacancies this week.' }, segment: parseSegment('topic=scam-alerts,region=BA'), by: 'test', urgent: true });
    await queue.schedule(c);
    await fake.waitFor(() => ids.filter((id) => id !== quiet).every((id) => fake.sent(id).length === 1), 20_000);
    await expect.poll(async () => (await campaigns.get(c.id))!.state, { timeout: 5000 }).toBe('done');
    expect(fake.sent(quiet)).toEqual([]);
    expect((await campaigns.get(c.id))!.counts).toMatchObject({ targets: 6, queued: 5, withheld: 1 });
  });

  it('a test send reaches the staff member’s own chat now, in each language, as subscribers would get it, and counts nothing', async () => {
    const { campaigns } = worker.broadcast;
    const staffChat = 5_550_777;
    const r = await campaigns.testSend({ texts: { id: 'Uji: hati-hati lowongan palsu.', en: 'Test: beware of fake jobs.' } }, { channel: 'telegram', user: String(staffChat) });
    expect(r).toEqual({ id: 'queued', en: 'queued' });
    await fake.waitFor(() => fake.sent(staffChat).length === 2, 5000);
    expect(fake.sent(staffChat).map((m) => m.text)).toEqual([expect.stringContaining('Uji: hati-hati'), expect.stringContaining('Test: beware')]);
    await expect(campaigns.testSend({ texts: { id: 'x' } }, { channel: 'sms', user: '1' })).rejects.toThrow(/no channel "sms"/);
    await expect(campaigns.testSend({ texts: { id: ' ' } }, { channel: 'telegram', user: '1' })).rejects.toThrow(/at least one language/);
  });

  it('a campaign with a picture: refused before it starts when a channel cannot take the file; else each subscriber gets the picture with the text as caption, the file uploaded once', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => 4_300_000 + i);
    const { subscribers, campaigns, queue, media } = worker.broadcast;
    await importSubscribers(csv(ids).replace(/scam-alerts/g, 'safe-migration'), subscribers, TG);
    const segment = parseSegment('topic=safe-migration');
    // Over Telegram's 10 MB for pictures: refused with the channel and the reason, nothing scheduled.
    const big = await media.put(png(8, 8, { atLeast: 11 * 1024 * 1024 }));
    await expect(campaigns.create({ texts: { id: 'Poster besar.' }, fallbackToId: true, segment, media: big, by: 'test', urgent: true })).rejects.toThrow(/^telegram: .*10 MB/);
    const poster = await media.put(png(64, 48));
    const c = await campaigns.create({ texts: { id: 'Kenali modus lowongan palsu.' }, fallbackToId: true, segment, media: poster, by: 'test', urgent: true });
    expect(c.media).toMatchObject({ id: poster.id, kind: 'image' });
    await queue.schedule(c);
    await fake.waitFor(() => ids.every((id) => fake.media(id).length === 1), 20_000);
    const sends = ids.flatMap((id) => fake.media(id));
    expect(sends.filter((m) => m.via === 'upload')).toHaveLength(1);
    expect(new Set(sends.map((m) => m.file_id)).size).toBe(1);
    expect(sends.every((m) => m.kind === 'photo' && m.caption?.includes('Kenali modus lowongan palsu.'))).toBe(true);
    await expect.poll(async () => (await campaigns.get(c.id))!.counts, { timeout: 5000 }).toMatchObject({ targets: 40, sent: 40 });
  }, 30_000);

  it('a paused campaign sends nothing more until resumed; a cancelled one stops for good', async () => {
    const ids = Array.from({ length: 2500 }, (_, i) => 4_100_000 + i);
    const { subscribers, campaigns, queue } = worker.broadcast;
    await importSubscribers(csv(ids).replace(/scam-alerts/g, 'safe-migration'), subscribers, TG);
    const c = await campaigns.create({ texts: { id: 'Migrasi aman: cek agen di SIAPkerja.' }, fallbackToId: true, segment: parseSegment('topic=safe-migration'), by: 'test', urgent: true });
    await queue.schedule(c);
    const sent = () => ids.filter((id) => fake.sent(id).length).length;
    await fake.waitFor(() => sent() >= 50, 10_000);
    await campaigns.setState(c.id, 'paused');
    // What the outbox held already (a few seconds of sending) still goes; nothing more is handed to it.
    const drained = async () => {
      await expect.poll(async () => (await worker.outbox.counts(['telegram'])).telegram!.pending, { timeout: 15_000, interval: 200 }).toBe(0);
      await new Promise((res) => setTimeout(res, 300));
    };
    await drained();
    const atPause = sent();
    await new Promise((res) => setTimeout(res, 1500));
    expect(sent()).toBe(atPause);
    // The pause came before the campaign's end (how far it got depends on speed: the bench measures that).
    expect(atPause).toBeLessThan(ids.length);
    await campaigns.setState(c.id, 'running');
    await queue.wake(c.id);
    await fake.waitFor(() => sent() > atPause + 20, 10_000);
    await campaigns.setState(c.id, 'cancelled');
    await drained();
    const atCancel = sent();
    await new Promise((res) => setTimeout(res, 1500));
    expect(sent()).toBe(atCancel);
    expect((await campaigns.get(c.id))!.state).toBe('cancelled');
    expect(ids.filter((id) => fake.sent(id).length > 1)).toEqual([]);
  }, 40_000);

  it('outside the hours people may be written to, a campaign waits for their morning unless it is urgent', async () => {
    const { subscribers } = worker.broadcast;
    const night = Date.parse('2026-12-01T23:30:00+07:00');
    await importSubscribers(csv([4_200_001, 4_200_002], 'PA').replace(/scam-alerts/g, 'safe-migration'), subscribers, TG);
    // The same campaigns, at half past eleven at night in Jakarta.
    const atNight = new Campaigns({ redis, keys: keyspace(prefix), subscribers, outbox: worker.outbox, timeZone: () => 'Asia/Jakarta', now: () => night });
    const calm = await atNight.create({ texts: { id: 'Tips migrasi aman.' }, fallbackToId: true, segment: { topics: ['safe-migration'], region: 'PA' }, by: 'test' });
    const outcome = await atNight.run(calm.id);
    expect(outcome).toMatchObject({ done: false, why: 'quiet_hours', wakeAt: Date.parse('2026-12-02T07:00:00+07:00') });
    expect(fake.sent(4_200_001)).toEqual([]);
    expect((await atNight.get(calm.id))!.counts.queued).toBe(0);
    const urgent = await atNight.create({ texts: { id: 'Peringatan: lowongan palsu atas nama BP2MI.' }, fallbackToId: true, segment: { topics: ['safe-migration'], region: 'PA' }, by: 'test', urgent: true });
    expect(await atNight.run(urgent.id)).toEqual({ done: true });
    await fake.waitFor(() => fake.sent(4_200_001).length === 1 && fake.sent(4_200_002).length === 1, 10_000);
    // At most two campaign messages a week to anyone, as the consent text promises: a third waits for nobody, it is skipped.
    const second = await atNight.create({ texts: { id: 'Peringatan kedua.' }, fallbackToId: true, segment: { topics: ['safe-migration'], region: 'PA' }, by: 'test', urgent: true });
    expect(await atNight.run(second.id)).toEqual({ done: true });
    await fake.waitFor(() => fake.sent(4_200_001).length === 2, 10_000);
    const third = await atNight.create({ texts: { id: 'Peringatan ketiga.' }, fallbackToId: true, segment: { topics: ['safe-migration'], region: 'PA' }, by: 'test', urgent: true });
    expect(await atNight.run(third.id)).toEqual({ done: true });
    expect((await atNight.get(third.id))!.counts).toMatchObject({ queued: 0, weekly_cap: 2 });
    await new Promise((res) => setTimeout(res, 500));
    expect(fake.sent(4_200_001)).toHaveLength(2);
  }, 20_000);
});
