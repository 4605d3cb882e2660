// Duplicate reports of one missing person, found through an index of keyed hashes on a real Redis, and
// linked cases sharing what their families see, each family through the outbox on its own case.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { RedisCaseStore } from '../../src/hotline/cases.js';
import { DuplicateIndex, nameForm, nameSkeleton, passportsIn, sameName, skeletonVariants } from '../../src/hotline/duplicates.js';
import { caseSay } from '../../src/hotline/say.js';
import { HotlineService } from '../../src/hotline/service.js';
import type { CaseDetails, OpenCase } from '../../src/hotline/types.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, dumpPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { RecordingOutbox } from '../helpers/recording-outbox.js';
import { TEST_CIPHER } from '../helpers/stores.js';

const { data } = loadContent();
const SECRET = 'dup-hash-secret-0123456789';
const admin = { name: 'ani', role: 'admin' as const };

describe('names spelt differently', () => {
  it('folds old spellings, titles, doubled letters and y for i, and keeps a loose skeleton', () => {
    expect(nameForm('Ibu  Siti Aminnah')).toBe('siti aminah');
    expect(nameForm('Soekarno Djojo')).toBe('sukarno jojo');
    expect(nameForm('Sity')).toBe('siti');
    expect(nameSkeleton(nameForm('Siti Aminah'))).toBe('stamn');
    expect(nameSkeleton(nameForm('Siti Amina'))).toBe('stamn');
    expect(skeletonVariants('stamn')).toEqual(['stamn', 'tamn', 'samn', 'stmn', 'stan', 'stam']);
    expect(skeletonVariants('ab')).toEqual(['ab']);
  });

  it('one person\'s name within a few edits is the same name; another name is not', () => {
    expect(sameName('Siti Aminah', 'Sity Aminnah')).toBe(true);
    expect(sameName('Siti Aminah', 'siti amina')).toBe(true);
    expect(sameName('Nurhayati Wulandari', 'Nurhayaty Wulandri')).toBe(true);
    expect(sameName('Siti Aminah', 'Siti Rahma')).toBe(false);
    expect(sameName('Ani', 'Ana')).toBe(false);
  });

  it('finds Indonesian passport numbers in a story', () => {
    expect(passportsIn('paspornya nomor c 1234567, ditahan agen; hp 081299998888')).toEqual(['C1234567']);
  });
});

describe('duplicate reports in Redis', () => {
  let redis: Redis;
  const prefix = testPrefix('dups');
  let hotline: HotlineService;
  let index: DuplicateIndex;
  const outbox = new RecordingOutbox();
  let n = 0;

  const report = (user: string, details: CaseDetails): OpenCase => ({
    kind: 'missing', urgent: false, lang: 'id', reporter: { channel: 'telegram', userId: user, contact: null }, consentShare: true, details,
  });
  const open = async (user: string, details: CaseDetails) => (await hotline.open(report(user, details), `m${++n}`)).id;
  const found = async (id: string) => Object.fromEntries((await index.find(id, hotline.store)).map((f) => [f.id, f.reasons]));

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    index = new DuplicateIndex(redis, prefix, SECRET);
    hotline = new HotlineService({ store: new RedisCaseStore(redis, prefix, TEST_CIPHER), hashSecret: SECRET, outbox, partners: data.partners, duplicates: index });
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('reports of one person by two relatives are found across spelling differences, with the same destination only', async () => {
    const a = await open('kakak', { name: 'Siti Aminah', country: 'MY', story: 'tidak ada kabar' });
    const b = await open('ibu', { name: 'Sity Aminnah', country: 'MY', story: 'hilang sejak Maret' });
    const elsewhere = await open('paman', { name: 'Siti Aminah', country: 'SA' });
    const other = await open('tetangga', { name: 'Siti Rahmawati', country: 'MY' });
    expect(await found(a)).toEqual({ [b]: ['name'] });
    expect(await found(b)).toEqual({ [a]: ['name'] });
    expect(await found(elsewhere)).toEqual({});
    expect(await found(other)).toEqual({});
  });

  it('reports naming one recruiter number, however written, or carrying one passport number are found', async () => {
    const a = await open('r1', { name: 'Budi', country: 'KH', recruiterContact: '0812-9999-8888' });
    const b = await open('r2', { name: 'Andi Saputra', country: 'TH', recruiterContact: '+62 812 9999 8888' });
    const c = await open('r3', { name: 'Dewi', country: 'KH', story: 'paspor C 7654321 dibawa agen' });
    const d = await open('r4', { name: 'Dewi Lestari', country: 'AE' });
    expect(await found(a)).toEqual({ [b]: ['recruiter'] });
    expect(await found(c)).toEqual({});
    // The interview gives the passport number of the second report.
    await index.add(d, {}, ['c7654321']);
    expect(await found(c)).toEqual({ [d]: ['passport'] });
    // A family adding the number to their case later is found too.
    const e = await open('r5', { name: 'Dewi L.', country: 'QA' });
    expect((await hotline.add(e, 'telegram', 'r5', 'nomor paspornya C7654321', 'add-1')).ok).toBe(true);
    expect(await found(c)).toEqual({ [d]: ['passport'], [e]: ['passport'] });
  });

  it('the index holds keyed hashes only: no key or value names a person, a number or a passport', async () => {
    const dump = await dumpPrefix(redis, prefix);
    const indexLines = dump.split('\n').filter((l) => /:dup(of)?:/.test(l));
    expect(indexLines.length).toBeGreaterThan(0);
    // Case numbers (WSP-H1SS-MY) and the keyed hashes are random letters: a plain value would stand on its
    // own between separators, not inside one of them.
    const text = indexLines.join('\n').replace(/WSP-[0-9A-Z]{4}-[0-9A-Z]{2}/g, 'WSP-case');
    for (const plain of ['siti', 'Siti', 'stamn', '8888', '7654321', 'MY']) expect(text).not.toMatch(new RegExp(`(?<![A-Za-z0-9_-])${plain}(?![A-Za-z0-9_-])`));
  });

  it('linked cases share a family-visible note and a stage change: each family gets it through the outbox on its own case and keeps its own status', async () => {
    const a = await open('anak', { name: 'Rina Wulandari', country: 'KH' });
    const b = await open('suami', { name: 'Rina Wulandary', country: 'KH' });
    const c = await open('adik', { name: 'Rina Wulandari', country: 'KH' });
    expect(await index.link(a, b)).toEqual([a, b].sort());
    // A third report joins the group through either case.
    expect(await index.link(c, b)).toEqual([a, b, c].sort());
    expect(await index.linked(a)).toEqual([b, c].sort());
    expect((await index.find(a, hotline.store)).every((f) => f.linked)).toBe(true);

    await hotline.deliverPushes();
    outbox.sent = [];
    await hotline.note(admin, a, 'Kami sudah menghubungi KBRI Phnom Penh.', true);
    await hotline.note(admin, a, 'internal: cek agen', false);
    await hotline.stage(admin, a, 'verified');
    await hotline.deliverPushes();
    const to = (user: string) => outbox.sent.filter((s) => s.to.user === user).map((s) => s.items[0]!.reply.say);
    const families = { anak: a, suami: b, adik: c } as const;
    for (const [user, id] of Object.entries(families)) {
      expect(to(user), user).toEqual([
        [{ key: 'hotline.push.note', vars: { id, note: 'Kami sudah menghubungi KBRI Phnom Penh.' } }],
        [{ key: 'hotline.push.stage', vars: { id } }, { key: 'hotline.stage.verified' }],
      ]);
      // Their own case, number and status; the internal note stays on the first case only.
      const own = (await hotline.store.get(id))!;
      expect(own.stage).toBe('verified');
      const status = caseSay(own, data.partners);
      expect(status[0]).toMatchObject({ key: 'hotline.status.case', vars: { id } });
      expect(status).toContainEqual({ key: 'hotline.status.note', vars: { note: 'Kami sudah menghubungi KBRI Phnom Penh.' } });
      expect(own.notes.some((x) => x.text.startsWith('internal'))).toBe(id === a);
    }
    // Audited on each linked case, by who did it and from which case.
    const audit = await hotline.store.auditOf(b);
    expect(audit.filter((e) => e.detail === `linked from ${a}`).map((e) => e.action)).toEqual(['note', 'stage']);
  });

  it('a closed linked case is left as it is', async () => {
    const a = await open('k1', { name: 'Yanti Susanti', country: 'HK' });
    const b = await open('k2', { name: 'Yanti Susanty', country: 'HK' });
    await index.link(a, b);
    await hotline.close(admin, b, 'duplicate');
    await hotline.deliverPushes();
    outbox.sent = [];
    await hotline.note(admin, a, 'Ada kabar baru.', true);
    await hotline.deliverPushes();
    expect(outbox.sent.map((s) => s.to.user)).toEqual(['k1']);
  });
});
