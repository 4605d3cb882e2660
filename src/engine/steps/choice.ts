import { z } from 'zod';
import { SayList, Target, type Runtime, type StepKind } from '../kind.js';
import type { Input } from '../types.js';
import { NEGATIONS, onlyGreeting, onlyThanks, parseYesNo, withoutPolite } from '../inputs.js';
import { nearly, squash } from '../text.js';

const Choice = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]+$/),
    label: z.string().min(1),
    next: Target,
    /** What "yes" (or "no") typed means at this step, for a choice whose id is not `yes` (`no`): "setuju", "ok" for "agree". */
    means: z.enum(['yes', 'no']).optional(),
    /** A text key listing, comma separated, other words the choice is asked for by ("nomor kbri" for "Kontak darurat"). */
    words: z.string().min(1).optional(),
  })
  .strict();
const schema = z
  .object({
    type: z.literal('choice'),
    say: SayList.min(1),
    choices: z.array(Choice).min(1).max(12),
    /** Where a longer typed text that is no choice goes, as that step's answer (e.g. another offer). */
    text: Target.optional(),
    /**
     * Where any answer that is no choice goes (instead of "please choose"), as that step's answer if it
     * takes text: for a question whose non-answer means something ("is it safe to write?": anything but
     * yes is taken as no), or whose answer may also be typed (a country instead of "abroad").
     */
    other: Target.optional(),
    /**
     * What a longer typed text that is no choice is told (a text key), where it would otherwise get
     * "reply with a number": the menu's answer to someone who wrote what happened to their family, or
     * asked a question in a sentence ("apakah ada lowongan ke Korea?").
     */
    long: z.string().min(1).optional(),
    /**
     * What a choice of the main menu typed here is told (a text key), where it would otherwise get
     * "reply with a number": on the privacy notice, "lapor" or "cek tawaran" is kept, the person is
     * asked to agree first, and once they reach the main menu they are taken straight to what they
     * asked for (see Runtime.keepMenuChoice).
     */
    ahead: z.string().min(1).optional(),
    /**
     * A choice of the main menu typed here is no way out: the question is asked again. Where the
     * choices mean something the menu's words would take elsewhere (a language to keep or switch to;
     * after a verdict with nothing to report, "lapor" is not the family report).
     */
    stays: z.boolean().optional(),
  })
  .strict()
  .refine((s) => new Set(s.choices.map((c) => c.id)).size === s.choices.length, { message: 'choice ids must be unique', path: ['choices'] })
  // A long answer goes to `text` or `other` first: `long` would never be said.
  .refine((s) => s.long === undefined || (s.text === undefined && s.other === undefined), { message: '`long` is never said where `text` or `other` takes the answer', path: ['long'] });
type Step = z.infer<typeof schema>;

/**
 * Shorter unmatched answers are taken for a mistyped choice or a question (hint), longer ones for
 * text (a pasted offer is rarely under a hundred characters; "apakah PT ini terdaftar?" is).
 */
export const TEXT_HANDOVER_MIN = 100;

/** A sentence or a question rather than a mistyped choice: a question mark, or three words or more. */
const sentence = (text: string) => text.includes('?') || squash(text).split(' ').length >= 3;

/** Numbers typed as words, in both languages. */
export const ORDINALS: Record<string, number> = { satu: 1, dua: 2, tiga: 3, empat: 4, lima: 5, enam: 6, tujuh: 7, delapan: 8, sembilan: 9, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9 };

function options(s: Step) {
  return s.choices.map((c) => ({ id: c.id, label: c.label }));
}

/** Choices' ids squashed, once per list of choices (a step's list never changes). */
const squashedIds = new WeakMap<readonly { id: string }[], string[]>();

function idsOf(choices: readonly { id: string }[]): string[] {
  let ids = squashedIds.get(choices);
  if (!ids) squashedIds.set(choices, (ids = choices.map((c) => squash(c.id))));
  return ids;
}

/**
 * Which choice a typed answer means: its number, its id, or (a typo of) its label in any language.
 * A typo or a single word must point at one choice only; otherwise nothing is chosen.
 */
type Pickable = { id: string; label: string; means?: 'yes' | 'no'; words?: string };
type Reader = Pick<Runtime, 'labels'> & Partial<Pick<Runtime, 'keywords'>>;

/** A short answer, not a question, may name a choice by one of its other words. */
const KEYWORD_MAX_WORDS = 6;

/**
 * `strict`: for choices of another question than the one asked (the main menu's, named on the privacy
 * notice or in the guide), only a label, its typo or one of the choice's words count, not a single word
 * of a label: "aman?" is not "Panduan migrasi aman", "data" is not "Bahasa & data saya".
 */
export function matchChoice<C extends Pickable>(rt: Reader, choices: readonly C[], text: string, strict = false): C | undefined {
  const typed = squash(text);
  const hit = matchTyped(rt, choices, text, typed, strict);
  if (hit) return hit;
  // "cek tawaran kerja kak", "panduan dong": the same without the words of politeness
  const polite = withoutPolite(text);
  const politeHit = polite !== typed ? matchTyped(rt, choices, text, polite, strict) : undefined;
  return politeHit ?? byKeyword(rt, choices, text, typed);
}

/**
 * "nomor kbri", "saya mau lapor", "info loker": a short answer (no question) holding one of a choice's
 * other words, as a whole word or words. The longest word found decides; found as long in two choices,
 * neither is chosen.
 */
function byKeyword<C extends Pickable>(rt: Reader, choices: readonly C[], text: string, typed: string): C | undefined {
  if (!rt.keywords || text.includes('?') || !choices.some((c) => c.words)) return undefined;
  const padded = ` ${typed} `;
  if (padded.split(' ').length - 2 > KEYWORD_MAX_WORDS) return undefined;
  let best: C | undefined;
  let bestLength = 0;
  let tie = false;
  for (const c of choices) {
    if (!c.words) continue;
    const hit = rt.keywords(c.words).find((w) => padded.includes(` ${w} `) && !negated(padded, w));
    if (!hit) continue;
    if (hit.length > bestLength) {
      best = c;
      bestLength = hit.length;
      tie = false;
    } else if (hit.length === bestLength) tie = true;
  }
  return tie ? undefined : best;
}

/**
 * Words of one label only, as they stand in it ("migrasi aman" for "Tips migrasi aman", "negara tujuan"
 * for "Ubah provinsi & negara tujuan", "tanda bahaya" for "Penjelasan tanda bahaya"): the question's own
 * choice, read before a choice of the main menu is looked for in the answer. Two words at least (one
 * word is matchChoice's), with or without words of politeness.
 */
export function byLabelPhrase<C extends Pickable>(rt: Reader, choices: readonly C[], text: string): C | undefined {
  for (const typed of new Set([squash(text), withoutPolite(text)])) {
    if (!typed.includes(' ')) continue;
    const hits = choices.filter((c) => rt.labels(c.label).texts.some((l) => ` ${l} `.includes(` ${typed} `)));
    if (hits.length === 1) return hits[0];
  }
  return undefined;
}

/** Words saying a thing is not wanted ("gak lagi", "jangan lapor"), and words between them and the thing ("nggak usah lagi"). */
const NEGATION = new Set([...NEGATIONS, 'gk', 'ngga', 'engga', 'jangan', 'jgn', 'not', 'dont', 'never'].map(squash));
const AFTER_NEGATION = new Set(['mau', 'usah', 'perlu', 'ingin', 'pengen', 'mo', 'want', 'need', 'to', 'lah', 'sih', 'dulu', 't'].map(squash));

/** Whether a choice's word in an answer (` ${typed} `) is said not to be wanted: "gak lagi kak", "tidak usah lapor", "don't report". */
function negated(padded: string, word: string): boolean {
  const before = padded.slice(0, padded.indexOf(` ${word} `)).trim().split(' ').filter(Boolean);
  let i = before.length - 1;
  while (i >= 0 && AFTER_NEGATION.has(before[i]!)) i--;
  return i >= 0 && (NEGATION.has(before[i]!) || (before[i] === 'don' && before[i + 1] === 't'));
}

/** A choice's number pointed at in words: "nomor 3", "pilih 2", "yang 1", "option 4". */
const POINTED = /^(?:nomor|nmr|no|pilih|pilihan|yang|angka|number|option|choose|opsi)\s+(\d{1,2})$/;

/** The number a typed answer points at ("3", "nomor 3", "tiga"), if it is one. */
function numberOf(typed: string): number | undefined {
  const pointed = POINTED.exec(typed)?.[1];
  return /^\d{1,2}$/.test(typed) ? Number(typed) : pointed !== undefined ? Number(pointed) : ORDINALS[typed];
}

/** Whether a typed answer is a number ("3", "nomor 3", "tiga", "pilih 2 kak"): it means a place in the list shown. */
export function isNumberAnswer(text: string): boolean {
  return numberOf(squash(text)) !== undefined || numberOf(withoutPolite(text)) !== undefined;
}

function matchTyped<C extends Pickable>(rt: Reader, choices: readonly C[], text: string, typed: string, strict = false): C | undefined {
  if (!typed) return undefined;
  const n = numberOf(typed);
  if (n !== undefined) return choices[n - 1];
  const labels = choices.map((c) => rt.labels(c.label));
  const ids = idsOf(choices);
  const exact = choices.find((_, i) => labels[i]!.texts.includes(typed) || typed === ids[i]);
  if (exact) return exact;
  // A yes/no question (choices "yes" and "no"): every way of saying yes or no ("ya", "iya", "nggak").
  const yesNo = parseYesNo(text);
  if (yesNo.ok) {
    const said = choices.find((c) => (c.means ?? c.id) === (yesNo.value ? 'yes' : 'no'));
    if (said) return said;
  }
  const only = (hits: C[]) => (hits.length === 1 ? hits[0] : undefined);
  const typo = only(choices.filter((_, i) => labels[i]!.texts.some((l) => nearly(typed, l))));
  if (typo) return typo;
  // A word of one label only ("panduan" for "Panduan migrasi aman").
  if (!strict && typed.length >= 4 && !typed.includes(' ')) return only(choices.filter((_, i) => labels[i]!.words.has(typed)));
  return undefined;
}

export const choice: StepKind<Step> = {
  type: 'choice',
  schema,
  waits: true,
  edges: (s) => [
    ...s.choices.map((c) => ({ target: c.next, label: { key: c.label } })),
    ...(s.text ? [{ target: s.text, style: 'fallback' as const }] : []),
    ...(s.other ? [{ target: s.other, style: 'fallback' as const }] : []),
  ],
  takesLongText: (s) => s.text !== undefined,
  choices: (s) => s.choices,
  keys: (s) => [...s.choices.flatMap((c) => (c.words ? [c.label, c.words] : [c.label])), ...(s.long ? [s.long] : []), ...(s.ahead ? [s.ahead] : [])],
  sayItems: (s) => s.say,
  enter(rt, s) {
    rt.prompt(s.say, options(s));
  },
  resume(rt, s, input: Input) {
    if (input.kind === 'choice') {
      const picked = s.choices.find((c) => c.id === input.id);
      if (!picked || (input.turn !== undefined && input.turn !== rt.session.turn)) return rt.stale();
      return rt.go(picked.next);
    }
    if (input.kind !== 'text') return rt.stale();
    const picked = matchChoice(rt, s.choices, input.text) ?? byLabelPhrase(rt, s.choices, input.text);
    if (picked) return rt.go(picked.next);
    // "Terima kasih kak" after a verdict or at the menu: you're welcome, the choices again (not "reply with a number").
    if (!s.other && onlyThanks(input.text)) return rt.answer({ key: 'engine.you_are_welcome' }, options(s));
    // "Halo kak", "assalamualaikum" at a question: greeted back, the choices again (not "reply with a number").
    if (!s.other && onlyGreeting(input.text)) return rt.answer({ key: 'engine.greeting' }, options(s));
    const long = input.text.trim().length >= TEXT_HANDOVER_MIN;
    if (s.text && long) return rt.handOver(s.text, input);
    if (s.other) return rt.handOver(s.other, input);
    // "lapor" on the privacy notice: kept for when they have agreed, and not counted as a failure.
    if (s.ahead && rt.keepMenuChoice(input.text)) return rt.answer({ key: s.ahead }, options(s));
    // "lapor" or "kontak darurat" at another question (the guide's topics): there at once, as from the menu.
    if (!s.ahead && !s.stays && rt.goToMenuChoice(input.text)) return;
    // Where each kind of question goes is an answer, not a failure: three questions in a row are not "not understood".
    if (s.long && (long || sentence(input.text))) return rt.answer({ key: s.long, vars: { count: s.choices.length } }, options(s));
    rt.retry({ key: 'engine.hint.choice', vars: { count: s.choices.length } }, options(s));
  },
};
