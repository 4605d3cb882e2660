import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { looksLikeOffer, OFFER_HINT_MIN } from '../../src/checker/hint.js';
import { loadContent } from '../../src/content/index.js';
import { ConversationService, toInput, type Inbound, type MediaKind } from '../../src/conversation/service.js';
import { userKey } from '../../src/store/keys.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { redisStores } from '../helpers/stores.js';

const content = loadContent();
const t = (key: string, vars?: Record<string, unknown>) => content.texts.t('id', key, vars);
const OFFER =
  'Lowongan admin CS di Sihanoukville Kamboja, gaji 18 juta per bulan, tanpa pengalaman, tiket dan visa turis ditanggung perusahaan, berangkat minggu depan, hubungi WA 0812-7788-9900 segera, slot terbatas';
let n = 0;

describe('the service marks texts that may be job offers, cheaply', () => {
  it('a long text with job words is marked; a short one or one without job words is not', () => {
    expect(looksLikeOffer(OFFER)).toBe(true);
    expect(looksLikeOffer('Dicari pekerja pabrik, gaji besar')).toBe(false);
    expect(looksLikeOffer('x'.repeat(OFFER_HINT_MIN - 1))).toBe(false);
    expect(looksLikeOffer('Halo kak, saya mau tanya soal keluarga saya yang ada di Malaysia, sudah lama tidak ada kabar dan kami khawatir sekali.')).toBe(false);
    expect(looksLikeOffer(`${' '.repeat(60)}gaji besar${' '.repeat(60)}`)).toBe(false);
  });

  it('a recruitment announcement in its own words (a placement scheme, the civil service\'s intake) is marked too, with none of the offer words', () => {
    expect(looksLikeOffer('Pengumuman: Pendaftaran EPS-TOPIK Korea 2025 sektor manufaktur dibuka. Pendaftaran melalui KP2MI di https://g2g.bp2mi.go.id, tidak dipungut biaya. Jadwal tes akan diumumkan.')).toBe(true);
    expect(looksLikeOffer('RESMI DIBUKA! Pendaftaran CPNS 2025 untuk lulusan SMA dan S1, formasi tersedia di seluruh provinsi. Daftar segera melalui tautan di bio sebelum kuota penuh ya.')).toBe(true);
    expect(looksLikeOffer('Dibuka penerimaan calon pegawai Koperasi Desa Merah Putih untuk seluruh desa di Indonesia, silakan siapkan KTP dan KK lalu daftar melalui tautan di bawah ini.')).toBe(true);
  });

  it('a family writing about their own relative is not marked, work words and all; an offer a relative got and they forward is', () => {
    for (const story of [
      'Adik saya di Korea sudah dua bulan tidak bisa dihubungi sejak ikut program pemerintah lewat G to G. Kami sangat khawatir, harus lapor ke mana ya kak?',
      'Adik saya berangkat kerja ke Malaysia tahun lalu dan sudah dua bulan tidak bisa dihubungi. Kami sangat khawatir, harus lapor ke mana ya kak?',
      'Suamiku bekerja di kapal ikan Taiwan, sejak tiga bulan lalu tidak ada kabar sama sekali dan agennya tidak mau menjawab telepon kami.',
      'My sister went to work as a maid in Saudi Arabia two years ago and we have not heard from her since March. Who can help us find her?',
      // the offer they went for, the fee, the unpaid pay: told as what happened to them
      'Kakak saya dapat tawaran kerja dari sponsor, bayar 5 juta lalu berangkat ke Malaysia. Gaji 3 bulan tidak dibayar dan sekarang tidak bisa dihubungi.',
      // money paid or sent, pay cut or stopped, invited by a friend, home and ill: what happened, not an offer
      'Anak saya sudah bayar 25 juta ke sponsor untuk kerja di Jepang, tapi sudah setahun belum berangkat dan sponsornya susah dihubungi sekarang.',
      'Suami saya diajak teman kerja di kebun sawit Malaysia tahun lalu, sekarang ingin pulang tapi paspornya dipegang bos dan tidak boleh keluar.',
      'Istri saya kerja di Hongkong, gajinya dipotong agen 7 bulan, totalnya hampir 20 juta, dia bingung mau mengadu ke siapa di sana.',
      'Kakak saya kerja di Taiwan sudah tiga tahun, tiap bulan kirim 5 juta ke rumah, tapi dua bulan ini majikannya berhenti bayar gaji.',
      'Adik saya dulu dapat tawaran kerja di pabrik Korea, sekarang sudah pulang tapi sakit parah dan perusahaannya tidak mau tanggung jawab.',
      // a passport taken, kept in: with the pay they were promised, still what happened to them
      'My brother went to work in a factory in Malaysia last year for a salary of 1,500 ringgit a month. His boss took his passport and he cannot leave the dormitory.',
      'Kakak saya kerja di pabrik Malaysia dengan gaji 4 juta sebulan, tapi paspornya diambil majikan dan dia tidak boleh keluar dari asrama.',
    ]) expect(looksLikeOffer(story), story).toBe(false);
    for (const forwarded of [
      'Anak saya dapat tawaran ini dari temannya: lowongan admin di Kamboja, gaji 15 juta, tiket ditanggung, berangkat minggu depan. Apakah aman?',
      'My brother was sent this: hiring customer service in Cambodia, salary 1500 USD, no experience, visa arranged. Is it real or a scam?',
      // a recruiter's pitch through a relative's success
      'My cousin works in Cambodia as marketing staff and earns 17 million a month, easy work just chatting with customers. Ticket is covered. I can help you.',
      'Sepupu saya kerja di Kamboja, sebulan dapat 17 juta, kerjanya gampang cuma chat. Tiket pesawat ditanggung bos. Kalau mau ikut langsung hubungi saya ya.',
      // what a relative was offered, or a message they got, asked about
      'Istri saya ditawari kerja jadi ART di Arab Saudi lewat calo, semua biaya ditanggung majikan katanya. Apakah ini resmi?',
      'Adik saya ditawari jadi admin online di Kamboja, katanya 15 juta sebulan, tiket dan paspor diurus semua sama kantornya.',
      'Anak saya dapat pesan ini: Selamat, Anda lolos seleksi sebagai admin di Thailand, gaji 15 juta. Wajib lapor diri ke kantor kami besok pagi.',
      'My son received this message: we offer you the position of customer service in Bangkok, salary USD 1200. The interview will be held on Monday. Is it real?',
      // asked whether it is real, whatever else it tells ("paspornya nanti ditahan", "wajib melapor", "kesempatan ini hilang")
      'Anak saya ditawari kerja di Kamboja jadi admin, gaji 20 juta, tapi paspornya nanti ditahan perusahaan katanya biasa. Ini aman tidak?',
      'Anak saya dapat pesan ini: Selamat, Anda diterima sebagai admin di Thailand, gaji 15 juta. Wajib melapor ke kantor kami besok pagi jam 8.',
      'Adik saya dapat pesan: lowongan admin online, gaji harian, kerja dari rumah. Jangan sampai kesempatan ini hilang, daftar sekarang. Asli gak ya?',
      'Istri saya dapat tawaran dari calo: kerja di Arab Saudi jadi ART, gaji 8 juta, berangkat bulan depan, paspor ditahan majikan selama kontrak. Penipuan bukan sih?',
      // a vacancy forwarded, whose terms take the passport
      'Anak saya dapat tawaran: lowongan operator di Taiwan gaji 12 juta, paspor ditahan agen selama kontrak.',
      // a recruiter's "our family"
      'Bergabunglah dengan keluarga kami! PT Sinar Abadi membuka lowongan operator produksi di Taiwan. Gaji 12 juta, cuti sakit dibayar penuh.',
    ]) expect(looksLikeOffer(forwarded), forwarded).toBe(true);
  });

  it('a long message promising migrant workers a sum of aid is marked too (the checker reads it); a family writing about a relative, or about aid with no sum, is not', () => {
    // TurnBackHoax GFD-2022 / Tempo Cek Fakta 2022 (test/fixtures/not-offers/aid-scams-7.jsonl, s7-003)
    expect(looksLikeOffer('Bagi yang belum menerima dana bantuan sosial diwajibkan untuk menghubungi kami secepatnya supaya segera kami cairkan. Dana bantuan sosial secara resmi diberikan kepada seluruh TKI sebesar Rp.150.000.000,00 setiap orang')).toBe(true);
    expect(looksLikeOffer('Saudara saya TKI di Malaysia, sudah tiga bulan tidak ada kabar. Keluarga belum menerima santunan apa pun dan kami bingung harus ke mana.')).toBe(false);
    expect(looksLikeOffer('Kakak saya TKW di Hong Kong dan sedang sakit. Apakah ada dana bantuan untuk TKW yang sakit? Mohon info cara mengurusnya, terima kasih banyak.')).toBe(false);
  });

  it('a message becomes the engine’s input: a button, media with its caption, or text, each with the mark', () => {
    const base = { channel: 'test', userId: 'u', messageId: 'm', langHint: 'id' };
    expect(toInput({ ...base, text: OFFER }, 1)).toEqual({ kind: 'text', text: OFFER, at: 1, langHint: 'id', offer: true });
    expect(toInput({ ...base, text: 'halo' }, 1)).toMatchObject({ kind: 'text', offer: false });
    expect(toInput({ ...base, media: 'photo', text: OFFER }, 1)).toEqual({ kind: 'media', media: 'photo', text: OFFER, offer: true, at: 1, langHint: 'id' });
    expect(toInput({ ...base, media: 'voice' }, 1)).toMatchObject({ kind: 'media', media: 'voice', text: '', offer: false });
    expect(toInput({ ...base, media: 'hologram' as MediaKind }, 1)).toMatchObject({ kind: 'media', media: 'other' });
    expect(toInput({ ...base, media: 'photo', choice: { id: 'yes', turn: 3 } }, 1)).toMatchObject({ kind: 'choice', id: 'yes', turn: 3 });
  });
});

describe('every message handled, through the conversation service', () => {
  let redis: Redis;
  let prefix: string;
  let service: ConversationService;
  let stores: ReturnType<typeof redisStores>;
  const send = (user: string, text: string, extra: Partial<Inbound> = {}) =>
    service.handle({ channel: 'test', userId: user, messageId: `e${++n}`, text, langHint: 'id', ...extra });
  const texts = (r: { replies: { text: string }[] }) => r.replies.map((x) => x.text);
  const all = (r: { replies: { text: string }[] }) => texts(r).join('\n\n');
  /** The saved session, as the next message will find it. */
  const saved = async (user: string) => {
    const claim = await stores.sessions.begin(userKey('test', user), 'peek', 'peek-lease', 2000);
    await stores.sessions.release(userKey('test', user), 'peek-lease');
    return claim!.session;
  };
  const atMenu = async (user: string) => {
    await send(user, 'halo');
    const r = await send(user, '1');
    expect(r.replies.at(-1)!.text).toBe(t('main.title'));
    return user;
  };
  const atCountry = async (user: string) => {
    await atMenu(user);
    await send(user, '2');
    const r = await send(user, '7');
    expect(r.replies.at(-1)!.text).toBe(t('guide.country.ask'));
    return user;
  };

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    prefix = testPrefix('every');
    stores = redisStores(redis, prefix);
    service = new ConversationService({ ...stores, content, hashSecret: 'test-hash-secret-0123456789' });
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('an offer as a new person’s first message gets its verdict, then the welcome; nothing of it is kept or counted', async () => {
    const r = await send('first', OFFER);
    expect(texts(r)[0]).toContain('RISIKO TINGGI');
    expect(all(r)).toMatch(/visa turis/);
    expect(r.replies.at(-1)!.text).toContain(t('welcome.privacy'));
    expect(r.replies.at(-1)!.choices!.map((c) => c.id)).toEqual(['agree', 'more', 'decline']);
    const session = await saved('first');
    expect(session).toMatchObject({ consent: false, at: { flow: 'welcome', step: 'privacy' } });
    expect(JSON.stringify(session)).not.toMatch(/Sihanoukville|7788/);
    // Before agreeing to the privacy notice, the offer's number is not counted among the warned.
    expect(await redis.keys(`${prefix}:recruiter:*`)).toEqual([]);
    // The welcome goes on.
    expect((await send('first', '1')).replies.at(-1)!.text).toBe(t('main.title'));
  });

  it('a family\'s first message about a relative who went to work abroad and cannot be reached gets no job-offer verdict, at the start or at the menu', async () => {
    const story = 'Adik saya berangkat kerja ke Malaysia tahun lalu dan sudah dua bulan tidak bisa dihubungi. Kami sangat khawatir, harus lapor ke mana ya kak?';
    const first = await send('family-first', story);
    expect(all(first)).not.toMatch(/RISIKO/);
    expect(first.replies.at(-1)!.text).toContain(t('welcome.privacy'));
    // At the menu it is told where a report is made (the report item named as the menu shows it), with the menu again.
    const menu = await send(await atMenu('family-menu'), story);
    expect(all(menu)).not.toMatch(/RISIKO/);
    expect(texts(menu)[0]).toBe(t('main.long_text'));
    expect(menu.replies.at(-1)!.choices!.map((c) => c.id)).toContain('report');
    for (const lang of ['id', 'en'] as const) {
      const says = content.texts.t(lang, 'main.long_text');
      for (const item of ['main.report', 'main.check', 'main.guide']) expect(says, `${lang} ${item}`).toContain(`“${content.texts.t(lang, item)}”`);
    }
  });

  it('a question asked in a sentence at the main menu is told where each kind of question goes, not "reply with a number"; a stray word still gets the hint', async () => {
    const u = await atMenu('questions');
    for (const question of ['apakah ada lowongan ke korea?', 'cara daftar kerja ke taiwan yang resmi gimana', 'kerja di jepang lewat LPK bayar 40 juta itu wajar gak?']) {
      const r = await send(u, question);
      expect(texts(r)[0], question).toBe(t('main.long_text'));
      expect(r.replies.at(-1)!.choices!.map((c) => c.id)).toEqual(expect.arrayContaining(['check', 'guide', 'report']));
    }
    const stray = await send(await atMenu('stray'), 'xyz');
    expect(texts(stray)[0]).toBe(t('engine.hint.choice', { count: 8 }));
  });

  it('thanks at the menu or after a verdict is answered "you\'re welcome" with the choices again, and is no failure', async () => {
    const u = await atMenu('thanks');
    for (const thanks of ['terima kasih kak', 'makasih banyak ya', 'thank you so much']) {
      const r = await send(u, thanks);
      expect(texts(r)[0], thanks).toBe(t('engine.you_are_welcome'));
      expect(r.replies.at(-1)!.choices!.map((c) => c.id)).toContain('check');
    }
    const verdict = await send(u, OFFER);
    expect(texts(verdict)[0]).toContain('RISIKO TINGGI');
    const after = await send(u, 'Terima kasih atas infonya 🙏');
    expect(texts(after)[0]).toBe(t('engine.you_are_welcome'));
    expect(after.replies.at(-1)!.choices!.map((c) => c.id)).toContain('another');
  });

  it('an offer pasted at the main menu gets its verdict and the offer choices, not the "reply with a number" hint', async () => {
    const r = await send(await atMenu('menu'), OFFER);
    expect(texts(r)[0]).toContain('RISIKO TINGGI');
    expect(all(r)).not.toContain(t('engine.hint.choice', { count: 8 }));
    expect(r.replies.at(-1)!.text).toBe(t('checker.flow.next'));
    // Having agreed, the dangerous offer's number is counted (as a keyed hash).
    expect((await redis.keys(`${prefix}:recruiter:*`)).length).toBeGreaterThan(0);
  });

  it('an offer pasted at the guide’s country question is checked once the person says yes, and "back" returns to the question', async () => {
    const u = await atCountry('mid-yes');
    const asked = await send(u, OFFER);
    expect(texts(asked)).toEqual([t('engine.offer.confirm')]);
    expect(asked.replies[0]!.choices!.map((c) => c.label)).toEqual([t('engine.offer.yes'), t('engine.offer.no')]);
    const r = await send(u, t('engine.offer.yes'));
    expect(texts(r)[0]).toContain('RISIKO TINGGI');
    expect(JSON.stringify(await saved(u))).not.toMatch(/Sihanoukville|7788/);
    const back = await send(u, '4');
    expect(back.replies.at(-1)!.text).toBe(t('guide.country.ask'));
    expect(all(await send(u, 'Kamboja'))).toContain(t('guide.country.no_agreement'));
  });

  it('"no" to checking it goes back to the question, and nothing of the offer is kept', async () => {
    const u = await atCountry('mid-no');
    await send(u, OFFER);
    const r = await send(u, '2');
    expect(texts(r)).toEqual([t('guide.country.ask')]);
    const session = await saved(u);
    expect(JSON.stringify(session)).not.toMatch(/Sihanoukville|7788/);
    expect(session!.failures).toBe(0);
  });

  it('a photo the channel gave no picture for: "cannot open it, send it again or paste the text"; the menu stays', async () => {
    const r = await send(await atMenu('photo'), '', { media: 'photo' });
    expect(r.replies).toHaveLength(1);
    expect(r.replies[0]!.text).toBe(`${t('engine.media.picture')}\n\n${t('main.title')}`);
    expect(r.replies[0]!.choices).toHaveLength(8);
  });

  it('a photo captioned with an offer: the picture line, then the caption’s verdict', async () => {
    const r = await send(await atMenu('caption'), OFFER, { media: 'photo' });
    expect(texts(r)[0]).toContain(t('engine.media.picture'));
    expect(all(r)).toContain('RISIKO TINGGI');
  });

  it.each([['voice'], ['sticker'], ['location'], ['contact'], ['video'], ['audio'], ['document'], ['other']] as [MediaKind][])(
    'three %s messages at a question: each gets its own line and the question again, never "not understood"',
    async (kind) => {
      const u = await atCountry(`media-${kind}`);
      for (let i = 0; i < 3; i++) {
        const r = await send(u, '', { media: kind });
        expect(texts(r)).toEqual([`${t(`engine.media.${kind}`)}\n\n${t('engine.media.can')}\n\n${t('guide.country.ask')}`]);
      }
      expect(await saved(u)).toMatchObject({ failures: 0, at: { flow: 'guide', step: 'ask_country' } });
    },
  );
});
