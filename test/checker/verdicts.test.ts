import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkOffer, type Verdict } from '../../src/checker/index.js';
import { analyse } from '../../src/checker/detect.js';
import { loadModel, nbLogOdds, nbLogOddsOf } from '../../src/checker/model.js';
import { loadCorpus } from '../../src/checker/corpus.js';
import { REPO_ROOT } from '../../src/checker/facts.js';

// Verdicts of a sample of corpus offers and of long texts made of offers run together, as the
// checker gave them before it was made faster (test/fixtures/checker-verdicts.json): the faster
// checker must give every one of them exactly.
const pinned = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/checker-verdicts.json'), 'utf8')) as {
  offers: Record<string, Verdict>;
  joined: Record<string, Verdict>;
};
const corpus = loadCorpus();

/** `n` characters of corpus offers joined by blank lines, from offer `start` on. */
function joined(start: number, n: number): string {
  let t = '';
  for (let k = start; t.length < n; k++) t += (t ? '\n\n' : '') + corpus[k % corpus.length]!.text;
  return t.slice(0, n);
}

describe('pinned verdicts', () => {
  it('every eighth corpus offer gets the verdict pinned for it', () => {
    const byId = new Map(corpus.map((o) => [o.id, o.text]));
    expect(Object.keys(pinned.offers).length).toBe(40);
    for (const [id, v] of Object.entries(pinned.offers)) expect(checkOffer(byId.get(id)!), id).toEqual(v);
  });

  it('long texts of offers run together (2,000, 8,000 and a truncated 12,000 characters) get their pinned verdicts', () => {
    for (const [key, v] of Object.entries(pinned.joined)) {
      const [start, n] = key.split(':').map(Number) as [number, number];
      expect(checkOffer(joined(start, n)), key).toEqual(v);
    }
  });

  it("the model's log-odds read from an analysis's words are those over its whole feature list, with its words looked up afresh or remembered", () => {
    const model = loadModel()!;
    // the first pass meets most words for the first time; the second finds them all remembered
    for (const pass of ['fresh', 'remembered']) {
      for (const o of corpus.slice(0, 120)) {
        const a = analyse(o.text);
        expect(nbLogOddsOf(model.nb, a.head, a.words), `${pass} ${o.id}`).toEqual(nbLogOdds(model.nb, a.features));
      }
    }
    expect(model.nb.wordCache.size).toBeGreaterThan(0);
  });
});
