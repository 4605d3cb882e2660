// Text helpers shared by intent matching, choice matching and input validation.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// natural is imported by sub-path: its index pulls in database clients we never use.
const { DamerauLevenshteinDistance } = require('natural/lib/natural/distance/levenshtein_distance') as {
  DamerauLevenshteinDistance: (a: string, b: string, opts?: { transposition_cost?: number }) => number;
};

export function distance(a: string, b: string): number {
  return DamerauLevenshteinDistance(a, b);
}

const MARKS = /[\u0300-\u036f]/g;
const NON_WORD = /[^\p{L}\p{N}/]+/gu;
const REPEATS = /(\p{L})\1+/gu;

/** Lower case, no accents, punctuation and emoji turned into spaces, single spaces. */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase().replace(NON_WORD, ' ').trim();
}

/** fold() and runs of one letter collapsed ("toloooong" -> "tolong"; "sos" stays). */
export function squash(text: string): string {
  return fold(text).replace(REPEATS, '$1');
}

export function tokens(text: string): string[] {
  const s = squash(text);
  return s ? s.split(' ') : [];
}

/** Edits allowed for a typo of a word of this length: none for short words, where one edit makes another word. */
export function typoBudget(len: number): number {
  if (len <= 4) return 0;
  if (len <= 7) return 1;
  return 2;
}

/** True when `typed` is `target` or a plausible typo of it. Both are expected squashed. */
export function nearly(typed: string, target: string): boolean {
  if (typed === target) return true;
  const budget = typoBudget(target.length);
  if (budget === 0 || Math.abs(typed.length - target.length) > budget) return false;
  return distance(typed, target) <= budget;
}
