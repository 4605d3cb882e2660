import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FLAG_IDS, ADVICE_IDS, NOTE_IDS } from '../../src/checker/index.js';
import { REPO_ROOT } from '../../src/checker/facts.js';

interface LocaleFile {
  flag: Record<string, { title: string; explain: string }>;
  advice: Record<string, string>;
  note: Record<string, string>;
  risk: Record<string, string>;
}
const load = (lang: string) => JSON.parse(readFileSync(path.join(REPO_ROOT, 'locales', lang, 'checker.json'), 'utf8')) as LocaleFile;
const locales = { id: load('id'), en: load('en') };

describe('checker texts in both languages', () => {
  for (const [lang, loc] of Object.entries(locales)) {
    it(`${lang}: every flag id has a title and an explanation`, () => {
      for (const id of FLAG_IDS) {
        expect(loc.flag[id]?.title, `${lang} flag.${id}.title`).toBeTruthy();
        expect(loc.flag[id]?.explain, `${lang} flag.${id}.explain`).toBeTruthy();
      }
    });
    it(`${lang}: every advice, note and risk level has text`, () => {
      for (const id of ADVICE_IDS) expect(loc.advice[id], `${lang} advice.${id}`).toBeTruthy();
      for (const id of NOTE_IDS) expect(loc.note[id], `${lang} note.${id}`).toBeTruthy();
      for (const r of ['low', 'medium', 'high']) expect(loc.risk[r], `${lang} risk.${r}`).toBeTruthy();
    });
    it(`${lang}: has no keys the checker does not use`, () => {
      expect(Object.keys(loc.flag).sort()).toEqual([...FLAG_IDS].sort());
      expect(Object.keys(loc.advice).sort()).toEqual([...ADVICE_IDS].sort());
      expect(Object.keys(loc.note).sort()).toEqual([...NOTE_IDS].sort());
    });
    it(`${lang}: contains no phone numbers, URLs or citations of laws`, () => {
      const all = JSON.stringify(loc);
      expect(all).not.toMatch(/https?:\/\/|www\.|\.go\.id|\.com\b/);
      expect(all).not.toMatch(/\+?\d[\d\s-]{6,}\d/);
      expect(all).not.toMatch(/\b(?:UU|Undang-Undang|Law|Permen\w*|Kepmen\w*|Perban|pasal|article|art\.)\s*(?:No\.?\s*)?\d/i);
    });
  }
});
