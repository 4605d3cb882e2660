// Reviewed data files' own rules that their loaders do not check: missions' `serves` (contacts.yaml) and the
// shape promised in the header of data/indicators.yaml.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Contact, loadReferenceData } from '../../src/content/data.js';
import { ROOT } from '../helpers/cli.js';

const DATA = join(ROOT, 'data');

describe('a contact’s `serves` (the area of a consulate)', () => {
  const base = {
    id: 'kjri_somewhere',
    name: { id: 'KJRI Somewhere', en: 'Consulate General in Somewhere' },
    channels: [{ type: 'phone', value: '+60 10-000 0000' }],
    topics: ['abroad'],
    country: 'MY',
    source: 'https://example.org/kjri',
    source_title: 'Example page',
    reviewed: '2026-11-30',
  };

  it('is a list of place names, each once, on a contact that names its country', () => {
    expect(Contact.safeParse({ ...base, serves: ['Johor', 'Melaka'] }).success).toBe(true);
    expect(Contact.safeParse(base).success).toBe(true);
    expect(Contact.safeParse({ ...base, serves: [] }).success).toBe(false);
    expect(Contact.safeParse({ ...base, serves: ['Johor', ''] }).success).toBe(false);
    expect(Contact.safeParse({ ...base, serves: ['Johor', 'johor'] }).success).toBe(false);
    const { country: _, ...noCountry } = base;
    expect(Contact.safeParse({ ...noCountry, serves: ['Johor'] }).success).toBe(false);
  });

  it('is read from the shipped file, and other unknown fields are still refused', () => {
    const contacts = loadReferenceData(DATA).contacts;
    expect(contacts.get('kjri_johor_bahru')?.serves).toEqual(['Johor', 'Melaka', 'Negeri Sembilan', 'Pahang']);
    for (const c of contacts.values()) if (c.serves) expect(c.country, c.id).toMatch(/^[A-Z]{2}$/);
    expect(Contact.safeParse({ ...base, region: 'Johor' }).success).toBe(false);
  });
});

describe('data/indicators.yaml (the identification interview’s checklist)', () => {
  const GROUPS = ['deception', 'debt', 'documents', 'movement', 'violence', 'wages', 'work', 'isolation'];
  const doc = parse(readFileSync(join(DATA, 'indicators.yaml'), 'utf8')) as {
    sources: Record<string, string>;
    rule: { any_of: Record<string, unknown>[]; description: { id: string; en: string }; source: string };
    indicators: { id: string; group: string; question: { id: string; en: string }; source: string; source_title: string; reviewed: string }[];
  };

  it('has its sources, a rule and indicators, nothing else at the top', () => {
    expect(Object.keys(doc).sort()).toEqual(['indicators', 'rule', 'sources']);
    expect(Object.keys(doc.sources).length).toBeGreaterThan(0);
    expect(doc.rule.any_of.length).toBeGreaterThan(0);
    expect(doc.rule.description.id && doc.rule.description.en).toBeTruthy();
    expect(doc.rule.source).toMatch(/^https:\/\//);
  });

  it('lists each indicator once, in one of the eight groups, asked in both languages, with its source', () => {
    const ids = doc.indicators.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const i of doc.indicators) {
      expect(i.id).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(GROUPS, i.id).toContain(i.group);
      expect(Object.keys(i.question).sort(), i.id).toEqual(['en', 'id']);
      expect(i.question.id.endsWith('?') && i.question.en.endsWith('?'), i.id).toBe(true);
      expect(i.source, i.id).toMatch(/^https:\/\/[^\s]+$/);
      expect(i.source_title.length, i.id).toBeGreaterThan(5);
      expect(String(i.reviewed), i.id).toMatch(/^20\d\d-\d\d-\d\d/);
    }
    expect(new Set(doc.indicators.map((i) => i.group))).toEqual(new Set(GROUPS));
  });
});
