// The referral mechanism's stages (and cases stored under the old names), the identification
// interview's checklist (data/indicators.yaml), its result, its sealed storage and its audit, on a real Redis.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { RedisCaseStore } from '../../src/hotline/cases.js';
import { assess, fillIdentification, interviewView } from '../../src/hotline/identification.js';
import { indicatorsFrom, loadIndicators } from '../../src/hotline/indicators.js';
import { HotlineService, Invalid } from '../../src/hotline/service.js';
import { STAGES, type OpenCase } from '../../src/hotline/types.js';
import { keyspace } from '../../src/store/keys.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, dumpPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { TEST_CIPHER } from '../helpers/stores.js';

const content = loadContent();
const admin = { name: 'ani', role: 'admin' as const };
const agent = { name: 'budi', role: 'agent' as const };

/** A small checklist of the file's shape, graded, with a rule that needs two kinds of evidence. */
const FIXTURE = {
  rule: { any_of: [{ strong: 1 }, { medium: 2 }, { each_group: ['documents', 'wages'] }], description: { id: 'Rujuk untuk identifikasi resmi.', en: 'Refer for formal identification.' } },
  indicators: [
    { id: 'passport_held', group: 'documents', question: { id: 'Paspor ditahan?', en: 'Passport held?' }, strength: 'strong', source: 'https://example.org/ilo' },
    { id: 'debt', group: 'debt', question: { id: 'Punya utang?', en: 'In debt?' }, strength: 'medium', source: 'https://example.org/ilo' },
    { id: 'unpaid', group: 'wages', question: { id: 'Gaji tidak dibayar?', en: 'Unpaid?' }, strength: 'medium', source: 'https://example.org/ilo' },
    { id: 'isolated', group: 'isolation', question: { id: 'Dilarang menghubungi keluarga?', en: 'Kept from family?' }, strength: 'weak', source: 'https://example.org/ilo' },
    { id: 'fake_papers', group: 'documents', question: { id: 'Dokumen palsu?', en: 'False papers?' }, strength: 'weak', source: 'https://example.org/ilo' },
  ],
};
const graded = indicatorsFrom(FIXTURE);

describe('the indicators file', () => {
  it('the shipped data/indicators.yaml loads through the content, each indicator with a question in both languages and a source', () => {
    const shipped = content.data.indicators;
    expect(shipped.list.length).toBeGreaterThanOrEqual(8);
    expect(loadIndicators().list.map((i) => i.id)).toEqual(shipped.list.map((i) => i.id));
    for (const i of shipped.list) {
      expect(i.question.id && i.question.en, i.id).toBeTruthy();
      expect(i.source, i.id).toMatch(/^https:\/\//);
    }
    expect(shipped.rule.any_of.length).toBeGreaterThan(0);
  });

  it('a broken file is refused with every problem named by entry and field', () => {
    const bad = {
      rule: { any_of: [{ strong: 1, groups: ['nowhere'] }] },
      indicators: [
        { id: 'a', group: 'g', question: { id: 'x' }, source: 'https://example.org' },
        { id: 'b', group: 'g', question: { id: 'x', en: 'y' }, source: 'http://example.org', colour: 'red' },
        { id: 'c', group: 'g', question: { id: 'x', en: 'y' }, source: 'https://example.org' },
        { id: 'c', group: 'g', question: { id: 'x', en: 'y' }, source: 'https://example.org' },
      ],
    };
    let message = '';
    try {
      indicatorsFrom(bad, 'indicators.yaml');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('indicators[0] (a).question.en');
    expect(message).toContain('indicators[1] (b).source: source must be an https address');
    expect(message).toContain('indicators[1] (b).colour: unknown field');
    expect(message).toContain('indicators[3] (c).id: "c" appears twice');
    expect(message).toContain('rule.any_of[0]: group "nowhere" has no indicator');
    expect(message).toContain('rule.any_of[0].strong: no indicator is graded strong');
  });

  it('a file that cannot be read names itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'indicators-'));
    try {
      expect(() => loadIndicators(dir)).toThrow(/indicators\.yaml: cannot be read/);
      writeFileSync(join(dir, 'indicators.yaml'), 'rule: [');
      expect(() => loadIndicators(dir)).toThrow(/cannot be read as YAML/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe('the identification result', () => {
  it('follows the rule: one strong yes, or two medium, or a yes in each named group; unknown and no count for nothing', () => {
    expect(assess({ passport_held: 'yes' }, graded).indicated).toBe(true);
    expect(assess({ debt: 'yes', isolated: 'yes' }, graded).indicated).toBe(false);
    expect(assess({ debt: 'yes', unpaid: 'yes' }, graded).indicated).toBe(true);
    expect(assess({ fake_papers: 'yes', unpaid: 'yes' }, graded)).toMatchObject({ indicated: true, indicators: ['unpaid', 'fake_papers'] });
    const none = assess({ passport_held: 'unknown', debt: 'no' }, graded);
    expect(none.indicated).toBe(false);
    expect(none.answers).toEqual({ passport_held: 'unknown', debt: 'no', unpaid: 'unknown', isolated: 'unknown', fake_papers: 'unknown' });
  });

  it('with the shipped rule one yes is enough to refer, and the indicators are named in the checklist order', () => {
    const shipped = content.data.indicators;
    const [first, second] = [shipped.list[0]!.id, shipped.list[3]!.id];
    const r = assess({ [second]: 'yes', [first]: 'yes' }, shipped);
    expect(r.indicated).toBe(true);
    expect(r.indicators).toEqual([first, second]);
    expect(assess({}, shipped).indicated).toBe(false);
  });

  it('refuses an answer to an indicator the checklist does not have, naming it', () => {
    expect(() => assess({ no_such_thing: 'yes' }, graded)).toThrow(Invalid);
    try {
      assess({ no_such_thing: 'yes' }, graded);
    } catch (e) {
      expect((e as Invalid).field).toBe('answers.no_such_thing');
    }
  });

  it('the console view groups the questions in the staff member\'s language, every one unknown before the first fill', () => {
    const empty = interviewView(null, graded, 'en');
    expect(empty.filled).toBe(false);
    expect(empty.groups.map((g) => g.group)).toEqual(['documents', 'debt', 'wages', 'isolation']);
    expect(empty.groups[0]!.items.map((i) => [i.id, i.answer])).toEqual([['passport_held', 'unknown'], ['fake_papers', 'unknown']]);
    const filled = interviewView({ ...assess({ passport_held: 'yes', debt: 'no' }, graded), passportHeldBy: 'employer', passport: null, homeRegion: 'NT', need: null, by: 'budi', at: 5 }, graded, 'id');
    expect(filled).toMatchObject({ filled: true, indicated: true, named: [{ id: 'passport_held', question: 'Paspor ditahan?' }], meaning: 'Rujuk untuk identifikasi resmi.', passportHeldBy: 'employer', by: 'budi' });
    expect(filled.groups[1]!.items[0]).toEqual({ id: 'debt', question: 'Punya utang?', strength: 'medium', answer: 'no' });
  });
});

describe('on a case in Redis', () => {
  let redis: Redis;
  const prefix = testPrefix('ident');
  let hotline: HotlineService;

  const report = (user: string): OpenCase => ({
    kind: 'missing', urgent: false, lang: 'id', reporter: { channel: 'telegram', userId: user, contact: null }, consentShare: true,
    details: { name: 'Wati Sulastri', country: 'MY', story: 'paspor ditahan majikan' },
  });

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    hotline = new HotlineService({ store: new RedisCaseStore(redis, prefix, TEST_CIPHER), hashSecret: 'ident-secret-0123456789', indicators: graded });
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('the stages are the referral mechanism\'s, and a case stored as "checking" reads as verified', async () => {
    expect(STAGES).toEqual(['received', 'verified', 'referred', 'assistance', 'returned', 'reintegrated', 'closed']);
    const { id } = await hotline.open(report('old'), 'old-1');
    // A case written before the change: its stage field says 'checking'.
    await redis.hset(keyspace(prefix).hotline.case(id), 'st', 'checking');
    expect((await hotline.store.get(id))!.stage).toBe('verified');
    expect((await hotline.list(admin, { stage: 'verified' })).map((c) => c.id)).toContain(id);
    // Moving it on writes the new name.
    await hotline.stage(admin, id, 'assistance');
    expect(await redis.hget(keyspace(prefix).hotline.case(id), 'st')).toBe('assistance');
    await expect(hotline.stage(admin, id, 'checking')).rejects.toThrow(/stage must be one of received, verified, referred, assistance, returned, reintegrated/);
  });

  it('each family-visible stage has its text in both languages', () => {
    for (const stage of STAGES) for (const lang of ['id', 'en'] as const) expect(content.texts.has(lang, `hotline.stage.${stage}`), `${lang} ${stage}`).toBe(true);
  });

  it('a filled interview is stored sealed on the case, marks the indicated victim with the indicators named, and each fill is audited without the answers', async () => {
    const { id } = await hotline.open(report('fam'), 'fam-1');
    const first = await fillIdentification(hotline, agent, id, { answers: { debt: 'yes' }, passportHeldBy: 'unknown' }, graded, 1000);
    expect(first).toMatchObject({ indicated: false, indicators: ['debt'], by: 'budi' });
    const second = await fillIdentification(hotline, agent, id, { answers: { debt: 'yes', passport_held: 'yes' }, passportHeldBy: 'employer', passport: 'c 123-4567', homeRegion: 'NT' }, graded, 2000);
    expect(second).toMatchObject({ indicated: true, indicators: ['passport_held', 'debt'], passport: 'C1234567', homeRegion: 'NT' });
    const c = (await hotline.store.get(id))!;
    expect(c.identification).toEqual(second);
    expect(c.claimedBy).toBe('budi');
    // Sealed: nothing of the answers is readable in Redis.
    const dump = await dumpPrefix(redis, prefix);
    for (const plain of ['passport_held', 'C1234567', 'employer']) expect(dump).not.toContain(plain);
    const audit = (await hotline.store.auditOf(id)).filter((a) => a.action === 'identify');
    expect(audit.map((a) => [a.by, a.role, a.detail])).toEqual([['budi', 'agent', 'not_indicated'], ['budi', 'agent', 'indicated']]);
    expect((await hotline.store.events(id)).filter((e) => e.type === 'identified').map((e) => e.detail)).toEqual([{ indicated: false, yes: 1 }, { indicated: true, yes: 2 }]);
    // Not in a list of cases (personal).
    expect((await hotline.list(admin, {})).find((x) => x.id === id)).not.toHaveProperty('identification');
  });

  it('campaign staff may not interview, a bad passport number is refused, and retention removes the interview', async () => {
    const { id } = await hotline.open(report('ret'), 'ret-1');
    await expect(fillIdentification(hotline, { name: 'cici', role: 'campaign' }, id, { answers: {} }, graded)).rejects.toThrow(/may not/);
    await expect(fillIdentification(hotline, agent, id, { answers: {}, passport: '12' }, graded)).rejects.toThrow(Invalid);
    await fillIdentification(hotline, agent, id, { answers: { passport_held: 'yes' } }, graded);
    await hotline.close(admin, id, 'found');
    const later = new HotlineService({ store: hotline.store, hashSecret: 'ident-secret-0123456789', now: () => Date.now() + 400 * 86_400_000 });
    expect(await later.purgeClosed(365)).toBeGreaterThanOrEqual(1);
    expect((await hotline.store.get(id))!.identification ?? null).toBeNull();
  });
});
