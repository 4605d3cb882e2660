import { describe, expect, it } from 'vitest';
import { RULE_INDEX, prefilterWords } from '../../src/checker/detect.js';
import { LiteralIndex, loadWordsTable, wordsOf } from '../../src/checker/prefilter.js';
import { normalise } from '../../src/checker/normalise.js';
import { loadCorpus } from '../../src/checker/corpus.js';

/** What the plain calls give, to compare with a Scan. */
function plain(re: RegExp, t: string) {
  const spans: Array<[number, number]> = [];
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  for (let m = g.exec(t); m; m = g.exec(t)) {
    if (m[0].length === 0) {
      g.lastIndex++;
      continue;
    }
    spans.push([m.index, m.index + m[0].length]);
  }
  const once = new RegExp(re.source, re.flags.replace('g', ''));
  return { spans, test: once.test(t), first: once.exec(t)?.index ?? -1, count: t.match(g)?.length ?? 0 };
}

/** Texts to try: the corpus, normalised, and pieces of it run together. */
function texts(): string[] {
  const offers = loadCorpus().map((o) => normalise(o.text).text);
  const mixed: string[] = [];
  for (let i = 0; i + 3 < offers.length; i += 7) mixed.push(offers.slice(i, i + 4).join(' ').slice(0, 3000));
  return [...offers, ...mixed, '', 'visa', 'tanpa pengalaman', 'kerja di kamboja kamboja kamboja'];
}

describe('literal prefilter of the rule expressions', () => {
  it('src/checker/prefilter.json holds the words of the current expressions (run npm run train:checker after editing them)', () => {
    expect(loadWordsTable()).toEqual(JSON.parse(JSON.stringify(prefilterWords())));
  });

  it('reads words from every rule expression, so that none is run over every text whatever it holds (a character outside ASCII in a word, a flag other than g, an unknown construct would make it so)', () => {
    const table = prefilterWords();
    const blind = Object.entries(table).filter(([, w]) => !w.req && !w.first).map(([k]) => k.slice(0, 80));
    expect(blind).toEqual([]);
  });

  it('finds, for every expression on every corpus offer, the same matches, first match, test results and counts as the plain calls', () => {
    const res = RULE_INDEX.expressions();
    expect(res.length).toBeGreaterThan(150);
    let skipped = 0;
    for (const t of texts()) {
      const scan = RULE_INDEX.scan(t);
      for (const re of res) {
        const want = plain(re, t);
        if (re.global) {
          expect(scan.spans(re, Infinity), `${re.source} on ${t.slice(0, 60)}`).toEqual(want.spans);
          expect(scan.spans(re, 2)).toEqual(want.spans.slice(0, 2));
          expect(scan.count(re)).toBe(want.count);
        } else {
          expect(scan.test(re), `${re.source} on ${t.slice(0, 60)}`).toBe(want.test);
          expect(scan.firstAt(re), `${re.source} on ${t.slice(0, 60)}`).toBe(want.first);
        }
        if (!scan.may(re)) {
          skipped++;
          expect(want.count).toBe(0);
        }
      }
    }
    // most expressions are not run on most offers
    expect(skipped).toBeGreaterThan(res.length * 100);
  });

  it('reads the words every match contains and begins with', () => {
    expect(wordsOf(/\bvisa (?:turis|wisata)\b/g)).toEqual({ req: ['visa tur', 'visa wis'], first: ['visa tur', 'visa wis'] });
    expect(wordsOf(/\b(?:di)?rahasiakan\b/)).toEqual({ req: ['dirahasi', 'rahasiak'], first: ['dirahasi', 'rahasiak'] });
    // a word holding another adds nothing; optional pieces are left out of what is required
    expect(wordsOf(/\bkep\.?\d+/).req).toEqual(['kep']);
    expect(wordsOf(/(?:tourist|visit)?\s+visa/)).toEqual({ req: ['visa'] });
    expect(wordsOf(/(?:tourist|visit)? visa/)).toEqual({ req: ['tourist ', 'visit vi', ' visa'], first: ['tourist ', 'visit vi', ' visa'] });
    // what can match anything, or is not read with certainty, has no words: it is always run
    expect(wordsOf(/\w+ing/)).toEqual({ req: ['ing'] });
    expect(wordsOf(/a|\w/)).toEqual({});
    expect(wordsOf(/visa/i)).toEqual({});
    expect(wordsOf(/\p{L}visa/u)).toEqual({});
  });

  it('refuses a scan used after the next one began (their buffers are shared)', () => {
    const re = /\bvisa turis\b/g;
    const index = new LiteralIndex();
    index.add(re);
    const first = index.scan('pakai visa turis');
    expect(first.spans(re, 8)).toEqual([[6, 16]]);
    const second = index.scan('visa turis saja');
    expect(() => first.spans(re, 8)).toThrow(/after the next one/);
    expect(second.spans(re, 8)).toEqual([[0, 10]]);
  });

  it('uses kept words only for the expression they were worked out from', () => {
    const re = /\bkamboja\b/g;
    const stale = new LiteralIndex(() => ({ 'g/\\bthailand\\b': { req: ['thailand'], first: ['thailand'] } }));
    stale.add(re);
    expect(stale.scan('kerja di kamboja').spans(re, 8)).toEqual([[9, 16]]);
    expect(stale.scan('kerja di thailand').may(re)).toBe(false);
  });
});
