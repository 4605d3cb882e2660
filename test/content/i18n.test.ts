import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTexts } from '../../src/i18n/index.js';
import { ROOT } from '../helpers/cli.js';

const texts = loadTexts(`${ROOT}/locales`);

describe('texts', () => {
  it('uses English plural forms for English and the single form Indonesian has', () => {
    expect(texts.t('en', 'engine.hint.choice', { count: 1 })).toBe('Reply with the number 1 or press the button.');
    expect(texts.t('en', 'engine.hint.choice', { count: 4 })).toBe('Reply with a number from 1 to 4, or press one of the buttons.');
    expect(texts.t('id', 'engine.hint.choice', { count: 4 })).toBe('Balas dengan angka 1 sampai 4, atau tekan salah satu tombol.');
  });

  it('inserts values as they are: no HTML escaping, and no interpolation inside a value', () => {
    expect(texts.t('en', 'engine.hint.text', { max: '<b>{{count}}</b> & "x"' })).toBe('Please write your answer in words, at most <b>{{count}}</b> & "x" characters.');
  });

  it('gives the right text however often a text is asked for, and whatever came before: plurals by count, values as given', () => {
    for (const round of [1, 2, 3]) {
      expect(texts.t('en', 'engine.hint.choice', { count: 1 })).toBe('Reply with the number 1 or press the button.');
      expect(texts.t('en', 'engine.hint.choice', { count: 4 })).toBe('Reply with a number from 1 to 4, or press one of the buttons.');
      expect(texts.t('en', 'engine.hint.choice', { count: round + 4 })).toBe(`Reply with a number from 1 to ${round + 4}, or press one of the buttons.`);
      expect(texts.t('id', 'engine.hint.choice', { count: 1 })).toBe('Balas dengan angka 1 sampai 1, atau tekan salah satu tombol.');
      // A string value is inserted afresh every time (texts with strings in them are never kept).
      expect(texts.t('en', 'engine.hint.text', { max: `x${round}` })).toBe(`Please write your answer in words, at most x${round} characters.`);
      expect(texts.t('en', 'engine.hint.text', { max: round })).toBe(`Please write your answer in words, at most ${round} characters.`);
    }
    expect(texts.t('en', 'engine.stale')).toBe(texts.t('en', 'engine.stale', {}));
    expect(texts.t('en', 'engine.stale')).not.toBe(texts.t('id', 'engine.stale'));
  });

  it('indexes every key with the file and line it is on', () => {
    const index = texts.index('id');
    expect(index.keys.has('engine.hint.choice')).toBe(true);
    // the line its first form ("choice_one") is written on, read from the file itself
    const line = readFileSync(`${ROOT}/locales/id/engine.json`, 'utf8').split('\n').findIndex((l) => l.includes('"choice_one"')) + 1;
    expect(line).toBeGreaterThan(1);
    expect(index.file('engine.hint.choice')).toEqual({ file: `${ROOT}/locales/id/engine.json`, line });
  });
});
