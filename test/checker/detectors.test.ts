import { describe, expect, it } from 'vitest';
import { checkOffer, DETECTORS, MODEL_DETECTOR, type Verdict } from '../../src/checker/index.js';

const ids = (v: Verdict) => v.flags.map((f) => f.id);
const flag = (v: Verdict, id: string) => v.flags.find((f) => f.id === id);

/** Each detector: text that must raise it, text that must not. */
const CASES: Array<{ id: string; yes: string; no: string }> = [
  {
    id: 'tourist_visa',
    yes: 'Kerja di Kamboja, berangkat pakai visa turis dulu, izin kerja diurus di sana. Gaji 12 juta.',
    no: 'Lowongan pabrik Taiwan lewat P3MI resmi. Visa kerja diurus pemberi kerja sebelum berangkat. Gaji NT$28.590.',
  },
  {
    id: 'document_retention',
    yes: 'Lowongan pabrik Malaysia gaji RM 2000. Paspor dipegang perusahaan selama kontrak.',
    no: 'Lowongan pabrik Malaysia gaji RM 1.700 lewat P3MI resmi. Paspor dipegang pekerja sendiri.',
  },
  {
    id: 'contract_on_arrival',
    yes: 'Kerja restoran di Malaysia, gaji RM 1.800. Kontrak kerja ditandatangani setelah sampai di sana.',
    no: 'Kerja restoran di Malaysia lewat P3MI resmi, gaji RM 1.800. Perjanjian kerja ditandatangani sebelum berangkat.',
  },
  {
    id: 'secrecy',
    yes: 'Ada kerja di luar negeri gaji 15 juta. Jangan bilang ke keluarga dulu ya, nanti gak diizinin.',
    no: 'Lowongan admin di Jakarta, gaji 5 juta. Kirim CV ke email perusahaan.',
  },
  {
    id: 'domestic_moratorium',
    yes: 'Dicari PRT untuk majikan di Riyadh, gaji 1500 riyal, berangkat cepat lewat sponsor.',
    no: 'Penempatan penata laksana rumah tangga ke Arab Saudi melalui Sistem Penempatan Satu Kanal (SPSK), hanya lewat P3MI yang ditunjuk.',
  },
  {
    id: 'irregular_route',
    yes: 'Kerja kilang di Johor gaji RM 3.000, berangkat dari Batam naik speedboat malam, tanpa cap paspor.',
    no: 'PT Elektronik Batam butuh operator produksi, gaji UMK Batam, mess dan bus jemputan.',
  },
  {
    id: 'pay_unrealistic',
    yes: 'Dibutuhkan CS online di Phnom Penh, gaji $1500 per bulan, tanpa pengalaman.',
    no: 'Operator pabrik Taiwan lewat P3MI, gaji NT$28.590 per bulan plus lembur.',
  },
  {
    id: 'entertainment_abroad',
    yes: 'Dicari LC / pemandu lagu untuk karaoke di Malaysia, gaji 15 juta + tips.',
    no: 'Dicari penyanyi untuk acara pernikahan di Bandung, bayaran per acara.',
  },
  {
    id: 'fishing_debt',
    yes: 'Lowongan ABK kapal ikan Taiwan gaji 450 USD, wajib jaminan ijazah, kasbon dipotong gaji 8 bulan.',
    no: 'Lowongan ABK kapal ikan Korea lewat manning agency resmi, tidak ada biaya yang dibebankan, gaji dibayar bulanan ke rekening sendiri.',
  },
  {
    id: 'scam_job_type',
    yes: 'Lowongan customer service untuk perusahaan di Sihanoukville, gaji 1000 USD.',
    no: 'Lowongan customer service bank di Surabaya, min D3, gaji 5 juta, BPJS.',
  },
  {
    id: 'risky_destination',
    yes: 'Kerja di Myawaddy bagian admin, gaji 1200 USD, tiket ditanggung.',
    no: 'Kami P3MI resmi hanya menempatkan ke Taiwan dan Hongkong. Kami tidak pernah merekrut untuk Kamboja atau Myanmar.',
  },
  {
    id: 'upfront_fee',
    yes: 'Lolos interview, wajib transfer biaya seragam dan medical Rp 850.000 ke rekening panitia.',
    no: 'Rekrutmen operator pabrik, tidak dipungut biaya apapun. Tiket dan visa ditanggung majikan.',
  },
  {
    id: 'salary_deduction',
    yes: 'Kerja di Singapura jadi helper, biaya agen potong gaji 8 bulan.',
    no: 'Helper Singapura lewat P3MI resmi, tidak ada potongan gaji untuk biaya penempatan.',
  },
  {
    id: 'fee_for_zero_cost_job',
    yes: 'Lowongan caregiver ke Taiwan, biaya penempatan 38 juta dipotong gaji 10 bulan.',
    no: 'Lowongan caregiver ke Taiwan lewat P3MI resmi, biaya penempatan ditanggung majikan.',
  },
  {
    id: 'recruit_commission',
    yes: 'Ajak teman daftar kerja ke luar negeri, dapat komisi 3 juta per orang yang berangkat!',
    no: 'Lowongan kasir minimarket di Malang, gaji UMK, kirim CV ke email rekrutmen.',
  },
  {
    id: 'no_experience',
    yes: 'Kerja di Thailand gaji 20 juta, tanpa pengalaman, tidak perlu ijazah.',
    no: 'Dibutuhkan staf akuntansi, S1 Akuntansi, pengalaman minimal 2 tahun.',
  },
  {
    id: 'body_exposure',
    yes: 'Untuk tahap wawancara online, kirim video 30 detik pakai tanktop yang memperlihatkan pundak dan perut.',
    no: 'Lampirkan CV, pas foto terbaru dan foto seluruh badan untuk posisi SPG.',
  },
  {
    id: 'guaranteed_hire',
    yes: 'Kerja pabrik di Taiwan, dijamin diterima, tidak perlu tes.',
    no: 'Lowongan operator pabrik di Cikarang, pelamar mengikuti tes tertulis dan wawancara.',
  },
  {
    id: 'urgency',
    yes: 'Kerja di Dubai gaji besar, berangkat minggu ini, kuota terbatas, buruan daftar!',
    no: 'Lowongan guru SD di Medan, berkas diterima sampai akhir bulan.',
  },
  {
    id: 'personal_contact_only',
    yes: 'Kerja enak gaji gede, minat japri WA 0813-2211-4567.',
    no: 'Lowongan staf gudang, kirim CV ke rekrutmen@contoh.co.id, alamat kantor Jl. Industri No. 5.',
  },
  {
    id: 'unofficial_channel',
    yes: 'Lowongan sopir ke Saudi lewat jalur sponsor perorangan, tidak melalui PT resmi, lebih cepat.',
    no: 'Lowongan sopir ke Jepang lewat P3MI berizin, proses melalui Disnaker dan LTSA.',
  },
  {
    id: 'vague_destination',
    yes: 'Kerja di luar negeri jadi operator online, gaji 1000 dolar, negara nanti dikasih tau setelah daftar.',
    no: 'Lowongan operator produksi di Karawang, gaji UMK Karawang.',
  },
  {
    id: 'task_scam',
    yes: 'Halo, saya Rina dari bagian HRD Tokopedia. Kami mencari karyawan paruh waktu, cukup 15 menit sehari, gaji harian Rp 300.000. Balas 1 untuk daftar.',
    no: 'Dibutuhkan kasir part time di minimarket Jl. Sudirman 12 Bandung, shift sore, gaji harian Rp 85.000. Lamaran langsung ke toko.',
  },
  {
    id: 'fake_institution',
    yes: 'Rekrutmen PT PLN (Persero) 2026 untuk lulusan SMA/SMK hingga S1. Pendaftaran GRATIS tidak dipungut biaya, klik link di bawah: https://plnkarir2026.my.id/daftar',
    no: 'Rekrutmen PT PLN (Persero) 2026 dibuka. Pendaftaran hanya melalui situs resmi https://rekrutmen.pln.co.id, tidak dipungut biaya.',
  },
  {
    id: 'mass_recruitment_abroad',
    yes: 'Dibutuhkan segera 1.500 tenaga kerja untuk proyek konstruksi di Arab Saudi. Tiket, visa, mess dan makan ditanggung perusahaan. Hubungi koordinator kami.',
    no: 'Program G to G Korea Selatan melalui KP2MI membutuhkan 1.500 pekerja sektor manufaktur. Pendaftaran melalui SISKOP2MI.',
  },
  {
    id: 'fake_job_letter',
    yes: 'Selamat! Anda dinyatakan lolos seleksi sebagai waiter di kapal pesiar Royal Caribbean. Silakan hubungi agen perjalanan resmi kami untuk pengurusan visa kerja dan tiket pesawat.',
    no: 'Lowongan waiter kapal pesiar melalui manning agency berizin. Pengalaman hotel 2 tahun, sertifikat BST. Pelamar yang lolos seleksi akan dihubungi untuk wawancara.',
  },
  {
    id: 'link_not_shown',
    yes: 'Lowongan kerja operator produksi, lulusan SMA/SMK, usia maksimal 25 tahun. Pendaftaran silahkan klik link di bio.',
    no: 'Lowongan kerja operator produksi, lulusan SMA/SMK. Daftar melalui link berikut: https://karir.contohpabrik.co.id/operator',
  },
  {
    id: 'form_link_only',
    yes: 'LOWONGAN KERJA PT KIYOKUNI INDONESIA Operator Produksi, usia 18-24 tahun, pendidikan SMA/SMK. DAFTAR: https://forms.gle/kwP6GMkGtpEWtp3Y9',
    no: 'Lowongan staf gudang PT Maju Jaya. Daftar melalui https://forms.gle/abc123 atau kirim CV ke hrd@majujaya.co.id',
  },
  {
    id: 'share_to_apply',
    yes: 'Lowongan kerja PT Sinar Jaya, penempatan Jakarta. Syarat: wajib share info ini ke 10 grup WA, yang paling banyak share akan dihubungi.',
    no: 'Info lowongan kerja admin gudang di Bekasi. Bagikan ke saudara atau teman yang membutuhkan.',
  },
  {
    id: 'aid_by_chat',
    yes: 'Kami dari kantor BP2MI menyalurkan dana bantuan Rp150 juta kepada TKI/TKW di luar negeri. Yang belum menerima wajib menghubungi kami lewat WhatsApp 0852 9906 8587.',
    no: 'BP2MI menyalurkan bantuan sosial sembako kepada keluarga PMI di Cirebon, diserahkan langsung di kantor desa.',
  },
  {
    id: 'unverified_institution',
    yes: 'Lowongan kerja Kementerian Pertanian 2026 untuk lulusan SMA dan S1, penempatan seluruh Indonesia. Segera siapkan berkas Anda.',
    no: 'Lowongan admin gudang PT Sinar Jaya di Cikarang, lulusan SMA, gaji UMK + BPJS. Lamaran ke HRD kami.',
  },
];

describe('red-flag detectors', () => {
  it('every red-flag detector in the registry has an example here (the model’s own flag has none)', () => {
    const red = DETECTORS.filter((d) => !d.id.startsWith('lawful_') && d.id !== MODEL_DETECTOR.id).map((d) => d.id);
    expect(CASES.map((c) => c.id).sort()).toEqual(red.sort());
  });
  for (const c of CASES) {
    it(`${c.id}: raised with a quoted span on a positive example`, () => {
      const v = checkOffer(c.yes);
      const f = flag(v, c.id);
      expect(f, `${c.id} missing in ${JSON.stringify(ids(v))}`).toBeDefined();
      expect(f!.weight).toBeGreaterThan(0);
      expect(f!.evidence.length).toBeGreaterThan(0);
      for (const e of f!.evidence) {
        expect(c.yes).toContain(e);
        expect(e.length).toBeLessThanOrEqual(160);
      }
    });
    it(`${c.id}: not raised on a negative example`, () => {
      expect(ids(checkOffer(c.no))).not.toContain(c.id);
    });
  }
});

describe('verdicts', () => {
  it('a tourist-visa offer for Cambodia is high risk and quotes the visa line', () => {
    const text = 'LOKER KAMBOJA 🔥 Dibutuhkan admin online, gaji $1000/bln.\nBerangkat pakai visa turis, permit nanti diurus di sana.\nJapri WA 0812-3456-7890';
    const v = checkOffer(text);
    expect(v.risk).toBe('high');
    expect(flag(v, 'tourist_visa')?.evidence[0]).toContain('visa turis');
    expect(v.facts.country).toBe('Cambodia');
    expect(v.facts.pay?.[0]).toMatchObject({ amount: 1000, currency: 'USD' });
    expect(v.facts.phones).toContain('+6281234567890');
    expect(v.advice).toContain('no_tourist_visa_work');
  });

  it('an English scam-compound offer is high risk', () => {
    const v = checkOffer('URGENT: chat support in Phnom Penh, $1,200/month, no experience needed. Your passport will be kept by HR. Travel on tourist visa.');
    expect(v.risk).toBe('high');
    expect(ids(v)).toEqual(expect.arrayContaining(['document_retention', 'tourist_visa']));
    expect(v.advice).toContain('never_hand_passport');
  });

  it('lawful signals lower the risk of an agency offer', () => {
    const base = 'Lowongan caregiver ke Taiwan, gaji NT$ 20.000, berangkat bulan depan.';
    const lawful = `${base} PT Maju Jaya (P3MI), izin no. 2/123/2020. Job order terverifikasi, perjanjian kerja ditandatangani sebelum berangkat, pelatihan pra pemberangkatan di BLK. Tidak dipungut biaya penempatan.`;
    const a = checkOffer(base);
    const b = checkOffer(lawful);
    expect(b.score).toBeLessThan(a.score);
    expect(b.risk).toBe('low');
    expect(b.flags.filter((f) => f.weight < 0).map((f) => f.id)).toEqual(
      expect.arrayContaining(['lawful_licensed_agency', 'lawful_job_order', 'lawful_written_contract', 'lawful_official_training']),
    );
  });

  it('a Korea EPS announcement is low risk', () => {
    const v = checkOffer('Program G to G Korea (EPS): pendaftaran ujian EPS-TOPIK dibuka, hanya lewat website resmi. Tidak ada calo.');
    expect(v.risk).toBe('low');
    expect(ids(v)).toContain('lawful_g2g');
  });

  it('an ordinary Indonesian job ad with a WhatsApp number stays low', () => {
    const v = checkOffer('Dibutuhkan segera barista di Yogyakarta, pengalaman 6 bulan, gaji 2,3 juta + service. Kirim CV via WA 0812-2233-4455.');
    expect(v.risk).toBe('low');
  });

  it('a customer-service job at home is not a scam-compound job', () => {
    const v = checkOffer('Lowongan customer service call center di Bandung, min D3, shift, gaji UMK, tidak dipungut biaya.');
    expect(ids(v)).not.toContain('scam_job_type');
    expect(v.risk).toBe('low');
  });

  it('a warning that mentions Cambodia does not flag Cambodia as the destination', () => {
    const v = checkOffer('Waspada penipuan kerja di Kamboja! Lowongan resmi kami hanya untuk Hongkong, lewat P3MI berizin dan BLK.');
    expect(ids(v)).not.toContain('risky_destination');
  });

  it('a negated fee is a lawful signal, not a red flag', () => {
    const v = checkOffer('Rekrutmen operator produksi, tidak dipungut biaya pendaftaran.');
    expect(ids(v)).not.toContain('upfront_fee');
    expect(ids(v)).toContain('lawful_no_fee');
  });

  it('scores are in [0, 1] and flags are sorted by weight', () => {
    const v = checkOffer('Kerja di Laos, kasino, gaji 1500 USD, tanpa pengalaman, visa on arrival, paspor disimpan bos.');
    expect(v.score).toBeGreaterThanOrEqual(0);
    expect(v.score).toBeLessThanOrEqual(1);
    const w = v.flags.map((f) => f.weight);
    expect([...w].sort((a, b) => b - a)).toEqual(w);
  });
});
