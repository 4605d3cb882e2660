import { describe, expect, it } from 'vitest';
import { parseCountry, parseDate, parseInput, parsePhone, parseYesNo } from '../../src/engine/inputs.js';
import { COUNTRIES } from '../helpers/bundle.js';

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
});
