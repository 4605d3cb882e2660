// Subscribing to alerts from the chat, through the conversation service with the shipped flows and
// texts: in memory (as the demo and the terminal chat run) and on Redis (as the server does). The walk
// in both languages, what someone subscribed sees and changes, "stop" ending every topic (and an import
// refused after it), "/status", "delete my data", and the replies when the store is away.
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySubscribers, RedisSubscribers, type SubscriberInput, type Subscribers } from '../../src/broadcast/subscribers.js';
import { loadContent } from '../../src/content/index.js';
import { ConversationService } from '../../src/conversation/service.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { keyspace } from '../../src/store/keys.js';
import { MemoryStore } from '../../src/store/memory.js';
import { connectRedis } from '../../src/store/redis.js';
import { runCli } from '../helpers/cli.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { redisStores, TEST_CIPHER } from '../helpers/stores.js';

const content = loadContent();
const t = (lang: 'id' | 'en', key: string, vars?: Record<string, unknown>) => content.texts.t(lang, key, vars);
const SECRET = 'subscribe-test-secret-0123456789';
const NOW = Date.UTC(2026, 10, 30, 3, 0, 0);
/** The same on the server: a WhatsApp user id is the person's phone number. */
const CHANNEL = 'whatsapp';

let n = 0;
/** A person chatting with a service: each call sends one message and returns every reply, as text with numbered choices. */
function person(service: ConversationService, user: string, langHint: 'id' | 'en' = 'id') {
  return async (text: string): Promise<string> => {
    const r = await service.handle({ channel: CHANNEL, userId: user, messageId: `s${++n}`, text, langHint });
    return r.replies.map((x) => [x.text, ...(x.choices ?? []).map((c, i) => `${i + 1}. ${c.label}`)].join('\n')).join('\n---\n');
  };
}

function memoryService(subscribers: Subscribers | undefined, log: Logger = silentLogger) {
  const store = new MemoryStore(() => NOW);
  return new ConversationService({ sessions: store.sessions, recruiters: store.recruiters, content, hashSecret: SECRET, subscribers, now: () => NOW, log });
}

/** Sends each message in turn; returns the replies to the last. */
async function sayAll(say: (text: string) => Promise<string>, ...texts: string[]): Promise<string> {
  let last = '';
  for (const text of texts) last = await say(text);
  return last;
}

/** To the menu: the privacy notice agreed. */
async function onboard(say: (text: string) => Promise<string>): Promise<void> {
  await sayAll(say, '/start', '1');
}

/** The Indonesian walk: both topics, the language kept, East Java, Malaysia (typed with a typo), agreed. */
async function subscribeWalk(say: (text: string) => Promise<string>): Promise<string> {
  await say('menu');
  expect(await say('6')).toContain(t('id', 'subscribe.ask_topics'));
  expect(await say('3')).toContain(t('id', 'subscribe.language'));
  expect(await say('1')).toContain(t('id', 'subscribe.ask_region'));
  expect(await say('Jatim')).toContain(t('id', 'subscribe.ask_destination'));
  expect(await say('Malasya')).toContain('Setuju berlangganan?');
  return say('1');
}

/** Someone at the menu, on a service keeping subscriptions in memory. */
async function onboarded(user: string, lang: 'id' | 'en' = 'id') {
  const subscribers = new MemorySubscribers();
  const say = person(memoryService(subscribers), user, lang);
  await onboard(say);
  return { say, subscribers };
}

/** Someone who walked the Indonesian subscription, back at the menu. */
async function subscribed(user: string) {
  const { say, subscribers } = await onboarded(user);
  await subscribeWalk(say);
  await say('menu');
  return { say, subscribers };
}

describe('subscribing from the chat (in memory, as the demo runs)', () => {
  it('the walk in Indonesian: topics, language, province, destination, a consent line, then it is saved and shown', async () => {
    const { say, subscribers } = await onboarded('rina');
    await say('menu');
    const first = await say('6');
    expect(first).toContain(t('id', 'subscribe.not_yet'));
    expect(first).toContain(t('id', 'subscribe.intro'));
    expect(first).toContain('1. Peringatan penipuan kerja\n2. Tips migrasi aman\n3. Keduanya\n4. Kembali ke menu');
    expect(await say('3')).toContain('1. Lanjut dalam Bahasa Indonesia\n2. Switch to English');
    const region = await say('1');
    expect(region).toContain(t('id', 'subscribe.ask_region'));
    expect(region).toContain('1. Lewati');
    await say('Jatim');
    const consent = await say('Malasya');
    // The consent line says plainly what comes, how often at most, how to stop and what is kept.
    for (const part of ['paling banyak 2 pesan per minggu', 'Ketik STOP atau BERHENTI kapan saja', 'Yang kami simpan', 'HAPUS DATA']) expect(consent).toContain(part);
    // Nothing is stored before the person agrees.
    expect(await subscribers.get(CHANNEL, 'rina')).toBeNull();
    const saved = await say('1');
    expect(saved).toContain(t('id', 'subscribe.saved'));
    expect(saved).toContain(
      t('id', 'subscribe.status.text', { since: '30 November 2026', topics: 'Peringatan penipuan kerja, Tips migrasi aman', language: 'Bahasa Indonesia', region: 'Jawa Timur', destination: 'Malaysia' }),
    );
    expect(saved).toContain(t('id', 'subscribe.after_saved'));
    expect(saved).toContain(t('id', 'main.title'));
    expect(await subscribers.get(CHANNEL, 'rina')).toEqual({
      channel: CHANNEL, user: 'rina', lang: 'id', topics: ['scam-alerts', 'safe-migration'], region: 'JI', destination: 'MY', consentedAt: NOW, optedOutAt: null, lastDeliveryAt: null, previousDeliveryAt: null,
    });
  });

  it('the walk in English, skipping the province: only what was chosen is kept', async () => {
    const { say, subscribers } = await onboarded('budi', 'en');
    await say('menu');
    expect(await say('6')).toContain(t('en', 'subscribe.not_yet'));
    expect(await say('1')).toContain('1. Continue in English\n2. Ganti ke Bahasa Indonesia');
    expect(await say('1')).toContain(t('en', 'subscribe.ask_region'));
    expect(await say('skip')).toContain(t('en', 'subscribe.ask_destination'));
    const consent = await say('Taiwan');
    for (const part of ['at most 2 messages a week', 'Type STOP or BERHENTI at any time', 'What we keep', 'DELETE MY DATA']) expect(consent).toContain(part);
    const saved = await say('yes, I agree');
    expect(saved).toContain(t('en', 'subscribe.status.text', { since: '30 November 2026', topics: 'Job-scam alerts', language: 'English', region: 'not given', destination: 'Taiwan' }));
    expect(await subscribers.get(CHANNEL, 'budi')).toMatchObject({ lang: 'en', topics: ['scam-alerts'], region: null, destination: 'TW' });
  });

  it('switching the language at its question switches the conversation and the subscription', async () => {
    const { say, subscribers } = await onboarded('sari');
    await sayAll(say, 'menu', '6', '2');
    const switched = await say('Switch to English');
    expect(switched).toContain(t('en', 'language.changed'));
    expect(switched).toContain(t('en', 'subscribe.ask_region'));
    await sayAll(say, 'NTB', 'skip');
    expect(await say('1')).toContain(t('en', 'subscribe.saved'));
    expect(await subscribers.get(CHANNEL, 'sari')).toMatchObject({ lang: 'en', topics: ['safe-migration'], region: 'NB', destination: null });
  });

  it('a province typed with a typo is taken; one as close to two provinces gets the hint and the question again', async () => {
    const { say, subscribers } = await onboarded('dewi');
    await sayAll(say, 'menu', '6', '1', '1');
    const refused = await say('Suxut');
    expect(refused).toContain(t('id', 'engine.hint.region'));
    expect(refused).toContain('1. Lewati');
    expect(await say('Jawa Timr')).toContain(t('id', 'subscribe.ask_destination'));
    await sayAll(say, '1', '1');
    expect(await subscribers.get(CHANNEL, 'dewi')).toMatchObject({ region: 'JI', destination: null });
  });

  it('declining stores nothing', async () => {
    const { say, subscribers } = await onboarded('agus');
    await sayAll(say, 'menu', '6', '1', '1', '1', '1');
    expect(await say('2')).toContain(t('id', 'subscribe.declined'));
    expect(await subscribers.get(CHANNEL, 'agus')).toBeNull();
    expect(await subscribers.count({})).toBe(0);
  });

  it('someone subscribed sees what they get and can change the topics, keeping their province and destination', async () => {
    const { say, subscribers } = await subscribed('rina');
    const shown = await say('6');
    expect(shown).toContain('Topik: Peringatan penipuan kerja, Tips migrasi aman');
    expect(shown).toContain('Provinsi asal: Jawa Timur');
    expect(shown).toContain('1. Ubah topik\n2. Ubah provinsi & negara tujuan\n3. Berhenti semua langganan\n4. Kembali ke menu');
    expect(await say('1')).toContain(t('id', 'subscribe.ask_topics'));
    await say('2');
    // Straight from the language to the consent: the province and destination are kept.
    expect(await say('1')).toContain('Setuju berlangganan?');
    expect(await say('1')).toContain('Topik: Tips migrasi aman');
    expect(await subscribers.get(CHANNEL, 'rina')).toMatchObject({ topics: ['safe-migration'], region: 'JI', destination: 'MY' });
  });

  it('someone subscribed can change the province and destination, keeping their topics', async () => {
    const { say, subscribers } = await subscribed('rina');
    await sayAll(say, '6', '2');
    expect(await say('1')).toContain(t('id', 'subscribe.ask_region'));
    await sayAll(say, 'Lombok', '1');
    const saved = await say('1');
    expect(saved).toContain('Provinsi asal: Nusa Tenggara Barat');
    expect(saved).toContain('Negara tujuan: tidak diisi');
    expect(await subscribers.get(CHANNEL, 'rina')).toMatchObject({ topics: ['scam-alerts', 'safe-migration'], region: 'NB', destination: null });
  });

  it('"stop all" in the alerts menu ends every topic, and the person stays in the conversation', async () => {
    const { say, subscribers } = await subscribed('rina');
    const stopped = await sayAll(say, '6', '3');
    expect(stopped).toContain(t('id', 'subscribe.stopped'));
    expect(stopped).toContain(t('id', 'main.title'));
    expect(await subscribers.count({ topics: ['scam-alerts', 'safe-migration'] })).toBe(0);
    expect(await say('6')).toContain(t('id', 'subscribe.not_yet'));
  });

  it.each(['/status', 'status langganan', 'my subscription', 'langganan saya'])('"%s" says what one is subscribed to, or that one is not', async (words) => {
    const { say } = await onboarded('rina');
    const none = await say(words);
    expect(none).toContain(t('id', 'subscribe.not_yet'));
    expect(none).toContain(t('id', 'subscribe.ask_topics'));
    await say('4');
    await subscribeWalk(say);
    const shown = await say(words);
    expect(shown).toContain('🔔 Langganan Anda (sejak 30 November 2026):\nTopik: Peringatan penipuan kerja, Tips migrasi aman\nBahasa: Bahasa Indonesia\nProvinsi asal: Jawa Timur\nNegara tujuan: Malaysia');
    expect(shown).toContain(t('id', 'subscribe.manage'));
  });

  it('"/status" in the middle of a report shows the subscription, and "back" returns to the question', async () => {
    const { say } = await subscribed('rina');
    expect(await say('4')).toContain(t('id', 'hotline.report.ask.name'));
    expect(await say('/status')).toContain('Topik: Peringatan penipuan kerja, Tips migrasi aman');
    expect(await say('4')).toContain(t('id', 'hotline.report.ask.name'));
  });

  it('the terminal chat (npm run chat) keeps subscriptions in memory: subscribe, /status, then stop ends them', async () => {
    const walk = ['/start', '1', '6', '1', '1', 'NTB', 'Malaysia', '1', '/status', '4', 'stop'];
    const r = await runCli(['chat', '--lang', 'en'], walk.join('\n') + '\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    // Shown once when saved, once for /status.
    expect(r.stdout.split(t('en', 'subscribe.saved'))).toHaveLength(2);
    expect(r.stdout.split('Topics: Job-scam alerts\nLanguage: English\nHome province: Nusa Tenggara Barat\nDestination: Malaysia')).toHaveLength(3);
    expect(r.stdout).toContain(`${t('en', 'stop.unsubscribed')}\n\n${t('en', 'stop.bye')}`);
  });
});

describe('stopping and deleting on Redis (as the server runs)', () => {
  let redis: Redis;
  const prefix = testPrefix('subscribe');
  let subscribers: RedisSubscribers;
  let service: ConversationService;

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    subscribers = new RedisSubscribers(redis, keyspace(prefix), TEST_CIPHER, SECRET, () => NOW);
    service = new ConversationService({ ...redisStores(redis, prefix), content, hashSecret: SECRET, subscribers, now: () => NOW });
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it.each(['stop', 'berhenti', '/stop', 'unsubscribe', 'BERHENTI'])(
    '"%s" ends every topic at once and says so; an import of the same person is then refused, and subscribing again from the chat works',
    async (word) => {
      const user = `62812555${String(++n).padStart(5, '0')}`;
      const say = person(service, user);
      await onboard(say);
      const before = await subscribers.count({ topics: ['scam-alerts'] });
      await subscribeWalk(say);
      expect(await subscribers.count({ topics: ['scam-alerts'] })).toBe(before + 1);
      const stopped = await say(word);
      expect(stopped).toContain(`${t('id', 'stop.unsubscribed')}\n\n${t('id', 'stop.bye')}`);
      expect(await subscribers.count({ topics: ['scam-alerts'] })).toBe(before);
      expect(await subscribers.count({ topics: ['safe-migration'] })).toBe(0);
      const imported = { channel: CHANNEL, user, lang: 'id', topics: ['scam-alerts' as const], region: null, destination: null, consentedAt: NOW };
      expect(await subscribers.add(imported)).toBe('opted_out');
      expect(await subscribers.count({ topics: ['scam-alerts'] })).toBe(before);
      // Stopping again says nothing of alerts: there is nothing left to stop.
      expect(await say(word)).not.toContain(t('id', 'stop.unsubscribed'));
      await onboard(say);
      expect(await subscribeWalk(say)).toContain(t('id', 'subscribe.saved'));
      expect(await subscribers.count({ topics: ['scam-alerts'] })).toBe(before + 1);
      expect(await subscribers.get(CHANNEL, user)).toMatchObject({ optedOutAt: null, topics: ['scam-alerts', 'safe-migration'] });
      await say('stop');
    },
  );

  it('"stop" from someone never subscribed ends the conversation as before, with no word about alerts', async () => {
    const say = person(service, '6281255599999');
    await onboard(say);
    const r = await say('stop');
    expect(r).toBe(t('id', 'stop.bye'));
  });

  it('"delete my data" also forgets the subscription; an import of the person stays refused', async () => {
    const user = '6281255577777';
    const say = person(service, user);
    await onboard(say);
    await subscribeWalk(say);
    const before = await subscribers.count({});
    expect(await say('hapus data')).toContain(t('id', 'forget.explain'));
    expect(await say('1')).toContain(t('id', 'forget.done'));
    expect(await subscribers.get(CHANNEL, user)).toBeNull();
    expect(await subscribers.count({})).toBe(before - 1);
    expect(await subscribers.add({ channel: CHANNEL, user, lang: 'id', topics: ['scam-alerts'], region: null, destination: null, consentedAt: NOW })).toBe('opted_out');
    // No key under the prefix names the person.
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.join('\n')).not.toContain(user);
  });
});

describe('when the subscribers cannot be reached', () => {
  /** A store whose every call fails, as ioredis does when Redis is away. */
  const away = new Proxy({} as Subscribers, { get: () => () => Promise.reject(new Error('Connection is closed.')) });

  it('subscribing, /status and stop each say plainly to try again; the failure is logged once each, naming nobody', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    const say = person(memoryService(away, log), '6281255588888');
    await onboard(say);
    const shown = await say('/status');
    expect(shown).toContain(t('id', 'subscribe.failed_look'));
    expect(shown).toContain(t('id', 'main.title'));
    // The menu's alerts item: the look fails too; the person is not taken into a walk that cannot be saved.
    expect(await say('6')).toContain(t('id', 'subscribe.failed_look'));
    const stopped = await say('stop');
    expect(stopped).toContain(`${t('id', 'stop.unsubscribe_failed')}\n\n${t('id', 'stop.bye')}`);
    const failures = lines.map((l) => JSON.parse(l) as { msg: string; effect: string });
    expect(failures.map((f) => [f.msg, f.effect])).toEqual([
      ['subscription not read or written', 'mySubscription'],
      ['subscription not read or written', 'mySubscription'],
      ['subscription not read or written', 'unsubscribe'],
    ]);
    expect(lines.join('\n')).not.toContain('6281255588888');
  });

  it('a failed save says so and asks for the consent again, so that agreeing again tries again', async () => {
    /** Subscribing fails (Redis away) until told otherwise; the rest works. */
    class Flaky extends MemorySubscribers {
      failing = true;
      override async subscribe(s: SubscriberInput) {
        if (this.failing) throw new Error('Connection is closed.');
        return super.subscribe(s);
      }
    }
    const flaky = new Flaky(() => NOW);
    const say = person(memoryService(flaky), '6281255566666');
    await onboard(say);
    const failed = await sayAll(say, 'menu', '6', '1', '1', '1', '1', '1');
    expect(failed).toContain(t('id', 'subscribe.failed_save'));
    expect(failed).toContain('Setuju berlangganan?');
    flaky.failing = false;
    expect(await say('1')).toContain(t('id', 'subscribe.saved'));
    expect(await flaky.get(CHANNEL, '6281255566666')).toMatchObject({ topics: ['scam-alerts'] });
  });
});
