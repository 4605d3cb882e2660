// The report's edges: stories that contain pleas or read like job offers, a report left halfway, the
// numbered skip, the same report sent twice, status messages that wait in Redis until an outbox
// takes them, cases held by someone else, and what "delete my data" takes from a case.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { ConversationService } from '../../src/conversation/service.js';
import { RedisCaseStore } from '../../src/hotline/cases.js';
import { HotlineService } from '../../src/hotline/service.js';
import type { Deliverer, OutboxItem } from '../../src/outbox/outbox.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { redisStores, TEST_CIPHER } from '../helpers/stores.js';

const content = loadContent();
const SECRET = 'edges-hash-secret-0123456789';
const admin = { name: 'ani', role: 'admin' as const };
const agent = (name: string) => ({ name, role: 'agent' as const });

let redis: Redis;
const prefix = testPrefix('edges');
let hotline: HotlineService;
let service: ConversationService;
let n = 0;

beforeAll(async () => {
  redis = await connectRedis(REDIS_URL);
  hotline = new HotlineService({ store: new RedisCaseStore(redis, prefix, TEST_CIPHER), hashSecret: SECRET });
  const { sessions, recruiters } = redisStores(redis, prefix);
  service = new ConversationService({ sessions, recruiters, content, hashSecret: SECRET, hotline });
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

async function say(user: string, text: string): Promise<string> {
  const r = await service.handle({ channel: 'telegram', userId: user, messageId: `e${++n}`, text, langHint: 'id' });
  return r.replies.map((x) => [x.text, ...(x.choices ?? []).map((c, i) => `${i + 1}. ${c.label}`)].join('\n')).join('\n---\n');
}

async function toReport(user: string): Promise<void> {
  await say(user, '/start');
  await say(user, '1');
  await say(user, 'menu');
  await say(user, '4');
}

const caseNumber = (text: string) => /Nomor kasus: (WSP-[A-Z0-9]{4}-[A-Z0-9]{2})/.exec(text)?.[1];

describe('telling what happened', () => {
  it('a story with a plea in it is the answer, with the emergency contacts first', async () => {
    await toReport('s1');
    for (const a of ['Rina', 'lewati', 'lewati', 'Malaysia', 'lewati', 'lewati', 'lewati', 'lewati']) await say('s1', a);
    const r = await say('s1', 'Tolong, adik saya disekap majikan dan tidak boleh pulang');
    // Where the writer is is not known: the lines that answer from anywhere (the police only for Indonesia).
    expect(r).toContain('+62 812-9007-0027');
    expect(r).not.toContain('110');
    expect(r).toContain('bahaya sekarang');
    await say('s1', 'ya');
    await say('s1', 'lewati');
    const summary = await say('s1', 'ya');
    expect(summary).toContain('Cerita: Tolong, adik saya disekap majikan dan tidak boleh pulang');
  });

  it('a story that reads like a job offer is the answer, not an offer to check', async () => {
    await toReport('s2');
    for (const a of ['Dewi', 'lewati', 'lewati', 'Kamboja', 'lewati', 'lewati', 'lewati', 'lewati']) await say('s2', a);
    const story = 'Dia dapat lowongan kerja admin di Kamboja, dijanjikan gaji 8 juta per bulan, tiket dan visa gratis, berangkat lewat agen tanpa kontrak, sekarang paspornya ditahan.';
    expect(await say('s2', story)).toContain('bahaya sekarang');
  });

  it('a bare "tolong" at a report question still opens the emergency screen', async () => {
    await toReport('s3');
    expect(await say('s3', 'tolong')).toContain('Anda tidak sendiri');
  });

  it('in urgent help, a story of danger is taken without another alert', async () => {
    await say('s4', '/start');
    await say('s4', '1');
    await say('s4', 'tolong');
    await say('s4', 'lewati'); // where they are
    await say('s4', '3');
    await say('s4', 'ya'); // safe to write
    await say('s4', 'lewati');
    await say('s4', 'Malaysia');
    const r = await say('s4', 'Dia dipukuli majikan dan dikurung');
    expect(r).not.toContain('110');
    expect(r).toContain('menghubungi Anda');
  });
});

describe('a report left halfway', () => {
  it('leaves nothing in the next report: it starts from the first question', async () => {
    await toReport('h1');
    for (const a of ['Budi', '30', 'adik', 'Malaysia', 'Johor', 'lewati', 'lewati', 'lewati', 'cerita lama', 'tidak', 'lewati', 'ya']) await say('h1', a);
    await say('h1', '2'); // correct something
    await say('h1', '1'); // the name
    await say('h1', 'menu'); // and leaves
    await say('h1', '4');
    const next = await say('h1', 'Citra');
    expect(next).toContain('umurnya');
    expect(next).not.toContain('Ringkasan');
  });

  it('"1" skips a skippable question whatever it asks, as the numbered button says', async () => {
    await toReport('k1');
    for (const a of ['Eka', '1', '1', 'Malaysia', '1', '1', '1', '1', '1', '1']) await say('k1', a);
    const r = await say('k1', '1'); // the safe number: skipped too
    expect(r).toContain('instansi resmi');
  });
});

describe('the same report sent twice', () => {
  it('opens one case', async () => {
    const answers = ['Fajar', '40', 'ayah', 'Arab Saudi', 'Riyadh', 'lewati', 'lewati', '2 bulan lalu', 'tidak ada kabar', 'tidak', 'lewati', 'tidak'];
    await toReport('d1');
    for (const a of answers) await say('d1', a);
    const first = caseNumber(await say('d1', '1'));
    await say('d1', 'menu');
    await say('d1', '4');
    for (const a of answers) await say('d1', a);
    const second = caseNumber(await say('d1', '1'));
    expect(first).toBeDefined();
    expect(second).toBe(first);
    expect((await hotline.mine('telegram', 'd1')).length).toBe(1);
  });
});

/** An outbox that fails while `down`, and records what it queued. */
class Flaky implements Deliverer {
  down = false;
  sent: { user: string; items: readonly OutboxItem[] }[] = [];
  serves = (channel: string) => channel === 'telegram';
  async deliver(to: { channel: string; user: string }, items: readonly OutboxItem[]) {
    if (this.down) throw new Error('Connection is closed.');
    this.sent.push({ user: to.user, items });
    return 'queued' as const;
  }
}

describe('status messages for families', () => {
  const open = (user: string, key: string, consent = true) =>
    hotline.open({ kind: 'missing', urgent: false, lang: 'id', consentShare: consent, reporter: { channel: 'telegram', userId: user, contact: null }, details: { name: 'Gita' } }, key);

  it('wait in Redis when no outbox can take them, and go out once one can', async () => {
    const { id } = await open('p1', 'push-1');
    // A change made where no outbox runs (the CLI without channel settings): the message waits.
    await hotline.stage(admin, id, 'verified');
    const flaky = new Flaky();
    const server = new HotlineService({ store: hotline.store, hashSecret: SECRET, outbox: flaky, pushesFinal: true });
    flaky.down = true;
    await expect(server.deliverPushes()).rejects.toThrow();
    expect(flaky.sent).toEqual([]);
    flaky.down = false;
    expect(await server.deliverPushes()).toBe(1);
    expect(await server.deliverPushes()).toBe(0);
    expect(flaky.sent.map((s) => s.user)).toEqual(['p1']);
    expect(flaky.sent[0]!.items[0]!.reply.say).toEqual([{ key: 'hotline.push.stage', vars: { id } }, { key: 'hotline.stage.verified' }]);
    expect((await hotline.store.events(id)).map((e) => e.type)).toContain('shown');
  });

  it('are never written for an internal note, and wait sealed (no note text in clear)', async () => {
    const { id } = await open('p2', 'push-2');
    await hotline.note(admin, id, 'internal only: agen X', false);
    await hotline.note(admin, id, 'Kami sudah menghubungi KBRI.', true);
    const raw = await redis.lrange(`${prefix}:{hotline}:pushes`, 0, -1);
    expect(raw).toHaveLength(1);
    expect(raw.join()).not.toContain('KBRI');
    const got = await hotline.store.pushes();
    expect(got.map((p) => p.push.say[0])).toEqual([{ key: 'hotline.push.note', vars: { id, note: 'Kami sudah menghubungi KBRI.' } }]);
    for (const p of got) await hotline.store.pushed(p.token);
  });
});

describe('cases held by someone', () => {
  it('another agent cannot change or claim a case someone holds; an admin can act on it', async () => {
    const { id } = await hotline.open({ kind: 'missing', urgent: false, lang: 'id', consentShare: true, reporter: { channel: 'telegram', userId: 'c1', contact: null }, details: {} }, 'held-1');
    await hotline.claim(agent('budi'), id);
    await expect(hotline.note(agent('cici'), id, 'x', false)).rejects.toThrow(/held by budi/);
    await expect(hotline.claim(agent('cici'), id)).rejects.toThrow(/held by budi/);
    const c = await hotline.note(admin, id, 'checked', false);
    expect(c.claimedBy).toBe('ani');
    // The admin now holds it and has acted: claiming it again does not send it back to the queue.
    const again = await hotline.claim(admin, id);
    expect(again?.claimUntil).toBeNull();
  });
});

describe('"delete my data" on cases', () => {
  it('takes the reporter, what they added later, and the link to their chat', async () => {
    await toReport('f1');
    for (const a of ['Hana', 'lewati', 'lewati', 'lewati', 'lewati', 'lewati', 'lewati', 'lewati', 'lewati', 'lewati', 'lewati', 'ya']) await say('f1', a);
    const id = caseNumber(await say('f1', '1'))!;
    await say('f1', 'menu');
    await say('f1', '5');
    await say('f1', '1');
    await say('f1', 'Nomor baru saya 0813 5555 6666');
    await say('f1', 'hapus data saya');
    await say('f1', '1');
    const { case: c } = await hotline.show(admin, id);
    expect(c.reporter).toBeNull();
    expect(c.details?.additions).toEqual([]);
    expect(c.details?.name).toBe('Hana');
    expect(await redis.hget(`${prefix}:{hotline}:case:${id}`, 'o')).toBe('');
  });
});
