import { describe, expect, it } from 'vitest';
import { normalise, toOriginal, stem, modelTokens, modelWords } from '../../src/checker/normalise.js';
import { extractAccounts, extractMoney, extractPhones, extractLinks, extractLinksByScan } from '../../src/checker/facts.js';

describe('normalisation of chat text', () => {
  it('lower-cases, removes emojis and collapses repeated letters', () => {
    expect(normalise('GRATIIIS 🔥🔥 bangettt').text).toBe('gratis banget');
  });

  it('keeps acronyms without a vowel as they are: "PPPK" is not a drawn-out "PK"', () => {
    expect(normalise('Seleksi PPPK 2024, gajiii besarrr').text).toBe('seleksi pppk 2024, gaji besar');
  });

  it('expands Indonesian chat abbreviations and slang', () => {
    const t = normalise('tdk perlu pglmn, gk usah ijasah, tnp biaya, info loker hub WA').text;
    expect(t).toContain('tidak perlu pengalaman');
    expect(t).toContain('tidak usah ijazah');
    expect(t).toContain('tanpa biaya');
    expect(t).toContain('lowongan kerja');
    expect(t).toContain('whatsapp');
  });

  it('expands CS, ABK, TKW and gaji gede', () => {
    const t = normalise('Butuh CS & ABK, eks TKW ok, gaji gede').text;
    expect(t).toContain('customer service');
    expect(t).toContain('anak buah kapal');
    expect(t).toContain('pekerja migran');
    expect(t).toContain('gaji besar');
  });

  it('splits amounts glued to units: 12jt, 500rb, rm1800', () => {
    expect(normalise('gaji 12jt').text).toBe('gaji 12 juta');
    expect(normalise('uang makan 500rb').text).toBe('uang makan 500 ribu');
    expect(normalise('RM1800').text).toBe('rm 1800');
  });

  it('folds fancy Unicode letters used in social-media posts', () => {
    expect(normalise('𝗚𝗔𝗝𝗜 𝗕𝗘𝗦𝗔𝗥').text).toBe('gaji besar');
  });

  it('maps every normalised span back to the original text', () => {
    const original = 'Kerja tnp pglmn!!! 😍 gaji 12jt';
    const n = normalise(original);
    const i = n.text.indexOf('tanpa pengalaman');
    const [s, e] = toOriginal(n, i, i + 'tanpa pengalaman'.length);
    expect(original.slice(s, e)).toBe('tnp pglmn');
  });

  it('has one original offset per UTF-16 code unit of the normalised text, also after a kept character outside the BMP', () => {
    const original = 'Kerja 𠀀 di Kamboja, tnp pglmn';
    const n = normalise(original);
    expect(n.start.length).toBe(n.text.length);
    expect(n.end.length).toBe(n.text.length);
    for (const word of ['kamboja', 'tanpa pengalaman']) {
      const i = n.text.indexOf(word);
      const [s, e] = toOriginal(n, i, i + word.length);
      expect(original.slice(s, e)).toBe(word === 'kamboja' ? 'Kamboja' : 'tnp pglmn');
    }
  });

  it('reads words that name properties of every JavaScript object ("constructor") as ordinary words', () => {
    expect(normalise('Constructor wanted, __proto__ toString').text).toBe('constructor wanted, __proto__ tostring');
    expect(stem('constructor')).toBe('constructor');
  });

  it('normalises a text longer than its buffers (they grow) as its start', () => {
    const part = 'Dibutuhkan CS 🔥 utk Kamboja!!! Gaji 12jt/bln, tnp pglmn. ';
    const n = normalise(part.repeat(300));
    expect(n.text.length).toBeGreaterThan(10_000);
    expect(n.text.startsWith(normalise(part).text)).toBe(true);
  });

  it('reads the model\'s words as /[a-z][a-z0-9]*/g does, telling which are whole runs of \\w characters', () => {
    const t = 'gaji 12jt, abc_def x2y 9lagi kerja';
    const whole: number[] = [];
    expect(modelWords(t, whole)).toEqual(t.match(/[a-z][a-z0-9]*/g));
    expect(whole).toEqual([1, 0, 0, 0, 1, 0, 1]);
  });

  it('stems Indonesian words but protects over-stemmed ones such as pengalaman', () => {
    expect(stem('pengalaman')).toBe('pengalaman');
    expect(stem('berpengalaman')).toBe('pengalaman');
    expect(stem('dipotong')).toBe('potong');
    expect(stem('keberangkatan')).toBe('berangkat');
    expect(modelTokens('tidak perlu pengalaman')).toContain('tidak_perlu');
  });
});

describe('money, phone numbers and links', () => {
  const money = (s: string) => extractMoney(normalise(s).text);

  it.each([
    ['gaji Rp 12jt/bln', 12_000_000, 'IDR'],
    ['gaji 12.000.000 per bulan', 12_000_000, 'IDR'],
    ['gaji 1,5 juta', 1_500_000, 'IDR'],
    ['salary 800 USD', 800, 'USD'],
    ['gaji $1,200/month', 1200, 'USD'],
    ['gaji RM 1.800', 1800, 'MYR'],
    ['gaji NT$ 28.590', 28590, 'TWD'],
    ['gaji ¥180,000', 180000, 'JPY'],
    ['gaji SGD 600', 600, 'SGD'],
    ['gaji HK$4,990', 4990, 'HKD'],
    ['gaji 2.000 dirham', 2000, 'AED'],
  ])('reads %s as %d %s', (text, amount, currency) => {
    const m = money(text)[0];
    expect(m?.amount).toBe(amount);
    expect(m?.currency).toBe(currency);
  });

  it('converts pay to rupiah per month, counting daily and hourly rates', () => {
    const usd = money('gaji 1000 USD per bulan')[0];
    expect(usd?.perMonthIdr).toBeGreaterThan(15_000_000);
    const daily = money('upah RM 100 sehari')[0];
    expect(daily?.perMonthIdr).toBeGreaterThan(money('upah RM 100 sebulan')[0]!.perMonthIdr!);
  });

  it('reads the pay period written before the number as well as after it, and pay per task', () => {
    const daily = money('gaji harian: Rp 200.000 - 2.000.000')[0]!;
    expect(daily.per).toBe('day');
    expect(daily.perMonthIdr).toBe(2_000_000 * 26);
    expect(money('your daily earnings can grow to $500')[0]?.per).toBe('day');
    expect(money('weekly pay of $600')[0]?.per).toBe('week');
    expect(money('earn $600 weekly')[0]?.per).toBe('week');
    const task = money('$300 per task')[0]!;
    expect(task.per).toBe('task');
    expect(task.idr).toBe(300 * 16610);
    expect(money('komisi Rp 50.000 per tugas')[0]?.per).toBe('task');
    // a period word that is not the pay's: "kerja harian" is the kind of work, the pay is monthly
    expect(money('kerja harian, gaji Rp 4.500.000')[0]?.per).toBeUndefined();
  });

  it('reads a like, rating or review as the pay\'s period only after "per", "/", "a", "each" or "setiap": in "review per tahun" the word begins the next phrase', () => {
    expect(money('gaji rp 4.500.000 review per tahun. hrd department pt maju jaya')[0]?.per).not.toBe('task');
    expect(money('gaji rp 4.500.000 rating kinerja tahunan')[0]?.per).toBeUndefined();
    expect(money('komisi rp 5.000 per like')[0]?.per).toBe('task');
    expect(money('bayaran rp 10.000 setiap ulasan')[0]?.per).toBe('task');
    expect(money('$2 a review')[0]?.per).toBe('task');
  });

  it('takes the top of a pay range', () => {
    expect(money('gaji 8-12 juta')[0]?.amount).toBe(12_000_000);
  });

  it('does not read a phone number as money', () => {
    expect(money('hubungi 081234567890')).toHaveLength(0);
  });

  it('finds Indonesian and international phone numbers in a normal form', () => {
    const p = extractPhones('WA 0812-3456-7890 atau +855 12 345 678').map((x) => x.value);
    expect(p).toContain('+6281234567890');
    expect(p).toContain('+85512345678');
  });

  it('finds links including wa.me and t.me', () => {
    const l = extractLinks('daftar di https://bit.ly/xyz atau wa.me/628123 dan t.me/lokerasia').map((x) => x.value);
    expect(l).toEqual(expect.arrayContaining(['https://bit.ly/xyz', 'wa.me/628123', 't.me/lokerasia']));
  });

  it('links found around their hints are exactly those one scan of the whole text finds, on 100,000 random texts', () => {
    // Texts made of the pieces links are made of (schemes, dots, slashes, e-mail signs, the characters that end a run).
    const pieces = ['a', 'b', 'x', '.', '-', '/', ':', 'w', 'h', 't', 'p', 's', ' ', '(', ')', '"', "'", '<', '>', '@', '1', '0', '\n', '.com', '.id', '.co.id', 'wa.me/', 'http://', 'https://', 'www.', 'bit.ly/'];
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let withLinks = 0;
    for (let i = 0; i < 100_000; i++) {
      let t = '';
      for (let k = Math.floor(next() * 30); k > 0; k--) t += pieces[Math.floor(next() * pieces.length)];
      const hinted = extractLinks(t);
      expect(hinted, JSON.stringify(t)).toEqual(extractLinksByScan(t));
      if (hinted.length) withLinks++;
    }
    expect(withLinks).toBeGreaterThan(10_000);
  });

  it('bank accounts are looked for only after an account word', () => {
    expect(extractAccounts('Transfer ke rekening BCA 1234567890 a.n. PT Maju')).toEqual(['1234567890']);
    expect(extractAccounts('Virtual Account: 8808 1234 5678')).toEqual(['880812345678']);
    expect(extractAccounts('Hubungi 1234567890 untuk info gaji')).toEqual([]);
  });

  it('a number right after a bank named as where to pay is an account, dashed or spaced, and never a phone; a sum, a year or a name is not a bank', () => {
    const text = 'Biaya Rp 500.000 transfer ke BRI 0123-01-234567-50-1 a.n. Siti, atau via BCA 8720 123 456. Konfirmasi WA 081234567890.';
    expect(extractAccounts(text)).toEqual(['012301234567501', '8720123456']);
    expect(extractPhones(text).map((p) => p.value)).toEqual(['+6281234567890']);
    // Sums without dots, years and dates are not accounts; a phone after a year is still a phone.
    expect(extractAccounts('Gaji BNI 12000000, bonus BCA 1000000000, Bank BRI 20250115 lowongan')).toEqual([]);
    const year = 'Lowongan BRI 2024 0812 3456 7890';
    expect(extractAccounts(year)).toEqual([]);
    expect(extractPhones(year).map((p) => p.value)).toEqual(['+6281234567890']);
    // "Permata", "Dana", "mandiri" alone are names and words, not banks: the number after them is a phone.
    expect(extractPhones('Hubungi Pak Dana 081234567890 atau Bu Permata 081298765432, kerja mandiri 081311112222').map((p) => p.value)).toEqual(['+6281234567890', '+6281298765432', '+6281311112222']);
    expect(extractAccounts('Transfer ke Bank Mandiri 1230004567890 a.n. PT Maju')).toEqual(['1230004567890']);
    // An e-wallet's account is its owner's phone number: a phone, so the same WhatsApp number is known.
    const pesos = 'Placement fee only 15,000 pesos payable via GCash to 09171234567. Contact Ms. Joy on WhatsApp +971 50 123 4567';
    expect(extractAccounts(pesos)).toEqual([]);
    expect(extractPhones(pesos).map((p) => p.value)).toEqual(['+639171234567', '+971501234567']);
    expect(extractPhones('Bayar lewat DANA 081234567890').map((p) => p.value)).toEqual(['+6281234567890']);
  });
});
