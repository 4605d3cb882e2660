// Text helpers shared by intent matching, choice matching and input validation.

/**
 * Rows of the edit-distance table, reused by every call (grown when a longer string comes): a call
 * allocates nothing. The engine is synchronous, so one set is enough.
 */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/**
 * The edit distance between `a` and `b` when it is at most `budget`, else `budget + 1` (it stops as
 * soon as the budget is exceeded). `budget` is a whole number >= 0 (Infinity gives the distance).
 *
 * Edits are insertions, deletions, substitutions and transpositions of two adjacent characters, each
 * counting 1, in the optimal-string-alignment sense (restricted Damerau-Levenshtein): a transposed
 * pair is not edited again ("ca" -> "abc" is 3, not 2). That is how people mistype a word ("malasyia",
 * "tolnog"), and typo budgets here are at most 2. Characters are UTF-16 code units, compared exactly
 * (callers compare squashed text). Before this, natural's DamerauLevenshteinDistance was used: its
 * unrestricted variant undercounts ("ce " -> "ec  " gave 1; it is 2), so some 2-edit typos passed as 1.
 *
 * Only cells within `budget` of the diagonal are computed (the others are over budget anyway), with
 * values capped at budget + 1; a row whose every cell is over budget ends the search, since the
 * smallest value of a row never decreases from one row to the next.
 */
export function withinDistance(a: string, b: string, budget: number): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > budget) return budget + 1;
  if (la === 0 || lb === 0) return la + lb;
  // A band wider than the longer string is the whole table.
  const k = Math.min(Math.floor(budget), Math.max(la, lb));
  const cap = k + 1;
  if (rowA.length <= lb) {
    const size = Math.max(lb + 1, rowA.length * 2);
    [rowA, rowB, rowC] = [new Int32Array(size), new Int32Array(size), new Int32Array(size)];
  }
  // Row i - 2, row i - 1 and row i of the table (row i: the first i characters of a).
  let before = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0, top = Math.min(lb, cap); j <= top; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    const lo = i > k ? i - k : 1;
    const hi = i + k < lb ? i + k : lb;
    const ca = a.charCodeAt(i - 1);
    const ca1 = i > 1 ? a.charCodeAt(i - 2) : -1;
    // The cell left of the band: column 0 (i deletions) or, outside the band, over budget.
    let rowMin = lo === 1 ? (i < cap ? i : cap) : cap;
    cur[lo - 1] = rowMin;
    for (let j = lo; j <= hi; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = prev[j - 1]! + (ca === cb ? 0 : 1);
      const del = prev[j]! + 1;
      if (del < v) v = del;
      const ins = cur[j - 1]! + 1;
      if (ins < v) v = ins;
      if (j > 1 && ca === b.charCodeAt(j - 2) && ca1 === cb) {
        const swap = before[j - 2]! + 1;
        if (swap < v) v = swap;
      }
      if (v > cap) v = cap;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    // The cell right of the band, read by the next row: over budget.
    if (hi < lb) cur[hi + 1] = cap;
    if (rowMin > k) return budget + 1;
    const spare = before;
    before = prev;
    prev = cur;
    cur = spare;
  }
  const d = prev[lb]!;
  return d <= budget ? d : budget + 1;
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

/** How many edits `typed` is from `target` when it is `target` or a plausible typo of it, else Infinity. Both squashed. */
export function typoDistance(typed: string, target: string): number {
  if (typed === target) return 0;
  const budget = typoBudget(target.length);
  if (budget === 0) return Infinity;
  const d = withinDistance(typed, target, budget);
  return d <= budget ? d : Infinity;
}

/** True when `typed` is `target` or a plausible typo of it. Both are expected squashed. */
export function nearly(typed: string, target: string): boolean {
  return typoDistance(typed, target) !== Infinity;
}

/** A text a typo may stand for, and what it means; `chars` as charMask(text). Made by typoTargets. */
export interface TypoTarget<T> {
  text: string;
  value: T;
  chars: number;
}

export function typoTargets<T>(list: readonly { text: string; value: T }[]): TypoTarget<T>[] {
  return list.map(({ text, value }) => ({ text, value, chars: charMask(text) }));
}

/** Which characters a text has, folded into 32 bits (a code unit's last five bits). */
export function charMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) mask |= 1 << (text.charCodeAt(i) & 31);
  return mask;
}

function bits(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v; v &= v - 1) n++;
  return n;
}

/**
 * Fewest edits between two texts with these character masks: a character (class) one has and the
 * other lacks takes an edit of its own, and one edit (a substitution) brings in at most one and takes
 * away at most one.
 */
function fewestEdits(a: number, b: number): number {
  return Math.max(bits(a & ~b), bits(b & ~a));
}

/**
 * What the closest plausible typo among `targets` stands for: the value of the target fewest edits
 * from `typed`; undefined when none is near enough, or when targets of two different values are
 * equally near (a typo as close to two meanings means neither). An exact match is 0 edits away.
 * Targets whose length or characters are too far off are passed over before any distance is worked out.
 */
export function closestTypo<T>(typed: string, targets: readonly TypoTarget<T>[]): T | undefined {
  const chars = charMask(typed);
  let best: T | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const target of targets) {
    const budget = typoBudget(target.text.length);
    if (Math.abs(target.text.length - typed.length) > budget || fewestEdits(chars, target.chars) > budget) continue;
    const d = typoDistance(typed, target.text);
    if (d === Infinity) continue;
    if (d < bestDistance) [best, bestDistance, tie] = [target.value, d, false];
    else if (d === bestDistance && target.value !== best) tie = true;
  }
  return tie ? undefined : best;
}
