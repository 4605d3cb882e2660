import { describe, expect, it } from 'vitest';
import { emergencySignal, langFromHint, matchIntent, mightBeUrgent } from '../../src/engine/intents.js';

describe('global intent matching', () => {
  it.each([
    ['tolong', 'emergency'], ['Tolong!!!', 'emergency'], ['toloooong', 'emergency'], ['tolomg', 'emergency'], ['darurat', 'emergency'],
    ['daruratt', 'emergency'], ['help', 'emergency'], ['HELP ME', 'emergency'], ['sos', 'emergency'], ['S.O.S', 'emergency'], ['s o s', 'emergency'], ['🆘', 'emergency'], ['🆘 tolong 🆘', 'emergency'],
    ['minta tolong cepat', 'emergency'], ['menu', 'menu'], ['Menu utama', 'menu'], ['back to menu', 'menu'], ['bahasa', 'language'],
    ['Language', 'language'], ['langauge', 'language'], ['stop', 'stop'], ['Berhenti', 'stop'], ['hapus data', 'forget'], ['Delete my data', 'forget'],
    ['hapus data saya', 'forget'], ['/start', 'start'], ['/start@WaspadaBot', 'start'], ['/menu', 'menu'], ['/hapus', 'forget'], ['/help', 'emergency'],
    ['mulai', 'start'], ['bahaya', 'emergency'], ['bahsa', 'language'],
    ['unsubscribe', 'stop'], ['berhenti langganan', 'stop'], ['/stop', 'stop'], ['/status', 'subscription'], ['/status@WaspadaBot', 'subscription'],
    ['status langganan', 'subscription'], ['Langganan saya', 'subscription'], ['my subscription', 'subscription'], ['status langgnan', 'subscription'],
  ])('"%s" is %s', (text, intent) => {
    expect(matchIntent(text)).toBe(intent);
  });

  it.each(['hello', 'helo', 'halo', 'tolong cek lowongan ini', 'Menunggu kabar', 'stok habis', 'Stopa', 'darat', '1', '', '   ', '🙂🙂🙂', '/unknowncommand'])(
    '"%s" is no intent',
    (text) => {
      expect(matchIntent(text)).toBeNull();
    },
  );

  it.each([
    'Kak saya di Kamboja, paspor ditahan bos, tolong saya pulang',
    'I was sold to a company here and I am in danger, please help',
    'tolong, paspor saya ditahan majikan',
    'help, my boss took my passport',
    'darurat saya dikurung',
    'saya disekap tolong',
    'tolongg kak saya ditipu agen',
    'tolong dong',
    'Tolong bantu saya keluar dari sini',
    'please help me',
  ])('the plea "%s" is an emergency', (text) => {
    expect(matchIntent(text)).toBe('emergency');
  });

  it.each([
    'Lowongan admin: isi formulir, nama, alamat, kontak darurat keluarga, kirim ke HRD',
    'Tolong share lowongan ini ya',
    'HELP WANTED: waiters for a restaurant in Penang',
    'PT SOS Indonesia membuka lowongan security',
    'Lowongan kerja di Malaysia gaji 12 juta. Please help share. Hub 081234567',
    'Lowongan kerja di Malaysia. Tolong kami carikan 20 orang',
    'bisa tolong jelaskan ini?',
    'tolong dicek ya kak lowongan ini',
  ])('the request "%s" is no emergency', (text) => {
    expect(matchIntent(text)).toBeNull();
    expect(emergencySignal(text)).toBeNull();
  });

  it('a long text with a plea in it raises an alert instead of interrupting, so that it can still be handled', () => {
    const offer = 'Lowongan CS di Kamboja, gaji 15 juta, berangkat pakai visa turis. '.repeat(6);
    expect(matchIntent(`${offer} Tolong saya, paspor saya ditahan.`)).toBeNull();
    expect(emergencySignal(`${offer} Tolong saya, paspor saya ditahan.`)).toBe('alert');
    expect(emergencySignal('x'.repeat(5000) + ' tolong saya')).toBe('alert');
    expect(emergencySignal(`${offer} Tolong hubungi admin.`)).toBeNull();
  });
});

describe('global intents with words of politeness around them', () => {
  it('"menu kak", "stop dong", "hapus data saya kak", "menu please", "balik ke menu" are those intents', () => {
    const cases: [string, string][] = [
      ['menu kak', 'menu'], ['menu dong', 'menu'], ['menu please', 'menu'], ['kembali ke menu kak', 'menu'], ['balik ke menu', 'menu'], ['ke menu', 'menu'],
      ['stop kak', 'stop'], ['hapus data saya kak', 'forget'], ['bahasa dong', 'language'], ['mulai lagi kak', 'start'],
    ];
    for (const [text, intent] of cases) expect(matchIntent(text), text).toBe(intent);
  });

  it('politeness alone, or with another word, is none: "kak", "ok kak", "terima kasih kak", "mas"', () => {
    for (const text of ['kak', 'ok kak', 'terima kasih kak', 'mas', 'siti kak']) expect(matchIntent(text), text).toBeNull();
  });
});

describe('the first look before a message is queued (mightBeUrgent)', () => {
  it('catches every plea the full reading takes as one, words with doubled letters and a passport taken included', () => {
    for (const plea of ['I am trapped', 'they kidnapped my sister', 'his boss took his passport and he cannot leave the house', 'paspornya ditahan majikan', 'toloooong', 'S.O.S']) {
      expect(mightBeUrgent(plea), plea).toBe(true);
      expect(matchIntent(plea), plea).toBe('emergency');
    }
    for (const plain of ['hello', 'menu', 'keluar', 'lowongan kerja di Taiwan']) expect(mightBeUrgent(plain), plain).toBe(false);
  });
  it('catches the harm and plea phrases that hold none of the plea words ("saya tidak boleh keluar rumah", "gaji saya tidak dibayar")', () => {
    for (const plea of [
      'saya tidak boleh keluar rumah', 'gaji saya tidak dibayar', 'paspor saya di tahan majikan',
      'I have not been paid', 'no food for three days', 'saya butuh bantuan', 'selamatkan saya', 'save me', 'saya mau pulang', 'we are not allowed to leave',
    ]) {
      expect(matchIntent(plea), plea).toBe('emergency');
      expect(mightBeUrgent(plea), plea).toBe(true);
    }
    for (const plain of ['saya keluar', 'gaji dibayar tiap bulan', 'bantuan sosial', 'pulang kampung']) expect(mightBeUrgent(plain), plain).toBe(false);
  });
});

describe('language hints', () => {
  it.each([['id', 'id'], ['id-ID', 'id'], ['in', 'id'], ['ms', 'id'], ['jv', 'id'], ['en', 'en'], ['en-GB', 'en'], ['zh-hans', null], ['', null], [null, null]])(
    '%s means %s',
    (hint, lang) => {
      expect(langFromHint(hint)).toBe(lang);
    },
  );
});
