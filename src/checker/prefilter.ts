/**
 * Literal prefilter and anchoring for the checker's regular expressions.
 *
 * The checker runs some two hundred regular expressions over every normalised offer, each of
 * which would scan the whole text. Most cannot match a given text, which holds none of the words
 * they look for; and those that can match may only start where one of their first words stands.
 *
 * For each expression, two sets of words are worked out from its source: words one of which every
 * match contains, and words one of which every match begins with (for `\bvisa (?:turis|wisata)\b`,
 * both are "visa turis" and "visa wisata"). One pass of an Aho-Corasick automaton over the text
 * finds where all those words occur. An expression none of whose words occur is not run; one with
 * first words is tried only where they start, in order, which finds the very matches a scan from
 * the start would find, since a scan tries every position in order and a match starting elsewhere
 * is impossible. An expression whose source cannot be read with certainty (a flag other than g, an
 * unknown construct) is run over the whole text as before. Results never depend on this, only the
 * cost (a test compares them with the plain calls on the corpus).
 *
 * Reading the sources takes time at start-up, so their words are kept in src/checker/prefilter.json
 * (written by `npm run train:checker`, keyed by flags and source: an expression that is not there is
 * read when the index is built; a test checks the file is up to date). The index is built on the
 * first scan.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Exact sets larger than this become requirements (a set of words one of which must occur). */
const MAX_EXACT = 64;
/** Words looked for are cut to this length (a match holding a word holds its beginning too). */
const MAX_WORD = 8;
/**
 * First words shorter than this start too often to be worth trying one by one. Two letters ("cv",
 * "hr", "wa", "dm") are worth it: an expression tried where they stand, failing at once inside a
 * word ("untuk", "admin"), costs less than running its whole alternation over the text (same-run
 * A/B, 2 Dec: p50 at 8,000 characters 3.26-3.86 -> 2.94-3.53 ms).
 */
const MIN_FIRST = 2;
/**
 * Except a digit: an expression that may begin with a number ("\d+ ?(?:menit|minutes)", "\d ?usd
 * weekly") is tried where digits stand, fewer places than a scan of the whole text tries.
 */
const isDigit = (w: string) => w.length === 1 && w >= '0' && w <= '9';
/** Texts shorter than this are searched without sticky copies (see Scan.anchored). */
const SHORT_TEXT = 1000;

/**
 * What a piece of a pattern can match: `exact`, every string it matches (when few are possible);
 * `req`, words one of which every match contains; `first`, non-empty words one of which every match
 * begins with (undefined: nothing is known).
 */
interface Info {
  exact?: Set<string>;
  req?: Set<string>;
  first?: Set<string>;
}

const UNKNOWN: Info = {};
const EMPTY = (): Info => ({ exact: new Set(['']) });

/** How good a requirement is: longer words are rarer; then fewer words. */
function better(a: Set<string> | undefined, b: Set<string> | undefined): Set<string> | undefined {
  if (!a) return b;
  if (!b) return a;
  const minLen = (s: Set<string>) => {
    let m = 6;
    for (const w of s) m = Math.min(m, w.length);
    return m;
  };
  const la = minLen(a);
  const lb = minLen(b);
  if (la !== lb) return la > lb ? a : b;
  return a.size <= b.size ? a : b;
}

/** Words one of which every match contains: none known when it may match the empty string. */
function reqOf(i: Info): Set<string> | undefined {
  if (i.exact) return i.exact.has('') ? undefined : i.exact;
  return i.req;
}

/** Words one of which every match begins with. */
function firstOf(i: Info): Set<string> | undefined {
  if (i.exact) return i.exact.has('') ? undefined : i.exact;
  return i.first;
}

function cross(a: Set<string>, b: Set<string>): Set<string> | undefined {
  if (a.size * b.size > MAX_EXACT) return undefined;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out;
}

function union(sets: Array<Set<string> | undefined>): Set<string> | undefined {
  const out = new Set<string>();
  for (const s of sets) {
    if (!s) return undefined;
    for (const w of s) out.add(w);
  }
  return out;
}

class Unreadable extends Error {}

/** Reads a pattern source (flags none or g, no u or v) into Info. */
class Reader {
  private i = 0;
  constructor(private readonly src: string) {}

  read(): Info {
    const r = this.alternation();
    if (this.i !== this.src.length) throw new Unreadable(`stopped at ${this.i}`);
    return r;
  }

  private alternation(): Info {
    const alts = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    if (alts.length === 1) return alts[0]!;
    if (alts.every((a) => a.exact)) {
      const all = union(alts.map((a) => a.exact))!;
      if (all.size <= MAX_EXACT) return { exact: all };
    }
    const info: Info = {};
    const req = union(alts.map(reqOf));
    const first = union(alts.map(firstOf));
    if (req) info.req = req;
    if (first) info.first = first;
    return info;
  }

  private sequence(): Info {
    // `cur`: what the exact pieces read since the last cut match together; a cut (a piece that is
    // not exact, or too many strings) makes `cur` a candidate requirement and starts again
    let cur = new Set(['']);
    let best: Set<string> | undefined;
    let first: Set<string> | undefined;
    let cut = false;
    const flush = (next: Info) => {
      if (!cur.has('')) best = better(best, cur);
      if (!cut) {
        // what a match begins with: `cur`, or (where `cur` may be empty) what comes next
        const startsNext = firstOf(next);
        if (!cur.has('')) first = cur;
        else if (startsNext) first = union([new Set([...cur].filter((w) => w !== '')), startsNext]);
      }
      cut = true;
    };
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const piece = this.quantified();
      if (piece.exact) {
        const c = cross(cur, piece.exact);
        if (!c) flush(piece);
        cur = c ?? piece.exact;
        continue;
      }
      flush(piece);
      best = better(best, piece.req);
      cur = new Set(['']);
    }
    if (!cut) return { exact: cur };
    flush(EMPTY());
    const info: Info = {};
    if (best) info.req = best;
    if (first) info.first = first;
    return info;
  }

  private quantified(): Info {
    const atom = this.atom();
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === '?') [min, max] = [0, 1];
    else if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) throw new Unreadable('brace');
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (this.src[this.i] === '?') this.i++; // lazy
    if (min === 1 && max === 1) return atom;
    if (min === 0 && max === 1 && atom.exact) return { exact: new Set([...atom.exact, '']) };
    if (min === 0) return UNKNOWN; // may match nothing
    // at least once: what one repetition requires and begins with
    const info: Info = {};
    const req = reqOf(atom);
    const first = firstOf(atom);
    if (req) info.req = req;
    if (first) info.first = first;
    return info;
  }

  private atom(): Info {
    const c = this.src[this.i]!;
    if (c === '(') return this.group();
    if (c === '[') return this.charClass();
    if (c === '\\') return this.escape();
    if (c === '^' || c === '$') {
      this.i++;
      return EMPTY();
    }
    if (c === '.') {
      this.i++;
      return UNKNOWN;
    }
    if ('*+?{}])|'.includes(c)) throw new Unreadable(`unexpected ${c}`);
    this.i++;
    return { exact: new Set([c]) };
  }

  private group(): Info {
    const rest = this.src.slice(this.i, this.i + 4);
    let zeroWidth = false;
    if (rest.startsWith('(?:')) this.i += 3;
    else if (rest.startsWith('(?=') || rest.startsWith('(?!')) {
      this.i += 3;
      zeroWidth = true;
    } else if (rest.startsWith('(?<=') || rest.startsWith('(?<!')) {
      this.i += 4;
      zeroWidth = true;
    } else if (rest.startsWith('(?<')) {
      const end = this.src.indexOf('>', this.i);
      if (end < 0) throw new Unreadable('group name');
      this.i = end + 1;
    } else if (rest.startsWith('(?')) throw new Unreadable('group kind');
    else this.i += 1;
    const inner = this.alternation();
    if (this.src[this.i] !== ')') throw new Unreadable('unclosed group');
    this.i++;
    return zeroWidth ? EMPTY() : inner;
  }

  private escape(): Info {
    const c = this.src[this.i + 1];
    if (c === undefined) throw new Unreadable('trailing backslash');
    this.i += 2;
    if (c === 'b' || c === 'B') return EMPTY();
    if (c === 'd') return { exact: new Set('0123456789') };
    if ('wWsSDpPk'.includes(c) || /\d/.test(c)) {
      if (c === 'p' || c === 'P' || c === 'k') throw new Unreadable('property or named reference');
      return UNKNOWN; // a class of characters, or a back-reference
    }
    const ch = this.escapedChar(c);
    return { exact: new Set([ch]) };
  }

  /** The character an escape stands for (after the backslash and `c` were read). */
  private escapedChar(c: string): string {
    if (c === 'n') return '\n';
    if (c === 't') return '\t';
    if (c === 'r') return '\r';
    if (c === 'f') return '\f';
    if (c === 'v') return '\v';
    if (c === '0') return '\0';
    if (c === 'x' || c === 'u') {
      const m = (c === 'x' ? /^[0-9a-fA-F]{2}/ : /^[0-9a-fA-F]{4}/).exec(this.src.slice(this.i));
      if (!m) throw new Unreadable('hex escape');
      this.i += m[0].length;
      return String.fromCharCode(parseInt(m[0], 16));
    }
    if (c === 'c') throw new Unreadable('control escape');
    if (/[a-zA-Z]/.test(c)) throw new Unreadable(`escape \\${c}`);
    return c; // an escaped punctuation character stands for itself
  }

  private charClass(): Info {
    this.i++;
    if (this.src[this.i] === '^') {
      this.skipClass();
      return UNKNOWN;
    }
    const chars = new Set<string>();
    let known = true;
    while (this.i < this.src.length && this.src[this.i] !== ']') {
      let ch: string;
      if (this.src[this.i] === '\\') {
        const c = this.src[this.i + 1]!;
        this.i += 2;
        if (c === 'd') {
          for (const d of '0123456789') chars.add(d);
          continue;
        }
        if ('wWsSDpPb'.includes(c)) {
          if (c === 'p' || c === 'P') throw new Unreadable('property in class');
          known = false;
          continue;
        }
        ch = this.escapedChar(c);
      } else {
        ch = this.src[this.i]!;
        this.i++;
      }
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++;
        let to: string;
        if (this.src[this.i] === '\\') {
          const c = this.src[this.i + 1]!;
          this.i += 2;
          if ('wWsSdDpPb'.includes(c)) throw new Unreadable('class escape as range end');
          to = this.escapedChar(c);
        } else {
          to = this.src[this.i]!;
          this.i++;
        }
        const a = ch.charCodeAt(0);
        const b = to.charCodeAt(0);
        if (b - a > 64) known = false;
        else for (let k = a; k <= b; k++) chars.add(String.fromCharCode(k));
        continue;
      }
      chars.add(ch);
    }
    if (this.src[this.i] !== ']') throw new Unreadable('unclosed class');
    this.i++;
    return known && chars.size > 0 && chars.size <= 16 ? { exact: chars } : UNKNOWN;
  }

  private skipClass(): void {
    while (this.i < this.src.length && this.src[this.i] !== ']') this.i += this.src[this.i] === '\\' ? 2 : 1;
    if (this.src[this.i] !== ']') throw new Unreadable('unclosed class');
    this.i++;
  }
}

/** The words of an expression: those one of which every match contains, and those it begins with. */
export interface Words {
  req?: string[];
  first?: string[];
}

/**
 * The words of `re` (see Words); none when that cannot be said with certainty. Only patterns with
 * no flag but g are read, and only words of ASCII characters are kept.
 */
export function wordsOf(re: RegExp): Words {
  if (re.flags.replace('g', '') !== '') return {};
  let info: Info;
  try {
    info = new Reader(re.source).read();
  } catch (e) {
    if (e instanceof Unreadable) return {};
    throw e;
  }
  const ascii = (set: Set<string> | undefined) => (set && set.size > 0 && ![...set].some((w) => w === '' || /[^\x00-\x7f]/.test(w)) ? [...set] : undefined);
  const out: Words = {};
  const req = ascii(reqOf(info));
  if (req) {
    // a match holding a word holds its beginning too; a word holding another word adds nothing
    const cut = [...new Set(req.map((w) => w.slice(0, MAX_WORD)))];
    out.req = cut.filter((w) => !cut.some((o) => o !== w && w.includes(o)));
  }
  const first = ascii(firstOf(info));
  if (first) {
    const cut = [...new Set(first.map((w) => w.slice(0, MAX_WORD)))];
    const kept = cut.filter((w) => !cut.some((o) => o !== w && w.startsWith(o)));
    if (kept.every((w) => w.length >= MIN_FIRST || isDigit(w))) out.first = kept;
  }
  return out;
}

/** Words of expressions, keyed by keyOf(). */
export type WordsTable = Record<string, Words>;

export const keyOf = (re: RegExp): string => `${re.flags}/${re.source}`;

export const WORDS_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'prefilter.json');

/** prefilter.json's text: one expression a line. */
export function formatWordsTable(table: WordsTable): string {
  const lines = Object.entries(table).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** The words kept in prefilter.json; none when the file is missing or not of the expected shape. */
export function loadWordsTable(file = WORDS_PATH): WordsTable {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
  const strings = (x: unknown) => x === undefined || (Array.isArray(x) && x.every((w) => typeof w === 'string' && w !== ''));
  if (typeof json !== 'object' || json === null) return {};
  const table: WordsTable = {};
  for (const [k, v] of Object.entries(json)) {
    const w = v as Words;
    if (typeof v !== 'object' || v === null || !strings(w.req) || !strings(w.first)) return {};
    table[k] = w;
  }
  return table;
}

interface Entry {
  re: RegExp;
  /** ids of the words one of which every match contains */
  need?: Int32Array;
  /** ids of the words every match begins with one of, and the sticky copy tried where they start */
  first?: Int32Array;
  sticky?: RegExp;
}

/**
 * Registers regular expressions (at module load) and scans texts for their words. The automaton is
 * built on the first scan, once every expression is registered.
 */
export class LiteralIndex {
  private readonly registered: RegExp[] = [];
  private readonly entries = new Map<RegExp, Entry>();
  private automaton: Automaton | undefined;

  /** `known`: gives the words already worked out (prefilter.json), by keyOf(); read when the index is first built. */
  constructor(private readonly known: () => Readonly<WordsTable> = () => ({})) {}

  /** Register `re` (returned as it is). */
  add<R extends RegExp>(re: R): R {
    if (this.automaton) throw new Error('LiteralIndex: register every expression before the first scan');
    this.registered.push(re);
    return re;
  }

  /** The registered expressions, in order. */
  expressions(): readonly RegExp[] {
    return this.registered;
  }

  /** The words of every registered expression, read from their sources (what prefilter.json keeps). */
  table(): WordsTable {
    const out: WordsTable = {};
    for (const re of this.registered) out[keyOf(re)] = wordsOf(re);
    return out;
  }

  /** Where the registered expressions' words occur in `text`. */
  scan(text: string): Scan {
    this.automaton ??= this.build();
    return new Scan(text, this.automaton, this.entries);
  }

  private build(): Automaton {
    const known = this.known();
    const ids = new Map<string, number>();
    const words: string[] = [];
    const idsOf = (list: string[]) => {
      const out = new Int32Array(list.length);
      for (let k = 0; k < list.length; k++) {
        let id = ids.get(list[k]!);
        if (id === undefined) {
          id = words.length;
          ids.set(list[k]!, id);
          words.push(list[k]!);
        }
        out[k] = id;
      }
      return out;
    };
    for (const re of this.registered) {
      const key = keyOf(re);
      const w = Object.hasOwn(known, key) ? known[key]! : wordsOf(re);
      const entry: Entry = { re };
      if (w.req) entry.need = idsOf(w.req);
      if (w.first) entry.first = idsOf(w.first);
      if (entry.need || entry.first) this.entries.set(re, entry);
    }
    const isFirst = new Uint8Array(words.length);
    for (const e of this.entries.values()) if (e.first) for (const id of e.first) isFirst[id] = 1;
    return new Automaton(words, isFirst);
  }
}

/**
 * One text's words, and the registered expressions run over it. Each method gives what the plain
 * call on the whole text gives.
 */
export class Scan {
  private readonly found: Uint8Array;
  private readonly hitWord: number[] = [];
  private readonly hitStart: number[] = [];
  /** whether the hits are grouped by word in the automaton's buffers (startsOf), which are this scan's while the automaton has scanned nothing since */
  private grouped = false;
  private readonly generation: number;
  /** an expression's start positions (startsOf) */
  private starts: Int32Array | undefined;

  constructor(
    readonly text: string,
    private readonly automaton: Automaton,
    private readonly entries: ReadonlyMap<RegExp, Entry>,
  ) {
    this.found = automaton.scan(text, this.hitWord, this.hitStart);
    this.generation = automaton.scans;
  }

  /** False only when `re` cannot match the text (nor any part of it). */
  may(re: RegExp): boolean {
    const need = this.entries.get(re)?.need;
    if (!need) return true;
    this.current();
    for (let k = 0; k < need.length; k++) if (this.found[need[k]!] === 1) return true;
    return false;
  }

  /** `re.test(text)`. */
  test(re: RegExp): boolean {
    const e = this.entries.get(re);
    if (e?.first) return this.anchored(e, 1, false) > 0;
    if (!this.may(re)) return false;
    re.lastIndex = 0;
    const r = re.test(this.text);
    re.lastIndex = 0;
    return r;
  }

  /** `re.exec(text)?.index ?? -1` for an expression without g: where its first match starts. */
  firstAt(re: RegExp): number {
    if (!this.test(re)) return -1;
    re.lastIndex = 0;
    const i = re.exec(this.text)!.index;
    re.lastIndex = 0;
    return i;
  }

  /** `text.match(re)?.length ?? 0` for a g expression. */
  count(re: RegExp): number {
    const e = this.entries.get(re);
    if (e?.first) return this.anchored(e, Infinity, false);
    if (!this.may(re)) return 0;
    return this.text.match(re)?.length ?? 0;
  }

  /** [start, end) of the first `max` non-empty matches of a g expression, as `re.exec` finds them one after the other. */
  spans(re: RegExp, max: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    const e = this.entries.get(re);
    if (e?.first) {
      this.anchored(e, max, out);
      return out;
    }
    if (!this.may(re)) return out;
    const t = this.text;
    re.lastIndex = 0;
    for (let m = re.exec(t); m; m = re.exec(t)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      out.push([m.index, m.index + m[0].length]);
      if (out.length >= max) break;
    }
    re.lastIndex = 0;
    return out;
  }

  /**
   * Runs an expression with first words where they start, in order; counts matches (up to max),
   * collecting spans into `out`. A long text is searched with a sticky copy tried at each start;
   * a short one with the expression itself, from the first start on, once per match: V8 compiles an
   * expression to machine code on its second run (or its first on 1,000 characters or more), which
   * costs more than a short text's search, and a one-off check of a short offer should not pay it.
   */
  private anchored(e: Entry, max: number, out: Array<[number, number]> | false): number {
    const count = this.startsOf(e.first!);
    if (count === 0) return 0;
    const starts = this.starts!;
    const t = this.text;
    if (t.length < SHORT_TEXT) {
      const re = e.re;
      if (!re.global) return re.test(t) ? 1 : 0;
      let n = 0;
      let k = 0;
      for (let from = 0; n < max; ) {
        while (k < count && starts[k]! < from) k++;
        if (k === count) break;
        // no match starts before the next first word: searching from there finds what a search from `from` would
        re.lastIndex = starts[k]!;
        const m = re.exec(t);
        if (!m) break;
        const end = m.index + m[0].length;
        if (out) out.push([m.index, end]);
        n++;
        from = end;
      }
      re.lastIndex = 0;
      return n;
    }
    const sticky = (e.sticky ??= new RegExp(e.re.source, `${e.re.flags.replace('g', '')}y`));
    let n = 0;
    let from = 0;
    for (let k = 0; k < count; k++) {
      const p = starts[k]!;
      if (p < from) continue;
      sticky.lastIndex = p;
      const m = sticky.exec(t);
      if (!m) continue;
      // a first word is not empty, so neither is a match
      const end = p + m[0].length;
      if (out) out.push([p, end]);
      n++;
      if (n >= max) break;
      from = end;
    }
    return n;
  }

  /** The automaton's buffers hold this scan's words until the next scan: refuse to read another's. */
  private current(): void {
    if (this.generation !== this.automaton.scans) throw new Error('LiteralIndex: a scan was used after the next one began');
  }

  /** Puts the start positions of the given words in this.starts, in increasing order, once each; returns how many. */
  private startsOf(ids: Int32Array): number {
    this.current();
    const buf = this.automaton.buffers;
    const hits = this.hitWord.length;
    if (!this.grouped) {
      // group hits by word (counting sort); each word's starts stay in increasing order
      const words = this.automaton.wordCount;
      buf.wordStart.fill(0);
      for (let h = 0; h < hits; h++) buf.wordStart[this.hitWord[h]! + 1]!++;
      for (let w = 0; w < words; w++) buf.wordStart[w + 1]! += buf.wordStart[w]!;
      buf.fill.set(buf.wordStart.subarray(0, words));
      buf.room(hits);
      for (let h = 0; h < hits; h++) buf.byWord[buf.fill[this.hitWord[h]!]!++] = this.hitStart[h]!;
      this.grouped = true;
    }
    const { wordStart, byWord } = buf;
    // merge each word's run of starts into `starts`
    let a = buf.starts;
    let b = buf.merged;
    let n = 0;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k]!;
      const from = wordStart[id]!;
      const to = wordStart[id + 1]!;
      if (from === to) continue;
      if (n === 0) {
        for (let h = from; h < to; h++) a[n++] = byWord[h]!;
        continue;
      }
      let i = 0;
      let j = from;
      let m = 0;
      while (i < n || j < to) {
        const x = i < n ? a[i]! : Infinity;
        const y = j < to ? byWord[j]! : Infinity;
        const v = x <= y ? x : y;
        if (x === v) i++;
        if (y === v) j++;
        b[m++] = v;
      }
      [a, b] = [b, a];
      n = m;
    }
    buf.starts = a;
    buf.merged = b;
    this.starts = a;
    return n;
  }
}

/**
 * Room for grouping one scan's word starts (Scan.startsOf), kept from scan to scan: a scan is over
 * before the next one begins (the checker is synchronous), and new typed arrays for every scan cost
 * more than the grouping itself.
 */
class ScanBuffers {
  readonly found: Uint8Array;
  readonly wordStart: Int32Array;
  readonly fill: Int32Array;
  byWord = new Int32Array(1024);
  starts = new Int32Array(1024);
  merged = new Int32Array(1024);

  constructor(words: number) {
    this.found = new Uint8Array(words);
    this.wordStart = new Int32Array(words + 1);
    this.fill = new Int32Array(words);
  }

  /** Makes room for `hits` starts. */
  room(hits: number): void {
    if (this.byWord.length >= hits) return;
    const n = Math.max(hits, this.byWord.length * 2);
    this.byWord = new Int32Array(n);
    this.starts = new Int32Array(n);
    this.merged = new Int32Array(n);
  }
}

/**
 * Aho-Corasick automaton over ASCII words. Building it only lays out the trie and its failure
 * links; the full transition table (a state and a character class to a state) is filled in as
 * texts are scanned, each entry once, so start-up does not pay for transitions no text takes.
 */
class Automaton {
  readonly wordCount: number;
  readonly buffers: ScanBuffers;
  /** texts scanned so far */
  scans = 0;
  private readonly classOf = new Uint8Array(128);
  private readonly classes: number;
  /** transitions, as the next state plus one; 0 where not yet worked out */
  private readonly delta: Uint16Array;
  private readonly fail: Int32Array;
  /** words ending at each state (with those of its failure states): outWords[outStart[s] .. outStart[s + 1]) */
  private readonly outStart: Int32Array;
  private readonly outWords: Int32Array;
  /** for each word: its length, when its start positions are wanted (a first word), else 0 */
  private readonly startLen: Int32Array;

  constructor(words: readonly string[], isFirst: Uint8Array) {
    this.wordCount = words.length;
    this.buffers = new ScanBuffers(words.length);
    this.startLen = Int32Array.from(words, (w, id) => (isFirst[id] ? w.length : 0));
    // character classes: one per character used in a word; 0 for every other character
    let k = 1;
    let chars = 0;
    for (const w of words) {
      chars += w.length;
      for (let i = 0; i < w.length; i++) {
        const c = w.charCodeAt(i);
        if (this.classOf[c] === 0) this.classOf[c] = k++;
      }
    }
    this.classes = k;
    // the trie, its edges being the first entries of the transition table (which holds a state
    // plus one, 0 where not yet worked out: a new table needs no filling); built a level at a time,
    // so that states are numbered by depth: the shallow ones, where a scan mostly is, then share a
    // few cache lines
    if (chars + 2 >= 0xffff) throw new Error('LiteralIndex: too many words');
    const delta = new Uint16Array((chars + 1) * k);
    const parent = new Int32Array(chars + 1);
    const via = new Uint8Array(chars + 1);
    const own = new Int32Array(chars + 1).fill(-1); // the word ending at each state
    const at = new Int32Array(words.length); // each word's state at the current depth
    let states = 1;
    for (let d = 0, longer = true; longer; d++) {
      longer = false;
      for (let id = 0; id < words.length; id++) {
        const w = words[id]!;
        if (d >= w.length) continue;
        const s = at[id]!;
        const cls = this.classOf[w.charCodeAt(d)]!;
        let t = delta[s * k + cls]! - 1;
        if (t < 0) {
          t = states++;
          delta[s * k + cls] = t + 1;
          parent[t] = s;
          via[t] = cls;
        }
        at[id] = t;
        if (d + 1 === w.length) own[t] = id;
        else longer = true;
      }
    }
    this.delta = delta.subarray(0, states * k);
    // the root stays at the root on a character that starts no word
    for (let cls = 0; cls < k; cls++) if (this.delta[cls] === 0) this.delta[cls] = 1;
    // failure links, in order of depth (a state's failure state is nearer the root, so is done
    // before it), and the words ending at each state with those of its failure state
    this.fail = new Int32Array(states);
    const outCount = new Int32Array(states);
    for (let t = 1; t < states; t++) {
      const f = parent[t] === 0 ? 0 : this.step(this.fail[parent[t]!]!, via[t]!);
      this.fail[t] = f;
      outCount[t] = (own[t]! >= 0 ? 1 : 0) + outCount[f]!;
    }
    this.outStart = new Int32Array(states + 1);
    for (let s = 0; s < states; s++) this.outStart[s + 1] = this.outStart[s]! + outCount[s]!;
    this.outWords = new Int32Array(this.outStart[states]!);
    for (let t = 1; t < states; t++) {
      let o = this.outStart[t]!;
      if (own[t]! >= 0) this.outWords[o++] = own[t]!;
      const f = this.fail[t]!;
      this.outWords.copyWithin(o, this.outStart[f]!, this.outStart[f + 1]!);
    }
  }

  /** The state after `s` on class `cls`: its trie edge, else its failure state's transition (worked out once). */
  private step(s: number, cls: number): number {
    const at = s * this.classes + cls;
    const v = this.delta[at]!;
    if (v !== 0) return v - 1;
    const via = this.step(this.fail[s]!, cls);
    this.delta[at] = via + 1;
    return via;
  }

  /** Which words occur in `text` (1 for each that does, in the buffers: valid until the next scan); the start of each occurrence of a first word is added to hitWord/hitStart. */
  scan(text: string, hitWord: number[], hitStart: number[]): Uint8Array {
    this.scans++;
    const found = this.buffers.found.fill(0);
    const { classOf, classes, delta, outStart, outWords, startLen } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const cls = c < 128 ? classOf[c]! : 0;
      const v = delta[s * classes + cls]!;
      s = v !== 0 ? v - 1 : this.step(s, cls);
      const end = outStart[s + 1]!;
      for (let o = outStart[s]!; o < end; o++) {
        const w = outWords[o]!;
        found[w] = 1;
        const len = startLen[w]!;
        if (len > 0) {
          hitWord.push(w);
          hitStart.push(i + 1 - len);
        }
      }
    }
    return found;
  }
}

