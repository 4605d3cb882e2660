import { describe, expect, it } from 'vitest';
import { closestTypo, nearly, typoBudget, typoDistance, typoTargets, withinDistance } from '../../src/engine/text.js';
import { edited, randomString, referenceDistance, seeded } from '../helpers/edits.js';

/** Random pairs from a small alphabet (edits collide), lengths 0 to 12: half unrelated, half a few edits apart. */
function pairs(seed: number, alphabet: string, count: number): [string, string][] {
  const rand = seeded(seed);
  const out: [string, string][] = [];
  for (let n = 0; n < count; n++) {
    const a = randomString(rand, alphabet, 12);
    const b = n % 2 === 0 ? randomString(rand, alphabet, 12) : edited(rand, a, alphabet, 1 + Math.floor(rand() * 4)).slice(0, 12);
    out.push([a, b]);
  }
  return out;
}

describe('edit distance within a budget', () => {
  it('counts "ce " to "ec  " as 2 edits (a swap and an insertion), not 1', () => {
    expect(referenceDistance('ce ', 'ec  ')).toBe(2);
    expect(withinDistance('ce ', 'ec  ', 3)).toBe(2);
    expect(withinDistance('ce ', 'ec  ', 2)).toBe(2);
    expect(withinDistance('ce ', 'ec  ', 1)).toBe(2);
  });

  it('counts a swap of neighbours as one edit, and a swapped pair is not edited again', () => {
    expect(withinDistance('tolnog', 'tolong', 2)).toBe(1);
    expect(withinDistance('malasyia', 'malaysia', 2)).toBe(1);
    // Optimal string alignment: "ca" -> "ac" -> "abc" would edit the swapped pair; it takes 3.
    expect(withinDistance('ca', 'abc', 3)).toBe(3);
    expect(withinDistance('ca', 'abc', 2)).toBe(3);
  });

  it('gives the distance when within the budget and budget + 1 when over, for every budget 0 to 3, as the reference does', () => {
    let checked = 0;
    for (const [alphabet, seed] of [['abce ', 1], ['ab', 2], ['abcdefghij', 3]] as const) {
      for (const [a, b] of pairs(seed, alphabet, 2500)) {
        const d = referenceDistance(a, b);
        for (let budget = 0; budget <= 3; budget++) {
          const got = withinDistance(a, b, budget);
          if (got !== Math.min(d, budget + 1)) expect({ a, b, budget, got }).toEqual({ a, b, budget, got: Math.min(d, budget + 1) });
          checked++;
        }
        expect(withinDistance(a, b, Infinity)).toBe(d);
        expect(withinDistance(b, a, 3)).toBe(withinDistance(a, b, 3));
      }
    }
    expect(checked).toBe(30_000);
  });

  it('is unaffected by what was measured before (longer strings, then shorter ones)', () => {
    const rand = seeded(4);
    const long = [randomString(rand, 'abce ', 200) + 'x'.repeat(150), randomString(rand, 'abce ', 200) + 'x'.repeat(150)];
    expect(withinDistance(long[0]!, long[1]!, 400)).toBe(referenceDistance(long[0]!, long[1]!));
    for (const [a, b] of pairs(5, 'abce ', 500)) expect(withinDistance(a, b, 2)).toBe(Math.min(referenceDistance(a, b), 3));
  });

  it('handles empty strings and equal strings', () => {
    expect(withinDistance('', '', 0)).toBe(0);
    expect(withinDistance('', 'ab', 2)).toBe(2);
    expect(withinDistance('', 'abc', 2)).toBe(3);
    expect(withinDistance('abc', '', 5)).toBe(3);
    expect(withinDistance('menu utama', 'menu utama', 0)).toBe(0);
  });
});

describe('typos', () => {
  it('allow no edit in words of up to 4 letters, one up to 7, two from 8', () => {
    expect(nearly('menu', 'menu')).toBe(true);
    expect(nearly('manu', 'menu')).toBe(false);
    expect(nearly('bahsa', 'bahasa')).toBe(true);
    expect(nearly('bhsa', 'bahasa')).toBe(false);
    expect(nearly('darurta', 'darurat')).toBe(true);
    expect(nearly('kambodia', 'cambodia')).toBe(true);
    expect(nearly('kambodja', 'cambodia')).toBe(true);
    expect(nearly('kamboxja', 'cambodia')).toBe(false);
    expect(typoDistance('malasyia', 'malaysia')).toBe(1);
    expect(typoDistance('langauge', 'language')).toBe(1);
    expect(typoDistance('xyz', 'language')).toBe(Infinity);
  });

  it('a 2-edit typo of a 5 to 7 letter word is not taken for a 1-edit one', () => {
    // natural's distance gave 1 for these: they passed as a typo of a word that allows one edit.
    const rand = seeded(6);
    let found = 0;
    for (let n = 0; n < 20_000 && found < 50; n++) {
      const target = randomString(rand, 'abce ', 7);
      if (target.length < 5) continue;
      const typed = edited(rand, target, 'abce ', 2);
      if (referenceDistance(typed, target) !== 2) continue;
      found++;
      expect(nearly(typed, target)).toBe(false);
    }
    expect(found).toBe(50);
  });

  it('the closest typo wins, and one as close to two meanings is none', () => {
    const targets = typoTargets([
      { text: 'australia', value: 'AU' },
      { text: 'austria', value: 'AT' },
      { text: 'holland', value: 'NL' },
      { text: 'belanda', value: 'NL' },
    ]);
    expect(closestTypo('australiia', targets)).toBe('AU');
    expect(closestTypo('austrlia', targets)).toBeUndefined();
    expect(closestTypo('hollad', targets)).toBe('NL');
    expect(closestTypo('mars', targets)).toBeUndefined();
  });

  it('the closest typo is the one comparing every target with the reference distance finds', () => {
    const rand = seeded(8);
    const alphabet = 'abdegiklmnorstu ';
    for (let n = 0; n < 400; n++) {
      const words = Array.from({ length: 12 }, () => randomString(rand, alphabet, 12));
      const targets = words.map((text, i) => ({ text, value: i % 5 }));
      const typed = edited(rand, words[n % 12]!, alphabet, 1 + (n % 3));
      let best: number | undefined;
      let bestDistance = Infinity;
      let tie = false;
      for (const { text, value } of targets) {
        const budget = typoBudget(text.length);
        const d = referenceDistance(typed, text);
        if (text !== typed && (budget === 0 || d > budget)) continue;
        if (d < bestDistance) [best, bestDistance, tie] = [value, d, false];
        else if (d === bestDistance && value !== best) tie = true;
      }
      expect([typed, closestTypo(typed, typoTargets(targets))]).toEqual([typed, tie ? undefined : best]);
    }
  });
});
