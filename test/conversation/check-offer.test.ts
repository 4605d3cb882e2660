import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { VERDICT_CONTACTS } from '../../src/conversation/effects.js';
import { ConversationService } from '../../src/conversation/service.js';
import { userKey } from '../../src/store/keys.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { redisStores } from '../helpers/stores.js';

const content = loadContent();
const t = (key: string, vars?: Record<string, unknown>) => content.texts.t('id', key, vars);
const SCAM =
  'LOWONGAN CS ONLINE KAMBOJA 🔥 gaji 15jt/bulan, tanpa pengalaman, berangkat pakai visa turis, paspor dipegang agen selama kontrak. Biaya proses 5jt. Minat? WA 0812-3456-7890 segera, slot terbatas!';
const GENUINE =
  'PT Sinar Abadi membuka lowongan Staf Gudang di Cikarang. Kualifikasi: SMA/SMK, pengalaman 1 tahun di gudang. Gaji sesuai UMK, BPJS Kesehatan dan Ketenagakerjaan. Kirim lamaran ke email HRD kantor kami di kawasan industri Jababeka. Proses rekrutmen tidak dipungut biaya.';
const HOME_SCAM =
  'Lowongan kerja admin gudang di Bekasi. Biaya pendaftaran Rp 500.000 transfer dulu ke rekening BCA 1234567890 a.n. Budi. Hubungi WA 081234567890 segera, kuota terbatas. Gaji Rp 15.000.000 per bulan tanpa pengalaman.';
const phoneOf = (id: string) => content.data.contacts.get(id)!.channels[0]!.value;
const all = (r: { replies: { text: string }[] }) => r.replies.map((x) => x.text).join('\n');
let n = 0;

describe('checking a job offer in the conversation', () => {
  let redis: Redis;
  let prefix: string;
  let service: ConversationService;
  let stores: ReturnType<typeof redisStores>;
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
    stores = redisStores(redis, prefix);
    service = new ConversationService({ ...stores, content, hashSecret: 'test-hash-secret-0123456789' });
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

  it('keeps none of the offer’s text, nor the recruiter’s number, in the saved session, however the offer came', async () => {
    const saved = async (offer: string) => {
      const stored = await redis.get(`${prefix}:session:{test:privacy}`);
      expect(stored).not.toBeNull();
      // The session as the next message finds it (the store may seal what it writes).
      const user = userKey('test', 'privacy');
      const claim = await stores.sessions.begin(user, 'peek', 'peek-lease', 2000);
      await stores.sessions.release(user, 'peek-lease');
      const session = JSON.stringify(claim!.session);
      for (const text of [stored!, session]) {
        for (let i = 0; i + 12 <= offer.length; i++) expect(text).not.toContain(offer.slice(i, i + 12));
        expect(text).not.toContain('3456');
      }
      const vars = claim!.session!.vars;
      expect(Object.keys(vars).sort()).toEqual(['verdict.contacts', 'verdict.flags', 'verdict.home', 'verdict.risk']);
      return vars;
    };
    await say(await atChecker('privacy'), SCAM);
    expect((await saved(SCAM))['verdict.risk']).toBe('high');
    // Pasted straight after a verdict, where the offer is handed over to the offer step.
    await say('privacy', GENUINE);
    expect((await saved(GENUINE))['verdict.risk']).toBe('low');
  });

  it('a genuine local job ad is low risk and still says what to check', async () => {
    const r = await say(await atChecker('genuine'), GENUINE);
    expect(r.replies[0]!.text).toContain('RISIKO RENDAH');
    expect(r.replies.map((x) => x.text).join('\n')).toContain(t('checker.verdict.advice_title'));
  });

  it('a number from earlier dangerous offers and reports is pointed out to other people, not to the one who warned', async () => {
    const number = '+62 813 7777 1234';
    const offer = SCAM.replace('0812-3456-7890', number);
    const question = `Ada yang tawarin kerja lewat nomor ${number}, aman nggak?`;
    // Two people check the scam offer; one of them also reports the recruiter.
    await say(await atChecker('warn-1'), offer);
    await say(await atChecker('warn-2'), offer);
    await say('warn-2', '2');
    // The first person asks again: only the other person's warning and report count.
    const self = await say('warn-1', '1');
    expect(self.replies.at(-1)!.text).toBe(t('checker.flow.ask'));
    const again = (await say('warn-1', question)).replies.map((x) => x.text).join('\n');
    expect(again).toContain(t('checker.verdict.seen_both', { contact: '+6281377771234', count: 1, reports: 1 }));
    // Someone new sees both warnings and the report; two people make the harmless-looking question "medium".
    const r = await say(await atChecker('asker'), question);
    const all = r.replies.map((x) => x.text).join('\n');
    expect(all).toContain(t('checker.verdict.seen_both', { contact: '+6281377771234', count: 2, reports: 1 }));
    expect(r.replies[0]!.text).toContain('RISIKO SEDANG');
    // Only keyed hashes are stored: the number itself is nowhere in Redis.
    const keys = await redis.keys(`${prefix}:recruiter:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toMatch(/6281377771234|0813|7777/);
  });

  it('one person who both warned about and reported a number still counts as one person', async () => {
    const number = '+62 816 4444 5555';
    await say(await atChecker('both'), SCAM.replace('0812-3456-7890', number));
    await say('both', '2');
    const r = await say(await atChecker('both-asker'), `Lowongan staf gudang di Bekasi, gaji UMK, BPJS. Hubungi HRD ${number}.`);
    expect(r.replies[0]!.text).toContain('RISIKO RENDAH');
    expect(r.replies[0]!.text).toContain(t('checker.verdict.seen_both', { contact: '+6281644445555', count: 1, reports: 1 }));
  });

  it('an official number quoted in a scam is not counted against it', async () => {
    const official = content.data.contacts.get('kp2mi_complaints')!.channels.find((c) => c.type === 'whatsapp')!.value;
    await say(await atChecker('cite-1'), `${SCAM} Sudah terdaftar, cek di WA ${official}.`);
    await say(await atChecker('cite-2'), `${SCAM} Sudah terdaftar, cek di WA ${official}.`);
    const r = await say(await atChecker('cite-asker'), `Apakah nomor ${official} ini resmi untuk pengaduan pekerja migran?`);
    expect(r.replies.map((x) => x.text).join('\n')).not.toContain('⚠️');
  });

  it('one person alone cannot make a number look dangerous to others', async () => {
    const number = '+62 815 2222 3333';
    await say(await atChecker('lone'), SCAM.replace('0812-3456-7890', number));
    const r = await say(await atChecker('lone-asker'), `Lowongan staf gudang di Bekasi, gaji UMK, BPJS. Hubungi HRD ${number}.`);
    expect(r.replies[0]!.text).toContain('RISIKO RENDAH');
    expect(r.replies[0]!.text).toContain(t('checker.verdict.seen_warned', { contact: '+6281522223333', count: 1 }));
  });

  it('"learn more" explains each flag of the last verdict', async () => {
    await say(await atChecker('learn'), SCAM);
    const r = await say('learn', '3');
    expect(r.replies[0]!.text).toContain(t('checker.flag.tourist_visa.explain'));
    expect(r.replies[0]!.text).toContain(t('checker.flag.document_retention.explain'));
  });

  it('reporting the recruiter thanks the user, offers a hotline report, and gives the official channels', async () => {
    await say(await atChecker('report'), SCAM);
    const r = await say('report', '2');
    expect(r.replies[0]!.text).toContain(t('checker.flow.reported'));
    expect(r.replies[0]!.text).toContain(t('hotline.recruiter.ask'));
    const declined = await say('report', '2');
    expect(declined.replies[0]!.text).toContain(t('checker.flow.report_official'));
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

  it('20,000 characters are checked with a note saying truthfully how much was read', async () => {
    const u = await atChecker('long');
    const r = await say(u, (SCAM + '\n').repeat(200).slice(0, 20_000));
    const all = r.replies.map((x) => x.text).join('\n');
    expect(all).toMatch(/hanya 8\.?000 karakter pertama dari 20\.?000/);
    expect(all).toContain('RISIKO TINGGI');
  });

  it('a second offer sent right after a verdict is checked too, without pressing "check another"', async () => {
    await say(await atChecker('two'), SCAM);
    const r = await say('two', GENUINE);
    expect(r.replies[0]!.text).toContain('RISIKO RENDAH');
    // A short unclear answer there still gets the hint with the choices (no "report" after a low-risk verdict).
    expect((await say('two', 'hmm')).replies[0]!.text).toBe(t('engine.hint.choice', { count: 3 }));
  });

  it('an offer that says "tolong hubungi" is checked, not taken for an emergency', async () => {
    const r = await say(await atChecker('tolong'), `${SCAM} Tolong hubungi admin kami.`);
    expect(r.replies[0]!.text).toContain('RISIKO TINGGI');
  });

  // A place in Indonesia named; or a fake vacancy in a state company's name with no place named (a job at home all the same).
  it.each([
    ['a scam job in Indonesia', 'home', HOME_SCAM],
    ['a fake vacancy in a state company\'s name, no place named,', 'bumn', 'Lowongan kerja PT Pegadaian BUMN. Daftarkan diri anda langsung KLIK LINK https://bit.ly/pegadaian-rekrut2025 gaji 8 juta'],
  ])('%s points to the police and the local manpower office (Disnaker), not to the migrant-worker ministry, in the verdict and when reporting', async (_, user, offer) => {
    const r = await say(await atChecker(user), offer);
    const shown = all(r);
    expect(r.replies[0]!.text).toContain('RISIKO TINGGI');
    expect(shown).toContain(t('checker.advice.report_home'));
    expect(shown).toContain('Disnaker');
    expect(shown).not.toContain(t('checker.advice.report_suspicious'));
    expect(shown).not.toContain(phoneOf('kp2mi_complaints'));
    await say(user, '2');
    const official = all(await say(user, '2'));
    expect(official).toContain(t('checker.flow.report_official_home'));
    expect(official).not.toContain(phoneOf('kp2mi_complaints'));
    expect(official).not.toContain(phoneOf('kemlu_wni'));
  });

  it('a scam job abroad points to the migrant-worker ministry and the embassy there, in the verdict and when reporting', async () => {
    const r = await say(await atChecker('abroad'), SCAM);
    const shown = all(r);
    expect(shown).toContain(t('checker.advice.report_suspicious'));
    expect(shown).toContain(phoneOf('kp2mi_complaints'));
    expect(shown).toContain(phoneOf('kp2mi_siskop2mi'));
    expect(shown).toContain(phoneOf('kbri_phnom_penh'));
    await say('abroad', '2');
    const official = all(await say('abroad', '2'));
    expect(official).toContain(t('checker.flow.report_official'));
    expect(official).toContain(phoneOf('kp2mi_complaints'));
  });

  it('a low verdict above a weak sign asks to check the company and never says no warning sign was found', async () => {
    const r = await say(await atChecker('weak'), 'Lowongan staf gudang di Bekasi, tanpa pengalaman. Gaji sesuai UMR. Kirim lamaran ke kantor kami di Jl. Industri 5.');
    const shown = all(r);
    expect(shown).toContain(t('checker.verdict.low_flagged', { icon: '🟡' }));
    expect(shown).not.toContain(t('checker.advice.still_verify'));
    expect(shown).toContain(t('checker.advice.verify_company'));
  });

  it('a Telegram handle, an e-mail address and a bank account from earlier dangerous offers are pointed out; the account is named as one, not taken for a phone', async () => {
    const offer = `${SCAM.replace('WA 0812-3456-7890', 'Telegram @loker_kamboja99 atau email hrd.kamboja99@gmail.com')} Transfer ke rekening BCA 0812345678901.`;
    await say(await atChecker('handle-1'), offer);
    await say(await atChecker('handle-2'), offer);
    const shown = all(await say(await atChecker('handle-3'), offer));
    expect(shown).toContain(t('checker.verdict.seen_warned', { contact: '@loker_kamboja99', count: 2 }));
    expect(shown).toContain(t('checker.verdict.seen_warned', { contact: 'hrd.kamboja99@gmail.com', count: 2 }));
    // named as the bank account it is, so its digits are not read as a number to call
    expect(shown).toContain(t('checker.verdict.seen_warned', { contact: t('checker.verdict.account', { number: '0812345678901' }), count: 2 }));
    expect(shown).toContain('⚠️ Rekening 0812345678901 ');
    expect(shown).not.toContain('+62812345678901');
    // asked about the handle alone, someone new is warned too
    const asked = all(await say(await atChecker('handle-4'), 'Ada yang tawarin kerja lewat telegram @loker_kamboja99, aman nggak?'));
    expect(asked).toContain(t('checker.verdict.seen_warned', { contact: '@loker_kamboja99', count: 3 }));
    // The same account in another scam, named only by its bank and dashed ("ke BRI 0812-3456-78901"): known again.
    const other = all(await say(await atChecker('handle-5'), 'Lowongan kerja ke Malaysia tanpa pengalaman, gaji 20 juta. Biaya proses Rp 3.000.000 transfer ke BRI 0812-3456-78901 a.n. Siti, paspor ditahan agen. Segera!'));
    expect(other).toContain(t('checker.verdict.seen_warned', { contact: t('checker.verdict.account', { number: '0812345678901' }), count: 3 }));
  });

  it('a question whether an agency going abroad is licensed, with no list imported, is told where its licence is checked; a question on a job at home is not', async () => {
    const asked = all(await say(await atChecker('agency-q'), 'PT Maju Jaya Sejahtera resmi gak kak? katanya mau berangkatkan ke Taiwan'));
    expect(asked).toContain(t('checker.note.not_an_offer'));
    expect(asked).toContain(t('checker.advice.check_agency_licence'));
    expect(asked).toContain(phoneOf('kp2mi_siskop2mi'));
    const home = all(await say(await atChecker('agency-home'), 'PT Maju Jaya Sejahtera di Bekasi resmi gak kak?'));
    expect(home).not.toContain(t('checker.advice.check_agency_licence'));
  });

  it('a sentence that holds several warning signs is quoted once, the signs named together above it', async () => {
    const r = await say(await atChecker('once'), 'Hi, I am Sarah from Shopee HR. Your CV passed. Part time job 10-20 minutes a day, earn $300 per day. Reply YES to know more. wa.me/6281234567890');
    const shown = all(r);
    const sentence = 'Part time job 10-20 minutes a day, earn $300 per day.';
    expect(shown.split(sentence).length - 1).toBe(1);
    const titles = ['task_scam', 'pay_unrealistic'].map((id) => t(`checker.flag.${id}.title`));
    const line = shown.split('\n').find((l) => l.includes(titles[0]!))!;
    expect(line).toContain(titles[1]!);
    expect(line).toContain(' · ');
    // A sign with a sentence of its own keeps it.
    expect(shown).toContain('Reply YES to know more.');
    // At most five lines of signs, counted once signs sharing a sentence are together: here all seven fit.
    const seven = all(await say('once', 'Lowongan admin CS di Sihanoukville Kamboja, gaji 18 juta per bulan, tanpa pengalaman, tiket dan visa turis ditanggung perusahaan, berangkat minggu depan, hubungi WA 0812-7788-9900 segera, slot terbatas'));
    for (const id of ['tourist_visa', 'pay_unrealistic', 'scam_job_type', 'risky_destination', 'no_experience', 'urgency', 'personal_contact_only']) expect(seven, id).toContain(t(`checker.flag.${id}.title`));
    expect(seven.split('\n').filter((l) => l.startsWith('• ')).length).toBe(5);
  });

  it('a red flag is quoted to the end of its sentence, past "No." and "a.n."', async () => {
    const shown = all(await say(await atChecker('quote'), 'Lowongan kerja di Dubai. Biaya admin Rp 3.000.000 transfer dulu ke rekening BCA No. 1234567890 a.n. Budi Santoso. Berangkat minggu depan.'));
    expect(shown).toContain('“Biaya admin Rp 3.000.000 transfer dulu ke rekening BCA No. 1234567890 a.n. Budi Santoso.”');
  });
});
