// The scam families real people receive, pasted into the chat: what the person sees (risk, the sign
// quoted from their own message, the advice that fits). Texts: test/fixtures/offers-real.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/checker/facts.js';
import { loadContent } from '../../src/content/index.js';
import { ConversationService } from '../../src/conversation/service.js';
import { verdictContacts, verdictMessages } from '../../src/conversation/effects/check-offer.js';
import { checkOffer } from '../../src/checker/index.js';
import { INSTITUTION_IDS, type InstitutionId } from '../../src/checker/institutions.js';
import type { Say } from '../../src/engine/types.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { redisStores } from '../helpers/stores.js';

const content = loadContent();
const t = (key: string, vars?: Record<string, unknown>) => content.texts.t('id', key, vars);
const real = (id: string) =>
  readFileSync(path.join(REPO_ROOT, 'test/fixtures/offers-real/scam-task-institution.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; text: string })
    .find((o) => o.id === id)!.text;
let n = 0;

describe('scam families pasted into the chat', () => {
  let redis: Redis;
  const prefix = testPrefix('checkfam');
  let service: ConversationService;
  const say = (user: string, text: string) => service.handle({ channel: 'test', userId: user, messageId: `f${++n}`, text, langHint: 'id' });

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    service = new ConversationService({ ...redisStores(redis, prefix), content, hashSecret: 'test-hash-secret-0123456789' });
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('the Shopee "HR" part-time message, pasted anywhere, is high risk, with the task-scam sign quoted and advice to pay nothing', async () => {
    await say('task', 'halo');
    const r = await say('task', real('rt-001'));
    const all = r.replies.map((x) => x.text).join('\n');
    expect(all).toContain('RISIKO TINGGI');
    expect(all).toContain(t('checker.flag.task_scam.title'));
    expect(all).toMatch(/“[^”]*(?:gaji harian|menit)[^”]*”/);
    expect(all).toContain(t('checker.advice.task_scam_warning'));
  });

  it('a vacancy in a ministry’s name that registers through a free site is flagged, quoting the link, and says to check the official site', async () => {
    await say('inst', 'halo');
    const r = await say('inst', real('rt-024'));
    const all = r.replies.map((x) => x.text).join('\n');
    expect(all).not.toContain('RISIKO RENDAH');
    expect(all).toContain(t('checker.flag.fake_institution.title'));
    expect(all).toContain('pludi.my.id');
    expect(all).toContain(t('checker.advice.check_official_site'));
  });

  it('a "dana bantuan Rp150 juta untuk TKI" message, pasted anywhere (it has no job word), is high risk, the promise quoted, with advice not to contact the number', async () => {
    const aid = readFileSync(path.join(REPO_ROOT, 'test/fixtures/not-offers/aid-scams-7.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; text: string })
      .find((o) => o.id === 's7-003')!.text; // no job word in it: the aid hint brings it to the checker
    await say('aid', 'halo');
    const r = await say('aid', aid);
    const all = r.replies.map((x) => x.text).join('\n');
    expect(all).toContain('RISIKO TINGGI');
    // headed as the fraud it is, not as a job offer
    expect(all).toContain(t('checker.verdict.high_aid', { icon: '🔴' }));
    expect(all).not.toContain(t('checker.verdict.high', { icon: '🔴' }));
    expect(all).toContain(t('checker.flag.aid_by_chat.title'));
    expect(all).toMatch(/“[^”]*dana bantuan[^”]*”/);
    expect(all).toContain(t('checker.advice.no_aid_by_chat'));
  });

  it('a vacancy that says to share it in ten groups to be called, pasted into the chat, shows that sign quoted and advice not to share for a job', async () => {
    await say('share', 'halo');
    const r = await say('share', 'Lowongan kerja operator produksi PT Sinar Jaya, penempatan Karawang, lulusan SMA. Syarat: wajib share info ini ke 10 grup WA, yang paling banyak share akan dihubungi admin.');
    const all = r.replies.map((x) => x.text).join('\n');
    expect(all).not.toContain('RISIKO RENDAH');
    expect(all).toContain(t('checker.flag.share_to_apply.title'));
    expect(all).toMatch(/“[^”]*10 grup[^”]*”/);
    expect(all).toContain(t('checker.advice.no_share_to_apply'));
  });

  it('a vacancy in PLN’s name pasted into the chat points to the site where PLN itself announces its recruitment (from the reviewed contacts)', async () => {
    await say('pln', 'halo');
    const r = await say('pln', real('rt-013'));
    const all = r.replies.map((x) => x.text).join('\n');
    const site = [...content.data.contacts.values()].find((c) => c.institutions?.includes('pln'))!;
    expect(all).toContain(site.name.id);
    expect(all).toContain(site.channels[0]!.value);
    expect(all).toContain(t('checker.advice.check_official_site'));
  });

  it('a real EPS-TOPIK announcement pasted into the chat is judged as an offer that names the G to G programme, with KP2MI’s site to check it on', async () => {
    const eps = readFileSync(path.join(REPO_ROOT, 'test/fixtures/offers-real/genuine.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; text: string })
      .find((o) => o.id === 'rg-024')!.text;
    await say('eps', 'halo');
    const r = await say('eps', eps);
    const all = r.replies.map((x) => x.text).join('\n');
    expect(all).toContain(t('checker.flag.lawful_g2g.title'));
    expect(all).toContain(t('checker.advice.verify_scheme'));
    expect(all).toContain('https://www.bp2mi.go.id');
    expect(all).toContain(content.data.contacts.get('kp2mi_g2g')!.name.id);
  });

  it('"report this recruiter" is offered only where a warning sign was found', async () => {
    const choices = async (user: string, offer: string) => {
      await say(user, 'halo');
      await say(user, '1');
      await say(user, '1');
      const r = await say(user, offer);
      return r.replies.at(-1)!.choices!.map((c) => c.id);
    };
    expect(await choices('risky', real('rt-001'))).toContain('report');
    const genuine = 'PT Sinar Abadi membuka lowongan Staf Gudang di Cikarang. Kualifikasi: SMA/SMK, pengalaman 1 tahun di gudang. Gaji sesuai UMK, BPJS Kesehatan dan Ketenagakerjaan. Kirim lamaran ke email HRD kantor kami di kawasan industri Jababeka.';
    expect(await choices('fine', genuine)).toEqual(['another', 'learn', 'back']);
  });
});

describe('whom a verdict points to', () => {
  const v = (country?: string) => ({ risk: 'high' as const, score: 0.9, flags: [], facts: { phones: [], links: [], ...(country ? { country } : {}) }, advice: [], notes: [] });
  it('work abroad: the ministry’s agency check and complaints, and the Indonesian mission in the destination; work in Indonesia: none of theirs', () => {
    expect(verdictContacts(v('Cambodia'), content.data)).toEqual(['kp2mi_siskop2mi', 'kp2mi_complaints', 'kbri_phnom_penh']);
    expect(verdictContacts(v('Saudi Arabia'), content.data)).toEqual(['kp2mi_siskop2mi', 'kp2mi_complaints', 'kbri_riyadh', 'kjri_jeddah']);
    expect(verdictContacts(v('Japan'), content.data)).toEqual(['kp2mi_siskop2mi', 'kp2mi_complaints', 'kbri_tokyo', 'kjri_osaka']);
    expect(verdictContacts(v('Qatar'), content.data)).toEqual(['kp2mi_siskop2mi', 'kp2mi_complaints']);
    expect(verdictContacts(v(), content.data)).toEqual(['kp2mi_siskop2mi', 'kp2mi_complaints']);
    expect(verdictContacts(v('Indonesia'), content.data)).toEqual([]);
  });

  it('an offer that names an official scheme: first the site where that scheme announces its openings (from the reviewed contacts)', () => {
    const named = (schemes: ('g2g' | 'im_japan' | 'ssw_japan')[], country?: string) => ({ ...v(country), facts: { ...v(country).facts, schemes } });
    expect(verdictContacts(named(['g2g'], 'South Korea'), content.data)).toEqual(['kp2mi_g2g', 'kp2mi_siskop2mi', 'kp2mi_complaints', 'kbri_seoul']);
    expect(verdictContacts(named(['im_japan'], 'Japan'), content.data)[0]).toBe('kemnaker_magang_jepang');
    expect(verdictContacts(named(['ssw_japan', 'g2g']), content.data).slice(0, 2)).toEqual(['japan_ssw_site', 'kp2mi_g2g']);
    // each scheme the checker knows has such a site, with its source
    for (const scheme of ['g2g', 'im_japan', 'ssw_japan'] as const) {
      const sites = [...content.data.contacts.values()].filter((c) => c.schemes?.includes(scheme));
      expect(sites.length, scheme).toBeGreaterThan(0);
      for (const c of sites) expect(c.source, c.id).toMatch(/^https:\/\//);
    }
  });

  it('recruitment in an institution’s name: first where that institution announces its own recruitment, in Indonesia too', () => {
    const named = (institutions: InstitutionId[], country?: string) => ({ ...v(country), facts: { ...v(country).facts, institutions } });
    const pln = [...content.data.contacts.values()].find((c) => c.institutions?.includes('pln'))!.id;
    expect(verdictContacts(named(['pln'], 'Indonesia'), content.data)).toEqual([pln]);
    expect(verdictContacts(named(['pln']), content.data)).toEqual([pln, 'kp2mi_siskop2mi', 'kp2mi_complaints']);
    // each institution the checker names has such a site, with its source
    for (const institution of INSTITUTION_IDS) {
      const sites = [...content.data.contacts.values()].filter((c) => c.institutions?.includes(institution));
      expect(sites.length, institution).toBeGreaterThan(0);
      for (const c of sites) expect(c.source, c.id).toMatch(/^https:\/\//);
    }
  });
});

const keys = (says: Say[]) => says.map((s) => ('key' in s ? s.key : ''));
const shownText = (says: Say[]) => says.map((s) => ('key' in s ? t(s.key, s.vars) : '')).join('\n');

describe('the verdict in plain words', () => {
  it('says how risky without a falsely exact percentage', () => {
    for (const risk of ['high', 'high_aid', 'medium', 'low', 'low_flagged']) {
      for (const lang of ['id', 'en'] as const) expect(content.texts.t(lang, `checker.verdict.${risk}`, { icon: '' })).not.toMatch(/%|\d/);
    }
  });

  it('is never green above a warning sign it shows: a low verdict with a weak sign says to check it, under no green mark', () => {
    const ctx = { t: (key: string, vars?: Record<string, unknown>) => t(key, vars), places: content.data };
    const v = checkOffer('Lowongan staf gudang di Bekasi, tanpa pengalaman. Gaji sesuai UMR. Kirim lamaran ke kantor kami di Jl. Industri 5.');
    expect(v.risk).toBe('low');
    expect(v.flags.some((f) => f.weight > 0)).toBe(true);
    const [head, why] = verdictMessages(ctx, v, []);
    const shown = shownText(head!);
    expect(keys(head!)[0]).toBe('checker.verdict.low_flagged');
    expect(shown).not.toContain('🟢');
    expect(shown).not.toContain(t('checker.verdict.low', { icon: '🟢' }));
    expect(keys(why!)).toContain('checker.verdict.flags_title');
    // with no sign at all, low stays green
    const clean = checkOffer('Dibutuhkan staf gudang di Bekasi. Kualifikasi SMA/SMK, pengalaman 1 tahun. Gaji sesuai UMK, BPJS. Kirim lamaran ke kantor kami di Jl. Industri 5.');
    expect(clean.flags.filter((f) => f.weight > 0)).toEqual([]);
    expect(keys(verdictMessages(ctx, clean, [])[0]!)[0]).toBe('checker.verdict.low');
  });

  it('a text too short to judge gets no verdict at all, only what to send; with a red flag in it, not a green one', () => {
    const ctx = { t: (key: string, vars?: Record<string, unknown>) => t(key, vars), places: content.data };
    const short = verdictMessages(ctx, checkOffer('lowongan'), []);
    expect(short).toHaveLength(1);
    expect(keys(short[0]!)).toContain('checker.note.too_short');
    expect(keys(short[0]!).some((k) => k.startsWith('checker.verdict.'))).toBe(false);
    const flagged = verdictMessages(ctx, checkOffer('Kerja di Kamboja'), []);
    expect(keys(flagged[0]!)[0]).not.toBe('checker.verdict.low');
  });
});
