import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadReferenceData } from '../../src/content/data.js';
import { loadPartners, PARTNER_KINDS, partnerLabel } from '../../src/hotline/partners.js';
import { ROOT } from '../helpers/cli.js';

const DATA = join(ROOT, 'data');
const contactIds = new Set(loadReferenceData(DATA).contacts.keys());

describe('the shipped referral partners (data/partners.yaml)', () => {
  const partners = loadPartners(DATA, contactIds);

  it('load from the repository data folder, with or without the contact ids to check against', () => {
    expect(partners.size).toBeGreaterThanOrEqual(12);
    expect([...loadPartners().keys()]).toEqual([...partners.keys()]);
  });

  it('cover every kind of partner at least once', () => {
    const kinds = new Set([...partners.values()].map((p) => p.kind));
    for (const kind of PARTNER_KINDS) expect(kinds.has(kind), kind).toBe(true);
  });

  it('point only to contacts that exist in data/contacts.yaml', () => {
    const refs = [...partners.values()].flatMap((p) => p.contacts.map((c) => ({ partner: p.id, contact: c })));
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter(({ contact }) => !contactIds.has(contact))).toEqual([]);
  });

  it('each have an https source, a source title, a review date and a way to reach the office', () => {
    for (const p of partners.values()) {
      expect(p.source, p.id).toMatch(/^https:\/\/[^\s]+$/);
      expect(p.source_title.length, p.id).toBeGreaterThan(5);
      expect(p.reviewed, p.id).toMatch(/^20\d\d-\d\d-\d\d$/);
      expect(p.contacts.length + p.channels.length, p.id).toBeGreaterThan(0);
      expect(p.name.id && p.name.en, p.id).toBeTruthy();
      expect(p.country, p.id).toMatch(/^[A-Z]{2}$/);
    }
  });

  it('do not repeat a number that contacts.yaml already holds', () => {
    const known = new Set([...loadReferenceData(DATA).contacts.values()].flatMap((c) => c.channels.map((ch) => ch.value)));
    const repeated = [...partners.values()].flatMap((p) => p.channels.filter((ch) => known.has(ch.value)).map((ch) => `${p.id}: ${ch.value}`));
    expect(repeated).toEqual([]);
  });

  it('list each mission abroad once, through its contact in contacts.yaml', () => {
    const embassies = [...partners.values()].filter((p) => p.kind === 'embassy');
    expect(embassies.length).toBeGreaterThanOrEqual(5);
    const missions = embassies.flatMap((p) => p.contacts);
    expect(new Set(missions).size).toBe(missions.length);
    for (const p of embassies) expect(p.country, p.id).not.toBe('ID');
  });

  it('are labelled in the reader’s language', () => {
    const p = partners.get('kp2mi')!;
    expect(partnerLabel(p, 'id')).toBe(p.name.id);
    expect(partnerLabel(p, 'en')).toBe(p.name.en);
    expect(partnerLabel(p, 'id')).not.toBe(partnerLabel(p, 'en'));
  });
});

describe('loading a partners file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'waspada-partners-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const entry = (id: string, extra = '') => `
  - id: ${id}
    kind: ngo
    name: { id: "Nama ${id}", en: "Name ${id}" }
    country: ID
    channels:
      - { type: phone, value: "+62 21 000 000" }
    source: "https://example.org/${id}"
    source_title: "Example page"
    reviewed: 2026-11-30
${extra}`;
  const write = (text: string) => writeFileSync(join(dir, 'partners.yaml'), text);
  const load = (ids?: ReadonlySet<string>) => loadPartners(dir, ids);
  const file = () => join(dir, 'partners.yaml');

  it('accepts a well-formed file and gives each partner empty contacts when it has channels only', () => {
    write(`partners:${entry('one')}${entry('two')}`);
    const partners = load();
    expect([...partners.keys()]).toEqual(['one', 'two']);
    expect(partners.get('one')).toMatchObject({ kind: 'ngo', contacts: [], reviewed: '2026-11-30' });
  });

  it('names the file, the entry and the field when a field is missing', () => {
    write(`partners:${entry('one')}${entry('two').replace(/\n    source: .*\n/, '\n')}`);
    expect(load).toThrow(`${file()}: partners[1] (two).source: Required`);
  });

  it('names the field when a value is of the wrong form', () => {
    write(`partners:${entry('one').replace('kind: ngo', 'kind: charity')}`);
    expect(load).toThrow(/partners\[0\] \(one\)\.kind: Invalid enum value/);
    write(`partners:${entry('one').replace('country: ID', 'country: Indonesia')}`);
    expect(load).toThrow(/partners\[0\] \(one\)\.country: country must be an ISO-2 code/);
    write(`partners:${entry('one').replace('type: phone', 'type: pager')}`);
    expect(load).toThrow(/partners\[0\] \(one\)\.channels\[0\]\.type: Invalid enum value/);
    write(`partners:${entry('one').replace('https://example.org', 'http://example.org')}`);
    expect(load).toThrow(/partners\[0\] \(one\)\.source: source must be an https address/);
    write(`partners:${entry('Not_Snake')}`);
    expect(load).toThrow(/partners\[0\] \(Not_Snake\)\.id: must be snake_case/);
  });

  it('rejects a field it does not know, naming it', () => {
    write(`partners:${entry('one', '    phone: "123"\n')}`);
    expect(load).toThrow(`${file()}: partners[0] (one).phone: unknown field`);
  });

  it('lists every problem, not only the first', () => {
    write(`partners:${entry('one').replace('kind: ngo', 'kind: charity')}${entry('two').replace('country: ID', 'country: id')}`);
    const message = (() => {
      try {
        load();
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toContain('partners[0] (one).kind');
    expect(message).toContain('partners[1] (two).country');
  });

  it('rejects a duplicate id, naming the entry that first used it', () => {
    write(`partners:${entry('one')}${entry('two')}${entry('one')}`);
    expect(load).toThrow(`${file()}: partners[2] (one).id: "one" is already used by partners[0]`);
  });

  it('rejects an entry with neither contacts nor channels', () => {
    write(`partners:${entry('one').replace(/\n    channels:\n.*\n/, '\n')}`);
    expect(load).toThrow(/partners\[0\] \(one\)\.contacts\/channels: an entry needs "contacts"/);
  });

  it('rejects a contacts id that is not in contacts.yaml, when the contact ids are given', () => {
    write(`partners:${entry('one', '    contacts: [kp2mi_complaints, no_such_contact]\n')}`);
    expect(load().get('one')!.contacts).toEqual(['kp2mi_complaints', 'no_such_contact']);
    expect(() => load(contactIds)).toThrow(`${file()}: partners[0] (one).contacts[1]: "no_such_contact" is not a contact id in contacts.yaml`);
  });

  it('rejects a file that is not YAML or has no partners list', () => {
    write('partners: [unclosed');
    expect(load).toThrow(`${file()}: cannot be read as YAML`);
    write('contacts: []\n');
    expect(load).toThrow(`${file()}: unknown top-level key(s) "contacts"`);
    write('partners: {}\n');
    expect(load).toThrow(`${file()}: partners: must be a list of partners`);
  });

  it('names the file when it is missing', () => {
    expect(load).toThrow(`${file()}: cannot be read: ENOENT`);
  });

  it('reads the shipped file the same from a copy of it', () => {
    write(readFileSync(join(DATA, 'partners.yaml'), 'utf8'));
    expect([...load(contactIds).keys()]).toEqual([...loadPartners(DATA, contactIds).keys()]);
  });
});
