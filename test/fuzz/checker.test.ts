// The job-offer checker on 10,000 generated texts up to 20,000 characters (unicode, controls, lone
// surrogates, offer words, phone numbers, links): it gives a verdict for each without throwing, inside
// its bounds, and every red flag it quotes is quoted from the text itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADVICE_IDS, checkOffer, FLAG_IDS, NOTE_IDS } from '../../src/checker/index.js';
import { analyse, MAX_CHARS } from '../../src/checker/detect.js';
import { hostileText, RUNS } from '../helpers/fuzz.js';

const RISKS = ['low', 'medium', 'high'];

describe('the checker on 10,000 generated texts', () => {
  it('never throws, scores within [0, 1], names only known flags, advice and notes, and quotes only the text it read', () => {
    fc.assert(
      fc.property(hostileText(20_000, 40), (text) => {
        const v = checkOffer(text);
        // checkOffer turns a throw into this fallback verdict: where it looks like one, the analysis must not have thrown.
        if (v.score === 0 && v.flags.length === 0 && v.notes.join() === 'not_an_offer') expect(() => analyse(text)).not.toThrow();
        expect(RISKS).toContain(v.risk);
        expect(v.score).toBeGreaterThanOrEqual(0);
        expect(v.score).toBeLessThanOrEqual(1);
        expect(Number.isFinite(v.score)).toBe(true);
        const read = text.length > MAX_CHARS ? text.slice(0, v.read?.chars ?? MAX_CHARS) : text;
        if (text.length > MAX_CHARS) {
          expect(v.notes).toContain('truncated');
          expect(v.read).toMatchObject({ of: text.length });
          expect(v.read!.chars).toBeLessThanOrEqual(MAX_CHARS);
        }
        for (const f of v.flags) {
          expect(FLAG_IDS).toContain(f.id);
          expect(Number.isFinite(f.weight)).toBe(true);
          // "stays an exact substring" (detect.ts, quote): of the text as read, before normalising.
          for (const q of f.evidence) {
            expect(q.length).toBeGreaterThan(0);
            expect(read.includes(q), `flag ${f.id} quotes ${JSON.stringify(q)}, not in the text`).toBe(true);
          }
        }
        for (const a of v.advice) expect(ADVICE_IDS).toContain(a);
        for (const n of v.notes) expect(NOTE_IDS).toContain(n);
        for (const p of v.facts.phones) expect(typeof p).toBe('string');
        expect(JSON.parse(JSON.stringify(v))).toEqual(v);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
