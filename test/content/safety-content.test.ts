import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { LANGS } from '../../src/engine/types.js';
import { ROOT } from '../helpers/cli.js';

const content = loadContent();

function localeStrings(): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  const walk = (where: string, v: unknown) => {
    if (typeof v === 'string') out.push({ where, text: v });
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(`${where}.${k}`, x);
  };
  for (const lang of LANGS) {
    for (const f of readdirSync(join(ROOT, 'locales', lang))) walk(`${lang}/${f}`, JSON.parse(readFileSync(join(ROOT, 'locales', lang, f), 'utf8')));
  }
  return out;
}

describe('safety content lives only in reviewed data files', () => {
  const strings = localeStrings();

  it('no text in locales contains a phone number or short code (3+ digits that are not a year)', () => {
    const bad = strings.filter(({ text }) =>
      [...text.matchAll(/(?<![\p{L}\d])\+?\d[\d .\-()]*\d(?![\p{L}\d])/gu)].some((m) => {
        const digits = m[0].replace(/\D/g, '');
        return digits.length >= 3 && !/^(19|20)\d\d$/.test(digits);
      }),
    );
    expect(bad).toEqual([]);
  });

  it('no text in locales contains a web or e-mail address', () => {
    expect(strings.filter(({ text }) => /https?:\/\/|www\.|\b[\w-]+\.(go\.id|com|org|net|id)\b|@[\w-]+\./i.test(text))).toEqual([]);
  });

  it('no text in locales cites a law or regulation (those are facts with sources)', () => {
    expect(strings.filter(({ text }) => /\b(UU|Undang-Undang|Pasal|Law No|Article \d|Kepmenaker|Permenaker|Perban|Peraturan [A-Z])/.test(text))).toEqual([]);
  });

  it('every contact and fact has a source address, a source title and a review date', () => {
    const entries = [...content.data.contacts.values(), ...content.data.facts.values()];
    expect(entries.length).toBeGreaterThan(10);
    for (const e of entries) {
      expect(e.source, e.id).toMatch(/^https?:\/\//);
      expect(e.source_title.length, e.id).toBeGreaterThan(5);
      expect(e.reviewed, e.id).toMatch(/^20\d\d-\d\d-\d\d$/);
    }
  });

  it('every contact has at least one way to reach it and names in both languages', () => {
    for (const c of content.data.contacts.values()) {
      expect(c.channels.length).toBeGreaterThan(0);
      expect(c.name.id && c.name.en).toBeTruthy();
    }
  });

  it('the emergency flow shows reviewed contacts in its first message', () => {
    const first = content.bundle.flows.get('emergency')!;
    const step = first.steps[first.start]!;
    const ids = step.say.flatMap((s: unknown) => (typeof s === 'object' && s && 'contacts' in s ? (s as { contacts: string[] }).contacts : []));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(content.data.contacts.get(id)?.topics).toContain('emergency');
  });

  it('renders a contact with its channels in the user’s language', () => {
    const c = content.data.contacts.get('kp2mi_complaints')!;
    const id = content.renderer.contact('id', c);
    const en = content.renderer.contact('en', c);
    expect(id.split('\n')[0]).toBe(c.name.id);
    expect(en.split('\n')[0]).toBe(c.name.en);
    for (const ch of c.channels) expect(id).toContain(ch.value);
  });
});
