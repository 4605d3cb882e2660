import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import type { Bundle } from '../../src/engine/flow.js';
import { labelForms } from '../../src/engine/labels.js';
import { step } from '../../src/engine/step.js';
import { matchChoice, ORDINALS } from '../../src/engine/steps/choice.js';
import { parseYesNo } from '../../src/engine/inputs.js';
import { squash, typoBudget } from '../../src/engine/text.js';
import { LANGS, newSession, type Session } from '../../src/engine/types.js';
import { bundleFrom, WORLD } from '../helpers/bundle.js';
import { edited, referenceDistance, seeded } from '../helpers/edits.js';

type Choice = { id: string; label: string; next: string; means?: 'yes' | 'no' };

/**
 * Which choice a typed answer means, read plainly from the labels' texts (`labels[i]`: choice i's label
 * in every language) with the reference distance. The engine's reading, which squashes each label
 * once, must agree with it.
 */
function plainChoice(choices: Choice[], labelTexts: string[][], text: string): string | undefined {
  const typed = squash(text);
  if (!typed) return undefined;
  const n = /^\d{1,2}$/.test(typed) ? Number(typed) : ORDINALS[typed];
  if (n !== undefined) return choices[n - 1]?.id;
  const labels = labelTexts.map((texts) => texts.map(squash));
  const exact = choices.findIndex((c, i) => labels[i]!.includes(typed) || squash(c.id) === typed);
  if (exact >= 0) return choices[exact]!.id;
  // A question whose choices are "yes" and "no" (or mean them) takes every way of saying yes or no.
  const yesNo = parseYesNo(text);
  const said = yesNo.ok ? choices.find((c) => (c.means ?? c.id) === (yesNo.value ? 'yes' : 'no')) : undefined;
  if (said) return said.id;
  const near = (l: string) => {
    const budget = typoBudget(l.length);
    return l === typed || (Math.abs(l.length - typed.length) <= budget && referenceDistance(typed, l) <= budget);
  };
  const one = (hits: Choice[]) => (hits.length === 1 ? hits[0]!.id : undefined);
  const typo = one(choices.filter((_, i) => labels[i]!.some(near)));
  if (typo) return typo;
  if (typed.length >= 4 && !typed.includes(' ')) return one(choices.filter((_, i) => labels[i]!.some((l) => l.split(' ').includes(typed))));
  return undefined;
}

describe('typed answers on the real flows', () => {
  const { bundle } = loadContent();
  const rt = { labels: (key: string) => labelForms(bundle, key) };
  const steps = [...bundle.flows.values()].flatMap((f) =>
    Object.entries(f.steps)
      .filter(([, s]) => s.type === 'choice')
      .map(([id, s]) => ({ where: `${f.id}.${id}`, choices: (s as unknown as { choices: Choice[] }).choices })),
  );

  it('every label typed in either language chooses its own choice', () => {
    expect(steps.length).toBeGreaterThan(20);
    for (const { where, choices } of steps) {
      for (const c of choices) for (const lang of LANGS) expect([where, matchChoice(rt, choices, bundle.label(lang, c.label))?.id]).toEqual([where, c.id]);
    }
  });

  it('labels, their words and typos of them choose what a plain reading of the labels chooses', () => {
    const rand = seeded(17);
    const alphabet = 'abcdeghiklmnoprstuy ';
    let checked = 0;
    for (const { where, choices } of steps) {
      const labelTexts = choices.map((c) => LANGS.map((l) => bundle.label(l, c.label)));
      const texts = labelTexts.flat().map((t) => t.toLowerCase());
      for (const base of [...texts, ...texts.flatMap((t) => t.split(' '))]) {
        for (let r = 0; r < 6; r++) {
          const typed = edited(rand, base, alphabet, 1 + (r % 3));
          const want = plainChoice(choices, labelTexts, typed);
          if (matchChoice(rt, choices, typed)?.id !== want) expect({ where, typed, got: matchChoice(rt, choices, typed)?.id }).toEqual({ where, typed, got: want });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('a label with words of politeness around it ("cek tawaran kerja kak", "panduan dong"), or its number pointed at ("nomor 3"), still chooses it', () => {
    const menu = steps.find((s) => s.where === 'main.menu')!.choices;
    expect(matchChoice(rt, menu, 'cek tawaran kerja kak')?.id).toBe('check');
    expect(matchChoice(rt, menu, 'panduan dong')?.id).toBe('guide');
    expect(matchChoice(rt, menu, 'emergency contacts please')?.id).toBe('contacts');
    expect(matchChoice(rt, menu, 'kak')).toBeUndefined();
    // a number pointed at in words
    expect(matchChoice(rt, menu, 'nomor 3')?.id).toBe('signs');
    expect(matchChoice(rt, menu, 'pilih 2 kak')?.id).toBe('guide');
    expect(matchChoice(rt, menu, 'option 4')?.id).toBe('report');
  });

  it('two edits of a long label are a typo of it; three are not (the old distance took these for two)', () => {
    const choicesAt = (where: string) => steps.find((s) => s.where === where)!.choices;
    // "kontak darurat" -> "kontka daruart": two swaps.
    expect(matchChoice(rt, choicesAt('main.menu'), 'kontka daruart')?.id).toBe('contacts');
    // "negara tujuan" -> "engara tuan" (squashed): a swap and two deletions.
    expect(matchChoice(rt, choicesAt('guide.menu'), 'engara tuuan')).toBeUndefined();
    // "menu utama" -> "menutamba" (squashed): two deletions and an insertion.
    expect(matchChoice(rt, choicesAt('emergency.choose'), 'menuutamba')).toBeUndefined();
  });
});

describe('labels', () => {
  it('are read from the texts once per bundle and label, not for every typed answer', () => {
    const world = bundleFrom(WORLD);
    const reads: string[] = [];
    const bundle: Bundle = { ...world, label: (lang, key) => (reads.push(`${lang}:${key}`), world.label(lang, key)) };
    let s: Session = { ...newSession(0), lang: 'id', consent: true };
    let at = 0;
    const say = (text: string) => (s = step(bundle, s, { kind: 'text', text, at: (at += 1000) }).session);
    say('menu');
    for (const text of ['panduan migrasi', 'cek tawaran', 'safe migration guid']) {
      say('menu');
      say(text);
    }
    const distinct = new Set(reads);
    expect(reads.length).toBe(distinct.size);
    expect(distinct).toEqual(new Set(['l.check', 'l.guide', 'l.sub'].flatMap((k) => LANGS.map((l) => `${l}:${k}`))));
  });
});
