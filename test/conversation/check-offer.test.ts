import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { VERDICT_CONTACTS } from '../../src/conversation/effects.js';
import { ConversationService } from '../../src/conversation/service.js';
import { connectRedis, RedisStore } from '../../src/store/redis.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';

const content = loadContent();
const t = (key: string, vars?: Record<string, unknown>) => content.texts.t('id', key, vars);
const SCAM =
  'LOWONGAN CS ONLINE KAMBOJA 🔥 gaji 15jt/bulan, tanpa pengalaman, berangkat pakai visa turis, paspor dipegang agen selama kontrak. Biaya proses 5jt. Minat? WA 0812-3456-7890 segera, slot terbatas!';
const GENUINE =
  'PT Sinar Abadi membuka lowongan Staf Gudang di Cikarang. Kualifikasi: SMA/SMK, pengalaman 1 tahun di gudang. Gaji sesuai UMK, BPJS Kesehatan dan Ketenagakerjaan. Kirim lamaran ke email HRD kantor kami di kawasan industri Jababeka. Proses rekrutmen tidak dipungut biaya.';
let n = 0;

describe('checking a job offer in the conversation', () => {
  let redis: Redis;
  let prefix: string;
  let service: ConversationService;
  const say = (user: string, text: string) => service.handle({ channel: 'test', userId: user, messageId: `c${++n}`, text, langHint: 'id' });
  const atChecker = async (user: string) => {
    await say(user, 'halo');
    await say(user, '1');
    const r = await say(user, '1');
    expect(r.replies.at(-1)!.text).toBe(t('checker.flow.ask'));
    return user;
  };

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    prefix = testPrefix('check');
    service = new ConversationService({ store: new RedisStore(redis, prefix), content, hashSecret: 'test-hash-secret-0123456789' });
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('a scam offer is called high risk, with quoted evidence, advice and official contacts, in a few messages', async () => {
    const r = await say(await atChecker('scam'), SCAM);
    const texts = r.replies.map((x) => x.text);
    expect(texts).toHaveLength(4);
    expect(texts[0]).toContain('RISIKO TINGGI');
    expect(texts[1]).toContain(t('checker.verdict.flags_title'));
    expect(texts[1]).toContain(t('checker.flag.tourist_visa.title'));
    expect(texts[1]).toContain('“');
    expect(texts[1]).toMatch(/“[^”]*visa turis[^”]*”/);
    expect(texts[2]).toContain(t('checker.verdict.advice_title'));
    for (const id of VERDICT_CONTACTS) expect(texts[2]).toContain(content.data.contacts.get(id)!.channels[0]!.value);
    expect(texts[3]).toBe(t('checker.flow.next'));
    expect(r.replies[3]!.choices!.map((c) => c.id)).toEqual(['another', 'report', 'learn', 'back']);
    for (const text of texts) expect(text.length).toBeLessThan(4096);
  });

  it('does not keep the offer text, or the recruiter’s number, in the session', async () => {
    await say(await atChecker('privacy'), SCAM);
    const session = await redis.get(`${prefix}:session:{test:privacy}`);
    expect(session).not.toBeNull();
    expect(session).not.toContain('paspor');
    expect(session).not.toContain('3456');
    expect(JSON.parse(session!).vars['verdict.risk']).toBe('high');
  });

  it('a genuine local job ad is low risk and still says what to check', async () => {
    const r = await say(await atChecker('genuine'), GENUINE);
    expect(r.replies[0]!.text).toContain('RISIKO RENDAH');
    expect(r.replies.map((x) => x.text).join('\n')).toContain(t('checker.verdict.advice_title'));
  });

  it('a number that was in an earlier high-risk offer is pointed out to the next person, with reports counted', async () => {
    await say(await atChecker('first'), SCAM);
    await say('first', '2');
    const r = await say(await atChecker('second'), 'Ada yang tawarin kerja lewat nomor +62 812 3456 7890, aman nggak?');
    const all = r.replies.map((x) => x.text).join('\n');
    expect(all).toMatch(/\+6281234567890 sudah pernah muncul di \d+ peringatan lain di Waspada \(dilaporkan \d+ kali\)/);
    // On its own the question looks harmless; the earlier warnings make it "medium" at least.
    expect(r.replies[0]!.text).toContain('RISIKO SEDANG');
    const counts = /muncul di (\d+) peringatan lain di Waspada \(dilaporkan (\d+) kali\)/.exec(all)!;
    expect(Number(counts[1])).toBeGreaterThanOrEqual(1);
    expect(Number(counts[2])).toBeGreaterThanOrEqual(1);
    // Only keyed hashes are stored: the number itself is nowhere in Redis.
    const keys = await redis.keys(`${prefix}:recruiter:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toMatch(/6281234567890|0812/);
  });

  it('"learn more" explains each flag of the last verdict', async () => {
    await say(await atChecker('learn'), SCAM);
    const r = await say('learn', '3');
    expect(r.replies[0]!.text).toContain(t('checker.flag.tourist_visa.explain'));
    expect(r.replies[0]!.text).toContain(t('checker.flag.document_retention.explain'));
  });

  it('reporting the recruiter thanks the user and gives the official channels', async () => {
    await say(await atChecker('report'), SCAM);
    const r = await say('report', '2');
    expect(r.replies[0]!.text).toContain(t('checker.flow.reported'));
    expect(r.replies[0]!.text).toContain(t('checker.flow.report_official'));
  });

  it.each([
    ['only a link', 'https://bit.ly/loker-luar-negeri', 'checker.note.only_link'],
    ['only a phone number', '0813-9999-1111', 'checker.note.only_phone'],
    ['a single word', 'lowongan', 'checker.note.too_short'],
  ])('%s gets a note asking for the offer text, not a verdict', async (_name, text, note) => {
    const r = await say(await atChecker(`unclear-${note}`), text);
    expect(r.replies[0]!.text).toContain(t(note));
    expect(r.replies[0]!.text).not.toContain('RISIKO');
    expect(r.replies.at(-1)!.choices!.map((c) => c.id)).toEqual(['again', 'back']);
  });

  it('an empty message at the offer step gets the hint, and the user can still send the offer', async () => {
    const u = await atChecker('empty-offer');
    expect((await say(u, '   ')).replies[0]!.text).toBe(t('checker.flow.ask_hint', { max: 20000 }));
    expect((await say(u, SCAM)).replies[0]!.text).toContain('RISIKO TINGGI');
  });

  it('20,000 characters are checked with a note that the text was cut', async () => {
    const u = await atChecker('long');
    const r = await say(u, (SCAM + '\n').repeat(200).slice(0, 20_000));
    const all = r.replies.map((x) => x.text).join('\n');
    expect(all).toContain(t('checker.note.truncated'));
    expect(all).toContain('RISIKO TINGGI');
  });

  it('an offer that says "tolong hubungi" is checked, not taken for an emergency', async () => {
    const r = await say(await atChecker('tolong'), `${SCAM} Tolong hubungi admin kami.`);
    expect(r.replies[0]!.text).toContain('RISIKO TINGGI');
  });
});
