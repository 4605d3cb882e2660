// The verdict on an offer says whether the agency it names is on the imported list of licensed
// agencies, in the conversation, on real Redis. The agencies are made up (test/agencies/sample.ts).
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgencyRegistry } from '../../src/agencies/registry.js';
import { loadContent } from '../../src/content/index.js';
import { ConversationService } from '../../src/conversation/service.js';
import { keyspace } from '../../src/store/keys.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { redisStores } from '../helpers/stores.js';
import { LIST_DATE, SAMPLE_CSV } from './sample.js';

const content = loadContent();
const t = (key: string, vars?: Record<string, unknown>) => content.texts.t('id', key, vars);
const siskop2mi = content.data.contacts.get('kp2mi_siskop2mi')!.channels[0]!.value;
/** 2026-03-02 09:00 in Jakarta: the conversation's clock (no test reads the real one). */
const NOW = Date.UTC(2026, 2, 2, 2, 0);

const LISTED =
  'PT Contoh Penempatan Satu membuka lowongan caregiver ke Taiwan. SIP3MI No. UJI-001/TEST/2025. Gaji sesuai perjanjian kerja, pelatihan di BLK resmi, tanpa biaya penempatan. Daftar langsung di kantor kami.';
const UNKNOWN =
  'PT Contoh Entah Siapa membuka lowongan operator pabrik di Malaysia. Gaji 8 juta, mess gratis, berangkat bulan depan. Daftar langsung di kantor kami, bawa KTP dan ijazah.';
let n = 0;

describe('a verdict and the list of licensed agencies', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  let service: ConversationService;
  let noList: ConversationService;
  const say = (s: ConversationService, user: string, text: string) => s.handle({ channel: 'test', userId: user, messageId: `a${++n}`, text, langHint: 'id' });
  /** The messages the service answers an offer with, sent at the offer step. */
  const check = async (s: ConversationService, user: string, offer: string) => {
    await say(s, user, 'halo');
    await say(s, user, '1');
    expect((await say(s, user, '1')).replies.at(-1)!.text).toBe(t('checker.flow.ask'));
    return (await say(s, user, offer)).replies.map((r) => r.text);
  };
  const build = async (imported: boolean) => {
    const prefix = testPrefix('agencies-chat');
    prefixes.push(prefix);
    const agencies = new AgencyRegistry(redis, keyspace(prefix));
    if (imported) expect((await agencies.importCsv(SAMPLE_CSV, { date: LIST_DATE, now: NOW })).replaced).toBe(true);
    return new ConversationService({ ...redisStores(redis, prefix), content, hashSecret: 'test-hash-secret-0123456789', agencies, now: () => NOW });
  };

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    service = await build(true);
    noList = await build(false);
  });
  afterAll(async () => {
    for (const p of prefixes) await dropPrefix(redis, p);
    redis.disconnect();
  });

  it('an offer naming an imported agency says it is on the list of that date, with its licence, validity and address, before what to do', async () => {
    const texts = await check(service, 'listed', LISTED);
    const details = [
      t('agencies.licence', { licence: 'UJI-001/TEST/2025' }),
      t('agencies.valid_until', { until: '31 Desember 2030' }),
      t('agencies.address', { address: 'Jl. Contoh No. 1, Kota Contoh (data uji)' }),
    ].join(' ');
    const line = t('agencies.on_list', { name: 'PT Contoh Penempatan Satu', date: '1 Maret 2026', details });
    const i = texts.findIndex((x) => x.includes(line));
    expect(i).toBeGreaterThan(0);
    expect(line).toContain('daftar per 1 Maret 2026');
    expect(texts[i]).toContain(t('agencies.borrowed_name'));
    expect(texts[i + 1]).toContain(t('checker.verdict.advice_title'));
    expect(texts.join('\n')).not.toContain(t('agencies.not_on_list', { name: 'PT Contoh Penempatan Satu', date: '1 Maret 2026' }));
  });

  it('an offer naming an unknown PT says it is not on the list of that date, and to check on SISKOP2MI', async () => {
    const texts = await check(service, 'unknown', UNKNOWN);
    const line = t('agencies.not_on_list', { name: 'PT Contoh Entah Siapa', date: '1 Maret 2026' });
    expect(line).toContain('tidak ada di daftar');
    expect(line).toContain('SISKOP2MI');
    const i = texts.findIndex((x) => x.includes(line));
    expect(i).toBeGreaterThan(0);
    // SISKOP2MI's address comes with what to do, right after.
    expect(texts[i + 1]).toContain(siskop2mi);
  });

  it('work abroad through an agency not on the list is not "low risk", however lawful the rest reads; through a listed one it may be', async () => {
    // The checker alone rates this low (no red flag, lawful signs); the list does not know the agency.
    const offer = 'PT Contoh Entah Siapa membuka lowongan caregiver ke Taiwan. Gaji sesuai perjanjian kerja, pelatihan di BLK resmi, tanpa biaya penempatan. Daftar langsung di kantor kami.';
    expect((await check(service, 'unlisted-abroad', offer))[0]).toContain('RISIKO SEDANG');
    expect((await check(service, 'listed-abroad', offer.replace('PT Contoh Entah Siapa', 'PT Contoh Penempatan Satu')))[0]).toContain('RISIKO RENDAH');
    expect((await check(noList, 'no-list-abroad', offer))[0]).toContain('RISIKO RENDAH');
  });

  it('a licence number on the list beside another company\'s name is called out as borrowed', async () => {
    const offer = LISTED.replace('PT Contoh Penempatan Satu', 'PT Contoh Pinjam Nama');
    const all = (await check(service, 'borrowed', offer)).join('\n');
    expect(all).toContain(t('agencies.licence_other_name', { licence: 'UJI-001/TEST/2025', name: 'PT Contoh Penempatan Satu', written: 'PT Contoh Pinjam Nama' }));
  });

  it('an agency whose licence ran out by the list is on it, with the warning that its licence has expired', async () => {
    const offer = LISTED.replace('PT Contoh Penempatan Satu', 'PT. CONTOH MIGRAN SEJAHTERA').replace(' SIP3MI No. UJI-001/TEST/2025.', '');
    const all = (await check(service, 'expired', offer)).join('\n');
    expect(all).toContain(t('agencies.expired', { name: 'PT. CONTOH MIGRAN SEJAHTERA', until: '31 Januari 2025' }));
    expect(all).not.toContain(t('agencies.valid_until', { until: '31 Januari 2025' }));
  });

  it('a name a letter off the list is found, with a word that it is not written exactly so', async () => {
    const offer = LISTED.replace('PT Contoh Penempatan Satu', 'PT Contoh Penempatn Satu').replace(' SIP3MI No. UJI-001/TEST/2025.', '');
    const all = (await check(service, 'typo', offer)).join('\n');
    expect(all).toContain('daftar per 1 Maret 2026');
    expect(all).toContain(t('agencies.close_name', { written: 'PT Contoh Penempatn Satu', name: 'PT Contoh Penempatan Satu' }));
    // A name close to a listed one is how a fake borrows a real company's standing: not "low risk".
    expect(all).not.toContain('RISIKO RENDAH');
  });

  it('a short question about a company gets the note asking for the offer, the list\'s answer and SISKOP2MI, in one message', async () => {
    const texts = await check(service, 'question', 'PT Contoh Entah Siapa resmi?');
    expect(texts[0]).not.toContain('RISIKO');
    expect(texts[0]).toContain(t('agencies.not_on_list', { name: 'PT Contoh Entah Siapa', date: '1 Maret 2026' }));
    expect(texts[0]).toContain(siskop2mi);
  });

  it('with no list imported, a verdict says nothing of agencies', async () => {
    for (const offer of [LISTED, UNKNOWN]) {
      const all = (await check(noList, `none-${++n}`, offer)).join('\n');
      expect(all).not.toContain('🏢');
      expect(all).not.toContain('P3MI)');
    }
  });
});
