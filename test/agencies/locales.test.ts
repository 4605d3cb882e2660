import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const load = (lang: string) => JSON.parse(readFileSync(`${ROOT}/locales/${lang}/agencies.json`, 'utf8')) as Record<string, string>;
const locales = { id: load('id'), en: load('en') };

describe('the agency texts in both languages', () => {
  it('have the same keys, each with the same values to fill in', () => {
    expect(Object.keys(locales.en).sort()).toEqual(Object.keys(locales.id).sort());
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(locales.id)) expect(vars(locales.en[key]!), key).toEqual(vars(locales.id[key]!));
  });

  for (const [lang, texts] of Object.entries(locales)) {
    it(`${lang}: contain no phone numbers, URLs or citations of laws (those live in data/, with their sources)`, () => {
      const all = JSON.stringify(texts);
      expect(all).not.toMatch(/https?:\/\/|www\.|\.go\.id|\.com\b/);
      expect(all).not.toMatch(/\+?\d[\d\s-]{6,}\d/);
      expect(all).not.toMatch(/\b(?:UU|Undang-Undang|Law|Permen\w*|Kepmen\w*|Perban|pasal|article|art\.)\s*(?:No\.?\s*)?\d/i);
    });
  }
});
