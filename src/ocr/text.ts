// The text read from a picture, tidied for the checker and for showing the person what was read.

/** The text as read: lines trimmed, stray symbols-only lines dropped, wrapped lines joined, runs of blank lines made one. */
export function cleanOcrText(raw: string): string {
  const lines = raw
    .replace(/\r/g, '')
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .map((l) => (/[\p{L}\p{N}]/u.test(l) ? l : ''));
  return unwrap(lines).join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** A line that starts an item of a list: a bullet, a dash, "1." or "a)". */
const LIST_ITEM = /^(?:[-–—•*·▪►✓✔>]|\(?\d{1,2}[.)](?:\s|$)|\(?[a-z][.)]\s)/u;
/** A line that ends a sentence or announces what follows (a closing quote or bracket may follow). */
const ENDS_SENTENCE = /[.!?:;]["'”’)\]]?$/u;
/** Narrower than this (characters), the lines are a list or a notice of a few words, not wrapped prose. */
const MIN_COLUMN = 24;
/** How full a line must be to have been wrapped: the next word would not have fitted (with slack for proportional fonts). */
const FULL = 0.85;

/**
 * Lines a flyer wrapped, joined back into their sentences. A picture breaks a sentence wherever the
 * line is full, and the checker takes a line end for the end of a sentence (a flag's words split over
 * two lines are not found; a negation is cut off from what it negates): 3 of the 36 flyers of
 * test/ocr/fidelity.test.ts got another verdict than their text for this alone, as did 7 % of the
 * corpus wrapped at 34 to 42 characters a line with nothing misread. A line is taken as wrapped when
 * it does not end a sentence, the next line is no item of a list, and the next line's first word would
 * not have fitted on it within the column (the widest line). Across a blank line (where the reader saw
 * a new paragraph), only when the next line goes on in lower case.
 */
export function unwrap(lines: string[]): string[] {
  const column = Math.max(0, ...lines.map((l) => l.length));
  if (column < MIN_COLUMN) return lines;
  const out: string[] = [];
  /** How long the last line read into each of `out` was (the one a next word would have had to fit on). */
  const last: number[] = [];
  for (const line of lines) {
    const blank = out.at(-1) === '';
    const at = blank ? out.length - 2 : out.length - 1;
    const prev = out[at] ?? '';
    const firstWord = line.split(' ', 1)[0]!;
    const wrapped =
      line !== '' &&
      prev !== '' &&
      !ENDS_SENTENCE.test(prev) &&
      !LIST_ITEM.test(line) &&
      last[at]! + 1 + firstWord.length > column * FULL &&
      (!blank || /^\p{Ll}/u.test(line));
    if (wrapped) {
      out.length = last.length = at + 1;
      out[at] = `${prev} ${line}`;
    } else out.push(line);
    last[out.length - 1] = line.length;
  }
  return out;
}

/** The first lines of what was read, for showing the person (so they can see a misread). */
export function firstLines(text: string, lines = 3, chars = 160): string {
  const kept = text.split('\n').filter((l) => l.trim()).slice(0, lines).join(' / ');
  return kept.length > chars ? `${kept.slice(0, chars - 1).trimEnd()}…` : kept;
}
