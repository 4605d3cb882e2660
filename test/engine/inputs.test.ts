import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReferenceData } from '../../src/content/data.js';
import { parseCountry, parseDate, parseInput, parsePhone, parseRegion, parseYesNo } from '../../src/engine/inputs.js';
import { step } from '../../src/engine/step.js';
import { newSession, type Session } from '../../src/engine/types.js';
import { bundleFrom, COUNTRIES, WORLD } from '../helpers/bundle.js';
import { ROOT } from '../helpers/cli.js';

const NOW = Date.UTC(2026, 10, 25);

describe('input validation', () => {
  it.each([
    ['0812-3456-7890', '+6281234567890'], ['+60 12-345 6789', '+60123456789'], ['62 812 3456 7890', '+6281234567890'],
    ['(021) 555 0199', '+62215550199'], ['0060123456789', '+60123456789'],
  ])('phone %s becomes %s', (typed, e164) => {
    expect(parsePhone(typed)).toEqual({ ok: true, value: e164 });
  });

  it.each(['12345', 'abc', '+1', '0812345678901234567', 'telepon saya'])('phone "%s" is refused', (typed) => {
    expect(parsePhone(typed).ok).toBe(false);
  });

  it.each([
    ['17-08-2024', '2024-08-17'], ['17/8/2024', '2024-08-17'], ['2024-08-17', '2024-08-17'], ['17 Agustus 2024', '2024-08-17'],
    ['17 agt 2024', '2024-08-17'], ['August 17, 2024', '2024-08-17'], ['1 Mei 2025', '2025-05-01'],
  ])('date %s becomes %s', (typed, iso) => {
    expect(parseDate(typed, NOW)).toEqual({ ok: true, value: iso });
  });

  it('refuses impossible and future dates', () => {
    expect(parseDate('31-02-2024', NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(parseDate('kemarin', NOW)).toEqual({ ok: false, reason: 'format' });
    expect(parseDate('1 Januari 2030', NOW)).toEqual({ ok: false, reason: 'future' });
    expect(parseDate('1 Januari 2030', null)).toEqual({ ok: true, value: '2030-01-01' });
  });

  it('knows countries by code, either name and small typos', () => {
    expect(parseCountry('kh', COUNTRIES)).toEqual({ ok: true, value: 'KH' });
    expect(parseCountry('Kamboja', COUNTRIES)).toEqual({ ok: true, value: 'KH' });
    expect(parseCountry('CAMBODIA!', COUNTRIES)).toEqual({ ok: true, value: 'KH' });
    expect(parseCountry('Malasya', COUNTRIES)).toEqual({ ok: true, value: 'MY' });
    expect(parseCountry('Mars', COUNTRIES).ok).toBe(false);
  });

  it('a phone number with the words that label it ("WA 0812…", "no hp: 0812…", "0812… (wa)") is taken; two numbers, or a name with it, are refused', () => {
    for (const typed of ['wa 081234567890', '081234567890 (wa)', 'no hp 0812-3456-7890', 'nomor saya 081234567890', 'WhatsApp: +62 812 3456 7890']) {
      expect(parseInput({ type: 'phone' }, typed, NOW, []), typed).toEqual({ ok: true, value: '+6281234567890' });
    }
    for (const typed of ['+62 812 3456 7890 / 0813 1111 2222', 'ibu 081234567890', 'tidak ada']) expect(parseInput({ type: 'phone' }, typed, NOW, []).ok, typed).toBe(false);
    // a label between digits stands between two numbers: they are not joined into one
    for (const typed of ['WA 0812345 HP 081234', 'hp 0812 3456 wa 789', 'no 0812 3456 7890 no 12']) expect(parseInput({ type: 'phone' }, typed, NOW, []).ok, typed).toBe(false);
  });

  it('a country named in a short answer with other words ("di Malaysia", "sekarang di Kamboja") is that country; two countries, or none, are refused', () => {
    const { countries } = loadReferenceData(join(ROOT, 'data'));
    for (const [typed, code] of [
      ['di malaysia', 'MY'], ['ke Taiwan', 'TW'], ['sekarang di Kamboja', 'KH'], ['dia di arab saudi', 'SA'], ['in Malaysia', 'MY'],
      ['Kuala Lumpur, Malaysia', 'MY'], ['di uni emirat arab', 'AE'],
    ] as const) expect(parseCountry(typed, countries), typed).toEqual({ ok: true, value: code });
    expect(parseCountry('mau ke Jepang', countries)).toEqual({ ok: true, value: 'JP' });
    for (const typed of ['malaysia atau thailand', 'dari indonesia ke malaysia', 'di sana', 'kerja di pabrik', 'tidak di Malaysia lagi', 'dulu Malaysia']) expect(parseCountry(typed, countries), typed).toEqual({ ok: false, reason: 'unknown_country' });
  });

  it('the English word "as" among other words is no country (the United States\' "AS" is, in capitals)', () => {
    const { countries } = loadReferenceData(join(ROOT, 'data'));
    for (const typed of ['as a maid', 'same as me']) expect(parseCountry(typed, countries), typed).toEqual({ ok: false, reason: 'unknown_country' });
    for (const [typed, code] of [['she works as a maid in Malaysia', 'MY'], ['Saudi, as a maid', 'SA'], ['kerja di AS', 'US']] as const) {
      expect(parseCountry(typed, countries), typed).toEqual({ ok: true, value: code });
    }
  });

  it('a typo goes to the closest country, and one as close to two countries is refused', () => {
    const list = [
      { code: 'AU', names: ['Australia', 'Australia'] },
      { code: 'AT', names: ['Austria', 'Austria'] },
      { code: 'PL', names: ['Polandia', 'Poland'] },
      { code: 'NL', names: ['Belanda', 'Netherlands', 'Holland'] },
    ];
    expect(parseCountry('Austria', list)).toEqual({ ok: true, value: 'AT' });
    expect(parseCountry('Australiia', list)).toEqual({ ok: true, value: 'AU' });
    expect(parseCountry('Austrlia', list)).toEqual({ ok: false, reason: 'unknown_country' });
    expect(parseCountry('Holland', list)).toEqual({ ok: true, value: 'NL' });
    expect(parseCountry('Hollad', list)).toEqual({ ok: true, value: 'NL' });
    expect(parseCountry('Poland', list)).toEqual({ ok: true, value: 'PL' });
  });

  it.each([['ya', true], ['Iyaa', true], ['YES', true], ['ok', true], ['tidak', false], ['gak', false], ['Nggak', false], ['no', false]])(
    'yes/no "%s" is %s',
    (typed, value) => {
      expect(parseYesNo(typed)).toEqual({ ok: true, value });
    },
  );

  it('text: enforces length, needs letters or digits, and applies the pattern', () => {
    expect(parseInput({ type: 'text', max: 5 }, 'abcdef', NOW, [])).toEqual({ ok: false, reason: 'too_long' });
    expect(parseInput({ type: 'text' }, '🙂🙂', NOW, [])).toEqual({ ok: false, reason: 'no_letters' });
    expect(parseInput({ type: 'text' }, '   ', NOW, [])).toEqual({ ok: false, reason: 'empty' });
    expect(parseInput({ type: 'text', pattern: '^[A-Z]\\d+$' }, 'B123', NOW, [])).toEqual({ ok: true, value: 'B123' });
    expect(parseInput({ type: 'text', pattern: '^[A-Z]\\d+$' }, 'b', NOW, [])).toEqual({ ok: false, reason: 'pattern' });
    expect(parseInput({ type: 'text' }, 'Siti 🙂', NOW, [])).toEqual({ ok: true, value: 'Siti 🙂' });
  });

  it('number: parses decimals with a comma and checks bounds', () => {
    expect(parseInput({ type: 'number' }, '3,5', NOW, [])).toEqual({ ok: true, value: 3.5 });
    expect(parseInput({ type: 'number', max: 10 }, '11', NOW, [])).toEqual({ ok: false, reason: 'too_large' });
    expect(parseInput({ type: 'number' }, 'lima', NOW, [])).toEqual({ ok: false, reason: 'format' });
  });

  it('yes and no with words of politeness around them ("iya kak", "tidak pak", "yes please", "no thanks") are yes and no; "tidak tahu kak" is neither', () => {
    for (const typed of ['iya kak', 'boleh kak', 'yes please', 'siap pak']) expect(parseInput({ type: 'yesno' }, typed, NOW, []), typed).toEqual({ ok: true, value: true });
    for (const typed of ['tidak pak', 'gak kak', 'no thanks', 'no thank you']) expect(parseInput({ type: 'yesno' }, typed, NOW, []), typed).toEqual({ ok: true, value: false });
    for (const typed of ['tidak tahu kak', 'kak', 'ya tidak', 'terima kasih']) expect(parseInput({ type: 'yesno' }, typed, NOW, []).ok, typed).toBe(false);
  });

  it('number: takes an age as families write it, with its unit or a guess around it, and nothing that says something else', () => {
    const age = { type: 'number', min: 1, max: 120 } as const;
    for (const [typed, value] of [
      ['30 tahun', 30], ['umur 30', 30], ['sekitar 25-an', 25], ['kira-kira 40 thn', 40], ['kira2 27', 27], ['30an', 30],
      ['about 30 years old', 30], ['She is 24.', 24], ['24 y.o.', 24], ['± 35', 35],
    ] as const) expect(parseInput(age, typed, NOW, []), typed).toEqual({ ok: true, value });
    // years ago, months, two numbers, a sentence about something else: not an age
    for (const typed of ['30 tahun lalu', '3 bulan', '30 or 31', 'umur 30, tinggal di Malang', 'u30']) expect(parseInput(age, typed, NOW, []), typed).toEqual({ ok: false, reason: 'format' });
    expect(parseInput(age, '130 tahun', NOW, [])).toEqual({ ok: false, reason: 'too_large' });
    // with words of politeness, as yes and no take them
    for (const typed of ['umur 30 kak', '30 tahun pak', 'about 30 please']) expect(parseInput(age, typed, NOW, []), typed).toEqual({ ok: true, value: 30 });
    expect(parseInput(age, '30 tahun lalu kak', NOW, [])).toEqual({ ok: false, reason: 'format' });
  });
});

describe('the region input (provinces of Indonesia, data/regions.yaml)', () => {
  const { regions } = loadReferenceData(join(ROOT, 'data'));

  it.each([
    ['Nusa Tenggara Barat', 'NB'], ['ntb', 'NB'], ['NTT', 'NT'], ['Jatim', 'JI'], ['jawa timur', 'JI'], ['East Java', 'JI'], ['JABAR', 'JB'],
    ['DIY', 'YO'], ['Jogja', 'YO'], ['Jakarta', 'JK'], ['DKI Jakarta', 'JK'], ['Lombok', 'NB'], ['Kalbar', 'KB'], ['Papua Barat Daya', 'PD'],
    ['Papua Barat', 'PB'], ['Papua', 'PA'], ['Sulawesi Selatan', 'SN'], ['Indramayu', 'JB'],
  ])('"%s" is %s, by its name or a name people use', (typed, code) => {
    expect(parseRegion(typed, regions)).toEqual({ ok: true, value: code });
  });

  it.each([
    ['Jawa Timr', 'JI'], ['Nusa Tengara Barat', 'NB'], ['Kalimantan Barrat', 'KB'], ['Sumatra Utara', 'SU'], ['Yogyakrta', 'YO'], ['Papua Barat Day', 'PD'],
  ])('a small typo "%s" is read as %s, the one province it is closest to', (typed, code) => {
    expect(parseRegion(typed, regions)).toEqual({ ok: true, value: code });
  });

  it.each([
    // One letter from both Sumut and Sulut, from both Sumbar and Sulbar: neither is guessed.
    ['Suxut'], ['Suxbar'],
    // Islands and halves of names that are several provinces.
    ['Sulawesi'], ['Kalimantan'], ['Jawa'], ['Nusa Tenggara'], ['Sumatera'],
    // Not a province; and bare ISO codes, which few people know, are not taken.
    ['Mars'], ['Malaysia'], ['KT'], ['SB'],
  ])('"%s" is refused: ambiguous or unknown', (typed) => {
    expect(parseRegion(typed, regions)).toEqual({ ok: false, reason: 'unknown_region' });
  });

  it('parseInput reads the region type from the list it is given', () => {
    expect(parseInput({ type: 'region' }, 'NTB', NOW, COUNTRIES, regions)).toEqual({ ok: true, value: 'NB' });
    expect(parseInput({ type: 'region' }, 'NTB', NOW, COUNTRIES)).toEqual({ ok: false, reason: 'unknown_region' });
  });

  describe('in a flow', () => {
    const bundle = bundleFrom({
      ...WORLD,
      guide: `
spec_version: 1
id: guide
start: region
steps:
  region:
    type: input
    say: [g.region]
    input: { type: region, store: home }
    skip: skipped
    next: done
  done: { type: end, say: [{ key: g.home, vars: { home: "$home" } }] }
  skipped: { type: end, say: [g.skipped] }
`,
    });
    const T0 = Date.UTC(2026, 10, 25, 8, 0);
    const at = (s: Session, text: string) => step(bundle, s, { kind: 'text', text, at: T0 });
    const pick = (s: Session, id: string) => step(bundle, s, { kind: 'choice', id, turn: s.turn, at: T0 });
    const asked = () => {
      let s = newSession(T0);
      for (const t of ['hi', 'id', 'agree', 'guide']) s = at(s, t).session;
      return s;
    };

    it('asks with a skip button, and stores the province code', () => {
      const s = asked();
      expect(s.at).toEqual({ flow: 'guide', step: 'region' });
      const r = at(s, 'Jatim');
      expect(r.session.vars.home).toBe('JI');
      expect(r.replies.flatMap((x) => x.say)).toContainEqual({ key: 'g.home', vars: { home: 'JI' } });
    });

    it('a typo is taken, an ambiguous answer gets the hint and the question stays', () => {
      expect(at(asked(), 'Jawa Timr').session.vars.home).toBe('JI');
      const r = at(asked(), 'Suxut');
      expect(r.session.at).toEqual({ flow: 'guide', step: 'region' });
      expect(r.replies[0]!.say).toEqual([{ key: 'engine.hint.region', vars: { max: 500, reason: 'unknown_region' } }]);
      expect(r.replies[0]!.choices).toEqual([{ id: 'skip', label: 'common.skip' }]);
    });

    it('can be skipped by the button or by typing its number: nothing is stored', () => {
      for (const r of [pick(asked(), 'skip'), at(asked(), '1')]) {
        expect(r.session.vars.home).toBeNull();
        expect(r.replies.flatMap((x) => x.say)).toContainEqual({ key: 'g.skipped' });
      }
    });

    it('"I don\'t know" or "there is none" as people write them skips the question as the button does', () => {
      for (const typed of ['tidak tahu', 'gak tau', 'belum tahu', 'not sure', "I don't know", 'no idea', 'tidak ada', 'none']) {
        const r = at(asked(), typed);
        expect(r.session.vars.home, typed).toBeNull();
        expect(r.replies.flatMap((x) => x.say), typed).toContainEqual({ key: 'g.skipped' });
      }
      // an answer that is neither a place nor "none" gets the hint
      expect(at(asked(), 'pisang').session.at).toEqual({ flow: 'guide', step: 'region' });
    });

    it('after three answers it cannot read, a question that may be skipped is skipped (not the whole way back to the menu)', () => {
      let s = asked();
      for (const typed of ['Suxut', 'Qwerty']) {
        const r = at(s, typed);
        expect(r.replies[0]!.say).toEqual([{ key: 'engine.hint.region', vars: { max: 500, reason: 'unknown_region' } }]);
        s = r.session;
      }
      const r = at(s, 'Zzyzx');
      expect(r.replies.flatMap((x) => x.say).slice(0, 2)).toEqual([{ key: 'engine.skipped_after_failures' }, { key: 'g.skipped' }]);
      expect(r.session.vars.home).toBeNull();
      expect(r.session.failures).toBe(0);
    });
  });
});
