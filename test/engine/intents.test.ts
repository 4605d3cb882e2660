import { describe, expect, it } from 'vitest';
import { langFromHint, matchIntent } from '../../src/engine/intents.js';

describe('global intent matching', () => {
  it.each([
    ['tolong', 'emergency'], ['Tolong!!!', 'emergency'], ['toloooong', 'emergency'], ['tolomg', 'emergency'], ['darurat', 'emergency'],
    ['daruratt', 'emergency'], ['help', 'emergency'], ['HELP ME', 'emergency'], ['sos', 'emergency'], ['S.O.S', null], ['🆘 tolong 🆘', 'emergency'],
    ['minta tolong cepat', 'emergency'], ['menu', 'menu'], ['Menu utama', 'menu'], ['back to menu', 'menu'], ['bahasa', 'language'],
    ['Language', 'language'], ['langauge', 'language'], ['stop', 'stop'], ['Berhenti', 'stop'], ['hapus data', 'forget'], ['Delete my data', 'forget'],
    ['hapus data saya', 'forget'], ['/start', 'start'], ['/start@WaspadaBot', 'start'], ['/menu', 'menu'], ['/hapus', 'forget'], ['/help', 'emergency'],
    ['mulai', 'start'], ['bahaya', 'emergency'], ['bahsa', 'language'],
  ])('"%s" is %s', (text, intent) => {
    expect(matchIntent(text)).toBe(intent);
  });

  it.each(['hello', 'helo', 'halo', 'tolong cek lowongan ini', 'Menunggu kabar', 'stok habis', 'Stopa', 'darat', '1', '', '   ', '🙂🙂🙂', '/unknowncommand'])(
    '"%s" is no intent',
    (text) => {
      expect(matchIntent(text)).toBeNull();
    },
  );

  it('finds a plea for help inside a long message, but not the word "darurat" in an offer', () => {
    expect(matchIntent('Kak saya di Kamboja, paspor ditahan bos, tolong saya pulang')).toBe('emergency');
    expect(matchIntent('I was sold to a company here and I am in danger, please help')).toBe('emergency');
    expect(matchIntent('Lowongan admin: isi formulir, nama, alamat, kontak darurat keluarga, kirim ke HRD')).toBeNull();
    expect(matchIntent('x'.repeat(5000) + ' tolong saya')).toBe('emergency');
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
