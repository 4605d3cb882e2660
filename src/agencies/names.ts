// Matching what an offer names against the imported list of licensed placement agencies (P3MI). Pure:
// the registry (registry.ts) builds an index from the list it reads from Redis and asks it here.
//
// Names are compared after normalising (lower case, without "PT", "PT.", "(Persero)", "Tbk",
// punctuation and extra spaces): the same normalised name, else the same words in another order, else
// at most two letters apart (names of 8 characters or more). Licence numbers must be the same once
// spaces are removed (and letters are upper case): a licence number is not a thing to guess.

/** One agency as the official list gives it. */
export interface Agency {
  name: string;
  /** The licence number as written on the list. */
  licence: string;
  address: string;
  /** The last day the licence is valid (YYYY-MM-DD), when the list says. */
  validUntil: string | null;
  province: string | null;
}

/** The largest difference (in letters) between two names taken for the same name. */
export const NAME_MAX_EDITS = 2;
/** Names shorter than this (normalised) must match exactly: two letters change a short name too much. */
export const NAME_FUZZY_MIN = 8;

/** Company forms that are not part of the name. */
const FORMS = new Set(['pt', 'persero', 'tbk']);

/** "PT. Maju Jaya (Persero) Tbk" → "maju jaya"; "MAJU JAYA, PT" → "maju jaya"; "P.T. Maju-Jaya" → "maju jaya". */
export function normaliseName(name: string): string {
  const words = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  // "P.T." is "p t" once the dots are gone.
  if (words[0] === 'p' && words[1] === 't') words.splice(0, 2, 'pt');
  if (words.at(-2) === 'p' && words.at(-1) === 't') words.splice(-2, 2, 'pt');
  while (words.length && FORMS.has(words[0]!)) words.shift();
  while (words.length && FORMS.has(words.at(-1)!)) words.pop();
  return words.join(' ');
}

/** "KEP. 123 / MEN / 2020" → "KEP.123/MEN/2020": upper case, no spaces. */
export function normaliseLicence(licence: string): string {
  return licence.normalize('NFKC').toUpperCase().replace(/\s+/g, '');
}

/** The words of a normalised name, each once, sorted: equal for the same words in any order. */
function wordSet(norm: string): string {
  return [...new Set(norm.split(' '))].sort().join(' ');
}

/**
 * Edits (insert, delete, replace, swap two neighbours) from a to b, or `max + 1` when there are more
 * than `max`: only a band of width 2 * max + 1 is worked out.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const n = b.length;
  const far = max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: n + 1 }, (_, j) => (j <= max ? j : far));
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(n + 1).fill(far);
    cur[0] = i <= max ? i : far;
    const from = Math.max(1, i - max);
    const to = Math.min(n, i + max);
    let best = cur[0]!;
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = Math.min(d, far);
      best = Math.min(best, cur[j]!);
    }
    if (best > max) return far;
    prev2 = prev;
    prev = cur;
  }
  return Math.min(prev[n]!, far);
}

export type NameMatch =
  /** `exact`: the same name once normalised; otherwise the same words in another order, or a letter or two apart. */
  | { agency: Agency; exact: boolean }
  /** Not on the list; `nearest`: a name on it that looks much like it (scammers borrow real names), if any. */
  | { agency?: undefined; nearest?: Agency };

interface Entry {
  agency: Agency;
  norm: string;
  words: string[];
}

/** The list, indexed for lookups by licence number and by name. */
export class AgencyIndex {
  private readonly byLicence = new Map<string, Agency>();
  private readonly byName = new Map<string, Agency>();
  private readonly byWords = new Map<string, Agency>();
  private readonly entries: Entry[] = [];

  constructor(agencies: Iterable<Agency>) {
    for (const agency of agencies) {
      const norm = normaliseName(agency.name);
      this.byLicence.set(normaliseLicence(agency.licence), agency);
      if (!norm) continue;
      if (!this.byName.has(norm)) this.byName.set(norm, agency);
      const words = wordSet(norm);
      if (!this.byWords.has(words)) this.byWords.set(words, agency);
      this.entries.push({ agency, norm, words: norm.split(' ') });
    }
  }

  get size(): number {
    return this.byLicence.size;
  }

  licence(written: string): Agency | undefined {
    const key = normaliseLicence(written);
    return key ? this.byLicence.get(key) : undefined;
  }

  name(written: string): NameMatch {
    const norm = normaliseName(written);
    if (!norm) return {};
    const same = this.byName.get(norm);
    if (same) return { agency: same, exact: true };
    const reordered = this.byWords.get(wordSet(norm));
    if (reordered) return { agency: reordered, exact: false };
    if (norm.length >= NAME_FUZZY_MIN) {
      let best: Entry | undefined;
      let bestD = NAME_MAX_EDITS + 1;
      let tie = false;
      for (const e of this.entries) {
        if (e.norm.length < NAME_FUZZY_MIN) continue;
        const d = editDistance(norm, e.norm, NAME_MAX_EDITS);
        if (d < bestD) (best = e), (bestD = d), (tie = false);
        else if (d === bestD && best && e.agency !== best.agency) tie = true;
      }
      // Two names on the list equally close: the offer's name is neither of them for sure.
      if (best && !tie) return { agency: best.agency, exact: false };
      if (best) return { nearest: best.agency };
    }
    return { nearest: this.nearest(norm) };
  }

  /**
   * A name on the list much like `norm` without being it: a few letters apart (up to a quarter of
   * the name), or sharing at least two words and half of all of them.
   */
  private nearest(norm: string): Agency | undefined {
    const max = Math.max(3, Math.floor(norm.length / 4));
    const words = new Set(norm.split(' '));
    let best: Agency | undefined;
    let bestScore = Infinity;
    for (const e of this.entries) {
      const d = editDistance(norm, e.norm, max);
      let score = d <= max ? d : Infinity;
      if (score === Infinity) {
        const shared = e.words.filter((w) => words.has(w)).length;
        const all = new Set([...words, ...e.words]).size;
        if (shared >= 2 && shared / all >= 0.5) score = max + 1 + (1 - shared / all);
      }
      if (score < bestScore) (best = e.agency), (bestScore = score);
    }
    return best;
  }
}
