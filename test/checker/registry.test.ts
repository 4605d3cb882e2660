import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ADVICE_RULES } from '../../src/checker/advice.js';
import { REPO_ROOT } from '../../src/checker/facts.js';
import { ADVICE_IDS, checkOffer, DETECTORS, FLAG_IDS, MODEL_DETECTOR } from '../../src/checker/index.js';
import { RULES } from '../../src/checker/lexicon.js';

describe('checker registry: detectors and their advice', () => {
  it('every flag id belongs to exactly one detector', () => {
    expect(new Set(FLAG_IDS).size).toBe(DETECTORS.length);
    expect(FLAG_IDS).toContain(MODEL_DETECTOR.id);
  });

  it('every advice a detector calls for is advice the checker gives', () => {
    for (const d of DETECTORS) for (const a of d.advice) expect(ADVICE_IDS, `${d.id} → ${a}`).toContain(a);
  });

  it('advice given only for a red flag is called for by some detector', () => {
    const called = new Set(DETECTORS.flatMap((d) => d.advice));
    for (const rule of ADVICE_RULES) if (!('when' in rule)) expect(called.has(rule.id), rule.id).toBe(true);
  });

  it('lexicon rules named lawful_ are lawful signals (weight below zero) and call for no advice; the others are red flags', () => {
    for (const r of RULES) {
      if (r.id.startsWith('lawful_')) {
        expect(r.weight, r.id).toBeLessThan(0);
        expect(r.advice, r.id).toEqual([]);
      } else expect(r.weight, r.id).toBeGreaterThan(0);
    }
  });

  it('data/checker-facts.yaml cites only flags and advice the checker has', () => {
    const file = parse(readFileSync(path.join(REPO_ROOT, 'data/checker-facts.yaml'), 'utf8')) as { facts: { id: string; used_by?: { flags?: string[]; advice?: string[] } }[] };
    for (const fact of file.facts) {
      for (const f of fact.used_by?.flags ?? []) expect(FLAG_IDS, `${fact.id}: flag ${f}`).toContain(f);
      for (const a of fact.used_by?.advice ?? []) expect(ADVICE_IDS, `${fact.id}: advice ${a}`).toContain(a);
    }
  });
});

describe('checker advice: what a flag calls for, in order of priority', () => {
  it('a fee calls for "do not pay to apply" at home and for "no placement fee" abroad', () => {
    const home = checkOffer('Lolos interview, wajib transfer biaya seragam dan medical Rp 850.000 ke rekening panitia.');
    expect(home.advice).toContain('no_pay_to_apply');
    expect(home.advice).not.toContain('no_placement_fee');
    const abroad = checkOffer('Kerja di Singapura jadi helper, biaya agen potong gaji 8 bulan.');
    expect(abroad.advice[0]).toBe('no_placement_fee');
    expect(abroad.advice).not.toContain('no_pay_to_apply');
  });

  it('advice for the whole verdict abroad comes before the advice to take one’s time', () => {
    const v = checkOffer('Kerja di Dubai gaji besar, berangkat minggu ini, kuota terbatas, buruan daftar!');
    expect(v.advice).toEqual(['check_agency_licence', 'use_official_channels', 'contract_before_departure', 'never_hand_passport', 'take_your_time']);
  });

  it('a job at home reachable only by chat calls for checking the company, even when the risk is low (and never says it found no sign)', () => {
    const v = checkOffer('Dibutuhkan segera barista di Yogyakarta, pengalaman 6 bulan, gaji 2,3 juta + service. Kirim CV via WA 0812-2233-4455.');
    expect(v.risk).toBe('low');
    expect(v.flags.some((f) => f.weight > 0)).toBe(true);
    expect(v.advice).toEqual(['verify_company']);
    expect(checkOffer('Lowongan kasir toko di Malang, gaji 2,5 juta.').advice).toEqual(['still_verify']);
  });

  it('"we found no clear warning signs" only where none was found, in a text long enough to judge', () => {
    const flagged = checkOffer('Lowongan staf gudang di Bekasi, tanpa pengalaman. Gaji sesuai UMR. Kirim lamaran ke kantor kami di Jl. Industri 5.');
    expect(flagged.risk).toBe('low');
    expect(flagged.advice).not.toContain('still_verify');
    expect(flagged.advice).toContain('verify_company');
    expect(checkOffer('lowongan').advice).toEqual(['send_offer_text']);
  });

  it('where to report fits the job: in Indonesia, the police and the local manpower office (Disnaker); abroad, the migrant-worker ministry', () => {
    const home = checkOffer('Lowongan kerja admin gudang di Bekasi. Biaya pendaftaran Rp 500.000 transfer dulu ke rekening BCA 1234567890 a.n. Budi. Hubungi WA 081234567890 segera, kuota terbatas. Gaji Rp 15.000.000 per bulan tanpa pengalaman.');
    expect(home.risk).toBe('high');
    expect(home.facts.country).toBe('Indonesia');
    expect(home.advice).toContain('report_home');
    expect(home.advice).not.toContain('report_suspicious');
    expect(home.advice).toContain('verify_company');
    const abroad = checkOffer('LOWONGAN CS ONLINE KAMBOJA gaji 15jt/bulan, tanpa pengalaman, berangkat pakai visa turis, paspor dipegang agen selama kontrak. Biaya proses 5jt. WA 0812-3456-7890 segera!');
    expect(abroad.risk).toBe('high');
    expect(abroad.advice).toContain('report_suspicious');
    expect(abroad.advice).not.toContain('report_home');
  });

  it('a vacancy in an Indonesian institution\'s name, or a task scam, with no place named is a job at home; one abroad, or the hajj officers\' (in Saudi Arabia), is not', () => {
    const bumn = checkOffer('Lowongan kerja PT Pegadaian BUMN. Daftarkan diri anda langsung KLIK LINK https://bit.ly/pegadaian-rekrut2025 gaji 8 juta');
    expect(bumn.risk).toBe('high');
    expect(bumn.facts.country).toBeUndefined();
    expect(bumn.facts.home).toBe(true);
    expect(bumn.advice).toContain('report_home');
    expect(bumn.advice).not.toContain('report_suspicious');
    // Cut off from its link as fact-checks quote it: still to be checked, and at home.
    const cut = checkOffer('RESMI SELEKSI KEMENKES TAHUN 2025 DIBUKA. Kemenkes kembali memanggil para talenta muda untuk bergabung melalui seleksi lowongan kerja tahun 2025, daftarkan diri anda segera.');
    expect(cut.facts.home).toBe(true);
    // The same ministry's name on work abroad: not at home.
    const abroad = checkOffer('Kemnaker buka lowongan kerja ke luar negeri untuk 500 orang, pendaftaran lewat link https://bit.ly/kemnaker-ln gaji 25 juta, semua biaya ditanggung.');
    expect(abroad.facts.home).toBeUndefined();
    expect(abroad.advice).not.toContain('report_home');
    const hajj = checkOffer('Rekrutmen petugas haji (PPIH) 2025 dibuka untuk umum, daftar lewat link https://bit.ly/ppih-2025 tanpa tes, kuota terbatas.');
    expect(hajj.facts.home).toBeUndefined();
    // A task scam naming nowhere abroad: "work" on one's phone at home, a fraud for the police.
    const task = checkOffer('Hi, I am Sarah from Shopee HR. Your CV passed. Part time job 10-20 minutes a day, earn $300 per day. Reply YES to know more. wa.me/6281234567890');
    expect(task.flags.map((f) => f.id)).toContain('task_scam');
    expect(task.facts.home).toBe(true);
    expect(task.advice).toContain('report_home');
    expect(checkOffer('Kerja online di Kamboja: tugas like video 20 menit sehari, gaji harian Rp 500.000, balas YA untuk info, wa.me/6281234567890').facts.home).toBeUndefined();
    // Going abroad said without a place (a scheme, a passport, a flight, foreign pay, a ship): not at home.
    for (const text of [
      'Pendaftaran EPS-TOPIK 2025 jalur khusus Kemnaker, tanpa tes bahasa, langsung kerja pabrik, kuota terbatas! Daftar di bit.ly/eps-kemnaker dan transfer biaya administrasi Rp 5.000.000 hari ini.',
      'Job tugas online: like & subscribe, gaji USD 1500 per bulan, paspor dan tiket diurus kantor, langsung terbang minggu depan. WA 081234567890',
      'Lowongan kapal pesiar PT Pelni, dokumen paspor & visa diurus, gaji USD 2000, daftar bit.ly/pelni-cruise',
    ]) {
      const v = checkOffer(text);
      expect(v.facts.home, text).toBeUndefined();
      expect(v.advice, text).not.toContain('report_home');
    }
    // A passport "if you have one" among a vacancy's papers, or a Visa card to withdraw to, is not going abroad.
    expect(checkOffer('LOWONGAN KERJA PT PERTAMINA (PERSERO) 2025. Syarat: ijazah, KTP, SKCK, paspor bila ada. Daftar via bit.ly/pertamina-rekrut').facts.home).toBe(true);
    expect(checkOffer('Hi, I am Sarah from Shopee HR. Part time job 10-20 minutes a day, earn Rp 300.000 per day, penarikan lewat kartu Visa. Reply YES. wa.me/6281234567890').facts.home).toBe(true);
    // An internship at home ("Magang Bersama BUMN") is at home; an internship in Japan is not.
    expect(checkOffer('Pendaftaran Program Magang Bersama BUMN 2025 telah dibuka! Uang saku 3 juta per bulan. Daftar segera lewat link bit.ly/magang-bumn-2025 sebelum kuota penuh.').facts.home).toBe(true);
    expect(checkOffer('Program magang ke Jepang resmi BUMN 2025, uang saku 25 juta per bulan. Daftar lewat bit.ly/magang-bumn-jp sebelum kuota penuh.').facts.home).toBeUndefined();
    // An ordinary company's vacancy that names no place stays undecided (the advice covers both).
    expect(checkOffer('Dicari staf admin, gaji 4 juta, kirim CV ke WA 081234567890.').facts.home).toBeUndefined();
  });
});
